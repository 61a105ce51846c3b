package dev.shunt.workflow.internal;

import dev.shunt.ShuntRequest;
import dev.shunt.Step;
import dev.shunt.StepDescription.Kind;
import dev.shunt.workflow.RetryPolicy;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.StepOptions;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;

/**
 * A step with its options made ready for a run: its name and kind read once, its retry
 * configuration built once.
 */
final class RunnableStep {
  final Step step;
  final String name;
  final Kind kind;
  /** The rollout's time limit for the step on one host, or null. */
  final Duration timeout;
  /** Null when the step is not retried. */
  final RetryConfig retry;
  /** The shunt this step makes, when it has a time to live the rollout renews; else null. */
  final ShuntRequest lease;

  RunnableStep(Step step, StepOptions options) {
    this.step = step;
    this.name = step.name();
    this.kind = step.describe().kind();
    this.timeout = options.timeout().orElse(null);
    this.lease = step instanceof ShuntStep shunt
        ? shunt.request().filter(request -> request.ttl().isPresent()).orElse(null) : null;
    RetryPolicy policy = options.retry();
    this.retry = policy.maxAttempts() == 1 ? null : RetryConfig.custom()
        .maxAttempts(policy.maxAttempts())
        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(policy.initialWait(), policy.multiplier(),
            policy.randomization(), policy.maxWait()))
        .retryOnException(policy::shouldRetry)
        .failAfterMaxAttempts(false)
        .build();
  }

  /**
   * Whether, with {@code overlapRotation}, the step may run while the batch before still waits for
   * rotation: it only takes the host out and waits for the drain, which the hosts of the batch
   * before, already unshunted, do not need.
   */
  boolean runsWhileBatchBeforeRotates() {
    return kind == Kind.SHUNT || kind == Kind.DRAIN;
  }
}
