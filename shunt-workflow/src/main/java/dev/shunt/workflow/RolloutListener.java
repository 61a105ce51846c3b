package dev.shunt.workflow;

import dev.shunt.workflow.gate.GateVerdict;
import dev.shunt.workflow.internal.AllListeners;
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

  /**
   * The rollout starts, as {@code plan} says; its journal entries carry {@code rolloutId}.
   *
   * @param rolloutId the run's id
   * @param plan what the rollout will do
   */
  default void rolloutStarted(String rolloutId, RolloutPlan plan) {}

  /**
   * A batch starts: its hosts start at once.
   *
   * @param batch the batch, with its number and hosts
   */
  default void batchStarted(Batch batch) {}

  /**
   * The rollout starts on {@code host}.
   *
   * @param host the host's name
   */
  default void hostStarted(String host) {}

  /**
   * {@code step} starts on {@code host}.
   *
   * @param host the host's name
   * @param step the step's name
   */
  default void stepStarted(String host, String step) {}

  /**
   * Attempt {@code failedAttempt} of {@code step} on {@code host} failed with {@code error}, which
   * its retry policy retries after {@code wait}.
   *
   * @param host the host's name
   * @param step the step's name
   * @param failedAttempt the attempt that failed, from 1
   * @param error what it failed with
   * @param wait the wait before the next attempt
   */
  default void stepRetrying(String host, String step, int failedAttempt, Throwable error, Duration wait) {}

  /**
   * A step on {@code host} reports a line of progress or output.
   *
   * @param host the host's name
   * @param line the text the step reported
   */
  default void log(String host, String line) {}

  /**
   * A step ended on {@code host}.
   *
   * @param host the host's name
   * @param step the step's report
   */
  default void stepFinished(String host, StepReport step) {}

  /**
   * The rollout is done with a host: one it worked on, as it finishes; one it skipped (resumed
   * past), as it starts; one it left untouched, as it ends.
   *
   * @param host the host's report
   */
  default void hostFinished(HostReport host) {}

  /**
   * Every host of {@code batch} is done: {@code hosts} are their reports.
   *
   * @param batch the batch, with its number and hosts
   * @param hosts the reports of its hosts
   */
  default void batchFinished(Batch batch, List<HostReport> hosts) {}

  /**
   * The metrics gate starts watching the hosts of {@code batch}, for {@code bake} (longer if too few requests come).
   *
   * @param batch the batch watched
   * @param bake how long the gate watches, at least
   */
  default void gateStarted(Batch batch, Duration bake) {}

  /**
   * The metrics gate judged the hosts of a batch: {@code verdict} says whether the rollout goes on, and why.
   *
   * @param verdict the gate's verdict
   */
  default void gateFinished(GateVerdict verdict) {}

  /**
   * The rollout starts no more hosts, for {@code reason} (failures, a hook, the canary, the metrics
   * gate, a cancel, a time limit, the lost deploy lock); hosts in progress finish as the reason
   * allows. Heard again if a rollback is stopped the same way: it rolls back no other host.
   *
   * @param reason why, a sentence for a person
   */
  default void halting(String reason) {}

  /**
   * The rollout halted for {@code reason} and rolls back {@code hosts}, one at a time, in this
   * order ({@link Rollout.Builder#rollback}). Each host's rollback is heard as
   * {@link #rollbackHostStarted}, the step events ({@link #stepStarted}, {@link #log},
   * {@link #stepRetrying}, {@link #stepFinished}) with the host, then {@link #rollbackHostFinished};
   * a cancel meanwhile is heard as {@link #halting}.
   *
   * @param reason why the rollout halted
   * @param hosts the hosts to roll back, in order
   */
  default void rollbackStarted(String reason, List<String> hosts) {}

  /**
   * The rollback starts on {@code host}.
   *
   * @param host the host's name
   */
  default void rollbackHostStarted(String host) {}

  /**
   * The rollback is done with a host: {@code DONE} when it is back on the old version.
   *
   * @param host the host's rollback report
   */
  default void rollbackHostFinished(HostReport host) {}

  /**
   * The rollback ended, before {@link #rolloutFinished}.
   *
   * @param rollback what the rollback did
   */
  default void rollbackFinished(RollbackReport rollback) {}

  /**
   * The rollout ended; every host, untouched ones included, is in the report.
   *
   * @param report the rollout's report
   */
  default void rolloutFinished(RolloutReport report) {}

  /**
   * A listener that ignores everything: the default of {@link Rollout.Builder#listener}.
   *
   * @return the silent listener
   */
  static RolloutListener silent() {
    return new RolloutListener() {};
  }

  /**
   * Progress lines for a person, each with the elapsed time and the host in front; on this
   * process's terminal ({@code out} is {@code System.out} and {@link ConsoleProgress#detect()} finds a
   * terminal) with a status line below them, else with a line of counts after each host.
   *
   * @param out where the lines go
   * @return a console listener
   */
  static RolloutListener console(PrintStream out) {
    return console(out, out == System.out ? ConsoleProgress.detect() : ConsoleProgress.PLAIN);
  }

  /**
   * Progress lines for a person, each with the elapsed time and the host in front, and the
   * rollout's progress as {@code progress} says. Thread-safe.
   *
   * @param out where the lines go
   * @param progress how the rollout's progress is shown
   * @return a console listener
   */
  static RolloutListener console(PrintStream out, ConsoleProgress progress) {
    return new ConsoleListener(new PrintWriter(Objects.requireNonNull(out, "out"), true), progress);
  }

  /**
   * A listener that hands each event to {@code listeners}, in the order given, e.g.
   * {@code RolloutListener.all(RolloutListener.console(System.out), new RolloutMetrics(registry))}.
   * One that throws keeps no other from hearing the event; its error is logged as any
   * listener's.
   *
   * @param listeners the listeners, at least one
   * @return a listener that hands every event to each of them
   * @throws IllegalArgumentException when {@code listeners} is empty or holds null
   */
  static RolloutListener all(RolloutListener... listeners) {
    if (listeners == null || listeners.length == 0) {
      throw new IllegalArgumentException("listeners must name at least one listener, was none");
    }
    for (int i = 0; i < listeners.length; i++) {
      if (listeners[i] == null) {
        throw new IllegalArgumentException("listeners must not hold null, was null at index " + i);
      }
    }
    return new AllListeners(List.of(listeners));
  }
}
