package dev.shunt.workflow.internal;

import dev.shunt.DeployLock;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.StepDescription.Kind;
import dev.shunt.workflow.BatchHook;
import dev.shunt.workflow.FailurePolicy;
import dev.shunt.workflow.HostCount;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.LoadBalancerChecks;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.StepOptions;
import dev.shunt.workflow.gate.MetricsGate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A rollout's configuration, as its builder validated it: what the engine runs. Nullable
 * components are optional settings left unset.
 */
public record RolloutConfig(
    String service,
    List<String> hosts,
    StatusStore store,
    List<ConfiguredStep> steps,
    StepOptions stepDefaults,
    Step beforeEachHost,
    Step afterEachHost,
    RolloutListener listener,
    Clock clock,
    HostCount batchSize,
    int canary,
    Duration canaryPause,
    Predicate<List<HostReport>> confirmCanary,
    HostCount maxFailures,
    FailurePolicy onFailure,
    Duration pauseBetweenBatches,
    boolean overlapRotation,
    BatchHook beforeEachBatch,
    BatchHook afterEachBatch,
    Duration timeout,
    LoadBalancerChecks loadBalancer,
    Duration typicalStartTime,
    String rolloutId,
    boolean resume,
    DeployLock deployLock,
    String lockOwner,
    Duration lockLease,
    boolean strictPreflight,
    ConfiguredStep rollback,
    String restartStep,
    MetricsGate gate) {

  public RolloutConfig {
    hosts = List.copyOf(hosts);
    steps = List.copyOf(steps);
  }

  /**
   * The position in {@link #steps()} of the step a rollback replaces: the one named
   * {@link #restartStep()}, else the only step of kind {@link Kind#COMMAND}; -1 when there is no
   * such single step (the builder refuses a rollback then).
   */
  public int restartIndex() {
    int found = -1;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i).step();
      if (restartStep != null ? step.name().equals(restartStep) : step.describe().kind() == Kind.COMMAND) {
        if (found >= 0) {
          return -1;
        }
        found = i;
      }
    }
    return found;
  }

  /** The steps of a rollback: the rollout's, with the restart replaced by the rollback; empty without a rollback. */
  public List<ConfiguredStep> rollbackSteps() {
    if (rollback == null) {
      return List.of();
    }
    List<ConfiguredStep> replaced = new ArrayList<>(steps);
    replaced.set(restartIndex(), rollback);
    return List.copyOf(replaced);
  }

  /**
   * A step of the rollout and the options given with it.
   *
   * @param options null to use the rollout's step defaults
   */
  public record ConfiguredStep(Step step, StepOptions options) {}

  /** The options {@code step} runs with. */
  public StepOptions optionsOf(ConfiguredStep step) {
    return step.options() == null ? stepDefaults : step.options();
  }
}
