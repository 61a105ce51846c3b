package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.map.IMap;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shunt.GracefulShutdown;
import dev.shunt.GracefulShutdown.PhaseReport;
import dev.shunt.GracefulShutdown.PhaseResult;
import dev.shunt.GracefulShutdown.Report;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.ShutdownPhase;
import dev.shunt.StatusStore;
import dev.shunt.httpserver.HttpServerHealth;
import dev.shunt.testing.CapturedLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An app that is a Hazelcast member, shut down through {@link GracefulShutdown} with {@link
 * HazelcastShutdown#member} as its last phase: the member leaves last, gracefully, and the data
 * stays in the cluster. {@code run()} is called directly rather than through a SIGTERM.
 */
class HazelcastShutdownTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(1);

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService handlers = Executors.newCachedThreadPool();

  @AfterEach
  void stopCheckerAndHandlers() throws InterruptedException {
    checker.shutdownNow();
    handlers.shutdownNow();
    assertThat(checker.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private HealthResponder responder(StatusStore store, Duration healthcheckTimeout) {
    return HealthResponder.builder()
        .store(store)
        .key(InstanceKey.of("checkout", "web-" + events.hashCode()))
        .nacksBeforeShutdown(3)
        .healthcheckTimeout(healthcheckTimeout)
        .build();
  }

  /** Shuts {@code member} down as an app with no load balancer checking it would. */
  private static Report shutDownThroughShunt(HazelcastInstance member) {
    HealthResponder unchecked = HealthResponder.builder()
        .store(StatusStore.inMemory())
        .key(InstanceKey.of("checkout", member.getName()))
        .healthcheckTimeout(Duration.ofMillis(20))
        .build();
    return GracefulShutdown.builder()
        .responder(unchecked)
        .stopServer(() -> { })
        .then(HazelcastShutdown.member(member))
        .build()
        .run();
  }

  @Test
  void memberLeavesOnlyAfterTheNacksTheRequestsInFlightAndTheServer() throws Exception {
    HazelcastInstance member = CLUSTER.startMember(HazelcastShutdown::configure);
    member.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleState.SHUTTING_DOWN || event.getState() == LifecycleState.SHUTDOWN) {
        events.add("member " + event.getState());
      }
    });
    IMap<String, String> orders = member.getMap("orders");
    orders.put("order-1", "paid");
    CountDownLatch release = new CountDownLatch(1);
    try (HazelcastStatusStore store = HazelcastStatusStore.builder(member).build()) {
      HealthResponder health = responder(store, DEADLINE);
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
      server.setExecutor(handlers);
      server.createContext("/", exchange -> {
        // An app request that needs the member: it reads the map once it is let go.
        await(release);
        answer(exchange, "order-1 " + orders.get("order-1"));
        events.add("request in flight answered");
      }).getFilters().add(HttpServerHealth.filter(health));
      server.start();
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      checker.scheduleWithFixedDelay(() -> {
        try {
          if (get(base.resolve("/health")).statusCode() == 503 && !events.contains("health down")) {
            events.add("health down");
          }
        } catch (IOException | InterruptedException serverGone) {
          // Stopped by the shutdown: no more checks to answer.
        }
      }, 0, 50, TimeUnit.MILLISECONDS);
      CompletableFuture<HttpResponse<String>> inFlight =
          CLIENT.sendAsync(request(base.resolve("/orders/order-1")), HttpResponse.BodyHandlers.ofString());
      Poll.until(DEADLINE, "the app request to arrive", () -> health.inFlight().toString().equals("1 in flight"));
      GracefulShutdown shutdown = GracefulShutdown.builder()
          .responder(health)
          .stopServer(() -> {
            server.stop(0);
            events.add("server stopped");
          })
          .then(HazelcastShutdown.member(member))
          .build();

      CompletableFuture<Report> report = CompletableFuture.supplyAsync(shutdown::run);
      Poll.until(DEADLINE, "health checks answered down", () -> events.contains("health down"));
      health.shutdown(() -> events.add("nacks seen"));
      Poll.until(DEADLINE, "every checker NACKed", () -> events.contains("nacks seen"));
      assertThat(member.getLifecycleService().isRunning()).as("member running while a request is in flight").isTrue();
      release.countDown();

      assertThat(inFlight.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).body()).isEqualTo("order-1 paid");
      Report done = report.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      assertThat(events).containsExactly("health down", "nacks seen", "request in flight answered",
          "server stopped", "member SHUTTING_DOWN", "member SHUTDOWN");
      assertThat(done.phases()).extracting(PhaseReport::name)
          .containsExactly("nacks", "in flight", "stop server", "hazelcast member");
      assertThat(done.phase("hazelcast member")).hasValueSatisfying(phase -> {
        assertThat(phase.result()).isEqualTo(PhaseResult.DONE);
        assertThat(phase.detail()).contains("1 member(s) left behind").endsWith("its partitions were handed over");
      });
    }
  }

  @Test
  void mapWithOneBackupKeepsEveryEntryWhenTwoOfThreeMembersLeaveThroughShuntOneRightAfterTheOther() {
    HazelcastInstance second = CLUSTER.startMember(HazelcastShutdown::configure);
    HazelcastInstance third = CLUSTER.startMember(HazelcastShutdown::configure);
    HazelcastInstance staying = CLUSTER.member(0);
    assertThat(staying.getConfig().getMapConfig("orders").getBackupCount()).isEqualTo(1);
    Map<Integer, String> entries = IntStream.range(0, 5_000).boxed()
        .collect(Collectors.toMap(i -> i, i -> "order-" + i));
    staying.<Integer, String>getMap("orders").putAll(entries);

    Report first = shutDownThroughShunt(second);
    Report next = shutDownThroughShunt(third);

    assertThat(first.phase("hazelcast member")).map(PhaseReport::result).hasValue(PhaseResult.DONE);
    assertThat(next.phase("hazelcast member")).map(PhaseReport::result).hasValue(PhaseResult.DONE);
    IMap<Integer, String> orders = staying.getMap("orders");
    assertThat(orders.size()).isEqualTo(5_000);
    assertThat(orders.getAll(entries.keySet())).isEqualTo(entries);
  }

  @Test
  void memberThatStillHasHazelcastsShutdownHookIsWarnedAboutAtInstall() {
    try (CapturedLog log = CapturedLog.of(HazelcastShutdown.class)) {
      HazelcastShutdown.member(CLUSTER.member(0));

      assertThat(log.messages()).singleElement().asString()
          .contains("has Hazelcast's own shutdown hook (hazelcast.shutdownhook.enabled=true,"
              + " hazelcast.shutdownhook.policy=TERMINATE)")
          .contains("without handing over its partitions")
          .endsWith("Set hazelcast.shutdownhook.enabled=false before the member starts (HazelcastShutdown.configure(config))");
    }
  }

  @Test
  void memberConfiguredWithoutTheHookIsInstalledQuietly() {
    HazelcastInstance member = CLUSTER.startMember(HazelcastShutdown::configure);
    try (CapturedLog log = CapturedLog.of(HazelcastShutdown.class)) {
      HazelcastShutdown.member(member);

      assertThat(log.messages()).isEmpty();
    } finally {
      member.shutdown();
    }
  }

  @Test
  void memberThatLeftBeforeItsPhaseIsReportedAsFailed() {
    HazelcastInstance member = CLUSTER.startMember(HazelcastShutdown::configure);
    ShutdownPhase phase = HazelcastShutdown.member(member);
    member.getLifecycleService().terminate(); // as Hazelcast's own hook would, at SIGTERM

    Report report = GracefulShutdown.builder()
        .responder(responder(StatusStore.inMemory(), Duration.ofMillis(20)))
        .stopServer(() -> { })
        .then(phase)
        .build()
        .run();

    assertThat(report.phase("hazelcast member")).hasValueSatisfying(failed -> {
      assertThat(failed.result()).isEqualTo(PhaseResult.FAILED);
      assertThat(failed.detail()).isEqualTo("the member had already left before this phase (Hazelcast's own"
          + " shutdown hook? set hazelcast.shutdownhook.enabled=false)");
    });
  }

  @Test
  void limitDefaultsToTheMembersGracefulShutdownMaxWaitPlusTenSeconds() {
    HazelcastInstance member = CLUSTER.startMember(config -> HazelcastShutdown.configure(config)
        .setProperty("hazelcast.graceful.shutdown.max.wait", "20"));
    try {
      assertThat(HazelcastShutdown.member(member).limit()).isEqualTo(Duration.ofSeconds(30));
      assertThat(HazelcastShutdown.member(CLUSTER.member(0)).limit()).isEqualTo(Duration.ofSeconds(610));
    } finally {
      member.shutdown();
    }
  }

  @Test
  void configureTurnsHazelcastsShutdownHookOff() {
    Config config = HazelcastShutdown.configure(new Config());

    assertThat(config.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
  }

  @Test
  void clientIsRefused() {
    HazelcastInstance client = CLUSTER.newClient();

    assertThatThrownBy(() -> HazelcastShutdown.member(client))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("member must be a Hazelcast member, was the client ");
  }

  @Test
  void zeroLimitIsRefused() {
    assertThatThrownBy(() -> HazelcastShutdown.member(CLUSTER.member(0), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be positive, was PT0S");
  }

  private static HttpRequest request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(DEADLINE).build();
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return CLIENT.send(request(uri), HttpResponse.BodyHandlers.ofString());
  }

  private static void answer(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (exchange) {
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
