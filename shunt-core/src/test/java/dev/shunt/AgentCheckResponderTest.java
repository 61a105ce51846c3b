package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.internal.CheckerReportRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import dev.shunt.testing.CapturedLog;
import dev.shunt.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent-check responder over real TCP connections on 127.0.0.1. */
class AgentCheckResponderTest {
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int SOCKET_TIMEOUT_MILLIS = 5_000;
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final String AGENT_CHECKER = "agent:127.0.0.1";
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private final MutableClock clock = new MutableClock(NOW);
  private final StatusStore store = StatusStore.inMemory(clock);
  private final ScheduledExecutorService shutdownTimer = Executors.newSingleThreadScheduledExecutor();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
    shutdownTimer.shutdownNow();
  }

  private HealthResponder.Builder health() {
    return HealthResponder.builder().store(store).key(KEY).clock(clock).scheduler(shutdownTimer);
  }

  private AgentCheckResponder.Builder agent(HealthResponder responder) {
    return AgentCheckResponder.builder().responder(responder).bindAddress(LOOPBACK).port(0);
  }

  private AgentCheckResponder start(AgentCheckResponder.Builder builder) {
    AgentCheckResponder agent = builder.build().start();
    toClose.add(agent);
    return agent;
  }

  private AgentCheckResponder start(HealthResponder responder) {
    return start(agent(responder));
  }

  private AgentCheckResponder startWithWeight(IntSupplier weight) {
    return start(agent(health().build()).weight(weight));
  }

  /** Connects, reads until the responder hangs up, and returns what it said. */
  private static String ask(AgentCheckResponder agent) {
    return ask(agent, new byte[0]);
  }

  private static String ask(AgentCheckResponder agent, byte[] send) {
    return ask(agent, send, LOOPBACK);
  }

  /** Asks from {@code from}, a loopback address such as 127.0.0.2, which Linux routes on lo. */
  private static String ask(AgentCheckResponder agent, byte[] send, InetAddress from) {
    try (Socket socket = connect(agent, from)) {
      socket.getOutputStream().write(send);
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Socket connect(AgentCheckResponder agent) throws IOException {
    return connect(agent, LOOPBACK);
  }

  private static Socket connect(AgentCheckResponder agent, InetAddress from) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(from, 0));
    socket.connect(new InetSocketAddress(LOOPBACK, agent.port()), SOCKET_TIMEOUT_MILLIS);
    socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
    return socket;
  }

  /** The loopback address 127.0.0.{@code last}. */
  private static InetAddress loopback(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Polls the store until the reports are exactly {@code expected}, for at most 5 s: an answer is
   * recorded once the checker has hung up, just after {@link #ask} returned.
   */
  private void awaitReports(CheckerReport... expected) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!sameReports(expected) && System.nanoTime() < deadline) {
      sleepBriefly();
    }
    assertThat(store.reports(KEY)).as("the reports within %s", DEADLINE).containsExactlyInAnyOrder(expected);
  }

  private boolean sameReports(CheckerReport... expected) {
    List<CheckerReport> reports = store.reports(KEY);
    return reports.size() == expected.length && reports.containsAll(List.of(expected));
  }

  private static <T> void await(Future<T> future, T expected) throws Exception {
    assertThat(future.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(expected);
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void answerIsReportedAsAnAgentCheckerThatAppliesItAtOnce() {
    AgentCheckResponder agent = start(health().build());

    ask(agent);

    awaitReports(new CheckerReport(AGENT_CHECKER, false, 1, NOW, CheckerReportRules.IN_FLIGHT_UNKNOWN, true));
  }

  @Test
  void oneDrainAnswerMeetsAnyFall() {
    AgentCheckResponder agent = start(health().build());
    store.shunt(KEY, ShuntRequest.of("deploy", "test"));

    ask(agent);

    awaitReports(new CheckerReport(AGENT_CHECKER, true, 1, NOW, CheckerReportRules.IN_FLIGHT_UNKNOWN, true));
    assertThat(store.reports(KEY).get(0).nackedAtLeast(3)).isTrue();
  }

  @Test
  void oneReadyAnswerAfterAnUnshuntMeetsAnyRise() {
    AgentCheckResponder agent = start(health().build());
    store.shunt(KEY, ShuntRequest.of("deploy", "test"));
    ask(agent);
    awaitReports(new CheckerReport(AGENT_CHECKER, true, 1, NOW, CheckerReportRules.IN_FLIGHT_UNKNOWN, true));
    store.unshunt(KEY);

    ask(agent);

    awaitReports(new CheckerReport(AGENT_CHECKER, false, 1, NOW, CheckerReportRules.IN_FLIGHT_UNKNOWN, true));
    assertThat(store.reports(KEY).get(0).ackedAtLeast(2)).isTrue();
  }

  @Test
  void agentAndHttpChecksFromOneAddressAreReportedApart() {
    HealthResponder responder = health().build();
    AgentCheckResponder agent = start(responder);
    AppServer http = AppServer.start(responder);
    toClose.add(http);

    http.get("/health");
    http.settle();
    ask(agent);

    awaitReports(new CheckerReport("127.0.0.1", false, 1, NOW, 0),
        new CheckerReport(AGENT_CHECKER, false, 1, NOW, 0, true));
  }

  @Test
  void requestsInFlightAreInTheAgentsReport() {
    HealthResponder responder = health().build();
    AgentCheckResponder agent = start(responder);
    responder.inFlight().begin();
    responder.inFlight().begin();
    store.shunt(KEY, ShuntRequest.of("deploy", "test"));

    ask(agent);

    awaitReports(new CheckerReport(AGENT_CHECKER, true, 1, NOW, 2, true));
  }

  @Test
  void lastRequestEndingWhileDrainingRewritesTheAgentsReportAtOnce() {
    HealthResponder responder = health().build();
    AgentCheckResponder agent = start(responder);
    responder.inFlight().begin();
    store.shunt(KEY, ShuntRequest.of("deploy", "test"));
    ask(agent);
    awaitReports(new CheckerReport(AGENT_CHECKER, true, 1, NOW, 1, true));
    clock.advance(Duration.ofMillis(40));

    responder.inFlight().end();

    awaitReports(new CheckerReport(AGENT_CHECKER, true, 1, NOW.plusMillis(40), 0, true));
  }

  @Test
  void steadyReadyAnswerIsReportedAgainOnceTheLastReportIsThirtySecondsOld() {
    AgentCheckResponder agent = start(health().build());
    for (int i = 1; i <= 10; i++) {
      ask(agent);
      awaitReports(new CheckerReport(AGENT_CHECKER, false, i, NOW, CheckerReportRules.IN_FLIGHT_UNKNOWN, true));
    }
    clock.advance(HealthResponder.HEARTBEAT);

    ask(agent);

    awaitReports(new CheckerReport(AGENT_CHECKER, false, 11, NOW.plus(HealthResponder.HEARTBEAT), CheckerReportRules.IN_FLIGHT_UNKNOWN, true));
  }

  @Test
  void shutdownCompletesAfterOneDownToAnAgentChecker() throws Exception {
    HealthResponder responder = health().nacksBeforeShutdown(3).build();
    AgentCheckResponder agent = start(responder);
    ask(agent);
    awaitReports(new CheckerReport(AGENT_CHECKER, false, 1, NOW, CheckerReportRules.IN_FLIGHT_UNKNOWN, true));

    CompletableFuture<HealthResponder.ShutdownOutcome> done = responder.startShutdown();
    assertThat(done).as("no 'down' answered yet").isNotDone();
    assertThat(ask(agent)).isEqualTo("down\n");

    await(done, HealthResponder.ShutdownOutcome.ALL_CHECKERS_NACKED);
  }

  @Test
  void drainAnswersWhileShuntedDoNotCountAsTheShutdownsDown() throws Exception {
    HealthResponder responder = health().nacksBeforeShutdown(1).build();
    AgentCheckResponder agent = start(responder);
    store.shunt(KEY, ShuntRequest.of("deploy", "test"));
    ask(agent);
    ask(agent);
    awaitReports(new CheckerReport(AGENT_CHECKER, true, 2, NOW, CheckerReportRules.IN_FLIGHT_UNKNOWN, true));

    CompletableFuture<HealthResponder.ShutdownOutcome> done = responder.startShutdown();
    assertThat(done).as("answered only 'drain' so far, which persistent clients get through").isNotDone();
    ask(agent);

    await(done, HealthResponder.ShutdownOutcome.ALL_CHECKERS_NACKED);
  }

  @Test
  void shutdownWaitsForTheHttpCheckersNacksAfterTheAgentsDown() throws Exception {
    HealthResponder responder = health().nacksBeforeShutdown(2).build();
    AgentCheckResponder agent = start(responder);
    AppServer http = AppServer.start(responder);
    toClose.add(http);
    http.get("/health");
    ask(agent);
    awaitReports(new CheckerReport("127.0.0.1", false, 1, NOW, 0),
        new CheckerReport(AGENT_CHECKER, false, 1, NOW, 0, true));
    CompletableFuture<HealthResponder.ShutdownOutcome> done = responder.startShutdown();

    ask(agent);
    http.get("/health");
    awaitReports(new CheckerReport("127.0.0.1", true, 1, NOW, 0),
        new CheckerReport(AGENT_CHECKER, true, 1, NOW, 0, true));
    assertThat(done).as("the HTTP checker had one NACK of two").isNotDone();
    http.get("/health");

    await(done, HealthResponder.ShutdownOutcome.ALL_CHECKERS_NACKED);
  }

  @Test
  void inRotationAnswersReadyUpAtFullWeight() {
    AgentCheckResponder agent = start(health().build());

    assertThat(ask(agent)).isEqualTo("ready up 100%\n");
  }

  @Test
  void shuntedAnswersDrain() {
    AgentCheckResponder agent = start(health().build());
    store.shunt(KEY, ShuntRequest.of("deploy", "test"));

    assertThat(ask(agent)).isEqualTo("drain\n");
  }

  @Test
  void shuttingDownAnswersDown() {
    HealthResponder responder = health().build();
    AgentCheckResponder agent = start(responder);
    responder.startShutdown();

    assertThat(ask(agent)).isEqualTo("down\n");
  }

  @Test
  void shuttingDownWhileShuntedAnswersDown() {
    HealthResponder responder = health().build();
    AgentCheckResponder agent = start(responder);
    store.shunt(KEY, ShuntRequest.of("deploy", "test"));
    responder.startShutdown();

    assertThat(ask(agent)).isEqualTo("down\n");
  }

  @Test
  void sickAnswersDown() {
    AgentCheckResponder agent = start(health().healthyIf(() -> false).build());

    assertThat(ask(agent)).isEqualTo("down\n");
  }

  @Test
  void everyCheckReadsTheStoreAgain() {
    AgentCheckResponder agent = start(health().build());

    store.shunt(KEY, ShuntRequest.of("deploy", "test"));
    String whileShunted = ask(agent);
    store.unshunt(KEY);
    String afterUnshunt = ask(agent);

    assertThat(whileShunted).isEqualTo("drain\n");
    assertThat(afterUnshunt).isEqualTo("ready up 100%\n");
  }

  @Test
  void weightSupplierSetsThePercentage() {
    AgentCheckResponder agent = startWithWeight(() -> 50);

    assertThat(ask(agent)).isEqualTo("ready up 50%\n");
  }

  @Test
  void weightZeroIsAnswered() {
    AgentCheckResponder agent = startWithWeight(() -> 0);

    assertThat(ask(agent)).isEqualTo("ready up 0%\n");
  }

  @Test
  void weightIsAskedAtEveryCheck() {
    AtomicInteger percent = new AtomicInteger(25);
    AgentCheckResponder agent = startWithWeight(percent::get);

    String first = ask(agent);
    percent.set(75);
    String second = ask(agent);

    assertThat(first).isEqualTo("ready up 25%\n");
    assertThat(second).isEqualTo("ready up 75%\n");
  }

  @Test
  void weightAbove100FallsBackTo100() {
    AgentCheckResponder agent = startWithWeight(() -> 101);

    assertThat(ask(agent)).isEqualTo("ready up 100%\n");
  }

  @Test
  void negativeWeightFallsBackTo100() {
    AgentCheckResponder agent = startWithWeight(() -> -1);

    assertThat(ask(agent)).isEqualTo("ready up 100%\n");
  }

  @Test
  void throwingWeightSupplierFallsBackTo100() {
    AgentCheckResponder agent = startWithWeight(() -> {
      throw new IllegalStateException("no load figure yet");
    });

    assertThat(ask(agent)).isEqualTo("ready up 100%\n");
  }

  @Test
  void weightIsNotAskedWhileOutOfRotation() {
    AtomicInteger asked = new AtomicInteger();
    AgentCheckResponder agent = startWithWeight(() -> {
      asked.incrementAndGet();
      return 50;
    });
    store.shunt(KEY, ShuntRequest.of("deploy", "test"));

    assertThat(ask(agent)).isEqualTo("drain\n");
    assertThat(asked).hasValue(0);
  }

  @Test
  void checkerThatSendsTextFirstStillGetsTheAnswer() {
    AgentCheckResponder agent = start(health().build());

    assertThat(ask(agent, "hello agent\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo("ready up 100%\n");
  }

  @Test
  void concurrentConnectionsAreAllAnswered() throws Exception {
    AgentCheckResponder agent = start(health().build());
    ExecutorService clients = Executors.newFixedThreadPool(32);
    try {
      List<CompletableFuture<String>> answers = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        // From as many addresses as there are clients, as from many load balancers: one address
        // may have only maxConnectionsPerAddress connections open at once.
        InetAddress from = loopback(1 + i % 32);
        answers.add(CompletableFuture.supplyAsync(() -> ask(agent, new byte[0], from), clients));
      }

      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(answers).extracting(CompletableFuture::join).hasSize(200).containsOnly("ready up 100%\n");
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void checkersThatNeverHangUpAreCutOffAfterTheAnswerTimeout() throws Exception {
    AgentCheckResponder agent = start(agent(health().build()).answerTimeout(Duration.ofMillis(300)));
    List<Socket> silent = new ArrayList<>();
    try {
      // More than there are threads answering (the cap of 8 per address plus 4), from
      // addresses that each stay within the cap, and the check from yet another one.
      for (int i = 0; i < 24; i++) {
        silent.add(connect(agent, loopback(1 + i % 4)));
      }
      long start = System.nanoTime();
      String answer = ask(agent, new byte[0], loopback(5));
      Duration waited = Duration.ofNanos(System.nanoTime() - start);

      assertThat(answer).isEqualTo("ready up 100%\n");
      assertThat(waited).isLessThan(Duration.ofSeconds(2));
      for (Socket socket : silent) {
        assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
            .as("what a checker that never hung up got before it was cut off")
            .isEqualTo("ready up 100%\n");
      }
    } finally {
      for (Socket socket : silent) {
        socket.close();
      }
    }
  }

  @Test
  void oneAddressGetsNoMoreConnectionsThanItsCap() throws Exception {
    AgentCheckResponder agent = start(agent(health().build()).answerTimeout(Duration.ofSeconds(30)));
    try (SilentConnections silent = SilentConnections.open(agent, 300, LOOPBACK)) {
      assertThat(silent.answered()).as("connections answered of 300 from one address, the rest closed unanswered")
          .isEqualTo(8);
    }
  }

  @Test
  void checkFromAnotherAddressIsAnsweredWhileOneAddressHoldsHundredsOfSilentConnections() throws Exception {
    // The probe: of 500 silent connections, 236 were closed unanswered, a real check among them.
    AgentCheckResponder agent = start(agent(health().build()).answerTimeout(Duration.ofSeconds(30)));
    try (SilentConnections silent = SilentConnections.open(agent, 300, LOOPBACK)) {
      assertThat(ask(agent, new byte[0], loopback(2))).isEqualTo("ready up 100%\n");
    }
  }

  @Test
  void anAddressGetsItsConnectionsBackOnceItsEarlierOnesEnded() throws Exception {
    AgentCheckResponder agent = start(agent(health().build()).maxConnectionsPerAddress(2));
    try (SilentConnections silent = SilentConnections.open(agent, 3, LOOPBACK)) {
      assertThat(silent.answered()).isEqualTo(2);
    }

    // The responder notices the hang-ups on its own threads: ask until it has (at most 5 s).
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    String answer = askOrEmpty(agent);
    while (answer.isEmpty() && System.nanoTime() < deadline) {
      sleepBriefly();
      answer = askOrEmpty(agent);
    }
    assertThat(answer).isEqualTo("ready up 100%\n");
  }

  /** The answer, or "" if the connection was closed unanswered (or reset). */
  private static String askOrEmpty(AgentCheckResponder agent) {
    try {
      return ask(agent);
    } catch (UncheckedIOException e) {
      return "";
    }
  }

  @Test
  void connectionsClosedUnansweredAreWarnedOfAtMostOnceAMinute() throws Exception {
    AgentCheckResponder agent = start(agent(health().build()).answerTimeout(Duration.ofSeconds(30)));
    try (CapturedLog log = CapturedLog.of(AgentCheckResponder.class);
        SilentConnections silent = SilentConnections.open(agent, 300, LOOPBACK)) {
      assertThat(closedWarnings(log)).containsExactly("closed an agent check from 127.0.0.1 on port " + agent.port()
          + " unanswered: that address has 8 connections open already, the most maxConnectionsPerAddress allows"
          + " (such warnings are logged at most once every 60 s)");

      clock.advance(Duration.ofMinutes(1));
      try (SilentConnections oneMore = SilentConnections.open(agent, 1, LOOPBACK)) {
        assertThat(oneMore.answered()).isZero();
      }

      assertThat(closedWarnings(log)).hasSize(2).last().asString()
          .endsWith("; 291 more since the last (such warnings are logged at most once every 60 s)");
    }
  }

  private static List<String> closedWarnings(CapturedLog log) {
    return log.messages().stream().filter(message -> message.startsWith("closed an agent check")).toList();
  }

  /**
   * Connections that send nothing and never hang up, from one address; open once the responder
   * has either answered or closed each of them.
   */
  private static final class SilentConnections implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();
    private int answered;

    static SilentConnections open(AgentCheckResponder agent, int count, InetAddress from) throws IOException {
      SilentConnections silent = new SilentConnections();
      try {
        for (int i = 0; i < count; i++) {
          silent.sockets.add(connect(agent, from));
        }
        // The first byte of the answer, or the end of a connection closed unanswered.
        for (Socket socket : silent.sockets) {
          if (socket.getInputStream().read() >= 0) {
            silent.answered++;
          }
        }
      } catch (IOException | RuntimeException e) {
        silent.close();
        throw e;
      }
      return silent;
    }

    int answered() {
      return answered;
    }

    @Override
    public void close() throws IOException {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  @Test
  void closeStopsAccepting() {
    AgentCheckResponder agent = start(health().build());
    int port = agent.port();

    agent.close();

    assertThatThrownBy(() -> new Socket(LOOPBACK, port).close()).isInstanceOf(ConnectException.class);
  }

  @Test
  void closeStopsItsThreads() {
    AgentCheckResponder agent = start(health().build());
    ask(agent);
    String prefix = "shunt-agent-check-" + agent.port() + "-";

    agent.close();

    // A pool thread may still be leaving its run loop when the pool reports termination.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    while (liveThreads(prefix) > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(thread -> thread.getName().startsWith(prefix) && thread.isAlive())
        .isEmpty();
  }

  private static long liveThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith(prefix) && thread.isAlive()).count();
  }

  @Test
  void closeTwiceDoesNothingTheSecondTime() {
    AgentCheckResponder agent = start(health().build());

    agent.close();
    agent.close();

    assertThat(agent.toString()).endsWith(", closed}");
  }

  @Test
  void closeBeforeStartIsAllowed() {
    AgentCheckResponder agent = agent(health().build()).build();

    agent.close();

    assertThatThrownBy(agent::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this AgentCheckResponder is closed; build a new one");
  }

  @Test
  void startTwiceFails() {
    AgentCheckResponder agent = start(health().build());

    assertThatThrownBy(agent::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this AgentCheckResponder was started already, on port " + agent.port());
  }

  @Test
  void portInUseFailsAtStartNamingTheAddress() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      AgentCheckResponder agent = agent(health().build()).port(taken.getLocalPort()).build();
      toClose.add(agent);

      assertThatThrownBy(agent::start)
          .isInstanceOf(ShuntException.class)
          .hasMessageStartingWith("cannot listen for HAProxy agent checks on " + new InetSocketAddress(LOOPBACK, taken.getLocalPort()))
          .hasCauseInstanceOf(IOException.class);
    }
  }

  @Test
  void configuredPortIsUsed() throws IOException {
    int free;
    try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
      free = probe.getLocalPort();
    }
    AgentCheckResponder agent = start(agent(health().build()).port(free));

    assertThat(agent.port()).isEqualTo(free);
    assertThat(ask(agent)).isEqualTo("ready up 100%\n");
  }
}
