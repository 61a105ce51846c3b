package dev.shunt.internal;

import dev.shunt.CheckerReport;
import dev.shunt.HealthResponder;
import dev.shunt.HealthState;
import dev.shunt.InstanceKey;
import dev.shunt.StatusStore;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * What a {@link dev.shunt.HealthResponder} remembers of each checker it answered, and what it
 * writes about them to the store: per checker, the answers of one verdict sent in a row, and its
 * {@link CheckerReport}, written after every "down" answer, the first ten "up" answers after a
 * change, a change of the store problem, and otherwise once per
 * {@link HealthResponder#HEARTBEAT}. At the first answer it {@linkplain StatusStore#register
 * registers} the instance among its service's known hosts (again at the next answer when that
 * failed). It remembers at most {@code maxCheckers}; a checker not seen for
 * {@code forgetCheckersAfter} is forgotten when a new one comes, and its report removed. A store
 * that fails a write is logged, never thrown. Thread-safe.
 */
public final class CheckerTallies {
  private static final System.Logger LOG = System.getLogger(HealthResponder.class.getName());
  private static final int REPORTED_UP_ANSWERS = 10;

  private final StatusStore store;
  private final InstanceKey key;
  private final int maxCheckers;
  private final Duration forgetCheckersAfter;
  private final ThrottledWarning tooManyCheckers;
  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
  /** Taken to admit a new checker, so that two at once cannot both take the last place. */
  private final Object admissionLock = new Object();
  /** Whether the instance is among the store's known hosts of its service: done at the first check. */
  private final AtomicBoolean registered = new AtomicBoolean();
  private volatile boolean lastAnswerNacked;

  /**
   * One answer sent to a checker.
   *
   * @param nack whether it said "down" in any way
   * @param down whether it takes the instance out completely (an agent's {@code drain} does not)
   * @param atOnce whether the checker applies it at once
   */
  public record Answer(boolean nack, boolean down, boolean atOnce) {
    /** The answer to an HTTP health check in {@code state}. */
    public static Answer toHttpCheck(HealthState state) {
      return toHttpCheck(state.isNack());
    }

    /** An answer to an HTTP health check, "down" when {@code nack}. */
    public static Answer toHttpCheck(boolean nack) {
      return new Answer(nack, nack, false);
    }

    /** The answer to an agent check in {@code state}: only shutting down and sick take it out. */
    public static Answer toAgentCheck(HealthState state) {
      return new Answer(state.isNack(), state == HealthState.SHUTTING_DOWN || state == HealthState.SICK, true);
    }
  }

  /**
   * Consecutive answers of one verdict sent to one checker.
   *
   * @param down whether the last answer takes the instance out completely: any NACK of an HTTP
   *     check, but of an agent check only {@code down}, not {@code drain}
   * @param atOnce whether the checker applies each answer at once (an agent check)
   * @param reportedAt when this checker's report was last written, or null if never
   * @param storeProblem the store problem of the answer last counted
   * @param reportedProblem the store problem of the report last written
   */
  private record Tally(boolean nacked, int consecutive, Instant lastAt, boolean reportedBusy, boolean down,
      boolean atOnce, Instant reportedAt, String storeProblem, String reportedProblem) {
    /** Holds a new checker's place until its first answer replaces it. */
    static Tally placeholder(Instant now) {
      return new Tally(false, 0, now, false, false, false, null, "", "");
    }

    static Tally first(Answer answer, Instant now, boolean busy, String storeProblem) {
      return new Tally(answer.nack(), 1, now, busy, answer.down(), answer.atOnce(), null, storeProblem, "");
    }

    Tally next(Answer answer, Instant now, boolean busy, String storeProblem) {
      return new Tally(answer.nack(), answer.nack() == nacked ? consecutive + 1 : 1, now, busy, answer.down(),
          answer.atOnce(), reportedAt, storeProblem, reportedProblem);
    }

    /**
     * Whether this answer's report is to be written: a NACK, a new verdict, a store that became
     * unreadable or readable again (or for another reason), or a heartbeat.
     */
    boolean worthReporting() {
      return nacked || consecutive <= REPORTED_UP_ANSWERS || reportedAt == null
          || !storeProblem.equals(reportedProblem) || !lastAt.isBefore(reportedAt.plus(HealthResponder.HEARTBEAT));
    }

    Tally reported(Instant at) {
      return new Tally(nacked, consecutive, lastAt, reportedBusy, down, atOnce, at, storeProblem, storeProblem);
    }

    Tally idle(Instant at) {
      return new Tally(nacked, consecutive, lastAt, false, down, atOnce, at, storeProblem, storeProblem);
    }

    /** Whether the checker has taken the instance out for a shutdown that waits for {@code nacks} NACKs. */
    boolean takenOut(int nacks) {
      return nacked && down && (atOnce || consecutive >= nacks);
    }

    CheckerReport report(String checker, Instant at, int inFlight) {
      return new CheckerReport(checker, nacked, consecutive, at, inFlight, atOnce, storeProblem);
    }
  }

