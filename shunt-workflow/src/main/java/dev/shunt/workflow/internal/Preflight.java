package dev.shunt.workflow.internal;

import dev.shunt.InstanceKey;
import dev.shunt.Step;
import dev.shunt.workflow.PreflightCheck;
import dev.shunt.workflow.PreflightContext;
import dev.shunt.workflow.PreflightProblem;
import dev.shunt.workflow.PreflightProblem.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Runs the {@link PreflightCheck}s of a rollout's steps on the hosts it will work on. */
public final class Preflight {
  private Preflight() {}

  /**
   * Every problem the steps (and host hooks) that check find on {@code hosts}, by host in the
   * rollout's order;
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
    List<Step> checking = steps.stream().filter(PreflightCheck.class::isInstance).toList();
    List<PreflightProblem> problems = new ArrayList<>();
    if (checking.isEmpty()) {
      return problems;
    }
    Masking masking = Masking.of(config);
    Set<String> toCheck = Set.copyOf(hosts);
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

  private static List<PreflightProblem> run(PreflightCheck check, String step, PreflightContext context) {
    try {
      return Objects.requireNonNull(check.preflight(context), "the pre-flight's problems");
    } catch (RuntimeException e) {
      return List.of(context.error(step, "its pre-flight check failed: " + e));
    }
  }
}
