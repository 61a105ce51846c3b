package dev.shunt.workflow.internal;

import dev.shunt.workflow.Batch;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutPlan;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.StepReport;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

/**
 * Hands events to the user's listener one at a time, whatever thread they come from, and keeps
 * a listener that throws from breaking the rollout: its error is logged.
 */
final class SerialListener implements RolloutListener {
  private static final System.Logger LOG = System.getLogger(SerialListener.class.getName());

  private final RolloutListener delegate;

  SerialListener(RolloutListener delegate) {
    this.delegate = delegate;
  }

  private synchronized void deliver(String event, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the rollout listener threw on " + event + "; going on", e);
    }
  }

  @Override
  public void rolloutStarted(String rolloutId, RolloutPlan plan) {
    deliver("rolloutStarted", () -> delegate.rolloutStarted(rolloutId, plan));
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
    deliver("stepRetrying", () -> delegate.stepRetrying(host, step, failedAttempt, error, wait));
  }

  @Override
  public void log(String host, String line) {
    deliver("log", () -> delegate.log(host, line));
  }

  @Override
  public void stepFinished(String host, StepReport step) {
    deliver("stepFinished", () -> delegate.stepFinished(host, step));
  }

  @Override
  public void hostFinished(HostReport host) {
    deliver("hostFinished", () -> delegate.hostFinished(host));
  }

  @Override
  public void batchFinished(Batch batch, List<HostReport> hosts) {
    deliver("batchFinished", () -> delegate.batchFinished(batch, hosts));
  }

  @Override
  public void halting(String reason) {
    deliver("halting", () -> delegate.halting(reason));
  }

  @Override
  public void rolloutFinished(RolloutReport report) {
    deliver("rolloutFinished", () -> delegate.rolloutFinished(report));
  }
}
