package dev.shunt.workflow.internal;

import dev.shunt.workflow.Batch;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutPlan;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.StepReport;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hands each event to several listeners in turn: {@link RolloutListener#all}. One that throws
 * keeps none after it from hearing the event; the first error is thrown on once all have heard,
 * with the others suppressed in it, for the rollout to log.
 */
public final class AllListeners implements RolloutListener {
  private final List<RolloutListener> listeners;

  public AllListeners(List<RolloutListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  private void tell(Consumer<RolloutListener> event) {
    RuntimeException first = null;
    for (RolloutListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void rolloutStarted(String rolloutId, RolloutPlan plan) {
    tell(listener -> listener.rolloutStarted(rolloutId, plan));
  }

  @Override
  public void batchStarted(Batch batch) {
    tell(listener -> listener.batchStarted(batch));
  }

  @Override
  public void hostStarted(String host) {
    tell(listener -> listener.hostStarted(host));
  }

  @Override
  public void stepStarted(String host, String step) {
    tell(listener -> listener.stepStarted(host, step));
  }

  @Override
  public void stepRetrying(String host, String step, int failedAttempt, Throwable error, Duration wait) {
    tell(listener -> listener.stepRetrying(host, step, failedAttempt, error, wait));
  }

  @Override
  public void log(String host, String line) {
    tell(listener -> listener.log(host, line));
  }

  @Override
  public void stepFinished(String host, StepReport step) {
    tell(listener -> listener.stepFinished(host, step));
  }

  @Override
  public void hostFinished(HostReport host) {
    tell(listener -> listener.hostFinished(host));
  }

  @Override
  public void batchFinished(Batch batch, List<HostReport> hosts) {
    tell(listener -> listener.batchFinished(batch, hosts));
  }

  @Override
  public void halting(String reason) {
    tell(listener -> listener.halting(reason));
  }

  @Override
  public void rolloutFinished(RolloutReport report) {
    tell(listener -> listener.rolloutFinished(report));
  }

  @Override
  public String toString() {
    return "all of " + listeners;
  }
}
