package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.GracefulShutdown.Outcome;
import dev.shunt.InFlightRequestsTest.HoldingAppServer;
import dev.shunt.micrometer.HealthResponderMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HealthResponderMetrics} counting what a real responder answers to real checks: HTTP
 * checks through the JDK HttpServer adapter, agent checks over TCP, the NACKs of a
 * {@link GracefulShutdown}, and the application requests in flight.
 */
class HealthResponderMetricsTest {
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private final StatusStore store = StatusStore.inMemory();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    checker.shutdownNow();
    assertThat(checker.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
    registry.close();
  }

  private HealthResponder.Builder health() {
    return HealthResponder.builder().store(store).key(KEY);
  }

  /** {@code responder}, bound to {@link #registry}. */
  private HealthResponder bound(HealthResponder responder) {
    new HealthResponderMetrics(responder).bindTo(registry);
    return responder;
  }

  private AppServer serve(HealthResponder responder) {
    AppServer server = AppServer.start(responder);
    toClose.add(server);
    return server;
  }

  /** Sends {@code count} checks and returns once the server is done with each of them. */
  private static void check(AppServer server, int count) {
    for (int i = 0; i < count; i++) {
      server.check(null);
    }
    server.settle();
  }

  private double answers(String check, String state, String answer) {
    Counter counter = registry.find(HealthResponderMetrics.ANSWERS)
        .tags("check", check, "state", state, "answer", answer).counter();
    return counter == null ? 0 : counter.count();
  }

  /** The total of every {@value HealthResponderMetrics#ANSWERS} counter. */
  private double allAnswers() {
    return registry.find(HealthResponderMetrics.ANSWERS).counters().stream().mapToDouble(Counter::count).sum();
  }

  private double shutdowns(String outcome) {
    return registry.get(HealthResponderMetrics.SHUTDOWNS).tag("outcome", outcome).counter().count();
  }

  private double stateGauge(String state) {
    return registry.get(HealthResponderMetrics.STATE).tag("state", state).gauge().value();
  }

  private double inFlight() {
    return registry.get(HealthResponderMetrics.IN_FLIGHT).gauge().value();
  }

  @Test
  void checksInRotationAreCountedAsUpAnswers() {
    AppServer server = serve(bound(health().build()));

    check(server, 3);

    assertThat(answers("http", "in_rotation", "up")).isEqualTo(3);
    assertThat(allAnswers()).isEqualTo(3);
  }

