package dev.shunt.workflow;

import dev.shunt.StepDescription;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One step as a rollout will run it on every host: what the step says of itself, and the options
 * the rollout adds.
 *
 * @param role whether it is a step or a host hook
 * @param description the step's own {@linkplain dev.shunt.Step#describe() description}
 * @param options the rollout's time limit and retry policy for it
 */
public record PlannedStep(Role role, StepDescription description, StepOptions options) {

  /** Where a step runs on a host. */
  public enum Role {
    /** {@link Rollout.Builder#beforeEachHost}: before the steps. */
    BEFORE_HOST,
    /** One of the rollout's steps. */
    STEP,
    /** {@link Rollout.Builder#afterEachHost}: after the steps, whatever they did. */
    AFTER_HOST
  }

  /**
   * Checks that no component is null.
   *
   * @param role whether it is a step or a host hook
   * @param description the step's own description
   * @param options the rollout's time limit and retry policy for it
   */
  public PlannedStep {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(options, "options");
  }

  /**
   * How long the step can take on one host at most, as far as anyone set a limit: the shorter of
   * its own limit and the rollout's; empty when neither set one.
   *
   * @return the shorter limit, or empty
   */
  public Optional<Duration> effectiveTimeout() {
    Optional<Duration> own = description.timeout();
    Optional<Duration> engine = options.timeout();
    if (own.isPresent() && engine.isPresent()) {
      return Optional.of(own.get().compareTo(engine.get()) <= 0 ? own.get() : engine.get());
    }
    return own.isPresent() ? own : engine;
  }
}
