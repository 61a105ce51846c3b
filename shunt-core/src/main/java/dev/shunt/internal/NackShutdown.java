package dev.shunt.internal;

import dev.shunt.HealthResponder;
import dev.shunt.HealthResponder.ShutdownOutcome;
import dev.shunt.InstanceKey;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link dev.shunt.HealthResponder}'s shutdown: NACK until every checker has taken the instance
 * out, then let the process stop. It goes from not started to NACKing at {@link #start()}, and
 * from NACKing to completed once, either on the thread that sent the last awaited NACK (every
 * checker it waits for is {@linkplain CheckerTallies#takenOut taken out}) or on its timer, when
 * no NACK came for {@code healthcheckTimeout}; the timer is re-armed after every NACK. It waits
 * for the checkers seen within {@code healthcheckTimeout} before it started, and for every
 * checker NACKed after. Thread-safe.
 */
public final class NackShutdown {
  /** For the lines of a shutdown, which run while java.util.logging may be resetting itself. */
  private static final ShutdownLog LOG = new ShutdownLog(HealthResponder.class.getName());

  private enum Phase {
    NOT_STARTED, NACKING, COMPLETED
  }

  private final InstanceKey key;
  private final int nacksBeforeShutdown;
  private final Duration healthcheckTimeout;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final CheckerTallies tallies;
  private final Consumer<ShutdownOutcome> completed;
  private final CompletableFuture<ShutdownOutcome> done = new CompletableFuture<>();
  private final Set<String> awaited = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();

  // Guarded by lock.
  private Phase phase = Phase.NOT_STARTED;
  private ScheduledExecutorService timers;
  private ScheduledFuture<?> timer;

  /**
   * @param scheduler runs the timeout, or null for a daemon thread started by {@link #start()}
   *     and stopped when the shutdown completes
   * @param completed told the outcome once, before the future returned by {@link #start()}
   *     completes, on the same thread; it must not throw
   */
  public NackShutdown(InstanceKey key, int nacksBeforeShutdown, Duration healthcheckTimeout,
      ScheduledExecutorService scheduler, Clock clock, CheckerTallies tallies, Consumer<ShutdownOutcome> completed) {
    this.key = key;
    this.nacksBeforeShutdown = nacksBeforeShutdown;
    this.healthcheckTimeout = healthcheckTimeout;
    this.scheduler = scheduler;
    this.clock = clock;
    this.tallies = tallies;
    this.completed = completed;
  }

  /** Whether {@link #start()} has been called. */
  public boolean isStarted() {
    synchronized (lock) {
      return phase != Phase.NOT_STARTED;
    }
  }

  /**
   * Starts NACKing, once: the returned future completes when the shutdown does; calling this
   * again returns the same future. Completes at once when every checker seen lately has taken
   * the instance out already, e.g. while it was shunted.
   */
  public CompletableFuture<ShutdownOutcome> start() {
    synchronized (lock) {
      if (phase != Phase.NOT_STARTED) {
        return done;
      }
      phase = Phase.NACKING;
      timers = scheduler != null ? scheduler : newTimerThread();
      awaited.addAll(tallies.seenAfter(clock.instant().minus(healthcheckTimeout)));
      armTimer();
      LOG.log(Level.INFO, key + " is shutting down: answering health checks 'down' until "
          + (awaited.isEmpty() ? "every checker that comes" : awaited) + " got "
          + nacksBeforeShutdown + " NACKs in a row (an agent check: one), or for at most " + healthcheckTimeout
          + " without checks");
    }
    if (!awaited.isEmpty() && allAwaitedTakenOut()) {
      complete(ShutdownOutcome.ALL_CHECKERS_NACKED);
    }
    return done;
  }

  /**
   * A NACK was sent to {@code checker} and recorded in the tallies: while NACKing, the shutdown
   * waits for it too, and completes if it was the last one awaited, else re-arms its timer.
   */
  public void nackSent(String checker) {
    synchronized (lock) {
      if (phase != Phase.NACKING) {
        return;
      }
      awaited.add(checker);
      if (!allAwaitedTakenOut()) {
        armTimer();
        return;
      }
    }
    complete(ShutdownOutcome.ALL_CHECKERS_NACKED);
  }

  private boolean allAwaitedTakenOut() {
    return awaited.stream().allMatch(checker -> tallies.takenOut(checker, nacksBeforeShutdown));
  }

  private void armTimer() {
    if (timer != null) {
      timer.cancel(false);
    }
    timer = timers.schedule(() -> complete(ShutdownOutcome.CHECKS_TIMED_OUT), healthcheckTimeout.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  /** Completes the shutdown unless it completed already: the timer and the last NACK may both try. */
  private void complete(ShutdownOutcome outcome) {
    synchronized (lock) {
      if (phase == Phase.COMPLETED) {
        return;
      }
      phase = Phase.COMPLETED;
      timer.cancel(false);
      if (timers != scheduler) {
        timers.shutdown();
      }
    }
    boolean agents = awaited.stream().anyMatch(tallies::appliesAtOnce);
    LOG.log(outcome == ShutdownOutcome.ALL_CHECKERS_NACKED ? Level.INFO : Level.WARNING,
        key + " may stop now: " + (outcome == ShutdownOutcome.ALL_CHECKERS_NACKED
            ? "every checker got " + nacksBeforeShutdown + " NACKs" + (agents ? " (an agent check: one 'down')" : "")
            : "no health check came for " + healthcheckTimeout));
    completed.accept(outcome);
    done.complete(outcome);
  }

  private static ScheduledExecutorService newTimerThread() {
    return Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "shunt-health-shutdown-timer");
      thread.setDaemon(true);
      return thread;
    });
  }
}
