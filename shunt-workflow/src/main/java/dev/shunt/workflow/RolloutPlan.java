package dev.shunt.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rollout would do, without doing it ({@link Rollout#plan()}): its batches, the steps on
 * every host with their effective time limits and retries, its limits, and warnings about settings
 * that cannot work with the load balancer in front of the hosts.
 *
 * @param service the service
 * @param batches the batches, in order; the canary first when there is one
 * @param skippedHosts hosts that a resumed rollout skips, as done by the rollout it resumes
 * @param steps the steps on every host, hooks included, in the order they run
 * @param maxFailures failed hosts tolerated before the rollout halts
 * @param onFailure what happens to a failed host
 * @param pauseBetweenBatches the pause after each batch but the last
 * @param overlapRotation whether a batch shunts and drains while the one before waits for rotation
 *     ({@link Rollout.Builder#overlapRotation})
 * @param timeout the rollout's time limit; empty for none
 * @param loadBalancer the load balancer's check settings the warnings are based on
 * @param warnings settings that are likely wrong, each a sentence for a person
 * @param preflight what the pre-flight found on the hosts to run ({@link PreflightCheck}): errors
 *     keep the rollout from starting, warnings do not
 * @param gate the metrics gate after each batch ({@link Rollout.Builder#gate}), described; empty for none
 * @param rollbackSteps the steps a rollback runs on each host it rolls back, hooks included: the
 *     rollout's, with the restart replaced ({@link Rollout.Builder#rollback}); empty without a rollback
 */
public record RolloutPlan(String service, List<Batch> batches, List<String> skippedHosts, List<PlannedStep> steps,
    int maxFailures, FailurePolicy onFailure, Duration pauseBetweenBatches, boolean overlapRotation,
    Optional<Duration> timeout,
    LoadBalancerChecks loadBalancer, List<String> warnings, List<PreflightProblem> preflight, Optional<String> gate,
    List<PlannedStep> rollbackSteps) {

  /**
   * A plan with no gate and no rollback.
   *
   * @param service the service
   * @param batches the batches, in order
   * @param skippedHosts hosts a resumed rollout skips
   * @param steps the steps on every host, hooks included, in order
   * @param maxFailures failed hosts tolerated
   * @param onFailure what happens to a failed host
   * @param pauseBetweenBatches the pause after each batch but the last
   * @param overlapRotation whether batches overlap
   * @param timeout the rollout's time limit; empty for none
   * @param loadBalancer the check settings the warnings are based on
   * @param warnings settings that are likely wrong
   * @param preflight what the pre-flight found
   */
  public RolloutPlan(String service, List<Batch> batches, List<String> skippedHosts, List<PlannedStep> steps,
      int maxFailures, FailurePolicy onFailure, Duration pauseBetweenBatches, boolean overlapRotation,
      Optional<Duration> timeout, LoadBalancerChecks loadBalancer, List<String> warnings,
      List<PreflightProblem> preflight) {
    this(service, batches, skippedHosts, steps, maxFailures, onFailure, pauseBetweenBatches, overlapRotation, timeout,
        loadBalancer, warnings, preflight, Optional.empty(), List.of());
  }

  /**
   * Checks that no component is null and copies the lists.
   *
   * @param service the service
   * @param batches the batches, in order
   * @param skippedHosts hosts a resumed rollout skips
   * @param steps the steps on every host, hooks included, in order
   * @param maxFailures failed hosts tolerated
   * @param onFailure what happens to a failed host
   * @param pauseBetweenBatches the pause after each batch but the last
   * @param overlapRotation whether batches overlap
   * @param timeout the rollout's time limit; empty for none
   * @param loadBalancer the check settings the warnings are based on
   * @param warnings settings that are likely wrong
   * @param preflight what the pre-flight found
   * @param gate the metrics gate, described; empty for none
   * @param rollbackSteps the steps a rollback runs on each host; empty without a rollback
   */
  public RolloutPlan {
    Objects.requireNonNull(service, "service");
    batches = List.copyOf(batches);
    skippedHosts = List.copyOf(skippedHosts);
    steps = List.copyOf(steps);
    Objects.requireNonNull(onFailure, "onFailure");
    Objects.requireNonNull(pauseBetweenBatches, "pauseBetweenBatches");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(loadBalancer, "loadBalancer");
    warnings = List.copyOf(warnings);
    preflight = List.copyOf(preflight);
    Objects.requireNonNull(gate, "gate");
    rollbackSteps = List.copyOf(rollbackSteps);
  }

  /**
   * The pre-flight's errors: the rollout does not start while there is one.
   *
   * @return the errors; empty when the rollout may start
   */
  public List<PreflightProblem> preflightErrors() {
    return preflight.stream().filter(PreflightProblem::isError).toList();
  }

  /**
   * How many hosts the rollout would work on.
   *
   * @return the number of hosts in the batches
   */
  public int hostCount() {
    return batches.stream().mapToInt(batch -> batch.hosts().size()).sum();
  }

  /**
   * The plan for a person to read: batches, steps, limits, the pre-flight's findings, then the warnings.
   *
   * @return the plan as lines of text
   */
  public String toText() {
    StringBuilder text = new StringBuilder();
    text.append("Rollout of ").append(service).append(": ").append(hostCount()).append(" host(s) in ")
        .append(batches.size()).append(" batch(es)");
    if (!skippedHosts.isEmpty()) {
      text.append(", ").append(skippedHosts.size()).append(" skipped as done before (")
          .append(String.join(", ", skippedHosts)).append(')');
    }
    text.append('\n');
    for (Batch batch : batches) {
      text.append("  ").append(batch).append('\n');
    }
    text.append("Steps on each host:\n");
    steps(text, steps);
    if (!rollbackSteps.isEmpty()) {
      text.append("On a halt, roll back one host at a time, newest first (every host rolled, and a failed host whose"
          + " restart ran), with these steps:\n");
      steps(text, rollbackSteps);
    }
    text.append("Halts after more than ").append(maxFailures).append(" failed host(s); a failed host is ")
        .append(onFailure == FailurePolicy.UNSHUNT ? "put back in rotation" : "left as it is (shunted)")
        .append("; pause between batches ").append(pauseBetweenBatches)
        .append(overlapRotation ? "; a batch shunts and drains while the one before waits for rotation" : "")
        .append("; rollout time limit ").append(timeout.map(Duration::toString).orElse("none")).append('\n');
    gate.ifPresent(described -> text.append("Gate: ").append(described).append('\n'));
    text.append("Load balancer: fall ").append(loadBalancer.fall()).append(", rise ").append(loadBalancer.rise())
        .append(", inter ").append(loadBalancer.inter()).append('\n');
    long errors = preflightErrors().size();
    text.append("Pre-flight: ").append(preflight.isEmpty() ? "no problem found"
        : errors + " error(s), " + (preflight.size() - errors) + " warning(s)"
            + (errors > 0 ? "; the rollout will not start" : "")).append('\n');
    for (PreflightProblem problem : preflight) {
      text.append("  ").append(problem).append('\n');
    }
    for (String warning : warnings) {
      text.append("WARNING: ").append(warning).append('\n');
    }
    return text.toString();
  }

  private void steps(StringBuilder text, List<PlannedStep> planned) {
    int number = 1;
    for (PlannedStep step : planned) {
      text.append("  ").append(number).append(". ");
      if (step.role() != PlannedStep.Role.STEP) {
        text.append(step.role() == PlannedStep.Role.BEFORE_HOST ? "(before each host) " : "(after each host) ");
      }
      text.append(step.description()).append("; rollout timeout ")
          .append(step.options().timeout().map(Duration::toString).orElse("none"))
          .append(", effective ").append(step.effectiveTimeout().map(Duration::toString).orElse("none"))
          .append("; ").append(step.options().retry());
      if (planned == rollbackSteps && number <= steps.size()
          && !steps.get(number - 1).description().toString().equals(step.description().toString())) {
        text.append(" (instead of ").append(steps.get(number - 1).description().name()).append(')');
      }
      text.append('\n');
      number++;
    }
  }
}
