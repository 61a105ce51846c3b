package dev.shunt;

import dev.shunt.internal.CheckerReportRules;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a {@link HealthResponder} last told one health checker (one load balancer): up or down,
 * and how many times in a row. A deploy tool reads these from the {@link StatusStore} to see a
 * drain happen: once every checker has been answered "down" as many times in a row as the load
 * balancer's {@code fall} setting, the load balancer has taken the instance out.
 *
 * <p><b>Checkers that act at once.</b> A load balancer acts on an HTTP health check only after
 * {@code fall} (or {@code rise}) answers in a row, but HAProxy applies an agent check's words
 * ({@code drain}, {@code down}, {@code ready}) at the first answer. A report of such a checker
 * has {@code appliesAtOnce}: one answer meets any {@code fall} or {@code rise}. The
 * {@link AgentCheckResponder} reports as checker {@code agent:} and the checker's IP address,
 * so that an agent check never shares a report with the HTTP check of the same load balancer.
 *
 * <p><b>Freshness.</b> The responder rewrites a checker's report at least every
 * {@link HealthResponder#HEARTBEAT} while that checker keeps checking, so an {@code at} older
 * than that (plus the checker's interval) says the checker has stopped checking.
 *
 * @param checker who checked, by default the checker's IP address, or the name it sent in the
 *     responder's {@linkplain HealthResponder.Builder#checkerHeader checker header};
 *     {@code agent:} and the IP address for an agent check
 * @param nacked whether the last answers were "down" (a NACK) rather than "up"
 * @param consecutive how many answers in a row had that verdict, at least 1
 * @param at when the last of them was sent
 * @param inFlight how many requests the instance was serving at {@code at}, or {@code -1} when
 *     the responder does not count them; {@link #inFlightCount()} reads it without the {@code -1}
 * @param appliesAtOnce whether the checker acts on one answer, as HAProxy does on an agent
 *     check's, rather than on {@code fall} or {@code rise} answers in a row
 * @param storeProblem why the responder could not read the instance's status from the store when
 *     it answered, e.g. {@code cannot read shunt flag /var/lib/shunt/checkout/web-1.shunt: permission
 *     denied}; empty when it could. A responder that cannot read the store answers "up" (it fails
 *     open), so an "up" report that names a problem, written after a shunt, says the load balancer
 *     was not told. At most 400 characters, on one line. Reports written
 *     before this field was added read as empty.
 */
public record CheckerReport(String checker, boolean nacked, int consecutive, Instant at, int inFlight,
    boolean appliesAtOnce, String storeProblem) {
  /** The longest {@link #storeProblem()} a report keeps: a longer one is cut, with an ellipsis. */
  private static final int MAX_STORE_PROBLEM = 400;

  /**
   * Checks the components and cuts {@code storeProblem} to one line of at most 400 characters.
   *
   * @param checker who checked; not null
   * @param nacked whether the last answers were "down"
   * @param consecutive how many answers in a row had that verdict; at least 1
   * @param at when the last of them was sent; not null
   * @param inFlight requests in flight at {@code at}, or -1 for unknown
   * @param appliesAtOnce whether the checker acts on a single answer
   * @param storeProblem why the store could not be read, or empty; not null
   * @throws IllegalArgumentException if {@code consecutive} is below 1 or {@code inFlight} below -1
   */
  public CheckerReport {
    Objects.requireNonNull(checker, "checker");
    Objects.requireNonNull(storeProblem, "storeProblem");
    storeProblem = oneLine(storeProblem);
    if (inFlight < CheckerReportRules.IN_FLIGHT_UNKNOWN) {
      throw new IllegalArgumentException("inFlight must be >= 0, or -1 for unknown, was " + inFlight);
    }
    Objects.requireNonNull(at, "at");
    if (consecutive < 1) {
      throw new IllegalArgumentException("consecutive must be >= 1, was " + consecutive);
    }
  }

  /**
   * A report from a responder that could read the store.
   *
   * @param checker who checked; not null
   * @param nacked whether the last answers were "down"
   * @param consecutive how many answers in a row had that verdict; at least 1
   * @param at when the last of them was sent; not null
   * @param inFlight requests in flight at {@code at}, or -1 for unknown
   * @param appliesAtOnce whether the checker acts on a single answer
   */
  public CheckerReport(String checker, boolean nacked, int consecutive, Instant at, int inFlight,
      boolean appliesAtOnce) {
    this(checker, nacked, consecutive, at, inFlight, appliesAtOnce, "");
  }

  /**
   * A report of a checker that acts after {@code fall} or {@code rise} answers in a row, such as an HTTP check.
   *
   * @param checker who checked; not null
   * @param nacked whether the last answers were "down"
   * @param consecutive how many answers in a row had that verdict; at least 1
   * @param at when the last of them was sent; not null
   * @param inFlight requests in flight at {@code at}, or -1 for unknown
   */
  public CheckerReport(String checker, boolean nacked, int consecutive, Instant at, int inFlight) {
    this(checker, nacked, consecutive, at, inFlight, false);
  }

  /**
   * A report that does not say how many requests were in flight.
   *
   * @param checker who checked; not null
   * @param nacked whether the last answers were "down"
   * @param consecutive how many answers in a row had that verdict; at least 1
   * @param at when the last of them was sent; not null
   */
  public CheckerReport(String checker, boolean nacked, int consecutive, Instant at) {
    this(checker, nacked, consecutive, at, CheckerReportRules.IN_FLIGHT_UNKNOWN);
  }

  /**
   * This report, saying that {@code inFlight} requests were in flight at {@code at}.
   *
   * @param inFlight requests in flight, or -1 for unknown
   * @param at when they were counted; not null
   * @return a copy with those two components replaced
   */
  public CheckerReport withInFlight(int inFlight, Instant at) {
    return new CheckerReport(checker, nacked, consecutive, at, inFlight, appliesAtOnce, storeProblem);
  }

  /**
   * {@code problem} as a report keeps it: on one line (a line-based file stores it, one-line
   * messages quote it), at most 400 characters.
   */
  static String oneLine(String problem) {
    String line = problem.isEmpty() ? problem : problem.replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
    return line.length() <= MAX_STORE_PROBLEM ? line : line.substring(0, MAX_STORE_PROBLEM - 1) + "…";
  }

  /**
   * How many requests the instance was serving at {@link #at()}; empty when the responder does not
   * count them (e.g. the sidecar in front of an app in another process), as {@link #inFlight()}
   * {@code == -1} says.
   *
   * @return the count, or empty when unknown
   */
  public OptionalInt inFlightCount() {
    return inFlight == CheckerReportRules.IN_FLIGHT_UNKNOWN ? OptionalInt.empty() : OptionalInt.of(inFlight);
  }

  /**
   * Whether the responder could not read the store when it answered: {@link #storeProblem()} is not empty.
   *
   * @return true when the store could not be read
   */
  public boolean storeUnreadable() {
    return !storeProblem.isEmpty();
  }

  /**
   * Whether the checker has taken the instance out: answered "down" at least {@code fall} times
   * in a row, or once if it {@linkplain #appliesAtOnce() applies answers at once}.
   *
   * @param fall the load balancer's {@code fall} setting, at least 1
   * @return true when the checker has taken the instance out
   */
  public boolean nackedAtLeast(int fall) {
    return nacked && (appliesAtOnce || consecutive >= fall);
  }

  /**
   * Whether the checker has put the instance back: answered "up" at least {@code rise} times in
   * a row, or once if it {@linkplain #appliesAtOnce() applies answers at once}.
   *
   * @param rise the load balancer's {@code rise} setting, at least 1
   * @return true when the checker has put the instance back
   */
  public boolean ackedAtLeast(int rise) {
    return !nacked && (appliesAtOnce || consecutive >= rise);
  }
}
