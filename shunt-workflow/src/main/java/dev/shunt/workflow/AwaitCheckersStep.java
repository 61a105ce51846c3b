package dev.shunt.workflow;

import dev.shunt.CheckerReport;
import dev.shunt.Step;
import dev.shunt.StepContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Waits until the load balancer's health checkers have seen a host's new state, as the host's
 * {@link dev.shunt.HealthResponder} reports in the store:
 *
 * <ul>
 *   <li>{@link #drain()}, right after {@link ShuntStep#shunt}: every checker answered "down"
 *       {@code fall} times in a row, so the load balancer has stopped sending traffic;</li>
 *   <li>{@link #rotation()}, right after {@link ShuntStep#unshunt}: every checker answered "up"
 *       {@code rise} times in a row, so the load balancer sends traffic again and the next host
 *       can go.</li>
 * </ul>
 *
 * <p>A checker that applies answers at once ({@link CheckerReport#appliesAtOnce()}: HAProxy's
 * {@code agent-check}, answered by {@link dev.shunt.AgentCheckResponder}) agrees after one
 * answer, {@code drain} or {@code ready}, whatever {@code times} says: HAProxy acts on an
 * agent's word at once. So with an agent check (and a TCP check) alone, both waits end about one
 * {@code agent-inter} after the change. With both an HTTP check and an agent check, each is a
 * checker of its own and both must agree.
 *
 * <p>At least {@code minCheckers} checkers must have reported, and every checker that reported
 * must agree. A drain can also wait for the requests the host is still serving:
 * with {@link Builder#awaitInFlightZero(boolean)} it ends only once, besides, the latest report
 * says that no request is in flight. The responder counts them when an adapter does (the JDK
 * {@code HttpServer} filter, the servlet filter) and rewrites its reports the moment the count
 * reaches zero while it answers "down", so the drain need not wait for the next check. A report
 * that does not know the count ({@link CheckerReport#IN_FLIGHT_UNKNOWN}, from a responder whose
 * requests nobody counts) never satisfies it: the step then waits until its timeout and says
 * that the count was unknown, rather than pass on a count it never saw. If that is not seen within {@code timeout} (checks not reaching the responder, a
 * responder on another store…), the step by default goes on anyway, as a fixed wait would, and
 * says so in its outcome; {@link Builder#failOnTimeout(boolean)} makes it fail instead.
 *
 * <p>Defaults: {@code times} 3 for a drain and 2 for rotation (HAProxy's {@code fall} and
 * {@code rise}), {@code minCheckers} 1, {@code timeout} 30 s, {@code pollInterval} 50 ms, go on
 * after the timeout, do not wait for in-flight requests. Immutable and thread-safe.
 */
public final class AwaitCheckersStep implements Step {
  private final boolean nacked;
  private final int times;
  private final int minCheckers;
  private final Duration timeout;
  private final Duration pollInterval;
  private final boolean failOnTimeout;
  private final boolean awaitInFlightZero;

  private AwaitCheckersStep(Builder builder) {
    this.nacked = builder.nacked;
    this.times = builder.times;
    this.minCheckers = builder.minCheckers;
    this.timeout = builder.timeout;
    this.pollInterval = builder.pollInterval;
    this.failOnTimeout = builder.failOnTimeout;
    this.awaitInFlightZero = builder.awaitInFlightZero;
  }

  /** A builder for the wait that ends when the load balancer has taken a shunted host out. */
  public static Builder drain() {
    return new Builder(true, 3);
  }

  /** A builder for the wait that ends when the load balancer has put an unshunted host back. */
  public static Builder rotation() {
    return new Builder(false, 2);
  }

  @Override
  public void run(StepContext context) throws InterruptedException {
    Instant start = context.clock().instant();
    Instant deadline = start.plus(timeout);
    String verdict = nacked ? "down" : "up";
    while (true) {
      List<CheckerReport> reports = context.store().reports(context.key());
      long agreeing = reports.stream()
          .filter(report -> nacked ? report.nackedAtLeast(times) : report.ackedAtLeast(times))
          .count();
      if (agreeing >= minCheckers && agreeing == reports.size() && (!awaitInFlightZero || latestInFlight(reports) == 0)) {
        context.outcome(agreeing + " checker(s) answered " + verdict + " " + howOften(reports)
            + (awaitInFlightZero ? " and no request was in flight" : "") + ", after "
            + Duration.between(start, context.clock().instant()).toMillis() + " ms");
        return;
      }
      if (!context.clock().instant().isBefore(deadline)) {
        String seen = reports.isEmpty() ? "no health check was answered" : "checkers: " + describe(reports)
            + (awaitInFlightZero ? ", in flight: " + inFlight(latestInFlight(reports)) : "");
        WaitTimeout.handle(context, failOnTimeout, timeout,
            "checkers did not see the host " + verdict + " within " + timeout, seen);
        return;
      }
      Thread.sleep(pollInterval.toMillis());
    }
  }

  /** How often the checkers were answered, e.g. {@code 3 times in a row (agent checks: once)}. */
  private String howOften(List<CheckerReport> reports) {
    long atOnce = reports.stream().filter(CheckerReport::appliesAtOnce).count();
    if (atOnce == 0) {
      return times + " times in a row";
    }
    return atOnce == reports.size() ? "once to an agent check, which applies it at once"
        : times + " times in a row (agent checks: once)";
  }

  /** The in-flight count of the newest report: the count is the host's, whichever checker it was told to. */
  private static int latestInFlight(List<CheckerReport> reports) {
    return reports.stream().max(Comparator.comparing(CheckerReport::at))
        .map(CheckerReport::inFlight).orElse(CheckerReport.IN_FLIGHT_UNKNOWN);
  }

  private static String inFlight(int count) {
    return count == CheckerReport.IN_FLIGHT_UNKNOWN ? "unknown (the responder does not count requests)" : Integer.toString(count);
  }

  private static String describe(List<CheckerReport> reports) {
    return reports.stream()
        .map(r -> r.checker() + " " + (r.nacked() ? "down" : "up") + " x" + r.consecutive()
            + (r.appliesAtOnce() ? " (applied at once)" : ""))
        .toList().toString();
  }

  @Override
  public String name() {
    return nacked ? "drain" : "rotation";
  }

  @Override
  public String toString() {
    return name() + "(" + (nacked ? "fall=" : "rise=") + times + ", minCheckers=" + minCheckers
        + ", timeout=" + timeout + (awaitInFlightZero ? ", awaitInFlightZero" : "") + ")";
  }

  /** Configures an {@link AwaitCheckersStep}. Not thread-safe. */
  public static final class Builder {
    private final boolean nacked;
    private int times;
    private int minCheckers = 1;
    private Duration timeout = Duration.ofSeconds(30);
    private Duration pollInterval = Duration.ofMillis(50);
    private boolean failOnTimeout;
    private boolean awaitInFlightZero;

    private Builder(boolean nacked, int times) {
      this.nacked = nacked;
      this.times = times;
    }

    /**
     * Answers in a row each checker must have had: the load balancer's {@code fall} for a
     * drain, its {@code rise} for rotation. A checker that applies answers at once (an agent
     * check) needs one, whatever this says.
     */
    public Builder times(int times) {
      this.times = times;
      return this;
    }

    /** How many checkers (load balancers) must have reported, at least. */
    public Builder minCheckers(int minCheckers) {
      this.minCheckers = minCheckers;
      return this;
    }

    /** How long to wait; more than the load balancer's {@code times × inter}. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** How often to read the reports. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    /** Whether to fail (rather than go on) when the checkers are not seen within the timeout. */
    public Builder failOnTimeout(boolean failOnTimeout) {
      this.failOnTimeout = failOnTimeout;
      return this;
    }

    /**
     * Whether a drain also waits until the latest report says no request is in flight (an
     * unknown count does not do). Only for a drain: requests in flight say nothing about rotation.
     */
    public Builder awaitInFlightZero(boolean awaitInFlightZero) {
      this.awaitInFlightZero = awaitInFlightZero;
      return this;
    }

    /**
     * Validates and builds the step.
     *
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public AwaitCheckersStep build() {
      if (times < 1) {
        throw new IllegalArgumentException("times must be >= 1, was " + times);
      }
      if (minCheckers < 1) {
        throw new IllegalArgumentException("minCheckers must be >= 1, was " + minCheckers);
      }
      Durations.requirePositive("timeout", timeout);
      Durations.requirePositive("pollInterval", pollInterval);
      if (awaitInFlightZero && !nacked) {
        throw new IllegalArgumentException("awaitInFlightZero must be false for rotation, was true: it is a drain condition");
      }
      return new AwaitCheckersStep(this);
    }
  }

  @Override
  public dev.shunt.StepDescription describe() {
    dev.shunt.StepDescription description = dev.shunt.StepDescription.of(name(), nacked
            ? dev.shunt.StepDescription.Kind.DRAIN : dev.shunt.StepDescription.Kind.ROTATION)
        .withTimeout(timeout).with(nacked ? "fall" : "rise", times).with("minCheckers", minCheckers)
        .with("pollInterval", pollInterval).with("afterTimeout", failOnTimeout ? "fail" : "go on");
    return awaitInFlightZero ? description.with("awaitInFlightZero", true) : description;
  }
}
