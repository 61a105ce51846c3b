package dev.shunt.workflow.internal;

import dev.shunt.workflow.Batch;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RollbackReport;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutPlan;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.gate.GateVerdict;
import dev.shunt.workflow.StepReport;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

/**
 * Hands events to the user's listener one at a time, whatever thread they come from, with the
 * rollout's secrets masked, and keeps a listener that throws from breaking the rollout: its error
 * is logged.
 */
final class SerialListener implements RolloutListener {
  private static final System.Logger LOG = System.getLogger(SerialListener.class.getName());

  private final RolloutListener delegate;
  private final Masking masking;

  SerialListener(RolloutListener delegate, Masking masking) {
    this.delegate = delegate;
    this.masking = masking;
  }

  private synchronized void deliver(String event, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the rollout listener threw on " + event + "; going on", masking.loggable(e));
    }
  }

  @Override
  public void rolloutStarted(String rolloutId, RolloutPlan plan) {
    deliver("rolloutStarted", () -> delegate.rolloutStarted(rolloutId, masking.plan(plan)));
  }

  @Override
  public void batchStarted(Batch batch) {
    deliver("batchStarted", () -> delegate.batchStarted(batch));
  }

  @Override
  public void hostStarted(String host) {
    deliver("hostStarted", () -> delegate.hostStarted(host));
  }

  @Override
  public void stepStarted(String host, String step) {
    deliver("stepStarted", () -> delegate.stepStarted(host, step));
  }

  @Override
  public void stepRetrying(String host, String step, int failedAttempt, Throwable error, Duration wait) {
    deliver("stepRetrying", () -> delegate.stepRetrying(host, step, failedAttempt, masking.error(error), wait));
  }

  @Override
  public void log(String host, String line) {
    deliver("log", () -> delegate.log(host, masking.text(line)));
  }

  @Override
  public void stepFinished(String host, StepReport step) {
    deliver("stepFinished", () -> delegate.stepFinished(host, masking.step(step)));
  }

  @Override
  public void hostFinished(HostReport host) {
    deliver("hostFinished", () -> delegate.hostFinished(masking.host(host)));
  }

  @Override
  public void batchFinished(Batch batch, List<HostReport> hosts) {
    deliver("batchFinished", () -> delegate.batchFinished(batch, hosts.stream().map(masking::host).toList()));
  }

  @Override
  public void gateStarted(Batch batch, Duration bake) {
    deliver("gateStarted", () -> delegate.gateStarted(batch, bake));
  }

  @Override
  public void gateFinished(GateVerdict verdict) {
    deliver("gateFinished", () -> delegate.gateFinished(masking.verdict(verdict)));
  }

  @Override
  public void halting(String reason) {
    deliver("halting", () -> delegate.halting(masking.text(reason)));
  }

  @Override
  public void rollbackStarted(String reason, List<String> hosts) {
    deliver("rollbackStarted", () -> delegate.rollbackStarted(masking.text(reason), hosts));
  }

  @Override
  public void rollbackHostStarted(String host) {
    deliver("rollbackHostStarted", () -> delegate.rollbackHostStarted(host));
  }

  @Override
  public void rollbackHostFinished(HostReport host) {
    deliver("rollbackHostFinished", () -> delegate.rollbackHostFinished(masking.host(host)));
  }

  @Override
  public void rollbackFinished(RollbackReport rollback) {
    deliver("rollbackFinished", () -> delegate.rollbackFinished(masking.rollback(rollback)));
  }

  @Override
  public void rolloutFinished(RolloutReport report) {
    deliver("rolloutFinished", () -> delegate.rolloutFinished(masking.report(report)));
  }
}
