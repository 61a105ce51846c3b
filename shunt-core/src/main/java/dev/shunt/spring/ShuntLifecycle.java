package dev.shunt.spring;

import dev.shunt.GracefulShutdown;
import dev.shunt.HealthResponder;
import dev.shunt.internal.ShutdownLog;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;

/**
 * The drain of a Spring Boot app, inside Spring's own shutdown: when the application context
 * closes (Spring Boot's shutdown hook on SIGTERM, or {@code close()}), this lifecycle stops first,
 * at phase {@link #PHASE}, and returns only once {@link GracefulShutdown#drain()} ended: every
 * load balancer was answered "down" {@code shunt.nacks-before-shutdown} times and no request is in
 * flight. Only then does Spring stop the web server ({@code WebServerGracefulShutdownLifecycle}
 * at {@code Integer.MAX_VALUE - 1024}, then {@code WebServerStartStopLifecycle} at {@code
 * Integer.MAX_VALUE - 2048}, in Spring Boot 3.5 and 4.0 alike) and destroy the beans. So it works
 * with Spring's shutdown hook, not against it; no hook of shunt's own is installed.
 *
 * <p>The drain runs on the thread that closes the context, within its own limits ({@code
 * shunt.shutdown.nack-timeout}, 60 s, and {@code shunt.shutdown.in-flight-timeout}, 30 s), not
 * Spring's {@code spring.lifecycle.timeout-per-shutdown-phase}: a drain is never cut short by it.
 * Other lifecycle beans of the same phase that Spring stops after this one keep running through
 * the drain. At start it keeps shunt's shutdown log lines reaching java.util.logging's handlers
 * after the JDK resets its logging, which Spring Boot's bridge to SLF4J needs too. With {@code
 * shunt.readiness.bridge=true} it also runs the bridge with Spring's readiness on a daemon thread
 * named {@code shunt-readiness-bridge}, stopped with the drain. (Spring Boot itself publishes
 * {@code REFUSING_TRAFFIC} when the context begins to close, before this stops.)
 *
 * <p>A {@code stop()} of the context, not only its close, stops every lifecycle bean, this one
 * too: the instance drains and then answers "down" for good. A later {@code start()} does not put
 * it back in rotation (a drained instance is restarted, not resumed); the close that follows logs
 * that the drain already ran.
 *
 * <p>Thread-safe. Made by {@link ShuntAutoConfiguration}.
 */
public final class ShuntLifecycle implements SmartLifecycle {
  /** The phase it stops in: {@code Integer.MAX_VALUE}, the first to stop, before the web server. */
  public static final int PHASE = Integer.MAX_VALUE;

  private static final ShutdownLog LOG = new ShutdownLog(ShuntLifecycle.class.getName());

  private final HealthResponder responder;
  private final GracefulShutdown drain;
  private final ReadinessBridge bridge;
  private final Duration bridgeInterval;
  private ScheduledExecutorService bridgeThread;
  private volatile boolean running;

  ShuntLifecycle(HealthResponder responder, GracefulShutdown drain, ReadinessBridge bridge, Duration bridgeInterval) {
    this.responder = responder;
    this.drain = drain;
    this.bridge = bridge;
    this.bridgeInterval = bridgeInterval;
  }

  @Override
  public synchronized void start() {
    ShutdownLog.captureAll();
    if (bridge != null && bridgeThread == null) {
      bridgeThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "shunt-readiness-bridge");
        thread.setDaemon(true);
        return thread;
      });
      bridgeThread.scheduleWithFixedDelay(this::followResponder, 0, bridgeInterval.toNanos(), TimeUnit.NANOSECONDS);
    }
    running = true;
  }

  private void followResponder() {
    try {
      bridge.follow(responder.state());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the readiness bridge of " + responder.key() + " failed, will try again: " + e);
    }
  }

  /** Drains; returns once the drain ended (see the class comment). */
  @Override
  public void stop() {
    if (!running) {
      return;
    }
    running = false;
    if (drain == null) {
      stopBridge();
      return;
    }
    LOG.log(Level.INFO, responder.key() + ": the application context is stopping (closed, or stop()); draining before the web server stops");
    GracefulShutdown.Report report = drain.drain();
    stopBridge();
    LOG.log(report.allDone() ? Level.INFO : Level.WARNING, responder.key() + " drained (" + report.outcome() + "): "
        + report.phases() + "; Spring stops the web server now");
  }

  private synchronized void stopBridge() {
    if (bridgeThread != null) {
      bridgeThread.shutdownNow();
      bridgeThread = null;
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
