package dev.shunt.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link RolloutListener} that writes every event it hears as one line, e.g. {@code stepStarted web-1 shunt}. */
final class RecordingListener implements RolloutListener {
  private RolloutPlan plan;

  /** The plan the rollout started with, or null before it started. */
  synchronized RolloutPlan plan() {
    return plan;
  }

  private final List<String> events = new ArrayList<>();
  private final List<HostReport> finishedHosts = new ArrayList<>();

  @Override
  public synchronized void rolloutStarted(String rolloutId, RolloutPlan plan) {
    this.plan = plan;
    events.add("rolloutStarted " + plan.batches().size() + " batch(es)");
  }

  @Override
  public synchronized void batchStarted(Batch batch) {
    events.add("batchStarted " + batch.number() + " " + batch.hosts());
  }

  @Override
  public synchronized void batchFinished(Batch batch, List<HostReport> hosts) {
    events.add("batchFinished " + batch.number());
  }

  @Override
  public synchronized void stepRetrying(String host, String step, int failedAttempt, Throwable error, Duration wait) {
    events.add("stepRetrying " + host + " " + step + " " + failedAttempt);
  }

  @Override
  public synchronized void halting(String reason) {
    events.add("halting " + reason);
  }

  @Override
  public synchronized void hostStarted(String host) {
    events.add("hostStarted " + host);
  }

  @Override
  public synchronized void stepStarted(String host, String step) {
    events.add("stepStarted " + host + " " + step);
  }

  @Override
  public synchronized void log(String host, String line) {
    events.add("log " + host + " " + line);
  }

  @Override
  public synchronized void stepFinished(String host, StepReport step) {
    events.add("stepFinished " + host + " " + step.step() + (step.succeeded() ? " ok" : " failed"));
  }

  @Override
  public synchronized void hostFinished(HostReport host) {
    events.add("hostFinished " + host.host() + " " + host.outcome());
    finishedHosts.add(host);
  }

  @Override
  public synchronized void rollbackStarted(String reason, List<String> hosts) {
    events.add("rollbackStarted " + hosts);
  }

  @Override
  public synchronized void rollbackHostStarted(String host) {
    events.add("rollbackHostStarted " + host);
  }

  @Override
  public synchronized void rollbackHostFinished(HostReport host) {
    events.add("rollbackHostFinished " + host.host() + " " + host.outcome());
  }

  @Override
  public synchronized void rollbackFinished(RollbackReport rollback) {
    events.add("rollbackFinished " + rollback.outcome());
  }

  @Override
  public synchronized void rolloutFinished(RolloutReport report) {
    events.add("rolloutFinished " + (report.succeeded() ? "succeeded" : "halted"));
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** The events other than log lines. */
  synchronized List<String> eventsWithoutLogs() {
    return events.stream().filter(event -> !event.startsWith("log ")).toList();
  }

  /** The log lines heard, as {@code host line}. */
  synchronized List<String> logs() {
    return events.stream().filter(event -> event.startsWith("log ")).map(event -> event.substring(4)).toList();
  }

  synchronized List<HostReport> finishedHosts() {
    return List.copyOf(finishedHosts);
  }
}
