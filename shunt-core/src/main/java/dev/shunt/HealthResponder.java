package dev.shunt;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Answers a load balancer's health checks from a {@link StatusStore}, and takes the instance out
 * of rotation before it stops.
 *
 * <p><b>Shunt mode.</b> While the store says the instance is shunted, every check is answered
 * {@code 503}; otherwise {@code 200}. Other paths are never touched: adapters pass them on.
 *
 * <p><b>NACK mode.</b> {@link #shutdown()} makes every later check answer {@code 503}, and
 * completes once every health checker (every load balancer, told apart by
 * {@linkplain Builder#checkerId(Function) checker id}) has been answered "down"
 * {@linkplain Builder#nacksBeforeShutdown(int) N times} in a row, right after the last of those
 * answers was sent; the load balancer has then taken the instance out and the process may stop.
 * If checks stop coming, it completes anyway {@linkplain Builder#healthcheckTimeout(Duration) a
 * timeout} after the last one (or after {@code shutdown()} when none comes at all). It completes
 * once, however many times {@code shutdown()} is called.
 *
 * <p><b>Reports.</b> Every "down" answer, and the first ten "up" answers after a change, are
 * recorded in the store as {@link CheckerReport}s after they were sent, so a deploy tool anywhere
 * can watch the drain (and the return) happen. A steady state in rotation writes nothing.
 *
 * <p>Thread-safe: adapters call {@link #answer} from any number of threads. A failing store
 * never fails a check: the responder answers "up" and logs the problem.
 */
public final class HealthResponder {
  /** Why {@link #shutdown()} completed. */
  public enum ShutdownOutcome {
    /** Every checker was answered "down" {@code nacksBeforeShutdown} times in a row. */
    ALL_CHECKERS_NACKED,
    /** No check came for {@code healthcheckTimeout}: the checks stopped or never came. */
    CHECKS_TIMED_OUT
  }

  private static final System.Logger LOG = System.getLogger(HealthResponder.class.getName());
  private static final int REPORTED_UP_ANSWERS = 10;
  private static final Map<String, String> HEADERS = Map.of(
      "Cache-Control", "no-store", "Content-Type", "text/plain; charset=utf-8");

  private final String path;
  private final StatusStore store;
  private final InstanceKey key;
  private final int nacksBeforeShutdown;
  private final Duration healthcheckTimeout;
  private final Function<HealthCheck, String> checkerId;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;

  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
  private final Object shutdownLock = new Object();
  private Shutdown shutdown;

  /** Consecutive answers of one verdict sent to one checker. */
  private record Tally(boolean nacked, int consecutive, Instant lastAt) {
    Tally next(boolean nack, Instant now) {
      return new Tally(nack, nack == nacked ? consecutive + 1 : 1, now);
    }
  }

  /** The state of one shutdown: the checkers it waits for and its timer. Guarded by shutdownLock. */
  private static final class Shutdown {
    final CompletableFuture<ShutdownOutcome> done = new CompletableFuture<>();
    final Set<String> awaited = ConcurrentHashMap.newKeySet();
    final ScheduledExecutorService timers;
    final boolean ownsTimers;
    ScheduledFuture<?> timer;

    Shutdown(ScheduledExecutorService timers, boolean ownsTimers) {
      this.timers = timers;
      this.ownsTimers = ownsTimers;
    }
  }

  private HealthResponder(Builder builder) {
    this.path = builder.path;
    this.store = builder.store;
    this.key = builder.key;
    this.nacksBeforeShutdown = builder.nacksBeforeShutdown;
    this.healthcheckTimeout = builder.healthcheckTimeout;
    this.checkerId = builder.checkerId;
    this.clock = builder.clock;
    this.scheduler = builder.scheduler;
  }

  /** A builder; {@link Builder#store} and {@link Builder#key} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this responder's configuration, to derive a variant. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The health path this responder answers, e.g. {@code /health}. */
  public String path() {
    return path;
  }

  /** The instance whose status this responder answers. */
  public InstanceKey key() {
    return key;
  }

  /** Whether a request for {@code requestPath} is a health check this responder answers. */
  public boolean handles(String requestPath) {
    return path.equals(requestPath);
  }

  /**
   * Answers one health check: hands the answer to {@code sink}, which must have sent it by the
   * time it returns, then records it. A shutdown waiting for this answer completes only after
   * {@code sink} returned.
   *
   * @throws IOException what {@code sink} threw; the answer is then not counted
   */
  public void answer(HealthCheck check, AnswerSink sink) throws IOException {
    String method = check.method();
    if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS")) {
      sink.send(new HealthAnswer(405, Map.of("Allow", "GET, HEAD, OPTIONS", "Cache-Control", "no-store",
          "Content-Type", "text/plain; charset=utf-8"), "method not allowed\n"));
      return;
    }
    Instant now = clock.instant();
    boolean shuttingDown = isShuttingDown();
    boolean shunted = !shuttingDown && isShunted(now);
    boolean nack = shuttingDown || shunted;
    HealthAnswer answer = nack
        ? new HealthAnswer(503, HEADERS, shuttingDown ? "shutting down\n" : "shunted\n")
        : new HealthAnswer(200, HEADERS, "ok\n");
    sink.send(answer);
    sent(checkerId.apply(check), nack, now);
  }

  private boolean isShunted(Instant now) {
    try {
      return store.status(key).isShuntedAt(now);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot read the status of " + key + ", answering 'up': " + e);
      return false;
    }
  }

  private void sent(String checker, boolean nack, Instant now) {
    Tally tally = tallies.compute(checker, (c, old) -> old == null ? new Tally(nack, 1, now) : old.next(nack, now));
    if (nack || tally.consecutive() <= REPORTED_UP_ANSWERS) {
      try {
        store.report(key, new CheckerReport(checker, nack, tally.consecutive(), now));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "cannot report a health check of " + key + " to the store: " + e);
      }
    }
    if (nack) {
      nackSentDuringShutdown(checker);
    }
  }

  /** Whether {@link #shutdown()} has been called. */
  public boolean isShuttingDown() {
    synchronized (shutdownLock) {
      return shutdown != null;
    }
  }

  /**
   * Enters NACK mode: from now on every check is answered "down". The returned future completes
   * once, on the thread that sent the last awaited NACK (or on a timer thread after the timeout);
   * calling this again returns the same future.
   */
  public CompletableFuture<ShutdownOutcome> shutdown() {
    Shutdown state;
    synchronized (shutdownLock) {
      if (shutdown != null) {
        return shutdown.done;
      }
      boolean own = scheduler == null;
      state = shutdown = new Shutdown(own ? newTimerThread() : scheduler, own);
      Instant activeSince = clock.instant().minus(healthcheckTimeout);
      tallies.forEach((checker, tally) -> {
        if (tally.lastAt().isAfter(activeSince)) {
          state.awaited.add(checker);
        }
      });
      armTimer(state);
      LOG.log(Level.INFO, key + " is shutting down: answering health checks 'down' until "
          + (state.awaited.isEmpty() ? "a checker comes" : state.awaited) + " got "
          + nacksBeforeShutdown + " NACKs in a row, or for at most " + healthcheckTimeout + " without checks");
    }
    if (!state.awaited.isEmpty() && allAwaitedNacked(state)) {
      complete(ShutdownOutcome.ALL_CHECKERS_NACKED);
    }
    return state.done;
  }

  /** {@link #shutdown()}, then {@code callback} once it completes, whatever the outcome. */
  public void shutdown(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    shutdown().thenRun(callback);
  }

  private void nackSentDuringShutdown(String checker) {
    synchronized (shutdownLock) {
      if (shutdown == null || shutdown.done.isDone()) {
        return;
      }
      shutdown.awaited.add(checker);
      if (!allAwaitedNacked(shutdown)) {
        armTimer(shutdown);
        return;
      }
    }
    complete(ShutdownOutcome.ALL_CHECKERS_NACKED);
  }

  /** Whether every checker the shutdown waits for has had its NACKs, e.g. while shunted before. */
  private boolean allAwaitedNacked(Shutdown state) {
    return state.awaited.stream().allMatch(checker -> {
      Tally tally = tallies.get(checker);
      return tally != null && tally.nacked() && tally.consecutive() >= nacksBeforeShutdown;
    });
  }

  private void armTimer(Shutdown state) {
    if (state.timer != null) {
      state.timer.cancel(false);
    }
    state.timer = state.timers.schedule(() -> complete(ShutdownOutcome.CHECKS_TIMED_OUT),
        healthcheckTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void complete(ShutdownOutcome outcome) {
    Shutdown state;
    synchronized (shutdownLock) {
      state = shutdown;
      if (state.done.isDone()) {
        return;
      }
      state.timer.cancel(false);
      if (state.ownsTimers) {
        state.timers.shutdown();
      }
    }
    LOG.log(outcome == ShutdownOutcome.ALL_CHECKERS_NACKED ? Level.INFO : Level.WARNING,
        key + " may stop now: " + (outcome == ShutdownOutcome.ALL_CHECKERS_NACKED
            ? "every checker got " + nacksBeforeShutdown + " NACKs"
            : "no health check came for " + healthcheckTimeout));
    state.done.complete(outcome);
  }

  private static ScheduledExecutorService newTimerThread() {
    return Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "shunt-health-shutdown-timer");
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public String toString() {
    return "HealthResponder{" + key + " on " + path + ", nacksBeforeShutdown=" + nacksBeforeShutdown
        + ", healthcheckTimeout=" + healthcheckTimeout + "}";
  }

  /** Sends one answer; adapters implement it over their framework's response. */
  @FunctionalInterface
  public interface AnswerSink {
    /**
     * Writes {@code answer} out (flushed) before returning. Throws only when the status did not
     * reach the client; a client that hangs up after reading the status has had its answer.
     */
    void send(HealthAnswer answer) throws IOException;
  }

  /**
   * Configures a {@link HealthResponder}. Not thread-safe; {@link #build()} validates every field
   * and returns an immutable-configured, thread-safe responder.
   */
  public static final class Builder {
    private String path = "/health";
    private StatusStore store;
    private InstanceKey key;
    private int nacksBeforeShutdown = 3;
    private Duration healthcheckTimeout = Duration.ofSeconds(15);
    private Function<HealthCheck, String> checkerId = HealthCheck::clientAddress;
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;

    private Builder() {}

    private Builder(HealthResponder responder) {
      path = responder.path;
      store = responder.store;
      key = responder.key;
      nacksBeforeShutdown = responder.nacksBeforeShutdown;
      healthcheckTimeout = responder.healthcheckTimeout;
      checkerId = responder.checkerId;
      clock = responder.clock;
      scheduler = responder.scheduler;
    }

    /** The health path, matched exactly; must start with {@code /}. Default {@code /health}. */
    public Builder path(String path) {
      this.path = path;
      return this;
    }

    /** Where the shunt status is read and checks are reported. Required. */
    public Builder store(StatusStore store) {
      this.store = store;
      return this;
    }

    /** The instance this responder answers for. Required. */
    public Builder key(InstanceKey key) {
      this.key = key;
      return this;
    }

    /**
     * How many "down" answers in a row each checker gets before {@link #shutdown()} completes:
     * the load balancer's {@code fall} (HAProxy's default is 3). At least 1; default 3.
     */
    public Builder nacksBeforeShutdown(int nacksBeforeShutdown) {
      this.nacksBeforeShutdown = nacksBeforeShutdown;
      return this;
    }

    /**
     * How long a shutdown waits for the next check before it completes anyway. Re-armed after
     * every NACK. Positive; default 15 s. Longer than the load balancer's check interval.
     */
    public Builder healthcheckTimeout(Duration healthcheckTimeout) {
      this.healthcheckTimeout = healthcheckTimeout;
      return this;
    }

    /**
     * Tells checkers apart, so that each load balancer is NACKed on its own. Default: the
     * client's IP address. Several load balancers behind one address can send a header that
     * names them (HAProxy: {@code http-check send hdr X-Checker lb-1}); return it here, e.g.
     * {@code check -> check.header("X-Checker").orElse(check.clientAddress())}.
     */
    public Builder checkerId(Function<HealthCheck, String> checkerId) {
      this.checkerId = checkerId;
      return this;
    }

    /** The clock for reports and for deciding which checkers are active. Default: system UTC. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Runs the shutdown timeout. Default: a daemon thread started by {@link #shutdown()} and
     * stopped when it completes.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /**
     * Validates the configuration and builds the responder.
     *
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public HealthResponder build() {
      if (path == null || !path.startsWith("/")) {
        throw new IllegalArgumentException("path must start with '/', was " + quoted(path));
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
