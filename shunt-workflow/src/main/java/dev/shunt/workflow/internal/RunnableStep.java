package dev.shunt.workflow.internal;

import dev.shunt.Step;
import dev.shunt.workflow.RetryPolicy;
import dev.shunt.workflow.StepOptions;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;

/** A step with its options made ready for a run: its name read once, its retry configuration built once. */
final class RunnableStep {
  final Step step;
  final String name;
  /** The rollout's time limit for the step on one host, or null. */
  final Duration timeout;
  /** Null when the step is not retried. */
  final RetryConfig retry;

  RunnableStep(Step step, StepOptions options) {
    this.step = step;
    this.name = step.name();
    this.timeout = options.timeout().orElse(null);
    RetryPolicy policy = options.retry();
    this.retry = policy.maxAttempts() == 1 ? null : RetryConfig.custom()
        .maxAttempts(policy.maxAttempts())
        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(policy.initialWait(), policy.multiplier(),
            policy.randomization(), policy.maxWait()))
        .retryOnException(policy::shouldRetry)
        .failAfterMaxAttempts(false)
        .build();
  }
}
