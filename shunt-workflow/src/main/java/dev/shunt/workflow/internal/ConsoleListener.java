package dev.shunt.workflow.internal;

import dev.shunt.workflow.Batch;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RollbackReport;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutPlan;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.gate.GateVerdict;
import dev.shunt.workflow.StepReport;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** {@link RolloutListener#console(PrintStream)}: one line per event, prefixed by time and host. */
public final class ConsoleListener implements RolloutListener {
  private final PrintWriter out;
  private final long start = System.nanoTime();
  private String service = "rollout";
  private int batches;

  public ConsoleListener(PrintStream out) {
    this(new PrintWriter(Objects.requireNonNull(out, "out"), true));
  }

  /** Writes to {@code out}, flushing after every line (the command-line tool's standard output). */
  public ConsoleListener(PrintWriter out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  @Override
  public void rolloutStarted(String rolloutId, RolloutPlan plan) {
    service = plan.service();
    batches = plan.batches().size();
    line(service, "rollout " + rolloutId + ": " + plan.hostCount() + " host(s) in " + batches + " batch(es)"
        + (plan.skippedHosts().isEmpty() ? "" : ", " + plan.skippedHosts().size() + " skipped as done before"));
    plan.warnings().forEach(warning -> line(service, "WARNING: " + warning));
    plan.preflight().forEach(problem -> line(problem.host(), "PRE-FLIGHT " + problem.severity() + " [" + problem.step()
        + "]: " + problem.message()));
  }

  @Override
  public void batchStarted(Batch batch) {
    line(service, (batch.canary() ? "canary batch " : "batch ") + batch.number() + "/" + batches + ": "
        + String.join(", ", batch.hosts()));
  }

  @Override
  public void hostStarted(String host) {
    line(host, "starting");
  }

  @Override
  public void stepStarted(String host, String step) {
    line(host, step + " ...");
  }

  @Override
  public void stepRetrying(String host, String step, int failedAttempt, Throwable error, Duration wait) {
    line(host, step + " attempt " + failedAttempt + " failed (" + (error.getMessage() == null
        ? error.getClass().getName() : error.getMessage()) + "); retrying in " + wait.toMillis() + " ms");
  }

  @Override
  public void log(String host, String line) {
    line(host, "  " + line);
  }

  @Override
  public void stepFinished(String host, StepReport step) {
    line(host, step.step() + (step.succeeded() ? " ok" : " " + step.result()) + " in " + step.elapsed().toMillis()
        + " ms" + (step.attempts() > 1 ? " after " + step.attempts() + " attempts" : "")
        + (step.outcome().isEmpty() ? "" : ": " + step.outcome()));
  }

  @Override
  public void hostFinished(HostReport host) {
    if (host.outcome() == HostReport.Outcome.UNTOUCHED) {
      return;
    }
    line(host.host(), host.outcome() + " in " + host.elapsed().toMillis() + " ms"
        + (host.statusAfter().shunted() ? ", left shunted " + ShuntLeft.until(host.statusAfter()) : ", in rotation")
        + (host.note().isEmpty() ? "" : " (" + host.note() + ")"));
  }

  @Override
  public void gateStarted(Batch batch, Duration bake) {
    line(service, "gate: watching " + batch + " for " + bake);
  }

  @Override
  public void gateFinished(GateVerdict verdict) {
    line(service, "gate: " + verdict.result() + " after " + verdict.batch() + " in " + verdict.baked().toMillis()
        + " ms: " + verdict.reason());
  }

  @Override
  public void halting(String reason) {
    line(service, "HALTING: " + reason);
  }

  @Override
  public void rollbackStarted(String reason, List<String> hosts) {
    line(service, "ROLLING BACK " + hosts.size() + " host(s), newest first" + (hosts.isEmpty() ? "" : ": "
        + String.join(", ", hosts)));
  }

  @Override
  public void rollbackHostStarted(String host) {
    line(host, "rolling back");
  }

  @Override
  public void rollbackHostFinished(HostReport host) {
    line(host.host(), (host.outcome() == HostReport.Outcome.DONE ? "ROLLED BACK" : "ROLLBACK " + host.outcome())
        + " in " + host.elapsed().toMillis() + " ms"
        + (host.statusAfter().shunted() ? ", left shunted " + ShuntLeft.until(host.statusAfter()) : ", in rotation")
        + (host.note().isEmpty() ? "" : " (" + host.note() + ")"));
  }

  @Override
  public void rollbackFinished(RollbackReport rollback) {
    line(service, rollback.toString());
  }

  @Override
  public void rolloutFinished(RolloutReport report) {
    out.print(report.summary());
    out.flush();
  }

  private void line(String who, String text) {
    long millis = (System.nanoTime() - start) / 1_000_000;
    out.printf("%7.3fs [%s] %s%n", millis / 1000.0, who, text);
    out.flush();
  }
}
