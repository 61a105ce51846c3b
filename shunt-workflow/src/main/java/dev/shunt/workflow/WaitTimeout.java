package dev.shunt.workflow;

import dev.shunt.ShuntTimeoutException;
import dev.shunt.StepContext;
import java.time.Duration;

/** What a drain or rotation wait does when its condition was not seen in time. */
final class WaitTimeout {
  private WaitTimeout() {}

  /**
   * Fails with a {@link ShuntTimeoutException} when {@code failOnTimeout}; otherwise logs and
   * reports that the step goes on as after a fixed wait.
   *
   * @param missed what was not seen in time, e.g. {@code checkers did not see the host down within PT30S}
   * @param seen what was seen instead, e.g. {@code no health check was answered}
   */
  static void handle(StepContext context, boolean failOnTimeout, Duration timeout, String missed, String seen) {
    if (failOnTimeout) {
      throw new ShuntTimeoutException(missed + " (" + seen + ")", timeout);
    }
    context.log(missed + " (" + seen + "); going on as after a fixed wait");
    context.outcome("timeout fallback after " + timeout.toMillis() + " ms (" + seen + ")");
  }
}
