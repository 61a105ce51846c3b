package dev.shunt.workflow.micrometer;

import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutPlan;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.StepReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link RolloutListener} that records what a rollout does in Micrometer meters. Every meter is
 * tagged {@code service} (the rollout's), plus the tags given here; none is tagged by host, so
 * a fleet of any size makes a handful of time series.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>Tags</th><th>What it records</th></tr>
 *   <tr><td>{@value #HOSTS_STARTED}</td><td>counter</td><td></td><td>hosts the rollout started on</td></tr>
 *   <tr><td>{@value #HOSTS_FINISHED}</td><td>counter</td><td>{@code outcome} ({@code done},
 *       {@code failed}, {@code cancelled}, {@code untouched}, {@code skipped})</td>
 *       <td>hosts the rollout was done with, as {@link HostReport.Outcome} says</td></tr>
 *   <tr><td>{@value #STEP_DURATION}</td><td>timer</td><td>{@code step} (its name, hooks
 *       included), {@code result} ({@code succeeded}, {@code failed}, {@code timed_out},
 *       {@code cancelled})</td><td>each step on each host, retries and their waits included</td></tr>
 *   <tr><td>{@value #STEP_RETRIES}</td><td>counter</td><td>{@code step}</td>
 *       <td>failed attempts that the step's retry policy retried</td></tr>
 *   <tr><td>{@value #HALTS}</td><td>counter</td><td></td><td>rollouts that stopped starting hosts
 *       early (failures, a hook, the canary, a cancel, a time limit, the lost deploy lock, a
 *       breakdown), counted as they end: those whose report has a halt reason</td></tr>
 *   <tr><td>{@value #DURATION}</td><td>timer</td><td>{@code outcome} ({@code completed},
 *       {@code halted}, {@code cancelled}, {@code timed_out})</td><td>whole rollouts</td></tr>
 * </table>
 *
 * <p>It replaces the default console listener when given alone to
 * {@link dev.shunt.workflow.Rollout.Builder#listener}; keep both with
 * {@code RolloutListener.all(RolloutListener.console(System.out), new RolloutMetrics(registry))}.
 *
 * <p>The service tag comes from {@link #rolloutStarted}: give each rollout that runs at the same
 * time as another its own instance (they may share the registry, and so the meters); one rollout
 * run again and again can keep one. This class needs {@code io.micrometer:micrometer-core} on the
 * class path, which shunt-workflow does not bring. Thread-safe as the rollout calls it.
 */
public final class RolloutMetrics implements RolloutListener {
  /** Hosts started: a counter. */
  public static final String HOSTS_STARTED = "shunt.rollout.hosts.started";
  /** Hosts finished: a counter tagged {@code outcome}. */
  public static final String HOSTS_FINISHED = "shunt.rollout.hosts.finished";
  /** Steps run: a timer tagged {@code step} and {@code result}. */
  public static final String STEP_DURATION = "shunt.rollout.step.duration";
  /** Failed attempts retried: a counter tagged {@code step}. */
  public static final String STEP_RETRIES = "shunt.rollout.step.retries";
  /** Rollouts that halted: a counter. */
  public static final String HALTS = "shunt.rollout.halts";
  /** Whole rollouts: a timer tagged {@code outcome}. */
  public static final String DURATION = "shunt.rollout.duration";

  private final MeterRegistry registry;
  private final Tags tags;
  /** The tags of the rollout under way: {@link #tags} and its service. */
  private volatile Tags rolloutTags;

  /**
   * Records into {@code registry}.
   *
   * @param registry where the meters are registered
   */
  public RolloutMetrics(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /**
   * Records into {@code registry}, with {@code tags} on every meter besides {@code service}.
   *
   * @param registry where the meters are registered
   * @param tags more tags for every meter
   */
  public RolloutMetrics(MeterRegistry registry, Iterable<Tag> tags) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    this.rolloutTags = this.tags.and("service", "unknown");
  }

  @Override
  public void rolloutStarted(String rolloutId, RolloutPlan plan) {
    rolloutTags = tags.and("service", plan.service());
  }

  @Override
  public void hostStarted(String host) {
    Counter.builder(HOSTS_STARTED).description("Hosts a rollout started on")
        .tags(rolloutTags).register(registry).increment();
  }

  @Override
  public void stepRetrying(String host, String step, int failedAttempt, Throwable error, Duration wait) {
    Counter.builder(STEP_RETRIES).description("Failed attempts of a step that its retry policy retried")
        .tags(rolloutTags).tag("step", step).register(registry).increment();
  }

  @Override
  public void stepFinished(String host, StepReport step) {
    Timer.builder(STEP_DURATION).description("Steps run on a host, retries included, by step and result")
        .tags(rolloutTags).tag("step", step.step()).tag("result", tagValue(step.result()))
        .register(registry).record(step.elapsed());
  }

  @Override
  public void hostFinished(HostReport host) {
    Counter.builder(HOSTS_FINISHED).description("Hosts a rollout was done with, by outcome")
        .tags(rolloutTags).tag("outcome", tagValue(host.outcome())).register(registry).increment();
  }

  @Override
  public void rolloutFinished(RolloutReport report) {
    Tags service = tags.and("service", report.service());
    if (!report.haltReason().isEmpty()) {
      Counter.builder(HALTS).description("Rollouts that stopped starting hosts early")
          .tags(service).register(registry).increment();
    }
    Timer.builder(DURATION).description("Whole rollouts, by outcome")
        .tags(service).tag("outcome", tagValue(report.outcome()))
        .register(registry).record(report.elapsed());
  }

  /** An enum constant as a tag value: {@code TIMED_OUT} → {@code timed_out}. */
  private static String tagValue(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "RolloutMetrics" + tags;
  }
}
