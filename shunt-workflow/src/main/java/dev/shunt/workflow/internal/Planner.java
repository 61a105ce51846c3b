package dev.shunt.workflow.internal;

import dev.shunt.JournalEntry;
import dev.shunt.StepDescription;
import dev.shunt.workflow.Batch;
import dev.shunt.workflow.LoadBalancerChecks;
import dev.shunt.workflow.PlannedStep;
import dev.shunt.workflow.PreflightProblem;
import dev.shunt.workflow.RolloutPlan;
import dev.shunt.workflow.gate.MetricsGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Works out a rollout's {@link RolloutPlan}: batches, steps, limits, warnings. */
public final class Planner {
  private Planner() {}

  /**
   * The latest journal entry per host of the service, when the rollout resumes; empty otherwise.
   */
  public static Map<String, JournalEntry> journal(RolloutConfig config) {
    Map<String, JournalEntry> byHost = new HashMap<>();
    if (config.resume()) {
      config.store().journal(config.service()).forEach(entry -> byHost.put(entry.host(), entry));
    }
    return byHost;
  }

  /** The hosts the rollout works on: all but those the journal shows done. */
  public static List<String> hostsToRun(RolloutConfig config, Map<String, JournalEntry> journal) {
    return config.hosts().stream().filter(host -> !done(journal.get(host))).toList();
  }

  private static boolean done(JournalEntry entry) {
    return entry != null && entry.state() == JournalEntry.State.DONE;
  }

  /** The plan, with the pre-flight run now on the hosts to run. */
  public static RolloutPlan plan(RolloutConfig config, Map<String, JournalEntry> journal) {
    return plan(config, journal, preflight(config, journal));
  }

  /**
   * The pre-flight on the hosts to run: the steps' checks ({@link Preflight#check}), and, for a
   * resumed rollout, an error per host the journal shows rolled back or to be rolled back: a resume
   * would roll forward the version a rollback took away.
   */
  public static List<PreflightProblem> preflight(RolloutConfig config, Map<String, JournalEntry> journal) {
    List<PreflightProblem> problems = new ArrayList<>();
    for (String host : config.hosts()) {
      JournalEntry entry = journal.get(host);
      if (entry != null && (entry.state() == JournalEntry.State.ROLLING_BACK
          || entry.state() == JournalEntry.State.ROLLED_BACK)) {
        problems.add(new PreflightProblem(PreflightProblem.Severity.ERROR, host, "resume", "rollout "
            + entry.rolloutId() + " halted and " + (entry.state() == JournalEntry.State.ROLLED_BACK ? "rolled this"
            + " host back" : "was to roll this host back") + " (" + entry.at() + "): resuming it would roll forward"
            + " the version it rolled back; start a new rollout (without resume) to roll every host"));
      }
    }
    problems.addAll(Preflight.check(config, hostsToRun(config, journal)));
    return problems;
  }

  /** The plan, with the problems a pre-flight found; the steps' secrets and URL passwords masked. */
  public static RolloutPlan plan(RolloutConfig config, Map<String, JournalEntry> journal,
      List<PreflightProblem> preflight) {
    List<String> skipped = config.hosts().stream().filter(host -> done(journal.get(host))).toList();
    List<String> toRun = hostsToRun(config, journal);
    List<PlannedStep> steps = steps(config, config.steps());
    return Masking.of(config).plan(new RolloutPlan(config.service(), batches(config, toRun), skipped, steps,
        config.maxFailures().roundedDown(toRun.size()), config.onFailure(), config.pauseBetweenBatches(),
        config.overlapRotation(), Optional.ofNullable(config.timeout()), config.loadBalancer(),
        warnings(config, steps), preflight, Optional.ofNullable(config.gate()).map(MetricsGate::describe),
        config.rollback() == null ? List.of() : steps(config, config.rollbackSteps())));
  }

  private static List<Batch> batches(RolloutConfig config, List<String> hosts) {
    List<Batch> batches = new ArrayList<>();
    int from = 0;
    if (config.canary() > 0 && !hosts.isEmpty()) {
      from = Math.min(config.canary(), hosts.size());
      batches.add(new Batch(1, hosts.subList(0, from), true));
    }
    int size = Math.max(1, config.batchSize().roundedUp(hosts.size()));
    while (from < hosts.size()) {
      int to = Math.min(hosts.size(), from + size);
      batches.add(new Batch(batches.size() + 1, hosts.subList(from, to), false));
      from = to;
    }
    return batches;
  }

  private static List<PlannedStep> steps(RolloutConfig config, List<RolloutConfig.ConfiguredStep> configured) {
    List<PlannedStep> steps = new ArrayList<>();
    if (config.beforeEachHost() != null) {
      steps.add(new PlannedStep(PlannedStep.Role.BEFORE_HOST, config.beforeEachHost().describe(),
          config.stepDefaults()));
    }
    for (RolloutConfig.ConfiguredStep step : configured) {
      steps.add(new PlannedStep(PlannedStep.Role.STEP, step.step().describe(), config.optionsOf(step)));
    }
    if (config.afterEachHost() != null) {
      steps.add(new PlannedStep(PlannedStep.Role.AFTER_HOST, config.afterEachHost().describe(),
          config.stepDefaults()));
    }
    return steps;
  }

  private static List<String> warnings(RolloutConfig config, List<PlannedStep> steps) {
    LoadBalancerChecks lb = config.loadBalancer();
    List<String> warnings = new ArrayList<>();
    boolean shunts = false;
    boolean drains = false;
    boolean rotates = false;
    for (PlannedStep step : steps) {
      StepDescription description = step.description();
      Optional<Duration> limit = step.effectiveTimeout();
      switch (description.kind()) {
        case SHUNT -> shunts = true;
        case DRAIN -> {
          drains = true;
          limit.filter(timeout -> timeout.compareTo(lb.timeToTakeOut()) < 0).ifPresent(timeout -> warnings.add(
              "step '" + description.name() + "' waits at most " + timeout + " for the drain, but the load balancer"
                  + " needs fall " + lb.fall() + " x inter " + lb.inter() + " = " + lb.timeToTakeOut()
                  + " to take a host out: requests may still reach the host when it restarts"));
        }
        case ROTATION -> {
          rotates = true;
          limit.filter(timeout -> timeout.compareTo(lb.timeToPutBack()) < 0).ifPresent(timeout -> warnings.add(
              "step '" + description.name() + "' waits at most " + timeout + " for the host to be back, but the"
                  + " load balancer needs rise " + lb.rise() + " x inter " + lb.inter() + " = " + lb.timeToPutBack()
                  + " to put it back: the next host may go while this one is still out"));
        }
        case READINESS -> limit.filter(timeout -> timeout.compareTo(config.typicalStartTime()) < 0)
            .ifPresent(timeout -> warnings.add("step '" + description.name() + "' gives the application at most "
                + timeout + " to answer after the restart, less than a typical start (" + config.typicalStartTime()
                + "): raise its timeout (attempts x interval) or set typicalStartTime"));
        default -> { }
      }
    }
    if (config.overlapRotation() && config.gate() != null) {
      warnings.add("overlapRotation has no effect with a gate: the hosts of the next batch must serve as the"
          + " baseline while the gate bakes, so a batch starts only when the one before and its gate are over");
    } else if (config.overlapRotation() && !rotates) {
      warnings.add("overlapRotation has no effect: no step waits for rotation, so a batch starts only when the one"
          + " before is over");
    }
    if (shunts && !drains) {
      warnings.add("the steps shunt hosts but no step waits for the drain: the load balancer may still send"
          + " requests to a host when it restarts");
    }
    return warnings;
  }
}
