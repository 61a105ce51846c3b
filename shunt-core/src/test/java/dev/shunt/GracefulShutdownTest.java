package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.GracefulShutdown.Outcome;
import dev.shunt.HealthResponder.ShutdownOutcome;
import dev.shunt.InFlightRequestsTest.HoldingAppServer;
import dev.shunt.testing.MutableClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Draining before the server stops: NACKs first, then the requests in flight, then
 * {@code stopServer}. Checks come over a real JDK HttpServer from a checker that keeps checking,
 * as a load balancer does.
 */
class GracefulShutdownTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final Duration CHECK_INTERVAL = Duration.ofMillis(50);
  private static final Duration SHORT = Duration.ofMillis(200);
  private static final Duration LONG = Duration.ofSeconds(5);

  private final MutableClock clock = new MutableClock(NOW);
  private final StatusStore store = StatusStore.inMemory(clock);
  private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger stops = new AtomicInteger();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicReference<List<CheckerReport>> reportsAtStop = new AtomicReference<>();
  private final AtomicBoolean heldAnsweredAtStop = new AtomicBoolean();
  private HealthResponder responder;
  private HoldingAppServer server;

  @AfterEach
  void stopEverything() throws InterruptedException {
    checker.shutdownNow();
    assertThat(checker.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    if (server != null) {
      server.close();
    }
  }

  private HealthResponder responder(Duration healthcheckTimeout) {
    responder = HealthResponder.builder()
        .store(store)
        .key(KEY)
        .clock(clock)
        .nacksBeforeShutdown(3)
        .healthcheckTimeout(healthcheckTimeout)
        .build();
    return responder;
  }

  /** What {@code stopServer} does here: counts itself and notes what had happened by then. */
  private void stopServer() {
    stops.incrementAndGet();
    reportsAtStop.set(store.reports(KEY));
    heldAnsweredAtStop.set(server != null && server.heldAnswered());
    stopped.countDown();
  }

  private GracefulShutdown.Builder shutdown() {
    return GracefulShutdown.builder()
        .responder(responder)
        .stopServer(this::stopServer)
        .nackTimeout(LONG)
        .quietPeriod(Duration.ofMillis(20))
        .inFlightTimeout(LONG);
  }

  /** A server for {@link #responder}, checked every {@link #CHECK_INTERVAL} from now on. */
  private void startServerAndChecker() {
    server = HoldingAppServer.start(responder);
    checker.scheduleWithFixedDelay(() -> {
      try {
        server.get("/health");
      } catch (RuntimeException | AssertionError serverGone) {
        // The test is over and the server closed; the next run is cancelled.
      }
    }, 0, CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static CompletableFuture<Outcome> runInBackground(GracefulShutdown shutdown) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    Thread runner = new Thread(() -> outcome.complete(shutdown.run().outcome()), "graceful-shutdown");
    runner.setDaemon(true);
    runner.start();
    return outcome;
  }

  @Test
  void missingResponderFailsAtBuild() {
    GracefulShutdown.Builder builder = GracefulShutdown.builder().stopServer(() -> { });

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("responder must be set, was null");
  }

  @Test
  void missingStopServerFailsAtBuild() {
    GracefulShutdown.Builder builder = GracefulShutdown.builder().responder(responder(LONG));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stopServer must be set, was null");
  }

  @Test
  void zeroNackTimeoutFailsAtBuild() {
    responder(LONG);
    GracefulShutdown.Builder builder = shutdown().nackTimeout(Duration.ZERO);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nackTimeout must be positive, was PT0S");
  }

  @Test
  void nullNackTimeoutFailsAtBuild() {
    responder(LONG);
    GracefulShutdown.Builder builder = shutdown().nackTimeout(null);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nackTimeout must be positive, was null");
  }

  @Test
  void negativeQuietPeriodFailsAtBuild() {
    responder(LONG);
    GracefulShutdown.Builder builder = shutdown().quietPeriod(Duration.ofMillis(-1));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("quietPeriod must be zero or positive, was PT-0.001S");
  }

  @Test
  void nullQuietPeriodFailsAtBuild() {
    responder(LONG);
    GracefulShutdown.Builder builder = shutdown().quietPeriod(null);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("quietPeriod must be zero or positive, was null");
  }

  @Test
  void zeroQuietPeriodIsAccepted() {
    responder(LONG);
    GracefulShutdown.Builder builder = shutdown().quietPeriod(Duration.ZERO);

    assertThatCode(builder::build).doesNotThrowAnyException();
  }

  @Test
  void negativeInFlightTimeoutFailsAtBuild() {
    responder(LONG);
    GracefulShutdown.Builder builder = shutdown().inFlightTimeout(Duration.ofSeconds(-1));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inFlightTimeout must be positive, was PT-1S");
  }

  @Test
  void zeroInFlightTimeoutFailsAtBuild() {
    responder(LONG);
    GracefulShutdown.Builder builder = shutdown().inFlightTimeout(Duration.ZERO);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inFlightTimeout must be positive, was PT0S");
  }

  @Test
  void noCheckerStopsTheServerOnceAfterTheHealthcheckTimeout() {
    responder(SHORT);
    long start = System.nanoTime();

    Outcome outcome = shutdown().build().run().outcome();

    assertThat(outcome).isEqualTo(Outcome.CHECKS_TIMED_OUT);
    assertThat(stops).hasValue(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(SHORT);
  }

  @Test
  void checkerThatKeepsCheckingIsDrainedAfterItsNacks() {
    responder(LONG);
    startServerAndChecker();

    Outcome outcome = shutdown().build().run().outcome();

    assertThat(outcome).isEqualTo(Outcome.DRAINED);
    assertThat(stops).hasValue(1);
  }

  @Test
  void serverStopsOnlyAfterTheLastNackWasSent() {
    responder(LONG);
    startServerAndChecker();

    shutdown().build().run();

    assertThat(reportsAtStop.get()).singleElement()
        .matches(report -> report.nackedAtLeast(3), "nacked at least 3 times in a row");
  }

  @Test
  void nacksThatDoNotCompleteInTimeStopTheServerAnyway() {
    responder(LONG);

    Outcome outcome = shutdown().nackTimeout(Duration.ofMillis(100)).build().run().outcome();

    assertThat(outcome).isEqualTo(Outcome.NACKS_TIMED_OUT);
    assertThat(stops).hasValue(1);
  }

  @Test
  void serverClosedBySomeoneElseEndsTheNackWaitAsServerGone() throws Exception {
    responder(Duration.ofSeconds(30));
    InetSocketAddress address;
    try (ServerSocket closedAlready = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      address = (InetSocketAddress) closedAlready.getLocalSocketAddress();
    }

    GracefulShutdown.Report report = shutdown().serverAddress(address).build().run();

    assertThat(report.outcome()).isEqualTo(Outcome.SERVER_GONE);
    assertThat(report.phase("nacks").orElseThrow().detail()).contains("stopped accepting connections", address.toString());
    assertThat(report.phase("in flight")).isPresent();
    assertThat(stops).hasValue(1);
  }

  @Test
  void serverThatStillAcceptsConnectionsIsNotTakenForGone() {
    responder(LONG);
    startServerAndChecker();

    Outcome outcome = shutdown().serverAddress(server.address()).build().run().outcome();

    assertThat(outcome).isEqualTo(Outcome.DRAINED);
  }

  @Test
  void unresolvedServerAddressFailsAtBuild() {
    responder(SHORT);

    assertThatThrownBy(shutdown().serverAddress(InetSocketAddress.createUnresolved("web-1.invalid", 8080))::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serverAddress must be a resolved address with a port, was web-1.invalid/<unresolved>:8080");
  }

  @Test
  void drainAloneNeverStopsTheServer() {
    responder(LONG);
    startServerAndChecker();
    GracefulShutdown shutdown = shutdown().build();

    GracefulShutdown.Report report = shutdown.drain();

    assertThat(report.outcome()).isEqualTo(Outcome.DRAINED);
    assertThat(report.phases()).extracting(GracefulShutdown.PhaseReport::name).containsExactly("nacks", "in flight");
    assertThat(stops).hasValue(0);
    assertThat(shutdown.run().outcome()).isEqualTo(Outcome.ALREADY_RAN);
  }

  @Test
  void heldAppRequestDelaysTheStopUntilItWasAnswered() throws Exception {
    responder(LONG);
    startServerAndChecker();
    server.hold();
    CompletableFuture<Outcome> outcome = runInBackground(shutdown().build());
    assertThat(responder.startShutdown().get(5, TimeUnit.SECONDS)).isEqualTo(ShutdownOutcome.ALL_CHECKERS_NACKED);
    assertThat(stopped.await(SHORT.toMillis(), TimeUnit.MILLISECONDS))
        .as("stopped while a request was held").isFalse();

    server.release();

    assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo(Outcome.DRAINED);
    assertThat(heldAnsweredAtStop).isTrue();
    assertThat(stops).hasValue(1);
  }

  @Test
  void appRequestHeldPastTheInFlightTimeoutStopsTheServerAnyway() {
    responder(LONG);
    startServerAndChecker();
    server.hold();

    Outcome outcome = shutdown().inFlightTimeout(SHORT).build().run().outcome();

    assertThat(outcome).isEqualTo(Outcome.IN_FLIGHT_TIMED_OUT);
    assertThat(stops).hasValue(1);
    assertThat(heldAnsweredAtStop).isFalse();
  }

  @Test
  void secondRunDoesNothing() {
    responder(Duration.ofMillis(50));
    GracefulShutdown shutdown = shutdown().build();
    shutdown.run();

    Outcome second = shutdown.run().outcome();

    assertThat(second).isEqualTo(Outcome.ALREADY_RAN);
    assertThat(stops).hasValue(1);
  }

  @Test
  void interruptedRunStopsTheServerAtOnce() {
    responder(LONG);
    GracefulShutdown shutdown = shutdown().build();
    Thread.currentThread().interrupt();
    Outcome outcome;
    try {
      outcome = shutdown.run().outcome();
    } finally {
      Thread.interrupted();
    }

    assertThat(outcome).isEqualTo(Outcome.INTERRUPTED);
    assertThat(stops).hasValue(1);
  }

  @Test
  void interruptedRunKeepsTheInterrupt() {
    responder(LONG);
    GracefulShutdown shutdown = shutdown().build();
    Thread.currentThread().interrupt();

    shutdown.run();

    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void installOnShutdownRegistersRunAsAJvmShutdownHook() {
    responder(Duration.ofMillis(50));
    Thread hook = shutdown().build().installOnShutdown();

    assertThat(Runtime.getRuntime().removeShutdownHook(hook)).isTrue();
    hook.run();
    assertThat(stops).hasValue(1);
  }
}
