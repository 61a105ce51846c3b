package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.InstanceKey;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.StepContext;
import java.time.Clock;
import java.util.List;

/** Runs one step by itself, outside a rollout, for the tests behind HAProxy. */
final class OneStep {
  private OneStep() {}

  /**
   * Runs {@code step} on {@code key} and returns its outcome, which must not be the timeout
   * fallback: the wait must have seen the load balancer's checks. What the step logs goes to {@code log}.
   */
  static String outcomeSeen(Step step, InstanceKey key, StatusStore store, List<String> log) throws Exception {
    String[] outcome = new String[1];
    step.run(new StepContext() {
      @Override
      public InstanceKey key() {
        return key;
      }

      @Override
      public StatusStore store() {
        return store;
      }

      @Override
      public Clock clock() {
        return Clock.systemUTC();
      }

      @Override
      public void log(String line) {
        log.add(line);
      }

      @Override
      public void outcome(String description) {
        outcome[0] = description;
      }
    });
    assertThat(outcome[0]).as("%s's outcome; its log: %s", step.name(), log).isNotNull()
        .doesNotStartWith("timeout fallback");
    return outcome[0];
  }
}