  /**
   * @param tooManyCheckers where a new checker beyond {@code maxCheckers} is warned about
   */
  public CheckerTallies(StatusStore store, InstanceKey key, int maxCheckers, Duration forgetCheckersAfter,
      ThrottledWarning tooManyCheckers) {
    this.store = store;
    this.key = key;
    this.maxCheckers = maxCheckers;
    this.forgetCheckersAfter = forgetCheckersAfter;
    this.tooManyCheckers = tooManyCheckers;
  }

  /**
   * Records an answer sent to {@code checker} at {@code now}, and writes its report when it is
   * worth it; null when the check proved no checker: it is then answered but not recorded.
   *
   * @param inFlight the requests in flight to report, or -1 when they are not counted
   * @param storeProblem why the status could not be read for this answer, or empty
   * @return whether the answer was recorded: false for a null checker and for a new one with no
   *     place left
   */
  public boolean record(String checker, Answer answer, Instant now, int inFlight, String storeProblem) {
    if (!registered.get() && registered.compareAndSet(false, true)) {
      register();
    }
    if (checker == null || !tallies.containsKey(checker) && !admit(checker, now)) {
      return false;
    }
    lastAnswerNacked = answer.nack();
    boolean[] write = new boolean[1];
    // Deciding inside compute() keeps two checks of one checker at once from both writing a heartbeat.
    Tally tally = tallies.compute(checker, (c, old) -> {
      Tally next = old == null ? Tally.first(answer, now, inFlight > 0, storeProblem)
          : old.next(answer, now, inFlight > 0, storeProblem);
      write[0] = next.worthReporting();
      return write[0] ? next.reported(now) : next;
    });
    if (write[0]) {
      report(tally.report(checker, now, inFlight));
    }
    return true;
  }

  /**
   * Makes room for a checker not remembered yet: forgets those not seen for
   * {@code forgetCheckersAfter}, then admits it if fewer than {@code maxCheckers} are left.
   *
   * @return whether {@code checker} may be recorded
   */
  private boolean admit(String checker, Instant now) {
    synchronized (admissionLock) {
      if (tallies.containsKey(checker)) {
        return true;
      }
      Instant seenSince = now.minus(forgetCheckersAfter);
      tallies.forEach((stale, tally) -> {
        if (tally.lastAt().isBefore(seenSince) && tallies.remove(stale, tally)) {
          removeReport(stale);
        }
      });
      if (tallies.size() < maxCheckers) {
        // A placeholder that is replaced at once, so that the place is taken before the lock is let go.
        tallies.put(checker, Tally.placeholder(now));
        return true;
      }
    }
    tooManyCheckers.warn(key + ": a check from a new checker '" + checker + "' was answered but not recorded: "
        + maxCheckers + " checkers (maxCheckers) seen in the last " + forgetCheckersAfter + " are remembered already");
    return false;
  }

  /**
   * Whether the last answer recorded was "down" and a checker's last report counted requests in
   * flight: only then can {@link #reportIdle} have something to say.
   */
  public boolean reportedBusyWhileNacking() {
    return lastAnswerNacked && tallies.values().stream().anyMatch(Tally::reportedBusy);
  }

  /**
   * The last request in flight ended while checkers are told "down": rewrites the report of
   * every checker last told "down" and reported busy, now with none in flight, so a drain
   * waiting for zero in flight need not wait for the next check.
   */
  public void reportIdle(Instant now) {
    tallies.replaceAll((checker, tally) -> {
      if (!tally.nacked() || !tally.reportedBusy()) {
        return tally;
      }
      report(tally.report(checker, now, 0));
      return tally.idle(now);
    });
  }

  /** The checkers last answered after {@code since}. */
  public Set<String> seenAfter(Instant since) {
    return tallies.entrySet().stream().filter(entry -> entry.getValue().lastAt().isAfter(since))
        .map(Map.Entry::getKey).collect(Collectors.toSet());
  }

  /**
   * Whether {@code checker} has taken the instance out: answered "down" {@code nacks} times in a
   * row, or an agent checker once answered {@code down} (its {@code drain} does not count).
   */
  public boolean takenOut(String checker, int nacks) {
    Tally tally = tallies.get(checker);
    return tally != null && tally.takenOut(nacks);
  }

  /** Whether {@code checker} applies each answer at once: an agent checker. */
  public boolean appliesAtOnce(String checker) {
    Tally tally = tallies.get(checker);
    return tally != null && tally.atOnce();
  }

  private void removeReport(String checker) {
    try {
      store.removeReport(key, checker);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot remove the report of the forgotten checker " + checker + " of " + key + ": " + e);
    }
  }

  /**
   * Makes the instance one of its service's known hosts, the base of a percentage disruption
   * budget: once, at the first check answered, so that building a responder touches no store.
   */
  private void register() {
    try {
      store.register(key);
    } catch (RuntimeException e) {
      registered.set(false);
      LOG.log(Level.WARNING, "cannot register " + key + " in the store, will try again at the next check: " + e);
    }
  }

  private void report(CheckerReport report) {
    try {
      store.report(key, report);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot report a health check of " + key + " to the store: " + e);
    }
  }
}
