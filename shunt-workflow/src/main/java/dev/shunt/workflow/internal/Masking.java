package dev.shunt.workflow.internal;

import dev.shunt.Step;
import dev.shunt.StepDescription;
import dev.shunt.StepFailedException;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.PlannedStep;
import dev.shunt.workflow.PreflightProblem;
import dev.shunt.workflow.RollbackReport;
import dev.shunt.workflow.RolloutPlan;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.gate.GateVerdict;
import dev.shunt.workflow.Secrets;
import dev.shunt.workflow.StepReport;
import dev.shunt.workflow.UsesSecrets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Masks a rollout's {@link Secrets} (those of its steps, and URL passwords) in what it hands on:
 * texts, step and host reports, the report, the plan, pre-flight problems, and errors it logs with
 * their stack traces. Immutable.
 */
final class Masking {
  /** URL passwords and tokens only: for what is logged where no rollout's secrets are known. */
  static final Masking URL_CREDENTIALS = new Masking(Secrets.none());

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
    if (config.rollback() != null) {
      steps.add(config.rollback().step());
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

  /**
   * {@code error} for a log, which prints its message, its causes' and its stack trace: itself when
   * no text in it shows a secret, otherwise a copy with the same classes' names, messages masked,
   * stack traces, causes and suppressed errors.
   */
  Throwable loggable(Throwable error) {
    return showsSecret(error, Collections.newSetFromMap(new IdentityHashMap<>())) ? new MaskedError(error, this) : error;
  }

  private boolean showsSecret(Throwable error, Set<Throwable> seen) {
    if (error == null || !seen.add(error)) {
      return false;
    }
    String text = error.toString();
    if (!Objects.equals(text, text(text)) || showsSecret(error.getCause(), seen)) {
      return true;
    }
    for (Throwable suppressed : error.getSuppressed()) {
      if (showsSecret(suppressed, seen)) {
        return true;
      }
    }
    return false;
  }

  /** An error as it is printed ({@code toString()}, stack trace, causes), with its texts masked. */
  private static final class MaskedError extends Throwable {
    private static final long serialVersionUID = 1L;
    /** A cause chain deeper than this (or a cycle) is cut: a log needs no more. */
    private static final int MAX_DEPTH = 32;

    MaskedError(Throwable original, Masking masking) {
      this(original, masking, 0);
    }

    private MaskedError(Throwable original, Masking masking, int depth) {
      super(masking.text(original.toString()),
          original.getCause() == null || depth >= MAX_DEPTH ? null : new MaskedError(original.getCause(), masking, depth + 1),
          true, true);
      setStackTrace(original.getStackTrace());
      if (depth < MAX_DEPTH) {
        for (Throwable suppressed : original.getSuppressed()) {
          addSuppressed(new MaskedError(suppressed, masking, depth + 1));
        }
      }
    }

    /** The original's {@code toString()}, masked: its class name and message, as a stack trace begins. */
    @Override
    public String toString() {
      return getMessage();
    }
  }

  StepReport step(StepReport step) {
    return new StepReport(step.step(), step.result(), step.elapsed(), text(step.outcome()), step.attempts(),
        step.kind(), step.start());
  }

  HostReport host(HostReport host) {
    return new HostReport(host.host(), host.batch(), host.outcome(), host.steps().stream().map(this::step).toList(),
        host.elapsed(), host.statusAfter(), text(host.note()), host.leftOut().stream().map(this::text).toList());
  }

  RolloutReport report(RolloutReport report) {
    return new RolloutReport(report.rolloutId(), report.service(), report.outcome(), text(report.haltReason()),
        report.start(), report.end(), report.lockToken(), report.hosts().stream().map(this::host).toList(),
        report.warnings().stream().map(this::text).toList(), report.samples().stream()
            .map(sample -> new RolloutReport.Sample(sample.at(), text(sample.series()), sample.value())).toList(),
        report.gates().stream().map(this::verdict).toList(), report.rollback().map(this::rollback));
  }

  RollbackReport rollback(RollbackReport rollback) {
    return new RollbackReport(rollback.outcome(), rollback.hosts().stream().map(this::host).toList(),
        rollback.notRolledBack(), text(rollback.reason()));
  }

  GateVerdict verdict(GateVerdict verdict) {
    return new GateVerdict(verdict.batch(), verdict.result(), text(verdict.reason()), verdict.candidate(),
        verdict.baseline(), verdict.start(), verdict.baked());
  }

  PreflightProblem problem(PreflightProblem problem) {
    return new PreflightProblem(problem.severity(), problem.host(), problem.step(), text(problem.message()));
  }

  RolloutPlan plan(RolloutPlan plan) {
    return new RolloutPlan(plan.service(), plan.batches(), plan.skippedHosts(),
        plan.steps().stream().map(this::step).toList(), plan.maxFailures(), plan.onFailure(),
        plan.pauseBetweenBatches(), plan.overlapRotation(), plan.timeout(), plan.loadBalancer(),
        plan.warnings().stream().map(this::text).toList(), plan.preflight().stream().map(this::problem).toList(),
        plan.gate().map(this::text), plan.rollbackSteps().stream().map(this::step).toList());
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
