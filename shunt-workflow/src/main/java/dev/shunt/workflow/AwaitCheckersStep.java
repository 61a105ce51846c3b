package dev.shunt.workflow;

import dev.shunt.CheckerReport;
import dev.shunt.ShuntStatus;
import dev.shunt.Step;
import dev.shunt.StepContext;
import dev.shunt.StepFailedException;
import dev.shunt.internal.CheckerReportRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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
 * must agree. A drain also waits for the requests the host is still serving, as
 * {@link Builder#inFlight(InFlightWait)} says: by default ({@link InFlightWait#WHEN_COUNTED}) it
 * ends only once, besides, the latest report says that no request is in flight, wherever the
 * responder counts them (the JDK {@code HttpServer} filter, the servlet filter); the responder
 * rewrites its reports the moment the count reaches zero while it answers "down", so the drain
 * need not wait for the next check. A report that does not know the count
 * ({@link CheckerReport#inFlightCount()} empty, from a responder whose requests nobody counts) does
 * not hold the default drain back, and its outcome says that requests in flight were not waited
 * for; with {@link InFlightWait#REQUIRED} it never satisfies the drain, which then waits until its
 * timeout. If the checkers' verdict is not seen within {@code timeout} (checks not reaching the
 * responder, a responder on another store…), the step by default goes on anyway, as a fixed wait
 * would, and says so in its outcome; {@link Builder#failOnTimeout(boolean)} makes it fail instead.
 *
 * <p><b>A responder that does not see the shunt.</b> Both stores clear a host's reports when it
 * is shunted, so every report a drain sees rewritten after it began was sent after the shunt. A
 * report rewritten "up" at least {@link Builder#shuntSeenWithin(Duration) shuntSeenWithin}
 * (default 10 s, the time a shunt may take to reach the responder) after the drain began, while the
 * host is still shunted, proves that the responder does not see the shunt and that the load
 * balancer still sends the host traffic: the drain then fails with a {@link StepFailedException}
 * that names the host, the checkers and what they were told, whatever {@code failOnTimeout} says,
 * so the host is not restarted and stays shunted. So does, at once, a report rewritten "up" after
 * the drain began that {@linkplain CheckerReport#storeProblem() names a store problem}: the
 * responder says it could not read the store, and the failure quotes why. A responder writes such
 * a report at the first check after it became unable to read, so this comes about one check
 * interval after the shunt. So does a drain whose timeout (at least
 * {@code shuntSeenWithin}) ends while a checker was answered "up" after it began and never
 * "down". The likely cause: the app's user cannot read the store (the flag files' permissions), or
 * its responder reads another store (another directory, another cluster). A responder that reads
 * another store without a problem rewrites a steady report only every
 * {@link dev.shunt.HealthResponder#HEARTBEAT} (30 s), so that proof may come that long after the
 * shunt; a drain that ends its timeout having seen no report at all is a timeout as before, and
 * says so.
 *
 * <p>Before a rollout starts, its pre-flight ({@link PreflightCheck}) warns about a host whose
 * responder no load balancer has checked within {@code checkedWithin}, and about a drain whose
 * host's requests in flight are not counted; it fails a drain whose host's latest report says its
 * responder cannot read the store.
 *
 * <p>Defaults: {@code times} 3 for a drain and 2 for rotation (HAProxy's {@code fall} and
 * {@code rise}), {@code minCheckers} 1, {@code timeout} 30 s, {@code pollInterval} 50 ms, go on
 * after the timeout, {@code inFlight} {@link InFlightWait#WHEN_COUNTED} for a drain,
 * {@code checkedWithin} 2 minutes, {@code shuntSeenWithin} 10 s for a drain. Immutable and thread-safe.
 */
public final class AwaitCheckersStep implements Step, PreflightCheck {
  /** How recent a health check must be for the pre-flight to believe a load balancer checks the host. */
  static final Duration DEFAULT_CHECKED_WITHIN = Duration.ofMinutes(2);
  /** How many checkers an outcome names before it only counts the rest. */
  static final int NAMED_CHECKERS = 5;
  /** How long a shunt may take to reach the host's responder before an "up" answer proves it never will. */
  static final Duration DEFAULT_SHUNT_SEEN_WITHIN = Duration.ofSeconds(10);

  private final boolean nacked;
  private final int times;
  private final int minCheckers;
  private final Duration timeout;
  private final Duration pollInterval;
  private final boolean failOnTimeout;
  private final InFlightWait inFlight;
  private final Duration checkedWithin;
  private final Duration shuntSeenWithin;

  private AwaitCheckersStep(Builder builder) {
    this.nacked = builder.nacked;
    this.times = builder.times;
    this.minCheckers = builder.minCheckers;
    this.timeout = builder.timeout;
    this.pollInterval = builder.pollInterval;
    this.failOnTimeout = builder.failOnTimeout;
    this.inFlight = builder.inFlight;
    this.checkedWithin = builder.checkedWithin;
    this.shuntSeenWithin = builder.shuntSeenWithin != null ? builder.shuntSeenWithin : DEFAULT_SHUNT_SEEN_WITHIN;
  }

  /**
   * A builder for the wait that ends when the load balancer has taken a shunted host out.
   *
   * @return a new builder for a drain wait, with its defaults
   */
  public static Builder drain() {
    return new Builder(true, 3);
  }

  /**
   * A builder for the wait that ends when the load balancer has put an unshunted host back.
   *
   * @return a new builder for a rotation wait, with its defaults
   */
  public static Builder rotation() {
    return new Builder(false, 2);
  }

  @Override
  public void run(StepContext context) throws InterruptedException {
    Instant start = context.clock().instant();
    Instant deadline = start.plus(timeout);
    String verdict = nacked ? "down" : "up";
    ShuntWatch watch = nacked ? new ShuntWatch(context, start) : null;
    while (true) {
      List<CheckerReport> reports = context.store().reports(context.key());
      long agreeing = reports.stream()
          .filter(report -> nacked ? report.nackedAtLeast(times) : report.ackedAtLeast(times))
          .count();
      int busy = latestInFlight(reports);
      if (agreeing >= minCheckers && agreeing == reports.size() && inFlightDone(busy)) {
        context.outcome(agreeing + " checker(s) answered " + verdict + " " + howOften(reports)
            + inFlightOutcome(busy) + ", after " + Duration.between(start, context.clock().instant()).toMillis() + " ms"
            + " (" + names(reports) + ")");
        return;
      }
      Instant now = context.clock().instant();
      boolean timedOut = !now.isBefore(deadline);
      if (watch != null) {
        watch.observe(reports, now);
        watch.failIfUnseen(reports, now, timedOut);
      }
      if (timedOut) {
        String seen = reports.isEmpty() ? "no health check was answered" : "checkers: " + describe(reports)
            + (inFlight != InFlightWait.IGNORED ? ", in flight: " + inFlight(busy) : "")
            + (nacked ? unseenShunt(context, reports) : "");
        WaitTimeout.handle(context, failOnTimeout, timeout,
            "checkers did not see the host " + verdict + " within " + timeout, seen);
        return;
      }
      Thread.sleep(pollInterval.toMillis());
    }
  }

  /**
   * What a drain saw of the checkers' reports since it began, to tell a responder that does not
   * see the shunt from one the shunt has not reached yet. Not thread-safe: one per run.
   */
  private final class ShuntWatch {
    private final StepContext context;
    private final Instant start;
    /** The shunt the drain began under; null when the host was not shunted then. */
    private final ShuntStatus shunt;
    /** The last report of each checker seen: those from before the drain began are no evidence. */
    private final Map<String, CheckerReport> lastSeen = new HashMap<>();
    /** Checkers whose report was rewritten "up" since the drain began, and when it was first seen so. */
    private final Map<String, Instant> upSeenAt = new HashMap<>();
    /** Checkers whose report was rewritten "down" since the drain began. */
    private final Set<String> answeredDown = new HashSet<>();

    ShuntWatch(StepContext context, Instant start) {
      this.context = context;
      this.start = start;
      ShuntStatus status = context.store().status(context.key());
      this.shunt = status.shunted() ? status : null;
      context.store().reports(context.key()).forEach(report -> lastSeen.put(report.checker(), report));
    }

    void observe(List<CheckerReport> reports, Instant now) {
      for (CheckerReport report : reports) {
        CheckerReport previous = lastSeen.put(report.checker(), report);
        if (report.equals(previous)) {
          continue;
        }
        if (report.nacked()) {
          answeredDown.add(report.checker());
        } else {
          upSeenAt.put(report.checker(), now);
        }
      }
    }

    /**
     * Fails when a checker was answered "up" since the drain began by a responder that says it
     * cannot read the store, or "up" {@code shuntSeenWithin} or more after the drain began, or,
     * at the timeout, "up" since it began and never "down".
     */
    void failIfUnseen(List<CheckerReport> reports, Instant now, boolean timedOut) {
      if (shunt == null) {
        return;
      }
      Instant graceEnd = start.plus(shuntSeenWithin);
      List<CheckerReport> unseen = reports.stream().filter(report -> !report.nacked())
          .filter(report -> upSeenAt.containsKey(report.checker()))
          .filter(report -> report.storeUnreadable() || !upSeenAt.get(report.checker()).isBefore(graceEnd)
              || timedOut && !now.isBefore(graceEnd) && !answeredDown.contains(report.checker()))
          .toList();
      if (unseen.isEmpty() || !stillTheSameShunt()) {
        return;
      }
      long sinceShunt = unseen.stream().map(report -> upSeenAt.get(report.checker())).max(Comparator.naturalOrder())
          .map(seen -> Duration.between(start, seen).toMillis()).orElse(0L);
      String others = reports.stream().filter(report -> !unseen.contains(report))
          .map(AwaitCheckersStep::describeReport).collect(Collectors.joining(", "));
      String says = unseen.stream().map(CheckerReport::storeProblem).filter(problem -> !problem.isEmpty())
          .distinct().collect(Collectors.joining("; "));
      throw new StepFailedException(context.host() + "'s health responder does not see its shunt: it answered 'up' to "
          + unseen.stream().map(AwaitCheckersStep::describeReport).collect(Collectors.joining(", "))
          + ", seen " + sinceShunt + " ms after the drain began (shunted since " + shunt.since()
          + (says.isEmpty() ? "; a shunt reaches a responder that reads the store within " + shuntSeenWithin + ")"
              : "); the responder says it cannot read the store: " + says)
          + (others.isEmpty() ? "" : "; other checkers: " + others)
          + ". The load balancer still sends it traffic, so it is not restarted and stays shunted. Likely cause:"
          + " the app's user cannot read the store (for flag files, the permissions of the service directory and"
          + " its .shunt files: see 'Flag files' in docs/HEALTH.md; the app's log says 'cannot read shunt flag'),"
          + " or its responder reads another store (another flag-file directory, another Hazelcast cluster or map)");
    }

    /** Whether the host is shunted still, by the shunt the drain began under (not unshunted, expired or redone). */
    private boolean stillTheSameShunt() {
      ShuntStatus now = context.store().status(context.key());
      return now.shunted() && now.since().equals(shunt.since());
    }
  }

  /**
   * Why a drain did not end when the responder answered "up" after the shunt: it does not see
   * the shunt. Empty when nothing says so.
   */
  private static String unseenShunt(StepContext context, List<CheckerReport> reports) {
    ShuntStatus status = context.store().status(context.key());
    if (!status.shunted()) {
      return "";
    }
    return reports.stream().filter(report -> !report.nacked() && report.at().isAfter(status.since())).findFirst()
        .map(report -> "; the host's responder answered 'up' to " + report.checker() + " at " + report.at()
            + ", after the host was shunted at " + status.since() + ", so it does not see the shunt: it cannot read"
            + " the store (its log says why, e.g. 'cannot read shunt flag' where its user may not read the flag"
            + " files) or reads another one")
        .orElse("");
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

  private boolean inFlightDone(int busy) {
    return switch (inFlight) {
      case IGNORED -> true;
      case REQUIRED -> busy == 0;
      case WHEN_COUNTED -> busy == 0 || busy == CheckerReportRules.IN_FLIGHT_UNKNOWN;
    };
  }

  private String inFlightOutcome(int busy) {
    if (inFlight == InFlightWait.IGNORED) {
      return "";
    }
    return busy == CheckerReportRules.IN_FLIGHT_UNKNOWN
        ? "; requests in flight were NOT waited for: the responder does not count them"
        : " and no request was in flight";
  }

  /**
   * Warns when no load balancer checked the host's responder within {@code checkedWithin} (the
   * wait would only be a fixed wait of its timeout), and, for a drain that waits for requests in
   * flight, when the responder does not count them.
   */
  @Override
  public List<PreflightProblem> preflight(PreflightContext context) {
    List<CheckerReport> reports = context.store().reports(context.key());
    Optional<CheckerReport> latest = reports.stream().max(Comparator.comparing(CheckerReport::at));
    Instant since = context.clock().instant().minus(checkedWithin);
    List<PreflightProblem> problems = new ArrayList<>();
    if (latest.isEmpty() || latest.get().at().isBefore(since)) {
      problems.add(context.warning(name(), "no load balancer has checked its health responder in the last "
          + checkedWithin + " (" + latest.map(r -> "last check " + r.at() + " by " + r.checker())
              .orElse("no check recorded in the store") + "), so the waits on its health checks would only be"
          + " fixed waits of their timeouts: check that the load balancer's health check reaches the responder and"
          + " that the responder reads the same store"));
    } else if (nacked && inFlight != InFlightWait.IGNORED
        && latest.get().inFlight() == CheckerReportRules.IN_FLIGHT_UNKNOWN) {
      problems.add(context.warning(name(), inFlight == InFlightWait.REQUIRED
          ? "its responder does not count requests in flight (last check " + latest.get().at() + "), so this drain,"
              + " which requires 0 in flight, will wait its whole timeout of " + timeout
          : "requests in flight at the restart are not waited for: its responder does not count them (last check "
              + latest.get().at() + "). To wait for them, drain by the load balancer's own word (--drain haproxy:…,"
              + " AwaitHaproxyDrainStep), or make the app finish its requests when it is stopped (a graceful stop;"
              + " GracefulShutdown on the JVM), or count them (HttpServerHealth.filter, ShuntFilter)"));
    }
    if (nacked) {
      unseenShunt(context, reports).ifPresent(problems::add);
      storeUnreadable(context, reports, since).ifPresent(problems::add);
    }
    return problems;
  }

  /**
   * An error when the host's responder, in its latest report within {@code checkedWithin}, says
   * it cannot read the store: it answers "up" whatever the store says, so a shunt would not
   * reach the load balancer.
   */
  private Optional<PreflightProblem> storeUnreadable(PreflightContext context, List<CheckerReport> reports,
      Instant since) {
    return reports.stream().filter(report -> !report.at().isBefore(since))
        .max(Comparator.comparing(CheckerReport::at)).filter(CheckerReport::storeUnreadable)
        .map(latest -> context.error(name(), "its health responder cannot read the store (its last report, "
            + describeReport(latest) + " at " + latest.at() + "): " + latest.storeProblem() + ". It answers 'up'"
            + " whatever the store says, so a shunt would not take it out of the load balancer before its restart"));
  }

  /**
   * An error when the host is shunted already (a host an earlier rollout left out) and its
   * responder answered "up" well after the shunt: the stores clear the reports at a shunt, so such
   * a report proves the responder does not see it. {@code shuntSeenWithin} absorbs the
   * difference between the deploy host's clock (the shunt's {@code since}) and the app host's
   * (the report's {@code at}).
   */
  private Optional<PreflightProblem> unseenShunt(PreflightContext context, List<CheckerReport> reports) {
    ShuntStatus status = context.store().status(context.key());
    if (!status.shunted()) {
      return Optional.empty();
    }
    List<CheckerReport> up = reports.stream()
        .filter(report -> !report.nacked() && report.at().isAfter(status.since().plus(shuntSeenWithin))).toList();
    if (up.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(context.error(name(), "it is shunted since " + status.since() + ", yet its health responder"
        + " answered 'up' after that: " + up.stream().map(r -> describeReport(r) + " at " + r.at())
            .collect(Collectors.joining(", "))
        + ". The responder does not see the shunt, so a drain would never end and the load balancer would still"
        + " send it traffic at its restart. Likely cause: the app's user cannot read the store (for flag files, the"
        + " permissions of the service directory and its .shunt files: see 'Flag files' in docs/HEALTH.md), or its"
        + " responder reads another store"));
  }

  /** The in-flight count of the newest report: the count is the host's, whichever checker it was told to. */
  private static int latestInFlight(List<CheckerReport> reports) {
    return reports.stream().max(Comparator.comparing(CheckerReport::at))
        .map(CheckerReport::inFlight).orElse(CheckerReportRules.IN_FLIGHT_UNKNOWN);
  }

  private static String inFlight(int count) {
    return count == CheckerReportRules.IN_FLIGHT_UNKNOWN ? "unknown (the responder does not count requests)" : Integer.toString(count);
  }

  /**
   * The checkers counted, sorted, e.g. {@code lb-1, lb-2}: the first {@value #NAMED_CHECKERS}
   * and how many more, so that a host checked by many stays one short line.
   */
  static String names(List<CheckerReport> reports) {
    List<String> names = reports.stream().map(CheckerReport::checker).sorted().toList();
    return names.size() <= NAMED_CHECKERS ? String.join(", ", names)
        : String.join(", ", names.subList(0, NAMED_CHECKERS)) + " and " + (names.size() - NAMED_CHECKERS) + " more";
  }

  private static String describe(List<CheckerReport> reports) {
    return reports.stream().map(AwaitCheckersStep::describeReport).toList().toString();
  }

  /** One checker's report, e.g. {@code lb-1 up x14}, without its store problem: messages quote that once. */
  private static String describeReport(CheckerReport r) {
    return r.checker() + " " + (r.nacked() ? "down" : "up") + " x" + r.consecutive()
        + (r.appliesAtOnce() ? " (applied at once)" : "");
  }

  @Override
  public String name() {
    return nacked ? "drain" : "rotation";
  }

  @Override
  public String toString() {
    return name() + "(" + (nacked ? "fall=" : "rise=") + times + ", minCheckers=" + minCheckers
        + ", timeout=" + timeout + (nacked && inFlight != InFlightWait.WHEN_COUNTED ? ", inFlight=" + inFlight : "") + ")";
  }

  /**
   * Configures an {@link AwaitCheckersStep}. Not thread-safe. Each setter checks its value as it is given and throws
   * {@link IllegalArgumentException} naming the field, the value and the rule; {@link #build()}
   * checks what is missing and the fields that depend on each other.
   */
  public static final class Builder {
    private final boolean nacked;
    private int times;
    private int minCheckers = 1;
    private Duration timeout = Duration.ofSeconds(30);
    private Duration pollInterval = Duration.ofMillis(50);
    private boolean failOnTimeout;
    private InFlightWait inFlight;
    private Duration checkedWithin = DEFAULT_CHECKED_WITHIN;
    private Duration shuntSeenWithin;

    private Builder(boolean nacked, int times) {
      this.nacked = nacked;
      this.times = times;
      this.inFlight = nacked ? InFlightWait.WHEN_COUNTED : InFlightWait.IGNORED;
    }

    /**
     * Answers in a row each checker must have had: the load balancer's {@code fall} for a
     * drain, its {@code rise} for rotation. A checker that applies answers at once (an agent
     * check) needs one, whatever this says.
     *
     * @param times answers in a row, at least 1
     * @return this builder
     */
    public Builder times(int times) {
      if (times < 1) {
        throw new IllegalArgumentException("times must be >= 1, was " + times);
      }
      this.times = times;
      return this;
    }

    /**
     * How many checkers (load balancers) must have reported, at least.
     *
     * @param minCheckers at least 1
     * @return this builder
     */
    public Builder minCheckers(int minCheckers) {
      if (minCheckers < 1) {
        throw new IllegalArgumentException("minCheckers must be >= 1, was " + minCheckers);
      }
      this.minCheckers = minCheckers;
      return this;
    }

    /**
     * How long to wait; more than the load balancer's {@code times × inter}.
     *
     * @param timeout the longest wait; positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Durations.requirePositive("timeout", timeout);
      return this;
    }

    /**
     * How often to read the reports.
     *
     * @param pollInterval the time between two reads; positive
     * @return this builder
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = Durations.requirePositive("pollInterval", pollInterval);
      return this;
    }

    /**
     * Whether to fail (rather than go on) when the checkers are not seen within the timeout.
     *
     * @param failOnTimeout true to fail, false to go on
     * @return this builder
     */
    public Builder failOnTimeout(boolean failOnTimeout) {
      this.failOnTimeout = failOnTimeout;
      return this;
    }

    /**
     * Whether a drain also waits until the latest report says no request is in flight. Default
     * for a drain: {@link InFlightWait#WHEN_COUNTED}; rotation takes only
     * {@link InFlightWait#IGNORED} (requests in flight say nothing about rotation).
     *
     * @param inFlight how to treat requests in flight; not null
     * @return this builder
     */
    public Builder inFlight(InFlightWait inFlight) {
      if (inFlight == null) {
        throw new IllegalArgumentException("inFlight must be set, was null");
      }
      if (inFlight != InFlightWait.IGNORED && !nacked) {
        throw new IllegalArgumentException("inFlight must be IGNORED for rotation, was " + inFlight
            + ": it is a drain condition");
      }
      this.inFlight = inFlight;
      return this;
    }

    /**
     * How recent the latest health check in the store must be for the rollout's pre-flight to
     * believe a load balancer checks the host; older or none is a warning. Default: 2 minutes.
     *
     * @param checkedWithin the age below which a check counts; positive
     * @return this builder
     */
    public Builder checkedWithin(Duration checkedWithin) {
      this.checkedWithin = Durations.requirePositive("checkedWithin", checkedWithin);
      return this;
    }

    /**
     * For a drain: how long the shunt may take to reach the host's responder (the store's
     * propagation: a Hazelcast member's or client's view, a flag file read at the next check).
     * A checker answered "up" later than this after the drain began proves the responder does not
     * see the shunt, and the drain fails at once, whatever {@link #failOnTimeout} says. Default:
     * 10 s. Rotation takes none: it is a drain condition.
     *
     * @param shuntSeenWithin the longest the shunt may take to reach the responder; positive
     * @return this builder
     */
    public Builder shuntSeenWithin(Duration shuntSeenWithin) {
      if (shuntSeenWithin != null) {
        if (!nacked) {
          throw new IllegalArgumentException("shuntSeenWithin must not be set for rotation, was " + shuntSeenWithin
              + ": it is a drain condition");
        }
        Durations.requirePositive("shuntSeenWithin", shuntSeenWithin);
      }
      this.shuntSeenWithin = shuntSeenWithin;
      return this;
    }

    /**
     * Builds the step; every setting was checked as it was given.
     *
     * @return a new, immutable step
     */
    public AwaitCheckersStep build() {
      return new AwaitCheckersStep(this);
    }
  }

  @Override
  public dev.shunt.StepDescription describe() {
    dev.shunt.StepDescription description = dev.shunt.StepDescription.of(name(), nacked
            ? dev.shunt.StepDescription.Kind.DRAIN : dev.shunt.StepDescription.Kind.ROTATION)
        .withTimeout(timeout).with(nacked ? "fall" : "rise", times).with("minCheckers", minCheckers)
        .with("pollInterval", pollInterval).with("afterTimeout", failOnTimeout ? "fail" : "go on");
    if (nacked && !shuntSeenWithin.equals(DEFAULT_SHUNT_SEEN_WITHIN)) {
      description = description.with("shuntSeenWithin", shuntSeenWithin);
    }
    return nacked && inFlight != InFlightWait.WHEN_COUNTED ? description.with("inFlight", inFlight) : description;
  }
}
