package dev.shunt;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link HealthResponder} last told one health checker (one load balancer): up or down,
 * and how many times in a row. A deploy tool reads these from the {@link StatusStore} to see a
 * drain happen: once every checker has been answered "down" as many times in a row as the load
 * balancer's {@code fall} setting, the load balancer has taken the instance out.
 *
 * @param checker who checked, by default the checker's IP address
 * @param nacked whether the last answers were "down" (a NACK) rather than "up"
 * @param consecutive how many answers in a row had that verdict, at least 1
 * @param at when the last of them was sent
 * @param inFlight how many requests the instance was serving at {@code at}, or
 *     {@value #IN_FLIGHT_UNKNOWN} when the responder does not count them
 */
public record CheckerReport(String checker, boolean nacked, int consecutive, Instant at, int inFlight) {
  /** The {@code inFlight} of a report from a responder that does not count requests. */
  public static final int IN_FLIGHT_UNKNOWN = -1;

  public CheckerReport {
    Objects.requireNonNull(checker, "checker");
    if (inFlight < IN_FLIGHT_UNKNOWN) {
      throw new IllegalArgumentException("inFlight must be >= 0, or -1 for unknown, was " + inFlight);
    }
    Objects.requireNonNull(at, "at");
    if (consecutive < 1) {
      throw new IllegalArgumentException("consecutive must be >= 1, was " + consecutive);
    }
  }

  /** A report that does not say how many requests were in flight. */
  public CheckerReport(String checker, boolean nacked, int consecutive, Instant at) {
    this(checker, nacked, consecutive, at, IN_FLIGHT_UNKNOWN);
  }

  /** This report, saying that {@code inFlight} requests were in flight at {@code at}. */
  public CheckerReport withInFlight(int inFlight, Instant at) {
    return new CheckerReport(checker, nacked, consecutive, at, inFlight);
  }

  /** Whether this checker has been answered "down" at least {@code fall} times in a row. */
  public boolean nackedAtLeast(int fall) {
    return nacked && consecutive >= fall;
  }

  /** Whether this checker has been answered "up" at least {@code rise} times in a row. */
  public boolean ackedAtLeast(int rise) {
    return !nacked && consecutive >= rise;
  }
}
