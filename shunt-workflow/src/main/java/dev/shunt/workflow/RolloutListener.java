package dev.shunt.workflow;

import dev.shunt.workflow.internal.ConsoleListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Hears what a rollout does, as it does it. Every method has an empty default; implement the
 * ones you need.
 *
 * <p>The rollout calls its listener from its own threads (hosts of a batch run at once), but never
 * from two threads at once, so a listener needs no locking of its own; keep it quick, as the
 * hosts wait for it. A listener that throws is logged and otherwise ignored.
 *
 * <p>Everything a listener gets has the rollout's {@link Secrets} masked: texts, reports, the plan;
 * an {@code error} whose message showed a secret arrives as a {@link dev.shunt.StepFailedException}
 * with the masked message.
 */
public interface RolloutListener {

  /** The rollout starts, as {@code plan} says; its journal entries carry {@code rolloutId}. */
  default void rolloutStarted(String rolloutId, RolloutPlan plan) {}

  /** A batch starts: its hosts start at once. */
  default void batchStarted(Batch batch) {}

  /** The rollout starts on {@code host}. */
  default void hostStarted(String host) {}

  /** {@code step} starts on {@code host}. */
  default void stepStarted(String host, String step) {}

  /**
   * Attempt {@code failedAttempt} of {@code step} on {@code host} failed with {@code error}, which
   * its retry policy retries after {@code wait}.
   */
  default void stepRetrying(String host, String step, int failedAttempt, Throwable error, Duration wait) {}

  /** A step on {@code host} reports a line of progress or output. */
  default void log(String host, String line) {}

  /** A step ended on {@code host}. */
  default void stepFinished(String host, StepReport step) {}

  /**
   * The rollout is done with a host: one it worked on, as it finishes; one it skipped (resumed
   * past), as it starts; one it left untouched, as it ends.
   */
  default void hostFinished(HostReport host) {}

  /** Every host of {@code batch} is done: {@code hosts} are their reports. */
  default void batchFinished(Batch batch, List<HostReport> hosts) {}

  /**
   * The rollout starts no more hosts, for {@code reason} (failures, a hook, the canary, a cancel,
   * a time limit, the lost deploy lock); hosts in progress finish as the reason allows.
   */
  default void halting(String reason) {}

  /** The rollout ended; every host, untouched ones included, is in the report. */
  default void rolloutFinished(RolloutReport report) {}

  /** A listener that ignores everything. */
  static RolloutListener silent() {
    return new RolloutListener() {};
  }

  /**
   * Progress lines for a person, each with the elapsed time and the host in front; on this
   * process's terminal ({@code out} is {@code System.out} and {@link ConsoleProgress#detect()} finds a
   * terminal) with a status line below them, else with a line of counts after each host.
   */
  static RolloutListener console(PrintStream out) {
    return console(out, out == System.out ? ConsoleProgress.detect() : ConsoleProgress.PLAIN);
  }

  /**
   * Progress lines for a person, each with the elapsed time and the host in front, and the
   * rollout's progress as {@code progress} says. Thread-safe.
   */
  static RolloutListener console(PrintStream out, ConsoleProgress progress) {
    return new ConsoleListener(new PrintWriter(Objects.requireNonNull(out, "out"), true), progress);
  }
}
