package dev.shunt.workflow;

import dev.shunt.workflow.internal.ConsoleListener;
import java.io.PrintStream;

/**
 * Hears what a rollout does, as it does it. Every method has an empty default; implement the
 * ones you need. Called on the thread that runs the rollout; keep it quick.
 */
public interface RolloutListener {

  /** The rollout starts on {@code host}. */
  default void hostStarted(String host) {}

  /** {@code step} starts on {@code host}. */
  default void stepStarted(String host, String step) {}

  /** A step on {@code host} reports a line of progress or output. */
  default void log(String host, String line) {}

  /** A step ended on {@code host}. */
  default void stepFinished(String host, StepReport step) {}

  /** The rollout is done with a host (including hosts it leaves untouched after a halt). */
  default void hostFinished(HostReport host) {}

  /** The rollout ended. */
  default void rolloutFinished(RolloutReport report) {}

  /** A listener that ignores everything. */
  static RolloutListener silent() {
    return new RolloutListener() {};
  }

  /** Progress lines for a person, each with the elapsed time and the host in front. */
  static RolloutListener console(PrintStream out) {
    return new ConsoleListener(out);
  }
}