  @Test
  void checksWhileShuntedAreCountedAsShuntedDownAnswers() {
    AppServer server = serve(bound(health().build()));
    check(server, 1);
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));

    check(server, 2);

    assertThat(answers("http", "shunted", "down")).isEqualTo(2);
    assertThat(answers("http", "in_rotation", "up")).isEqualTo(1);
  }

  @Test
  void checksWhileSickAreCountedAsSickDownAnswers() {
    AppServer server = serve(bound(health().sickIf(() -> true).build()));

    check(server, 2);

    assertThat(answers("http", "sick", "down")).isEqualTo(2);
    assertThat(allAnswers()).isEqualTo(2);
  }

  @Test
  void answerCountersOfEveryStateStartAtZero() {
    bound(health().build());

    assertThat(answers("http", "in_rotation", "up")).isZero();
    assertThat(registry.find(HealthResponderMetrics.ANSWERS).counters()).extracting(c -> c.getId().getTag("state"))
        .containsExactlyInAnyOrder("in_rotation", "shunted", "shutting_down", "sick");
    assertThat(shutdowns("all_checkers_nacked")).isZero();
    assertThat(shutdowns("checks_timed_out")).isZero();
  }

  @Test
  void nacksOfAGracefulShutdownAreCountedAsShuttingDownAnswers() {
    HealthResponder responder = bound(health().nacksBeforeShutdown(3).build());
    HoldingAppServer server = HoldingAppServer.start(responder);
    toClose.add(server);
    checker.scheduleWithFixedDelay(() -> {
      try {
        server.get("/health");
      } catch (RuntimeException | AssertionError serverGone) {
        // The test is over and the server closed; the next run is cancelled.
      }
    }, 0, 50, TimeUnit.MILLISECONDS);

    Outcome outcome = GracefulShutdown.builder()
        .responder(responder)
        .stopServer(() -> { })
        .nackTimeout(DEADLINE)
        .quietPeriod(Duration.ZERO)
        .build()
        .run()
        .outcome();

    assertThat(outcome).isEqualTo(Outcome.DRAINED);
    assertThat(answers("http", "shutting_down", "down")).isGreaterThanOrEqualTo(3);
    assertThat(shutdowns("all_checkers_nacked")).isEqualTo(1);
    assertThat(shutdowns("checks_timed_out")).isZero();
  }

  @Test
  void shutdownThatHeardNoCheckIsCountedAsTimedOut() {
    HealthResponder responder = bound(health().healthcheckTimeout(Duration.ofMillis(100)).build());

    Outcome outcome = GracefulShutdown.builder().responder(responder).stopServer(() -> { }).build().run().outcome();

    assertThat(outcome).isEqualTo(Outcome.CHECKS_TIMED_OUT);
    assertThat(shutdowns("checks_timed_out")).isEqualTo(1);
    assertThat(shutdowns("all_checkers_nacked")).isZero();
    assertThat(answers("http", "shutting_down", "down")).isZero();
  }

  @Test
  void stateGaugeShowsTheStateOfTheLastAnswer() {
    AppServer server = serve(bound(health().build()));
    assertThat(List.of("in_rotation", "shunted", "shutting_down", "sick")).allSatisfy(state ->
        assertThat(stateGauge(state)).as("before the first check, " + state).isZero());

    check(server, 1);
    assertThat(stateGauge("in_rotation")).isEqualTo(1);
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));
    check(server, 1);

    assertThat(stateGauge("shunted")).isEqualTo(1);
    assertThat(stateGauge("in_rotation")).isZero();
  }

  @Test
  void inFlightGaugeCountsAHeldApplicationRequestUntilItIsAnswered() {
    HealthResponder responder = bound(health().build());
    HoldingAppServer server = HoldingAppServer.start(responder);
    toClose.add(server);
    assertThat(inFlight()).isZero();

    server.hold();
    assertThat(inFlight()).isEqualTo(1);
    server.release();

    assertThat(inFlight()).isZero();
  }

  @Test
  void inFlightGaugeIsNaNWhileNothingCountsTheRequests() {
    bound(health().build());

    assertThat(inFlight()).isNaN();
  }

  @Test
  void checkPassedThroughToTheApplicationIsCountedWithTheApplicationsVerdict() throws IOException {
    HealthResponder responder = bound(health().passThrough(true).build());
    AppServer server = serve(responder);
    check(server, 1);
    RequestInfo check = new RequestInfo("GET", "/health", "127.0.0.1", Map.of());

    responder.answerOrPassThrough(check, answer -> { }).orElseThrow().appAnswered(503);

    assertThat(answers("http", "in_rotation", "up")).as("the app's 200 through the adapter").isEqualTo(1);
    assertThat(answers("http", "in_rotation", "down")).as("the app's 503").isEqualTo(1);
  }

  @Test
  void agentCheckAnswersAreCountedAsAgentChecks() throws Exception {
    HealthResponder responder = bound(health().build());
    AgentCheckResponder agent = AgentCheckResponder.builder().responder(responder)
        .bindAddress(InetAddress.getLoopbackAddress()).port(0).build().start();
    toClose.add(agent);
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));

    String said = askAgent(agent);

    assertThat(said).contains("drain");
    awaitCount(() -> answers("agent", "shunted", "down"), 1);
    assertThat(answers("http", "shunted", "down")).isZero();
  }

  @Test
  void everyMeterIsTaggedWithTheServiceTheHostAndTheGivenTags() {
    HealthResponder responder = health().build();
    new HealthResponderMetrics(responder, Tags.of("zone", "eu-1")).bindTo(registry);

    assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter -> assertThat(meter.getId().getTags())
        .contains(Tag.of("service", "checkout"), Tag.of("host", "web-1"), Tag.of("zone", "eu-1")));
    assertThat(registry.getMeters()).extracting(meter -> meter.getId().getName()).contains(
        HealthResponderMetrics.ANSWERS, HealthResponderMetrics.SHUTDOWNS, HealthResponderMetrics.STATE,
        HealthResponderMetrics.IN_FLIGHT);
  }

  @Test
  void bindingTwiceToOneRegistryCountsEachAnswerOnce() {
    HealthResponder responder = health().build();
    HealthResponderMetrics metrics = new HealthResponderMetrics(responder);
    metrics.bindTo(registry);
    metrics.bindTo(registry);
    AppServer server = serve(responder);

    check(server, 2);

    assertThat(answers("http", "in_rotation", "up")).isEqualTo(2);
  }

  @Test
  void eachRegistryBoundCountsEveryAnswer() {
    HealthResponder responder = health().build();
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    HealthResponderMetrics metrics = new HealthResponderMetrics(responder);
    metrics.bindTo(registry);
    metrics.bindTo(other);
    AppServer server = serve(responder);

    check(server, 2);

    assertThat(answers("http", "in_rotation", "up")).isEqualTo(2);
    assertThat(other.get(HealthResponderMetrics.ANSWERS).tags("state", "in_rotation", "answer", "up").counter().count())
        .isEqualTo(2);
    assertThat(other.getMeters()).extracting(Meter::getId).containsExactlyInAnyOrderElementsOf(
        registry.getMeters().stream().map(Meter::getId).toList());
    other.close();
  }

  /** Asks the agent as HAProxy does: connect, read its one line until it hangs up. */
  private static String askAgent(AgentCheckResponder agent) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), agent.port()), (int) DEADLINE.toMillis());
      socket.setSoTimeout((int) DEADLINE.toMillis());
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls until {@code count} reaches {@code expected}: an agent's answer is counted once it was sent. */
  private static void awaitCount(DoubleSupplier count, double expected) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (count.getAsDouble() < expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(count.getAsDouble()).as("the count within %s", DEADLINE).isEqualTo(expected);
  }
}
