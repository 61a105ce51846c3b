package dev.shunt;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops a server only once its load balancers have stopped sending it traffic: the delay between
 * "refusing traffic" and "stopped" that a plain SIGTERM handler lacks.
 *
 * <p>{@link #run()} (or the JVM shutdown hook {@link #installOnShutdown()} registers, so that a
 * SIGTERM does it) takes three steps:
 * <ol>
 *   <li>puts the {@link HealthResponder} into NACK mode and waits until every checker has been
 *       answered "down" its {@code nacksBeforeShutdown} times (or the checks stopped coming), for
 *       at most {@code nackTimeout};</li>
 *   <li>waits until no application request is in flight and none has begun for
 *       {@code quietPeriod} (requests sent just before the load balancer marked the server down
 *       may still be on their way), for at most {@code inFlightTimeout};</li>
 *   <li>runs {@code stopServer}, e.g. {@code () -> server.stop(0)}.</li>
 * </ol>
 *
 * <pre>{@code
 * GracefulShutdown.builder()
 *     .responder(health)
 *     .stopServer(() -> server.stop(0))
 *     .build()
 *     .installOnShutdown();
 * }</pre>
 *
 * <p>Defaults: {@code nackTimeout} 60 s, {@code quietPeriod} 100 ms, {@code inFlightTimeout}
 * 30 s. Keep their sum below what your process supervisor waits before it sends SIGKILL
 * (systemd: {@code TimeoutStopSec}, 90 s by default; Kubernetes:
 * {@code terminationGracePeriodSeconds}, 30 s by default). Immutable and thread-safe;
 * {@code run()} does its work once.
 */
public final class GracefulShutdown {
  private static final System.Logger LOG = System.getLogger(GracefulShutdown.class.getName());

  private final HealthResponder responder;
  private final Runnable stopServer;
  private final Duration nackTimeout;
  private final Duration quietPeriod;
  private final Duration inFlightTimeout;
  private final AtomicBoolean ran = new AtomicBoolean();

  private GracefulShutdown(Builder builder) {
    this.responder = builder.responder;
    this.stopServer = builder.stopServer;
    this.nackTimeout = builder.nackTimeout;
    this.quietPeriod = builder.quietPeriod;
    this.inFlightTimeout = builder.inFlightTimeout;
  }

  /** A builder; {@code responder} and {@code stopServer} are required. */
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
    Thread hook = new Thread(this::run, "shunt-graceful-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  /**
   * Drains and stops the server, blocking until it is stopped; does nothing when it already ran.
   * Interrupting it skips the remaining waits and stops the server at once.
   *
   * @return how the waits ended
   */
  public Outcome run() {
    if (!ran.compareAndSet(false, true)) {
      return Outcome.ALREADY_RAN;
    }
    long start = System.nanoTime();
    Outcome outcome = Outcome.DRAINED;
    try {
      HealthResponder.ShutdownOutcome nacks = responder.shutdown().get(nackTimeout.toNanos(), TimeUnit.NANOSECONDS);
      if (nacks == HealthResponder.ShutdownOutcome.CHECKS_TIMED_OUT) {
        outcome = Outcome.CHECKS_TIMED_OUT;
      }
      if (!responder.inFlight().awaitQuiet(quietPeriod, inFlightTimeout)) {
        outcome = Outcome.IN_FLIGHT_TIMED_OUT;
      }
    } catch (TimeoutException e) {
      outcome = Outcome.NACKS_TIMED_OUT;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = Outcome.INTERRUPTED;
    } catch (ExecutionException e) {
      outcome = Outcome.NACKS_TIMED_OUT;
    }
    LOG.log(outcome == Outcome.DRAINED ? Level.INFO : Level.WARNING, responder.key() + " stopping after "
        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms: " + outcome.description + " ("
        + responder.inFlight() + ")");
    stopServer.run();
    return outcome;
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

    private Builder() {}

    /** The responder that NACKs the checks and counts the requests. Required. */
    public Builder responder(HealthResponder responder) {
      this.responder = responder;
      return this;
    }

    /** Stops the server once drained, e.g. {@code () -> server.stop(0)}. Required. */
    public Builder stopServer(Runnable stopServer) {
      this.stopServer = stopServer;
      return this;
    }

    /** The longest wait for the NACKs. Positive; default 60 s. */
    public Builder nackTimeout(Duration nackTimeout) {
      this.nackTimeout = nackTimeout;
      return this;
    }

    /** How long no request may have begun before the server counts as quiet. Zero or more; default 100 ms. */
    public Builder quietPeriod(Duration quietPeriod) {
      this.quietPeriod = quietPeriod;
      return this;
    }

    /** The longest wait for in-flight requests after the NACKs. Positive; default 30 s. */
    public Builder inFlightTimeout(Duration inFlightTimeout) {
      this.inFlightTimeout = inFlightTimeout;
      return this;
    }

    /**
     * Validates and builds.
     *
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
      return new GracefulShutdown(this);
    }

    private static void requirePositive(String field, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(field + " must be positive, was " + value);
      }
    }
  }
}
