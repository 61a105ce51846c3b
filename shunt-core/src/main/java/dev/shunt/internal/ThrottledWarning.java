package dev.shunt.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Logs a warning that anyone on the network can trigger at will (a connection closed unanswered,
 * say) at most once per interval, at {@code WARNING}: a flood of connections must not become a
 * flood of log lines. The warnings in between are counted, and the next one logged says how many
 * there were. Thread-safe.
 */
public final class ThrottledWarning {
  private final System.Logger logger;
  private final Duration interval;
  private final Supplier<Instant> clock;

  // Guarded by this.
  private Instant nextAllowed = Instant.MIN;
  private long suppressed;

  /**
   * @param interval the shortest time between two warnings logged
   * @param clock the time now, e.g. the responder's clock
   */
  public ThrottledWarning(System.Logger logger, Duration interval, Supplier<Instant> clock) {
    this.logger = logger;
    this.interval = interval;
    this.clock = clock;
  }

  /**
   * Logs {@code message}, made {@link ProblemLog#printable printable}, unless a warning was
   * logged less than the interval ago; then only counts it.
   */
  public void warn(String message) {
    log(message, false);
  }

  /**
   * Logs {@code message} now, whenever the last warning was, and counts the interval from now:
   * for a warning that says something new (a problem that began or changed).
   */
  public void warnAtOnce(String message) {
    log(message, true);
  }

  private void log(String message, boolean atOnce) {
    String line;
    synchronized (this) {
      Instant now = clock.get();
      if (!atOnce && now.isBefore(nextAllowed)) {
        suppressed++;
        return;
      }
      nextAllowed = now.plus(interval);
      line = ProblemLog.printable(message) + (suppressed == 0 ? "" : "; " + suppressed + " more since the last")
          + " (such warnings are logged at most once every " + interval.toSeconds() + " s)";
      suppressed = 0;
    }
    logger.log(Level.WARNING, line);
  }
}
