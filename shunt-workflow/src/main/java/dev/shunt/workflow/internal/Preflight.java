package dev.shunt.workflow.internal;

import dev.shunt.ClusterGate;
import dev.shunt.InstanceKey;
import dev.shunt.Step;
import dev.shunt.workflow.PreflightCheck;
import dev.shunt.workflow.PreflightContext;
import dev.shunt.workflow.PreflightProblem;
import dev.shunt.workflow.PreflightProblem.Severity;
import dev.shunt.workflow.gate.MetricsGate;
import dev.shunt.workflow.gate.MetricsSnapshot;
import dev.shunt.workflow.gate.MetricsSource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Runs the {@link PreflightCheck}s of a rollout's steps on the hosts it will work on. */
public final class Preflight {
  private Preflight() {}

  /**
   * Every problem the steps (and host hooks) that check find on {@code hosts}, by host in the
   * rollout's order, after those of the cluster gates ({@link ClusterGate#preflight()}, asked
   * once per gate);
   * the same problem found by two steps on a host is listed once. Under a strict pre-flight every
   * warning is an error. The steps' secrets and URL passwords are masked in every message.
   */
  public static List<PreflightProblem> check(RolloutConfig config, List<String> hosts) {
    List<Step> steps = new ArrayList<>();
    if (config.beforeEachHost() != null) {
      steps.add(config.beforeEachHost());
    }
    config.steps().forEach(step -> steps.add(step.step()));
    if (config.afterEachHost() != null) {
      steps.add(config.afterEachHost());
    }
    if (config.rollback() != null) {
      steps.add(config.rollback().step());
    }
    List<Step> checking = steps.stream().filter(PreflightCheck.class::isInstance).toList();
    List<PreflightProblem> problems = new ArrayList<>();
    Masking masking = Masking.of(config);
    Set<String> toCheck = Set.copyOf(hosts);
    config.hosts().stream().filter(toCheck::contains).findFirst().ifPresent(first ->
        checkGates(config, steps, first, toCheck.size()).forEach(problem -> problems.add(masking.problem(problem))));
    config.hosts().stream().filter(toCheck::contains).findFirst().filter(first -> config.gate() != null)
        .ifPresent(first -> checkMetricsGate(config, toCheck, first).forEach(problem ->
            problems.add(masking.problem(problem))));
    int index = 0;
    for (String host : config.hosts()) {
      index++;
      if (!toCheck.contains(host)) {
        continue;
      }
      PreflightContext context = new PreflightContext(InstanceKey.of(config.service(), host), index,
          config.store(), config.clock());
      Set<String> seen = new LinkedHashSet<>();
      for (Step step : checking) {
        for (PreflightProblem problem : run((PreflightCheck) step, step.name(), context)) {
          if (seen.add(problem.severity() + problem.message())) {
            problems.add(masking.problem(config.strictPreflight() && !problem.isError()
                ? new PreflightProblem(Severity.ERROR, problem.host(), problem.step(), problem.message())
                : problem));
          }
        }
      }
    }
    return List.copyOf(problems);
  }

  /**
   * The problems of the {@link ClusterGate}s whose steps the rollout runs, each gate asked once;
   * the cluster's problems are reported on the first host the rollout would touch.
   */
  private static List<PreflightProblem> checkGates(RolloutConfig config, List<Step> steps, String firstHost,
      int hostCount) {
    Map<ClusterGate, String> gates = new IdentityHashMap<>();
    List<ClusterGate> order = new ArrayList<>();
    for (Step step : steps) {
      if (step instanceof ClusterGate.GateStep gateStep && gates.putIfAbsent(gateStep.gate(), step.name()) == null) {
        order.add(gateStep.gate());
      }
    }
    List<PreflightProblem> problems = new ArrayList<>();
    int widest = Math.min(hostCount, Math.max(config.canary(), Math.max(1, config.batchSize().roundedUp(hostCount))));
    if (!order.isEmpty() && widest > 1) {
      problems.add(new PreflightProblem(Severity.ERROR, firstHost, gates.get(order.get(0)),
          "a cluster gate needs one host at a time, but a batch restarts up to " + widest + " hosts at once:"
              + " their members leave together, so a partition whose copies they hold (a backup count below "
              + widest + ") is lost, and each host's gate waits for the other's member; roll with batch size 1"
              + (config.canary() > 1 ? " and a canary of 1" : "")));
    }
    for (ClusterGate gate : order) {
      String step = gates.get(gate);
      try {
        for (ClusterGate.Problem problem : gate.preflight()) {
          problems.add(new PreflightProblem(problem.error() || config.strictPreflight() ? Severity.ERROR
              : Severity.WARNING, firstHost, step, problem.message()));
        }
      } catch (RuntimeException e) {
        problems.add(new PreflightProblem(Severity.ERROR, firstHost, step,
            "cannot ask the cluster whether it is safe: " + e.getMessage()));
      }
    }
    return problems;
  }

  /**
   * Reads the metrics gate's source once for every host to roll: a source that cannot be read, or
   * that has no latency for a latency threshold, is an error, reported on the first host.
   */
  private static List<PreflightProblem> checkMetricsGate(RolloutConfig config, Set<String> toCheck, String first) {
    MetricsGate gate = config.gate();
    List<MetricsSource.Host> hosts = new ArrayList<>();
    int index = 0;
    for (String host : config.hosts()) {
      index++;
      if (toCheck.contains(host)) {
        hosts.add(new MetricsSource.Host(host, index));
      }
    }
    Map<String, MetricsSnapshot> snapshots;
    try {
      snapshots = gate.source().read(hosts);
    } catch (RuntimeException e) {
      return List.of(new PreflightProblem(Severity.ERROR, first, GATE, "the metrics gate cannot read "
          + gate.source().name() + ": " + e.getMessage()));
    }
    List<PreflightProblem> problems = new ArrayList<>();
    if (gate.maxLatencyRatio() != null) {
      List<String> without = snapshots.entrySet().stream().filter(entry -> entry.getValue().histogram().isEmpty()
          && entry.getValue().recentAverage().isEmpty()).map(Map.Entry::getKey).toList();
      if (!without.isEmpty()) {
        problems.add(new PreflightProblem(Severity.ERROR, first, GATE, "the metrics gate has a latency threshold but "
            + gate.source().name() + " gives no latency for " + String.join(", ", without)
            + ": expose a latency histogram, or drop the latency threshold"));
      }
    }
    return problems;
  }

  /** The name the metrics gate's pre-flight problems carry as their step. */
  private static final String GATE = "metrics-gate";

  private static List<PreflightProblem> run(PreflightCheck check, String step, PreflightContext context) {
    try {
      return Objects.requireNonNull(check.preflight(context), "the pre-flight's problems");
    } catch (RuntimeException e) {
      return List.of(context.error(step, "its pre-flight check failed: " + e));
    }
  }
}
