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
 */
public record CheckerReport(String checker, boolean nacked, int consecutive, Instant at) {

  public CheckerReport {
    Objects.requireNonNull(checker, "checker");
    Objects.requireNonNull(at, "at");
    if (consecutive < 1) {
      throw new IllegalArgumentException("consecutive must be >= 1, was " + consecutive);
    }
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
