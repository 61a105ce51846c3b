package dev.shunt.workflow;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.StepContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A rolling restart: the same steps on every host of a service, one host after another.
 *
 * <pre>{@code
 * Rollout rollout = Rollout.builder()
 *     .service("checkout")
 *     .hosts(List.of("web-1", "web-2", "web-3"))
 *     .store(store)
 *     .steps(List.of(
 *         ShuntStep.shunt(ShuntRequest.of("deploy", "ci")),
 *         AwaitCheckersStep.drain().times(3).build(),
 *         CommandStep.builder().name("restart").command("ssh", "{host}", "sudo systemctl restart checkout").build(),
 *         AwaitHttpStep.builder().url("http://{host}:8080/").build(),
 *         ShuntStep.unshunt(),
 *         AwaitCheckersStep.rotation().times(2).build()))
 *     .build();
 * RolloutReport report = rollout.run();
 * }</pre>
 *
 * <p>A failing step halts the rollout: the steps after it do not run on that host (so a host
 * that failed between shunt and unshunt stays shunted), the hosts after it are not touched and
 * stay in rotation, and the report says which is which.
 *
 * <p>Immutable and thread-safe; {@link #run()} may be called again for another pass.
 */
public final class Rollout {
  private final String service;
  private final List<String> hosts;
  private final StatusStore store;
  private final List<Step> steps;
  private final RolloutListener listener;
  private final Clock clock;

  private Rollout(Builder builder) {
    this.service = builder.service;
    this.hosts = List.copyOf(builder.hosts);
    this.store = builder.store;
    this.steps = List.copyOf(builder.steps);
    this.listener = builder.listener;
    this.clock = builder.clock;
  }

  /** A builder; {@code service}, {@code hosts}, {@code store} and {@code steps} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this rollout's configuration, to derive a variant. */
  public Builder toBuilder() {
    return new Builder()
        .service(service).hosts(hosts).store(store).steps(steps).listener(listener).clock(clock);
  }

  /** Runs the rollout to its end or its first failure, and reports what it did. */
  public RolloutReport run() {
    Instant start = clock.instant();
    List<HostReport> reports = new ArrayList<>();
    boolean halted = false;
    for (String host : hosts) {
      HostReport report = halted
          ? new HostReport(host, HostReport.Outcome.UNTOUCHED, List.of(), Duration.ZERO, statusOf(host))
          : runHost(host);
      halted |= report.outcome() == HostReport.Outcome.FAILED;
      reports.add(report);
      listener.hostFinished(report);
    }
    RolloutReport report = new RolloutReport(service, reports, Duration.between(start, clock.instant()));
    listener.rolloutFinished(report);
    return report;
  }

  private HostReport runHost(String host) {
    Instant start = clock.instant();
    listener.hostStarted(host);
    List<StepReport> done = new ArrayList<>();
    HostReport.Outcome outcome = HostReport.Outcome.DONE;
    for (Step step : steps) {
      StepReport report = runStep(host, step);
      done.add(report);
      listener.stepFinished(host, report);
      if (!report.succeeded()) {
        outcome = HostReport.Outcome.FAILED;
        break;
      }
    }
    return new HostReport(host, outcome, done, Duration.between(start, clock.instant()), statusOf(host));
  }

  private StepReport runStep(String host, Step step) {
    listener.stepStarted(host, step.name());
    Context context = new Context(InstanceKey.of(service, host));
    Instant start = clock.instant();
    try {
      step.run(context);
      return new StepReport(step.name(), true, Duration.between(start, clock.instant()), context.outcome);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new StepReport(step.name(), false, Duration.between(start, clock.instant()), "interrupted");
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
      return new StepReport(step.name(), false, Duration.between(start, clock.instant()), message);
    }
  }

  private ShuntStatus statusOf(String host) {
    try {
      return store.status(InstanceKey.of(service, host));
    } catch (RuntimeException e) {
      listener.log(host, "cannot read its status after the rollout: " + e);
      return ShuntStatus.inRotation();
    }
  }

  /** The context of one step run on one host. Used by one thread. */
  private final class Context implements StepContext {
    private final InstanceKey key;
    private String outcome = "";

    Context(InstanceKey key) {
      this.key = key;
    }

    @Override
    public InstanceKey key() {
      return key;
    }

    @Override
    public StatusStore store() {
      return store;
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public void log(String line) {
      listener.log(key.host(), line);
    }

    @Override
    public void outcome(String description) {
      this.outcome = Objects.requireNonNull(description, "description");
    }
  }

  /**
   * Configures a {@link Rollout}. Not thread-safe; {@link #build()} validates and returns an
   * immutable rollout.
   */
  public static final class Builder {
    private String service;
    private List<String> hosts = List.of();
    private StatusStore store;
    private List<Step> steps = List.of();
    private RolloutListener listener = RolloutListener.console(System.out);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The service to roll. Required. */
    public Builder service(String service) {
      this.service = service;
      return this;
    }

    /** The hosts, in the order to roll them; unique. Required. */
    public Builder hosts(List<String> hosts) {
      this.hosts = hosts;
      return this;
    }

    /** Where the shunt status lives. Required. */
    public Builder store(StatusStore store) {
      this.store = store;
      return this;
    }

    /** The steps to run on each host, in order. Required. */
    public Builder steps(List<Step> steps) {
      this.steps = steps;
      return this;
    }

    /** Hears progress. Default: {@link RolloutListener#console} on {@code System.out}. */
    public Builder listener(RolloutListener listener) {
      this.listener = listener;
      return this;
    }

    /** Measures elapsed time. Default: the system clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Validates and builds the rollout.
     *
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public Rollout build() {
      if (service == null) {
        throw new IllegalArgumentException("service must be set, was null");
      }
      InstanceKey.requireServiceName(service);
      if (hosts == null || hosts.isEmpty()) {
        throw new IllegalArgumentException("hosts must name at least one host, was " + hosts);
      }
      if (new HashSet<>(hosts).size() != hosts.size()) {
        throw new IllegalArgumentException("hosts must be unique, was " + hosts);
      }
      hosts.forEach(host -> InstanceKey.of(service, host));
      if (store == null) {
        throw new IllegalArgumentException("store must be set, was null");
      }
      if (steps == null || steps.isEmpty() || steps.stream().anyMatch(Objects::isNull)) {
        throw new IllegalArgumentException("steps must be at least one step and no null, was " + steps);
      }
      if (listener == null) {
        throw new IllegalArgumentException("listener must be set, was null");
      }
      if (clock == null) {
        throw new IllegalArgumentException("clock must be set, was null");
      }
      return new Rollout(this);
    }
  }
}
