package dev.shunt;

import dev.shunt.internal.ShutdownLog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops a server only once its load balancers have stopped sending it traffic: the delay between
 * "refusing traffic" and "stopped" that a plain SIGTERM handler lacks.
 *
 * <p>{@link #run()} (or the JVM shutdown hook {@link #installOnShutdown()} registers, so that a
 * SIGTERM does it) takes these steps, each only once the one before it ended:
 * <ol>
 *   <li>puts the {@link HealthResponder} into NACK mode and waits until every checker has been
 *       answered "down" its {@code nacksBeforeShutdown} times (or the checks stopped coming), for
 *       at most {@code nackTimeout};</li>
 *   <li>waits until no application request is in flight and none has begun for
 *       {@code quietPeriod} (requests sent just before the load balancer marked the server down
 *       may still be on their way), for at most {@code inFlightTimeout};</li>
 *   <li>runs {@code stopServer}, e.g. {@code () -> server.stop(0)}, for at most
 *       {@code stopServerTimeout};</li>
 *   <li>runs each {@link ShutdownPhase} given to {@link Builder#then(ShutdownPhase)}, in order,
 *       each for at most its own {@link ShutdownPhase#limit() limit}: what must outlive the
 *       requests, such as an embedded Hazelcast member ({@code HazelcastShutdown.member(hz)}).</li>
 * </ol>
 *
 * <pre>{@code
 * GracefulShutdown.builder()
 *     .responder(health)
 *     .stopServer(() -> server.stop(0))
 *     .then(ShutdownPhase.of("connection pool", Duration.ofSeconds(5), pool))
 *     .build()
 *     .installOnShutdown();
 * }</pre>
 *
 * <p>{@code stopServer} and the phases run on a thread of their own each ({@code
 * shunt-shutdown-<name>}, daemon). One that has not ended within its limit is logged as overrun
 * (a warning naming it and its limit); its thread is interrupted and the next phase starts. One
 * that throws is logged with its failure, and the next phase starts too. Each phase's end is
 * logged, and {@link #run()} returns a {@link Report} of what each phase did and how long it took.
 *
 * <p><b>The order it needs.</b> The JVM starts every shutdown hook at once, in no set order. The
 * NACKs reach the load balancer only while the server still answers, so nothing else may stop
 * the server (or what its requests need) before this has drained: turn off the other hooks that
 * would, or make them a phase here. Spring Boot's hook closes the application context, and with
 * it the web server, within a fraction of a second: in a Spring Boot app do not install this;
 * use {@code dev.shunt.spring} instead, which drains inside Spring's own shutdown, before the web
 * server stops. Hazelcast's hook: {@code HazelcastShutdown.configure} turns it off. With
 * {@link Builder#serverAddress(InetSocketAddress) serverAddress}, a server closed by someone else
 * is noticed: the NACK wait ends within {@value #PROBE_INTERVAL_MILLIS} ms of the port closing,
 * the outcome is {@link Outcome#SERVER_GONE} and a warning says so, instead of waiting out the
 * responder's {@code healthcheckTimeout} for checks that can no longer come.
 *
 * <p>Defaults: {@code nackTimeout} 60 s, {@code quietPeriod} 100 ms, {@code inFlightTimeout}
 * 30 s, {@code stopServerTimeout} 30 s, no {@code serverAddress} (not probed), no later phases. Keep the sum of the waits you expect
 * below what your process supervisor waits before it sends SIGKILL (systemd: {@code
 * TimeoutStopSec}, 90 s by default; Kubernetes: {@code terminationGracePeriodSeconds}, 30 s by
 * default). Installed as a hook, its log lines survive java.util.logging's own shutdown hook
 * (which would otherwise drop them) when java.util.logging writes to the console. Immutable and
 * thread-safe; {@code run()} does its work once.
 */
public final class GracefulShutdown {
  /** How often the NACK wait checks that {@code serverAddress} still accepts connections. */
  public static final long PROBE_INTERVAL_MILLIS = 200;

  private static final ShutdownLog LOG = new ShutdownLog(GracefulShutdown.class.getName());

  private final HealthResponder responder;
  private final Runnable stopServer;
  private final Duration nackTimeout;
  private final Duration quietPeriod;
  private final Duration inFlightTimeout;
  private final Duration stopServerTimeout;
  private final InetSocketAddress serverAddress;
  private final List<ShutdownPhase> phases;
  private final AtomicBoolean ran = new AtomicBoolean();

  private GracefulShutdown(Builder builder) {
    this.responder = builder.responder;
    this.stopServer = builder.stopServer;
    this.nackTimeout = builder.nackTimeout;
    this.quietPeriod = builder.quietPeriod;
    this.inFlightTimeout = builder.inFlightTimeout;
    this.stopServerTimeout = builder.stopServerTimeout;
    this.serverAddress = builder.serverAddress;
    this.phases = List.copyOf(builder.phases);
  }

  /**
   * A builder; {@code responder} and {@code stopServer} are required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers {@link #run()} as a JVM shutdown hook, so that SIGTERM (or {@code System.exit})
   * drains before the server stops.
   *
   * @return the hook thread, e.g. to remove it again
   */
  public Thread installOnShutdown() {
    ShutdownLog.captureAll();
    Thread hook = new Thread(this::run, "shunt-graceful-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  /**
   * Drains and stops the server, then runs the later phases, blocking until the last one ended or
   * overran its limit; does nothing when it already ran. Interrupting it skips the remaining
   * waits of the drain and stops the server at once; {@code stopServer} and the later phases
   * still run, each within its limit (they are what keeps data safe), and the interrupt is kept.
   *
   * @return how the drain ended and what each phase did
   */
  public Report run() {
    if (!ran.compareAndSet(false, true)) {
      return new Report(Outcome.ALREADY_RAN, List.of());
    }
    List<PhaseReport> done = new ArrayList<>();
    Outcome outcome = drainInto(done);
    boolean interrupted = outcome == Outcome.INTERRUPTED;
    List<ShutdownPhase> later = new ArrayList<>();
    later.add(new StopServer(stopServer, stopServerTimeout));
    later.addAll(phases);
    for (ShutdownPhase phase : later) {
      PhaseRun run = runPhase(phase);
      interrupted |= run.interrupted;
      done.add(run.report);
      LOG.log(run.report.result() == PhaseResult.DONE ? Level.INFO : Level.WARNING, responder.key() + " " + run.report);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return new Report(outcome, done);
  }

  /**
   * The drain alone: the NACK wait and the in-flight wait of {@link #run()}, without {@code
   * stopServer} and the later phases; for a container that stops the server itself right after
   * (Spring Boot's lifecycle, in {@code dev.shunt.spring}). Like {@code run()}, it does its work
   * once: after either has run, both return a report with {@link Outcome#ALREADY_RAN}. An
   * interrupt ends the waits and is kept.
   *
   * @return how the drain ended: its phases {@code nacks} and {@code in flight}
   */
  public Report drain() {
    if (!ran.compareAndSet(false, true)) {
      return new Report(Outcome.ALREADY_RAN, List.of());
    }
    List<PhaseReport> done = new ArrayList<>();
    Outcome outcome = drainInto(done);
    if (outcome == Outcome.INTERRUPTED) {
      Thread.currentThread().interrupt();
    }
    return new Report(outcome, done);
  }

  private Outcome drainInto(List<PhaseReport> done) {
    long start = System.nanoTime();
    Outcome outcome;
    boolean serverGone = false;
    try {
      outcome = awaitNacks(start);
      serverGone = outcome == Outcome.SERVER_GONE;
      String detail = switch (outcome) {
        case DRAINED -> "every checker was answered down";
        case SERVER_GONE -> outcome.description + " (" + serverAddress + ")";
        default -> outcome.description;
      };
      boolean cutShort = outcome == Outcome.NACKS_TIMED_OUT;
      done.add(new PhaseReport("nacks", nackTimeout, since(start), cutShort ? PhaseResult.OVERRAN : PhaseResult.DONE,
          detail));
      if (!cutShort) {
        long inFlightStart = System.nanoTime();
        boolean quiet = responder.inFlight().awaitQuiet(quietPeriod, inFlightTimeout);
        if (!quiet) {
          outcome = Outcome.IN_FLIGHT_TIMED_OUT;
        }
        done.add(new PhaseReport("in flight", inFlightTimeout, since(inFlightStart),
            quiet ? PhaseResult.DONE : PhaseResult.OVERRAN, responder.inFlight().toString()));
      }
    } catch (InterruptedException e) {
      outcome = Outcome.INTERRUPTED;
      boolean inNacks = done.isEmpty();
      done.add(new PhaseReport(inNacks ? "nacks" : "in flight", inNacks ? nackTimeout : inFlightTimeout,
          since(start).minus(done.isEmpty() ? Duration.ZERO : done.get(0).took()), PhaseResult.INTERRUPTED,
          outcome.description));
    }
    String why = serverGone ? "; the server at " + serverAddress + " stopped accepting connections before the load"
        + " balancer was told: something else stopped it (another shutdown hook?), so requests may have failed;"
        + " see GracefulShutdown's Javadoc on the order it needs" : "";
    LOG.log(outcome == Outcome.DRAINED ? Level.INFO : Level.WARNING, responder.key() + " stopping after "
        + since(start).toMillis() + " ms: " + outcome.description + " (" + responder.inFlight() + ")" + why);
    return outcome;
  }

  /**
   * Waits for the responder's NACKs; with a {@code serverAddress}, stops waiting once it no
   * longer accepts connections.
   */
  private Outcome awaitNacks(long start) throws InterruptedException {
    CompletableFuture<HealthResponder.ShutdownOutcome> nacks = responder.startShutdown();
    long deadline = start + nackTimeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Outcome.NACKS_TIMED_OUT;
      }
      long wait = serverAddress == null ? left : Math.min(left, TimeUnit.MILLISECONDS.toNanos(PROBE_INTERVAL_MILLIS));
      try {
        return nacks.get(wait, TimeUnit.NANOSECONDS) == HealthResponder.ShutdownOutcome.CHECKS_TIMED_OUT
            ? Outcome.CHECKS_TIMED_OUT : Outcome.DRAINED;
      } catch (ExecutionException e) {
        return Outcome.NACKS_TIMED_OUT;
      } catch (TimeoutException e) {
        if (serverAddress != null && refusesConnections(serverAddress)) {
          return Outcome.SERVER_GONE;
        }
      }
    }
  }

  /**
   * Whether nothing listens at {@code address} any more: a connection refused. A slow or
   * timed-out connect counts as still there (a busy server is not a gone one).
   */
  private static boolean refusesConnections(InetSocketAddress address) {
    InetSocketAddress target = address.getAddress() == null || address.getAddress().isAnyLocalAddress()
        ? new InetSocketAddress(InetAddress.getLoopbackAddress(), address.getPort()) : address;
    try (Socket socket = new Socket()) {
      socket.connect(target, (int) PROBE_INTERVAL_MILLIS);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Runs {@code phase} on a thread of its own and waits for it, at most its limit. */
  private static PhaseRun runPhase(ShutdownPhase phase) {
    long start = System.nanoTime();
    long deadline = start + phase.limit().toNanos();
    FutureTask<String> task = new FutureTask<>(phase::run);
    Thread thread = new Thread(task, "shunt-shutdown-" + phase.name());
    thread.setDaemon(true);
    thread.start();
    boolean interrupted = false;
    while (true) {
      try {
        String detail = task.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        return new PhaseRun(new PhaseReport(phase.name(), phase.limit(), since(start), PhaseResult.DONE, detail), interrupted);
      } catch (InterruptedException e) {
        // Noted and kept for the caller; the phase still gets its time.
        interrupted = true;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        String detail = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        return new PhaseRun(new PhaseReport(phase.name(), phase.limit(), since(start), PhaseResult.FAILED, detail), interrupted);
      } catch (TimeoutException e) {
        thread.interrupt();
        return new PhaseRun(new PhaseReport(phase.name(), phase.limit(), since(start), PhaseResult.OVERRAN,
            "still running when its limit of " + phase.limit().toMillis() + " ms ran out; interrupted, going on"), interrupted);
      }
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private record PhaseRun(PhaseReport report, boolean interrupted) {}

  /** {@code stopServer} as a phase. */
  private record StopServer(Runnable stopServer, Duration limit) implements ShutdownPhase {
    @Override
    public String name() {
      return "stop server";
    }

    @Override
    public String run() {
      stopServer.run();
      return "stopped";
    }
  }

  /**
   * What {@link #run()} did: how the drain ended, and each phase in the order it ran ({@code
   * nacks}, {@code in flight} unless the NACK wait was cut short, {@code stop server}, then the
   * later phases).
   *
   * @param outcome how the drain's waits ended
   * @param phases every phase that ran, in order
   */
  public record Report(Outcome outcome, List<PhaseReport> phases) {
    /**
     * Copies {@code phases}.
     *
     * @param outcome how the drain's waits ended
     * @param phases every phase that ran, in order; not null
     */
    public Report {
      phases = List.copyOf(phases);
    }

    /**
     * The phase named {@code name}, e.g. {@code "stop server"}.
     *
     * @param name the phase's name
     * @return the phase's report, or empty if no phase of that name ran
     */
    public Optional<PhaseReport> phase(String name) {
      return phases.stream().filter(phase -> phase.name().equals(name)).findFirst();
    }

    /**
     * Whether every phase ended within its limit and did what it was for.
     *
     * @return true when every phase finished in time and succeeded
     */
    public boolean allDone() {
      return outcome != Outcome.ALREADY_RAN && phases.stream().allMatch(phase -> phase.result() == PhaseResult.DONE);
    }
  }

  /**
   * One phase of a {@link Report}.
   *
   * @param name the phase's name
   * @param limit the longest it was given
   * @param took how long it took, or was waited for
   * @param result how it ended
   * @param detail what it did, or why it did not
   */
  public record PhaseReport(String name, Duration limit, Duration took, PhaseResult result, String detail) {
    /** E.g. {@code stop server: done in 12 ms (limit 30000 ms): stopped}. */
    @Override
    public String toString() {
      return name + ": " + result.description + " in " + took.toMillis() + " ms (limit " + limit.toMillis() + " ms): " + detail;
    }
  }

  /** How one phase ended. */
  public enum PhaseResult {
    /** It ended within its limit and did what it was for. */
    DONE("done"),
    /** Its limit ran out first; the shutdown went on without it. */
    OVERRAN("OVERRAN its limit"),
    /** It threw: the detail says why. */
    FAILED("FAILED"),
    /** The wait for it was interrupted. */
    INTERRUPTED("interrupted");

    private final String description;

    PhaseResult(String description) {
      this.description = description;
    }
  }

  /** How the waits of {@link #run()} ended. */
  public enum Outcome {
    /** Every checker had its NACKs and no request was in flight. */
    DRAINED("drained"),
    /** No health check came for the responder's timeout; in-flight requests were waited for. */
    CHECKS_TIMED_OUT("no health checks came, stopped after the timeout"),
    /** The NACKs did not complete within {@code nackTimeout}. */
    NACKS_TIMED_OUT("checkers still had NACKs to get when nackTimeout ran out"),
    /** Requests were still in flight when {@code inFlightTimeout} ran out. */
    IN_FLIGHT_TIMED_OUT("requests still in flight when inFlightTimeout ran out"),
    /**
     * The server at {@code serverAddress} stopped accepting connections during the NACK wait:
     * something else stopped it; the wait ended there, and in-flight requests were waited for.
     */
    SERVER_GONE("the server stopped accepting connections, so the checks could no longer be answered; stopped"
        + " waiting for them"),
    /** The waits were interrupted. */
    INTERRUPTED("interrupted"),
    /** {@code run()} had run before; nothing was done. */
    ALREADY_RAN("already ran");

    private final String description;

    Outcome(String description) {
      this.description = description;
    }
  }

  /** Configures a {@link GracefulShutdown}. Not thread-safe. */
  public static final class Builder {
    private HealthResponder responder;
    private Runnable stopServer;
    private Duration nackTimeout = Duration.ofSeconds(60);
    private Duration quietPeriod = Duration.ofMillis(100);
    private Duration inFlightTimeout = Duration.ofSeconds(30);
    private Duration stopServerTimeout = Duration.ofSeconds(30);
    private InetSocketAddress serverAddress;
    private final List<ShutdownPhase> phases = new ArrayList<>();

    private Builder() {}

    /**
     * The responder that NACKs the checks and counts the requests. Required.
     *
     * @param responder the responder to drain; not null
     * @return this builder
     */
    public Builder responder(HealthResponder responder) {
      this.responder = responder;
      return this;
    }

    /**
     * Stops the server once drained, e.g. {@code () -> server.stop(0)}. Required.
     *
     * @param stopServer stops the server; not null
     * @return this builder
     */
    public Builder stopServer(Runnable stopServer) {
      this.stopServer = stopServer;
      return this;
    }

    /**
     * The longest wait for the NACKs. Positive; default 60 s.
     *
     * @param nackTimeout the longest wait for the NACKs; positive
     * @return this builder
     */
    public Builder nackTimeout(Duration nackTimeout) {
      this.nackTimeout = nackTimeout;
      return this;
    }

    /**
     * How long no request may have begun before the server counts as quiet. Zero or more; default 100 ms.
     *
     * @param quietPeriod how long without a new request counts as quiet; zero or more
     * @return this builder
     */
    public Builder quietPeriod(Duration quietPeriod) {
      this.quietPeriod = quietPeriod;
      return this;
    }

    /**
     * The longest wait for in-flight requests after the NACKs. Positive; default 30 s.
     *
     * @param inFlightTimeout the longest wait for in-flight requests; positive
     * @return this builder
     */
    public Builder inFlightTimeout(Duration inFlightTimeout) {
      this.inFlightTimeout = inFlightTimeout;
      return this;
    }

    /**
     * The longest wait for {@code stopServer} before the later phases start anyway. Positive; default 30 s.
     *
     * @param stopServerTimeout the longest wait for {@code stopServer}; positive
     * @return this builder
     */
    public Builder stopServerTimeout(Duration stopServerTimeout) {
      this.stopServerTimeout = stopServerTimeout;
      return this;
    }

    /**
     * The address the server listens on, e.g. {@code server.getAddress()}: during the NACK wait,
     * every {@value GracefulShutdown#PROBE_INTERVAL_MILLIS} ms that the NACKs are not complete, a
     * TCP connect checks that it still accepts connections; once one is refused (another shutdown
     * hook closed the server), the wait ends with {@link Outcome#SERVER_GONE} and a warning.
     * A wildcard address is probed on the loopback address. Default: none, not probed.
     *
     * @param serverAddress the server's listening address, or null to probe nothing
     * @return this builder
     */
    public Builder serverAddress(InetSocketAddress serverAddress) {
      this.serverAddress = serverAddress;
      return this;
    }

    /**
     * Adds a phase that runs after the server stopped and after the phases added before it, e.g.
     * {@code HazelcastShutdown.member(hz)}. None by default.
     *
     * @param phase the phase to add; not null
     * @return this builder
     */
    public Builder then(ShutdownPhase phase) {
      phases.add(phase);
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return a shutdown, not yet run
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public GracefulShutdown build() {
      if (responder == null) {
        throw new IllegalArgumentException("responder must be set, was null");
      }
      if (stopServer == null) {
        throw new IllegalArgumentException("stopServer must be set, was null");
      }
      requirePositive("nackTimeout", nackTimeout);
      if (quietPeriod == null || quietPeriod.isNegative()) {
        throw new IllegalArgumentException("quietPeriod must be zero or positive, was " + quietPeriod);
      }
      requirePositive("inFlightTimeout", inFlightTimeout);
      requirePositive("stopServerTimeout", stopServerTimeout);
      if (serverAddress != null && (serverAddress.isUnresolved() || serverAddress.getPort() == 0)) {
        throw new IllegalArgumentException("serverAddress must be a resolved address with a port, was " + serverAddress);
      }
      for (int i = 0; i < phases.size(); i++) {
        ShutdownPhase phase = phases.get(i);
        if (phase == null) {
          throw new IllegalArgumentException("phases[" + i + "] must be set, was null");
        }
        if (phase.name() == null || phase.name().isBlank()) {
          throw new IllegalArgumentException("phases[" + i + "].name must not be blank, was " + phase.name());
        }
        requirePositive("phases[" + i + "].limit", phase.limit());
      }
      return new GracefulShutdown(this);
    }

    private static void requirePositive(String field, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(field + " must be positive, was " + value);
      }
    }
  }
}
