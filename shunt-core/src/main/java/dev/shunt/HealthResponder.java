package dev.shunt;

import dev.shunt.internal.CheckerIdentity;
import dev.shunt.internal.CheckerReportRules;
import dev.shunt.internal.CheckerTallies;
import dev.shunt.internal.HealthAnswers;
import dev.shunt.internal.HealthPath;
import dev.shunt.internal.NackShutdown;
import dev.shunt.internal.ThrottledWarning;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Answers a load balancer's health checks from a {@link StatusStore}, and takes the instance out
 * of rotation before it stops.
 *
 * <p><b>Shunt mode.</b> While the store says the instance is shunted, every check is answered
 * {@code 503}; otherwise {@code 200}. Other paths are never touched: adapters pass them on.
 *
 * <p><b>NACK mode.</b> {@link #startShutdown()} makes every later check answer {@code 503}, and
 * completes once every health checker (every load balancer, told apart by
 * {@linkplain Builder#checkerId(Function) checker id}) has been answered "down"
 * {@linkplain Builder#nacksBeforeShutdown(int) N times} in a row, right after the last of those
 * answers was sent; the load balancer has then taken the instance out and the process may stop.
 * If checks stop coming, it completes anyway {@linkplain Builder#healthcheckTimeout(Duration) a
 * timeout} after the last one (or after {@code startShutdown()} when none comes at all). It completes
 * once, however many times {@code startShutdown()} is called. An agent checker counts as done after
 * one {@code down} answer, since HAProxy applies it at once; its earlier {@code drain} answers
 * (while shunted) do not count, as a drained server still gets persistent clients.
 *
 * <p><b>Reports.</b> Every "down" answer, and the first ten "up" answers after a change, are
 * recorded in the store as {@link CheckerReport}s after they were sent, so a deploy tool anywhere
 * can watch the drain (and the return) happen. After those ten, a steady state in rotation
 * writes a checker's report again only when the last one written for it is older than
 * {@link #HEARTBEAT} (30 s): at most one write per checker per 30 s, enough for a deploy tool to
 * tell from a report's {@link CheckerReport#at() at} that a load balancer still checks the
 * instance. Answers to HAProxy agent checks ({@link AgentCheckResponder}) are reported the same
 * way, as checker {@code agent:<address>}, {@linkplain CheckerReport#appliesAtOnce() applied at
 * once}. At the first check it answers, the responder {@linkplain StatusStore#register registers}
 * its instance as one of the service's known hosts, the base of a percentage
 * {@link DisruptionBudget}.
 *
 * <p><b>Who counts as a checker.</b> By default every client that reaches the health path is a
 * checker, told apart by its address, so anyone who can reach it can report "down" on behalf of
 * a load balancer that has not checked yet, and end a drain early. With
 * {@link Builder#checkerHeader(String) checkerHeader("X-Checker")} only checks that carry the
 * header are checkers, named by its value; with {@link Builder#checkerSecret(String)} the value
 * must also end in {@code :<secret>} (HAProxy: {@code http-check send hdr X-Checker lb-1:<secret>}).
 * A check without that proof is answered as usual, never refused, but is not recorded: it is no
 * checker report, and a shutdown does not wait for it nor complete by it.
 *
 * <p><b>How many checkers.</b> The responder remembers at most
 * {@linkplain Builder#maxCheckers(int) 32 checkers}; a checker not seen for
 * {@linkplain Builder#forgetCheckersAfter(Duration) 5 minutes} is forgotten and its report is
 * {@linkplain StatusStore#removeReport removed} from the store. A new checker while 32 are
 * remembered is answered but not recorded, and a warning says so (at most once a minute).
 *
 * <p><b>Pass-through.</b> With {@link Builder#passThrough(boolean) passThrough(true)}, a check
 * that comes while the instance is in rotation goes on to the application's own handler of the
 * health path, so the application's own check (its database, its disk) still decides; adapters
 * use {@link #answerOrPassThrough} and record the application's answer through the returned
 * {@link PassedCheck}. Shunted or shutting down, the responder answers itself, as always.
 *
 * <p><b>A store it cannot read.</b> A failing store never fails a check: the responder answers
 * "up" (it fails open, so that a store outage never takes a fleet out of rotation) and logs the
 * problem at {@code WARNING}, at once when it begins or changes, then at most once a minute, and
 * at {@code INFO} when the store can be read again. Every report it writes meanwhile names the
 * problem ({@link CheckerReport#storeProblem()}), and each checker's report is written at its next
 * check whenever the problem begins, changes or ends, not at the next heartbeat: a flag this
 * process may not read (root's {@code 0600} shunt flag, read by an app running as another user)
 * turns up in the store one check after the shunt, and a rollout's drain
 * ({@code AwaitCheckersStep}) fails the host before its restart. This costs no read of the store
 * beyond the status read every check makes.
 *
 * <p><b>Observers.</b> {@link #addObserver} adds a {@link HealthObserver} that hears every answer
 * and the shutdown's outcome, e.g. {@code dev.shunt.micrometer.HealthResponderMetrics}, which
 * counts them in Micrometer.
 *
 * <p>Thread-safe: adapters call {@link #answer} from any number of threads.
 */
public final class HealthResponder {
  /** Why {@link #startShutdown()} completed. */
  public enum ShutdownOutcome {
    /**
     * Every checker was answered "down" {@code nacksBeforeShutdown} times in a row (an agent
     * checker: once).
     */
    ALL_CHECKERS_NACKED,
    /** No check came for {@code healthcheckTimeout}: the checks stopped or never came. */
    CHECKS_TIMED_OUT
  }

  /**
   * The longest a checker that keeps checking goes without its report being written again: a
   * steady "up" answer rewrites the report once the last one written is this old.
   */
  public static final Duration HEARTBEAT = Duration.ofSeconds(30);

  /** The longest checker name {@link Builder#checkerHeader(String)} accepts from a check. */
  public static final int MAX_CHECKER_NAME = 64;

  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$&'*+.^_`|~-]+");
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9+/=._~-]{16,256}");
  /** The default {@code checkerId}: compared by identity, to tell whether one was set. */
  private static final Function<RequestInfo, String> BY_CLIENT_ADDRESS = RequestInfo::clientAddress;

  private static final System.Logger LOG = System.getLogger(HealthResponder.class.getName());

  // The configuration, kept as given for toBuilder() and toString().
  private final StatusStore store;
  private final InstanceKey key;
  private final int nacksBeforeShutdown;
  private final Duration healthcheckTimeout;
  private final Function<RequestInfo, String> checkerId;
  private final String checkerHeader;
  private final String checkerSecret;
  private final int maxCheckers;
  private final Duration forgetCheckersAfter;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final BooleanSupplier healthyIf;
  private final BooleanSupplier sickIf;
  private final BooleanSupplier healthy;
  private final int shuntedStatus;
  private final boolean json;
  private final boolean revealReason;
  private final boolean passThrough;

  // The parts, each doing one job.
  private final HealthPath healthPath;
  private final HealthAnswers answers;
  private final CheckerIdentity checkers;
  private final CheckerTallies tallies;
  private final NackShutdown shutdown;

  private final ThrottledWarning storeUnreadable;
  private final ThrottledWarning observerFailed;
  private final InFlightRequests inFlight = new InFlightRequests();
  private final List<HealthObserver> observers = new CopyOnWriteArrayList<>();
  /** Why the last read of the status failed; empty when it succeeded. */
  private volatile String storeProblem = "";

  private HealthResponder(Builder builder) {
    this.store = builder.store;
    this.key = builder.key;
    this.nacksBeforeShutdown = builder.nacksBeforeShutdown;
    this.healthcheckTimeout = builder.healthcheckTimeout;
    this.checkerId = builder.checkerId;
    this.checkerHeader = builder.checkerHeader;
    this.checkerSecret = builder.checkerSecret;
    this.maxCheckers = builder.maxCheckers;
    this.forgetCheckersAfter = builder.forgetCheckersAfter;
    this.clock = builder.clock;
    this.scheduler = builder.scheduler;
    this.healthyIf = builder.healthyIf;
    this.sickIf = builder.sickIf;
    this.healthy = builder.healthyIf != null ? builder.healthyIf
        : builder.sickIf != null ? () -> !builder.sickIf.getAsBoolean() : () -> true;
    this.shuntedStatus = builder.shuntedStatus;
    this.json = builder.json;
    this.revealReason = builder.revealReason;
    this.passThrough = builder.passThrough;

    this.healthPath = new HealthPath(builder.pathMatch, builder.path);
    this.answers = new HealthAnswers(shuntedStatus, json, revealReason);
    this.checkers = new CheckerIdentity(checkerId, checkerHeader, checkerSecret);
    this.tallies = new CheckerTallies(store, key, maxCheckers, forgetCheckersAfter,
        new ThrottledWarning(LOG, Duration.ofMinutes(1), clock::instant));
    this.shutdown = new NackShutdown(key, nacksBeforeShutdown, healthcheckTimeout, scheduler, clock, tallies,
        outcome -> tell("shutdownCompleted", observer -> observer.shutdownCompleted(outcome)));
    this.storeUnreadable = new ThrottledWarning(LOG, Duration.ofMinutes(1), clock::instant);
    this.observerFailed = new ThrottledWarning(LOG, Duration.ofMinutes(1), clock::instant);
    inFlight.whenIdle(this::idleWhileNacking);
  }

  /**
   * A builder; {@link Builder#store} and {@link Builder#key} are required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this responder's configuration, to derive a variant.
   *
   * @return a new builder with this responder's settings
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The health path this responder answers, e.g. {@code /health}: a path, a prefix or a pattern.
   *
   * @return the configured path, prefix or pattern, as given
   */
  public String path() {
    return healthPath.path();
  }

  /**
   * Whether checks in rotation go on to the application's own handler: {@link Builder#passThrough}.
   *
   * @return true when checks in rotation are passed on
   */
  public boolean passesThrough() {
    return passThrough;
  }

  /**
   * The requests the application is serving: adapters count them, a shutdown waits for them.
   *
   * @return the in-flight counter of this responder
   */
  public InFlightRequests inFlight() {
    return inFlight;
  }

  /**
   * The instance whose status this responder answers.
   *
   * @return the instance's key
   */
  public InstanceKey key() {
    return key;
  }

  /**
   * Whether a request for {@code requestPath} is a health check this responder answers.
   * {@code requestPath} is the path as the client sent it, percent-encoded, without the query.
   * It is a health check only when it is one both decoded as sent and with its dot segments
   * resolved: with {@code pathPrefix("/health")}, {@code /health/live} is one and
   * {@code /health/../admin} is not, so that maintenance mode, which passes health checks on,
   * never passes on a path an application may read as another. A path that cannot be decoded
   * is no health check.
   *
   * @param requestPath the path as the client sent it, percent-encoded, without the query
   * @return true when this responder answers that path
   */
  public boolean handles(String requestPath) {
    return healthPath.matches(requestPath);
  }

  /**
   * What the responder would tell the load balancer now: shutting down, else shunted (in the
   * store), else sick (by the {@code healthyIf}/{@code sickIf} check), else in rotation.
   *
   * @return the state an answer would report now
   */
  public HealthState state() {
    return decide(clock.instant()).state();
  }

  /** A state and the status it was decided from. */
  private record Decision(HealthState state, ShuntStatus status) {}

  private Decision decide(Instant now) {
    if (isShuttingDown()) {
      return new Decision(HealthState.SHUTTING_DOWN, ShuntStatus.inRotation());
    }
    ShuntStatus status = readStatus();
    if (status.isShuntedAt(now)) {
      return new Decision(HealthState.SHUNTED, status);
    }
    return new Decision(isHealthy() ? HealthState.IN_ROTATION : HealthState.SICK, status);
  }

  private boolean isHealthy() {
    try {
      return healthy.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the " + (sickIf != null ? "sickIf" : "healthyIf") + " check of " + key
          + " threw, answering 'sick': " + e);
      return false;
    }
  }

  /**
   * Answers one health check: hands the answer to {@code sink}, which must have sent it by the
   * time it returns, then records it. A shutdown waiting for this answer completes only after
   * {@code sink} returned.
   *
   * @param check the health check request; not null
   * @param sink sends the answer to the client; not null
   * @throws IOException what {@code sink} threw; the answer is then not counted
   */
  public void answer(RequestInfo check, AnswerSink sink) throws IOException {
    if (!HealthAnswers.isCheckMethod(check.method())) {
      sink.send(HealthAnswers.METHOD_NOT_ALLOWED);
      return;
    }
    Instant now = clock.instant();
    Decision decision = decide(now);
    HealthState state = decision.state();
    sink.send(answers.of(state, decision.status()));
    tell("answered", observer -> observer.answered(HealthObserver.Check.HTTP, state, state.isNack()));
    sent(checkers.of(check), CheckerTallies.Answer.toHttpCheck(state), now);
  }

  /** The instant an agent check is decided and reported at: this responder's clock. */
  Instant now() {
    return clock.instant();
  }

  /** What to tell a checker at {@code now}: {@link #state()} at a given instant. */
  HealthState stateAt(Instant now) {
    return decide(now).state();
  }

  /**
   * Records an answer the {@link AgentCheckResponder} has sent to {@code checker}, decided from
   * {@code state} at {@code decidedAt}, like a health check's answer but applied at once.
   */
  void agentCheckAnswered(String checker, HealthState state, Instant decidedAt) {
    tell("answered", observer -> observer.answered(HealthObserver.Check.AGENT, state, state.isNack()));
    sent(checker, CheckerTallies.Answer.toAgentCheck(state), decidedAt);
  }

  /**
   * Answers one health check like {@link #answer}, except that with
   * {@link Builder#passThrough(boolean) passThrough} a {@code GET}, {@code HEAD} or
   * {@code OPTIONS} check that comes while the instance is in rotation is not answered: the
   * adapter must then pass the request on to the application's own handler, uncounted in
   * {@link #inFlight()}, and tell the returned check how the application answered. Without
   * passThrough, the same as {@link #answer}.
   *
   * @param check the health check request; not null
   * @param sink sends the answer to the client, when the responder answers; not null
   * @return the check to pass on, or empty when {@code sink} was given the responder's answer
   * @throws IOException what {@code sink} threw; the answer is then not counted
   */
  public Optional<PassedCheck> answerOrPassThrough(RequestInfo check, AnswerSink sink) throws IOException {
    if (passThrough && HealthAnswers.isCheckMethod(check.method())
        && decide(clock.instant()).state() == HealthState.IN_ROTATION) {
      return Optional.of(new PassedCheck(checkers.of(check)));
    }
    // answer() decides afresh: a state that changed since is answered as it is now.
    answer(check, sink);
    return Optional.empty();
  }

  /**
   * The status in the store, or "in rotation" when it cannot be read (failing open), which is
   * logged, at once when the problem begins or changes and then at most once a minute, and
   * remembered for the reports.
   */
  private ShuntStatus readStatus() {
    ShuntStatus status;
    try {
      status = store.status(key);
    } catch (RuntimeException e) {
      String problem = CheckerReport.oneLine(e.getMessage() != null ? e.getMessage() : e.toString());
      String message = "cannot read the status of " + key + " from the store, answering 'up' although it may be"
          + " shunted: " + problem + ". A deploy that shunts it will find its checks answered 'up'"
          + " (its reports say why) and stop";
      if (!problem.equals(storeProblem)) {
        storeProblem = problem;
        storeUnreadable.warnAtOnce(message);
      } else {
        storeUnreadable.warn(message);
      }
      return ShuntStatus.inRotation();
    }
    if (!storeProblem.isEmpty()) {
      storeProblem = "";
      LOG.log(Level.INFO, "can read the status of " + key + " from the store again");
    }
    return status;
  }

  /**
   * Records an answer sent to {@code checker}, and tells a shutdown of a NACK; null when the
   * check proved no checker: it is then answered but not recorded.
   */
  private void sent(String checker, CheckerTallies.Answer answer, Instant now) {
    int busy = inFlight.isCounted() ? inFlight.current() : CheckerReportRules.IN_FLIGHT_UNKNOWN;
    if (tallies.record(checker, answer, now, busy, storeProblem) && answer.nack()) {
      shutdown.nackSent(checker);
    }
  }

  /**
   * The last request in flight ended while the load balancer is being told "down": says so in
   * every checker's report at once, so a drain waiting for zero in flight need not wait for the
   * next check. Writes once per NACK that was reported busy, and nothing while in rotation or
   * once the instance is back in rotation (its reports were cleared then).
   */
  private void idleWhileNacking() {
    if (tallies.reportedBusyWhileNacking() && state().isNack()) {
      tallies.reportIdle(clock.instant());
    }
  }

  /**
   * Whether {@link #startShutdown()} has been called.
   *
   * @return true once a shutdown has started
   */
  public boolean isShuttingDown() {
    return shutdown.isStarted();
  }

  /**
   * Enters NACK mode: from now on every check is answered "down". The returned future completes
   * once, on the thread that sent the last awaited NACK (or on a timer thread after the timeout);
   * calling this again returns the same future.
   *
   * <p>Not named {@code shutdown()}: a container that infers a bean's destroy method (Spring
   * takes a public no-argument {@code close()} or {@code shutdown()}) would call it at every
   * context close and wait for the future, up to {@code healthcheckTimeout}.
   *
   * @return a future completed with the shutdown's outcome; the same future on every call
   */
  public CompletableFuture<ShutdownOutcome> startShutdown() {
    return shutdown.start();
  }

  /**
   * {@link #startShutdown()}, then {@code callback} once it completes, whatever the outcome. Each
   * callback given runs exactly once: called twice, the one shutdown runs both callbacks when it
   * completes (in no set order, on the thread that completes it); a callback given after it
   * completed runs at once, on the calling thread. A callback that throws keeps no other from
   * running; what it throws is logged.
   *
   * @param callback runs once the shutdown completed; not null
   */
  public void shutdown(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    startShutdown().thenRun(callback).exceptionally(thrown -> {
      LOG.log(Level.WARNING, key + ": a shutdown callback failed", thrown);
      return null;
    });
  }

  /**
   * Adds {@code observer}, which hears every answer from now on and the shutdown's outcome; see
   * {@link HealthObserver} for when and on which thread.
   *
   * @param observer the observer to add; not null
   */
  public void addObserver(HealthObserver observer) {
    observers.add(Objects.requireNonNull(observer, "observer"));
  }

  /** Tells every observer, keeping one that throws from failing a check or keeping others uninformed. */
  private void tell(String event, Consumer<HealthObserver> call) {
    for (HealthObserver observer : observers) {
      try {
        call.accept(observer);
      } catch (RuntimeException e) {
        observerFailed.warn(key + ": the health observer " + observer + " threw on " + event + ", ignored: " + e);
      }
    }
  }

  @Override
  public String toString() {
    return "HealthResponder{" + key + " on " + healthPath
        + ", shuntedStatus=" + shuntedStatus + ", nacksBeforeShutdown=" + nacksBeforeShutdown
        + ", healthcheckTimeout=" + healthcheckTimeout + (passThrough ? ", passThrough" : "")
        + (checkerHeader != null ? ", checkerHeader=" + checkerHeader + (checkerSecret != null ? " with a secret" : "") : "")
        + ", maxCheckers=" + maxCheckers + "}";
  }

  /**
   * A health check the responder passed on to the application's own handler (see
   * {@link HealthResponder#answerOrPassThrough}): the adapter tells it how the application
   * answered, and it is recorded for its checker like the responder's own answers, by HAProxy's
   * rule: a status from 200 to 399 is "up", anything else "down". Only the first call counts; a
   * check the adapter never reports is not recorded. Thread-safe.
   */
  public final class PassedCheck {
    private final String checker;
    private final AtomicBoolean recorded = new AtomicBoolean();

    private PassedCheck(String checker) {
      this.checker = checker;
    }

    /**
     * The application sent {@code status}: "up" from 200 to 399, else "down".
     *
     * @param status the HTTP status the application answered
     */
    public void appAnswered(int status) {
      record(status < 200 || status > 399);
    }

    /** The application's handler failed (threw) without an answer: "down". */
    public void appFailed() {
      record(true);
    }

    private void record(boolean nack) {
      if (recorded.compareAndSet(false, true)) {
        tell("answered", observer -> observer.answered(HealthObserver.Check.HTTP, HealthState.IN_ROTATION, nack));
        sent(checker, CheckerTallies.Answer.toHttpCheck(nack), clock.instant());
      }
    }
  }

  /** Sends one answer; adapters implement it over their framework's response. */
  @FunctionalInterface
  public interface AnswerSink {
    /**
     * Writes {@code answer} out (flushed) before returning. Throws only when the status did not
     * reach the client; a client that hangs up after reading the status has had its answer.
     *
     * @param answer the answer to send
     * @throws IOException if the status did not reach the client
     */
    void send(HealthAnswer answer) throws IOException;
  }

  /**
   * Configures a {@link HealthResponder}. Not thread-safe; {@link #build()} validates every field
   * and returns an immutable-configured, thread-safe responder.
   */
  public static final class Builder {
    private String path = "/health";
    private HealthPath.Match pathMatch = HealthPath.Match.EXACT;
    private final EnumSet<HealthPath.Match> pathsSet = EnumSet.noneOf(HealthPath.Match.class);
    private StatusStore store;
    private InstanceKey key;
    private int nacksBeforeShutdown = 3;
    private Duration healthcheckTimeout = Duration.ofSeconds(15);
    private Function<RequestInfo, String> checkerId = BY_CLIENT_ADDRESS;
    private boolean checkerIdSet;
    private String checkerHeader;
    private String checkerSecret;
    private int maxCheckers = 32;
    private Duration forgetCheckersAfter = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private BooleanSupplier healthyIf;
    private BooleanSupplier sickIf;
    private int shuntedStatus = 503;
    private boolean json;
    private boolean revealReason;
    private boolean passThrough;

    private Builder() {}

    private Builder(HealthResponder responder) {
      path = responder.healthPath.path();
      pathMatch = responder.healthPath.match();
      store = responder.store;
      key = responder.key;
      nacksBeforeShutdown = responder.nacksBeforeShutdown;
      healthcheckTimeout = responder.healthcheckTimeout;
      checkerId = responder.checkerId;
      checkerIdSet = responder.checkerId != BY_CLIENT_ADDRESS;
      checkerHeader = responder.checkerHeader;
      checkerSecret = responder.checkerSecret;
      maxCheckers = responder.maxCheckers;
      forgetCheckersAfter = responder.forgetCheckersAfter;
      clock = responder.clock;
      scheduler = responder.scheduler;
      healthyIf = responder.healthyIf;
      sickIf = responder.sickIf;
      shuntedStatus = responder.shuntedStatus;
      json = responder.json;
      revealReason = responder.revealReason;
      passThrough = responder.passThrough;
    }

    /**
     * The health path, matched exactly; must start with {@code /}. Default {@code /health}. Set
     * one of {@code path}, {@link #pathPrefix} and {@link #pathPattern}.
     *
     * @param path the exact path, starting with {@code /}
     * @return this builder
     */
    public Builder path(String path) {
      return path(HealthPath.Match.EXACT, path);
    }

    /**
     * Answers every path that starts with {@code prefix}, e.g. {@code /health} for {@code /health/live}.
     *
     * @param prefix the path prefix, starting with {@code /}
     * @return this builder
     */
    public Builder pathPrefix(String prefix) {
      return path(HealthPath.Match.PREFIX, prefix);
    }

    /**
     * Answers every path the regular expression matches as a whole, e.g.
     * {@code /(health|options/full_stack_status)}.
     *
     * @param regex a regular expression matched against the whole path
     * @return this builder
     */
    public Builder pathPattern(String regex) {
      return path(HealthPath.Match.PATTERN, regex);
    }

    private Builder path(HealthPath.Match match, String value) {
      this.pathMatch = match;
      this.path = value;
      pathsSet.add(match);
      return this;
    }

    /**
     * The instance is healthy while {@code check} says true, and answered "sick" ({@code 503})
     * otherwise; a check that throws counts as sick. Called on every health check: keep it
     * quick. Set at most one of {@code healthyIf} and {@link #sickIf}. Default: always healthy.
     *
     * @param check true while the instance is healthy; not null
     * @return this builder
     */
    public Builder healthyIf(BooleanSupplier check) {
      this.healthyIf = check;
      return this;
    }

    /**
     * The instance is sick while {@code check} says true; the opposite of {@link #healthyIf}.
     *
     * @param check true while the instance is sick; not null
     * @return this builder
     */
    public Builder sickIf(BooleanSupplier check) {
      this.sickIf = check;
      return this;
    }

    /**
     * The status answered while shunted: {@code 503} by default, {@code 404} for HAProxy's
     * {@code http-check disable-on-404} (which then stops new traffic but keeps existing
     * sessions). Any status from 400 to 599. Shutting down and sick are always {@code 503}.
     *
     * @param status from 400 to 599
     * @return this builder
     */
    public Builder shuntedStatus(int status) {
      this.shuntedStatus = status;
      return this;
    }

    /**
     * Answers with a JSON body, {@code {"state":"shunted","since":"…","until":"…"}}, instead of
     * one line of text ({@code ok}, {@code shunted}, {@code shutting down}, {@code sick}).
     * Default: text.
     *
     * @param json true for JSON bodies, false for text
     * @return this builder
     */
    public Builder json(boolean json) {
      this.json = json;
      return this;
    }

    /**
     * Whether a JSON body also carries the shunt's reason. Default: no, since a health endpoint
     * is often reachable by more people than the reason is meant for.
     *
     * @param revealReason true to put the reason in JSON bodies
     * @return this builder
     */
    public Builder revealReason(boolean revealReason) {
      this.revealReason = revealReason;
      return this;
    }

    /**
     * Whether, while the instance is in rotation, health checks ({@code GET}, {@code HEAD},
     * {@code OPTIONS}) go on to the application's own handler of the health path: the load
     * balancer gets the application's answer (status, headers, body), recorded per checker as
     * "up" (200–399) or "down" (any other status, or a handler that throws). Shunted or shutting
     * down, the responder answers itself and the application's handler is not called. A passed
     * check is not counted in {@link HealthResponder#inFlight()}; other methods get {@code 405},
     * as always.
     *
     * <p>The application must have a handler on the path: without one its {@code 404} reaches
     * the load balancer, which then counts the instance "down" while it is in rotation. Not with
     * {@link #healthyIf}/{@link #sickIf}: the application's handler is the check then.
     * {@link HealthResponder#state()} and an {@link AgentCheckResponder} do not see the
     * application's answer. Needs an adapter in front of the application's handler
     * ({@code HttpServerHealth.filter}, {@code ShuntFilter}). Default: false, the responder answers
     * every check itself.
     *
     * @param passThrough true to pass checks in rotation on
     * @return this builder
     */
    public Builder passThrough(boolean passThrough) {
      this.passThrough = passThrough;
      return this;
    }

    /**
     * Where the shunt status is read and checks are reported. Required.
     *
     * @param store the store holding the instance's status; not null
     * @return this builder
     */
    public Builder store(StatusStore store) {
      this.store = store;
      return this;
    }

    /**
     * The instance this responder answers for. Required.
     *
     * @param key the instance's key; not null
     * @return this builder
     */
    public Builder key(InstanceKey key) {
      this.key = key;
      return this;
    }

    /**
     * How many "down" answers in a row each checker gets before {@link #startShutdown()} completes:
     * the load balancer's {@code fall} (HAProxy's default is 3). At least 1; default 3.
     *
     * @param nacksBeforeShutdown the load balancer's {@code fall}, at least 1
     * @return this builder
     */
    public Builder nacksBeforeShutdown(int nacksBeforeShutdown) {
      this.nacksBeforeShutdown = nacksBeforeShutdown;
      return this;
    }

    /**
     * How long a shutdown waits for the next check before it completes anyway. Re-armed after
     * every NACK. Positive; default 15 s. Longer than the load balancer's check interval.
     *
     * @param healthcheckTimeout the longest wait for the next check; positive
     * @return this builder
     */
    public Builder healthcheckTimeout(Duration healthcheckTimeout) {
      this.healthcheckTimeout = healthcheckTimeout;
      return this;
    }

    /**
     * Tells checkers apart, so that each load balancer is NACKed on its own. Default: the
     * client's IP address. A check for which it returns null is answered but not recorded. To
     * name load balancers by a header they send, and count only checks that carry it, use
     * {@link #checkerHeader} (and {@link #checkerSecret}) instead.
     *
     * @param checkerId names the checker of a request, or returns null for no checker; not null
     * @return this builder
     */
    public Builder checkerId(Function<RequestInfo, String> checkerId) {
      this.checkerId = checkerId;
      this.checkerIdSet = true;
      return this;
    }

    /**
     * Only checks that carry header {@code name} are checkers, named by its value (letters,
     * digits, {@code .}, {@code _}, {@code -}; at most {@value HealthResponder#MAX_CHECKER_NAME}
     * characters). HAProxy sends it with {@code http-check send hdr X-Checker lb-1}. A check
     * without it, or with a malformed value, is answered as usual but not recorded: it cannot end
     * a drain nor a shutdown. The header alone names load balancers but proves little: anyone who
     * knows its name can send it; add {@link #checkerSecret}. Not with {@link #checkerId}.
     * Default: none, every client is a checker, told apart by its address.
     *
     * @param name the header's name, or null for none
     * @return this builder
     */
    public Builder checkerHeader(String name) {
      this.checkerHeader = name;
      return this;
    }

    /**
     * A secret the {@linkplain #checkerHeader checker header} must carry after the checker's
     * name and a colon, e.g. {@code lb-1:Xq3…} (HAProxy:
     * {@code http-check send hdr X-Checker lb-1:Xq3…}); compared in constant time. 16 to 256
     * characters of letters, digits and {@code + / = . _ ~ -}, e.g. from
     * {@code openssl rand -base64 24}. Needs {@link #checkerHeader}. Default: none.
     *
     * @param secret the secret, or null for none
     * @return this builder
     */
    public Builder checkerSecret(String secret) {
      this.checkerSecret = secret;
      return this;
    }

    /**
     * How many checkers the responder remembers, and reports to the store, at most: a new
     * checker beyond them is answered but not recorded until one is
     * {@linkplain #forgetCheckersAfter forgotten}, and a warning says so (at most once a
     * minute). At least 1; default 32.
     *
     * @param maxCheckers at least 1
     * @return this builder
     */
    public Builder maxCheckers(int maxCheckers) {
      this.maxCheckers = maxCheckers;
      return this;
    }

    /**
     * How long a checker may go unseen before it is forgotten: its place is freed and its
     * report removed from the store, so that a deploy tool no longer waits for it. Forgotten
     * when the next new checker comes. At least {@link #healthcheckTimeout}, so that a shutdown
     * never forgets a checker it waits for; default 5 minutes.
     *
     * @param forgetCheckersAfter at least the health check timeout
     * @return this builder
     */
    public Builder forgetCheckersAfter(Duration forgetCheckersAfter) {
      this.forgetCheckersAfter = forgetCheckersAfter;
      return this;
    }

    /**
     * The clock for reports and for deciding which checkers are active. Default: system UTC.
     *
     * @param clock the clock; not null
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Runs the shutdown timeout. Default: a daemon thread started by {@link #startShutdown()} and
     * stopped when it completes.
     *
     * @param scheduler runs the shutdown timeout; not null
     * @return this builder
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /**
     * Validates the configuration and builds the responder.
     *
     * @return a new responder, thread-safe
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public HealthResponder build() {
      if (pathsSet.size() > 1) {
        throw new IllegalArgumentException("set only one of path, pathPrefix and pathPattern, was "
            + pathsSet.size() + " of them (the last: " + quoted(path) + ")");
      }
      if (path == null || pathMatch != HealthPath.Match.PATTERN && !path.startsWith("/")) {
        throw new IllegalArgumentException(pathMatch.field() + " must start with '/', was " + quoted(path));
      }
      if (pathMatch == HealthPath.Match.PATTERN) {
        try {
          Pattern.compile(path);
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException("pathPattern must be a regular expression, was "
              + quoted(path) + ": " + e.getDescription());
        }
      }
      if (healthyIf != null && sickIf != null) {
        throw new IllegalArgumentException("set healthyIf or sickIf, not both");
      }
      if (passThrough && (healthyIf != null || sickIf != null)) {
        throw new IllegalArgumentException("set " + (healthyIf != null ? "healthyIf" : "sickIf")
            + " or passThrough, not both: with passThrough the app's own handler of the health path"
            + " decides while in rotation");
      }
      if (shuntedStatus < 400 || shuntedStatus > 599) {
        throw new IllegalArgumentException("shuntedStatus must be from 400 to 599 (a failed check), was "
            + shuntedStatus);
      }
      if (revealReason && !json) {
        throw new IllegalArgumentException("revealReason needs json(true): the text body carries no reason");
      }
      if (store == null) {
        throw new IllegalArgumentException("store must be set, was null");
      }
      if (key == null) {
        throw new IllegalArgumentException("key must be set, was null");
      }
      if (nacksBeforeShutdown < 1) {
        throw new IllegalArgumentException("nacksBeforeShutdown must be >= 1, was " + nacksBeforeShutdown);
      }
      if (healthcheckTimeout == null || healthcheckTimeout.isNegative() || healthcheckTimeout.isZero()) {
        throw new IllegalArgumentException("healthcheckTimeout must be positive, was " + healthcheckTimeout);
      }
      if (checkerId == null) {
        throw new IllegalArgumentException("checkerId must be set, was null");
      }
      if (checkerHeader != null && !HEADER_NAME.matcher(checkerHeader).matches()) {
        throw new IllegalArgumentException("checkerHeader must be an HTTP header name (letters, digits and"
            + " !#$&'*+.^_`|~-), was " + quoted(checkerHeader));
      }
      if (checkerHeader != null && checkerIdSet) {
        throw new IllegalArgumentException("set checkerId or checkerHeader, not both: with checkerHeader the"
            + " header's value names the checker");
      }
      if (checkerSecret != null && checkerHeader == null) {
        throw new IllegalArgumentException("checkerSecret needs checkerHeader: the secret comes in that header");
      }
      if (checkerSecret != null && !SECRET.matcher(checkerSecret).matches()) {
        throw new IllegalArgumentException("checkerSecret must be 16 to 256 characters of letters, digits and"
            + " + / = . _ ~ -, was " + checkerSecret.length() + " characters"
            + (checkerSecret.length() >= 16 && checkerSecret.length() <= 256 ? " with others among them" : ""));
      }
      if (maxCheckers < 1) {
        throw new IllegalArgumentException("maxCheckers must be >= 1, was " + maxCheckers);
      }
      if (forgetCheckersAfter == null || forgetCheckersAfter.compareTo(healthcheckTimeout) < 0) {
        throw new IllegalArgumentException("forgetCheckersAfter must be at least healthcheckTimeout ("
            + healthcheckTimeout + "), was " + forgetCheckersAfter);
      }
      if (clock == null) {
        throw new IllegalArgumentException("clock must be set, was null");
      }
      return new HealthResponder(this);
    }

    private static String quoted(String value) {
      return value == null ? "null" : "'" + value + "'";
    }
  }
}
