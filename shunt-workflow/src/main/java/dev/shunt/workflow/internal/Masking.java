package dev.shunt.workflow.internal;

import dev.shunt.Step;
import dev.shunt.StepDescription;
import dev.shunt.StepFailedException;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.PlannedStep;
import dev.shunt.workflow.PreflightProblem;
import dev.shunt.workflow.RolloutPlan;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.Secrets;
import dev.shunt.workflow.StepReport;
import dev.shunt.workflow.UsesSecrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Masks a rollout's {@link Secrets} (those of its steps, and URL passwords) in what it hands on:
 * texts, step and host reports, the report, the plan and pre-flight problems. Immutable.
 */
final class Masking {
  private final Secrets secrets;

  private Masking(Secrets secrets) {
    this.secrets = secrets;
  }

  /** With the secrets of every step and host hook of {@code config} that {@linkplain UsesSecrets uses some}. */
  static Masking of(RolloutConfig config) {
    List<Step> steps = new ArrayList<>();
    if (config.beforeEachHost() != null) {
      steps.add(config.beforeEachHost());
    }
    config.steps().forEach(step -> steps.add(step.step()));
    if (config.afterEachHost() != null) {
      steps.add(config.afterEachHost());
    }
    Secrets secrets = Secrets.none();
    for (Step step : steps) {
      if (step instanceof UsesSecrets holder) {
        secrets = secrets.and(Objects.requireNonNull(holder.secrets(), "secrets() of step " + step.name()));
      }
    }
    return new Masking(secrets);
  }

  String text(String text) {
    return secrets.mask(text);
  }

  /** {@code error}, or a {@link StepFailedException} with its masked message when it showed a secret. */
  Throwable error(Throwable error) {
    String message = error.getMessage();
    String masked = secrets.mask(message);
    return Objects.equals(message, masked) ? error : new StepFailedException(masked);
  }

  StepReport step(StepReport step) {
    return new StepReport(step.step(), step.result(), step.elapsed(), text(step.outcome()), step.attempts());
  }

  HostReport host(HostReport host) {
    return new HostReport(host.host(), host.batch(), host.outcome(), host.steps().stream().map(this::step).toList(),
        host.elapsed(), host.statusAfter(), text(host.note()));
  }

  RolloutReport report(RolloutReport report) {
    return new RolloutReport(report.rolloutId(), report.service(), report.outcome(), text(report.haltReason()),
        report.start(), report.end(), report.lockToken(), report.hosts().stream().map(this::host).toList());
  }

  PreflightProblem problem(PreflightProblem problem) {
    return new PreflightProblem(problem.severity(), problem.host(), problem.step(), text(problem.message()));
  }

  RolloutPlan plan(RolloutPlan plan) {
    return new RolloutPlan(plan.service(), plan.batches(), plan.skippedHosts(),
        plan.steps().stream().map(this::step).toList(), plan.maxFailures(), plan.onFailure(),
        plan.pauseBetweenBatches(), plan.overlapRotation(), plan.timeout(), plan.loadBalancer(),
        plan.warnings().stream().map(this::text).toList(), plan.preflight().stream().map(this::problem).toList());
  }

  private PlannedStep step(PlannedStep step) {
    StepDescription own = step.description();
    StepDescription masked = StepDescription.of(own.name(), own.kind());
    if (own.timeout().isPresent()) {
      masked = masked.withTimeout(own.timeout().get());
    }
    for (var setting : own.settings().entrySet()) {
      masked = masked.with(setting.getKey(), text(setting.getValue()));
    }
    return new PlannedStep(step.role(), masked, step.options());
  }
}
