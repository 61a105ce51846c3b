package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shunt.AgentCheckResponder;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AgentCheckResponder} behind a real HAProxy, as {@code show stat} on its stats socket
 * reports it. Two in-process backends that answer their own name: {@code web1} with an agent
 * answering from a {@link HealthResponder} on an in-memory store, {@code web2} without one, so
 * that traffic has somewhere to go while {@code web1} is out. Both have a plain TCP
 * {@code check}, which tells HAProxy the process is there (and without which the stats say
 * {@code no check} instead of {@code UP}); it is the same whatever the store says, so every
 * change below is the agent's doing.
 *
 * <p>Under {@code CI=true} a missing {@code haproxy} fails these tests; elsewhere they are skipped
 * with a message saying how to install it.
 */
class AgentCheckBehindHaproxyTest {
  private static final InstanceKey WEB1 = InstanceKey.of("checkout", "web1");
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  private static Path executable;

  private final StatusStore store = StatusStore.inMemory();
  private final AtomicInteger weightPercent = new AtomicInteger(100);
  private final CountDownLatch releaseSlowRequests = new CountDownLatch(1);
  private final ExecutorService handlers = Executors.newFixedThreadPool(8);
  private HealthResponder health;
  private HttpServer web1;
  private HttpServer web2;
  private AgentCheckResponder agent;
  private Haproxy haproxy;

  @BeforeAll
  static void findHaproxy() {
    executable = HaproxyRequirement.haproxy();
  }

  @BeforeEach
  void startBackendsAgentAndHaproxy(@TempDir Path directory) throws IOException {
    web1 = backend("web1");
    web2 = backend("web2");
    health = HealthResponder.builder().store(store).key(WEB1).build();
    agent = AgentCheckResponder.builder()
        .responder(health)
        .bindAddress(InetAddress.getLoopbackAddress())
        .port(0)
        .weight(weightPercent::get)
        .build()
        .start();
    int port = Drills.freePort();
    haproxy = Haproxy.startWithConfig(executable, port, """
        %s
        frontend demo
          bind 127.0.0.1:%d
          default_backend demo

        backend demo
          balance roundrobin
          # weight 100, not the default 1: an agent's 50%% of 1 would round to 0.
          server web1 127.0.0.1:%d weight 100 check inter %d agent-check agent-port %d agent-inter %d
          server web2 127.0.0.1:%d weight 100 check inter %d
        """.formatted(Haproxy.DEFAULTS, port, web1.getAddress().getPort(), Haproxy.INTER_MILLIS, agent.port(),
        Haproxy.INTER_MILLIS, web2.getAddress().getPort(), Haproxy.INTER_MILLIS), directory);
    // Right after start a server shows e.g. "UP 1/3" until its checks have passed a few times.
    haproxy.awaitAllUp(DEADLINE);
  }

  @AfterEach
  void stopEverything() {
    releaseSlowRequests.countDown();
    if (haproxy != null) {
      haproxy.close();
    }
    if (agent != null) {
      agent.close();
    }
    for (HttpServer server : new HttpServer[] {web1, web2}) {
      if (server != null) {
        server.stop(0);
      }
    }
    handlers.shutdownNow();
  }

  @Test
  void inRotationTheServerIsUpAtFullWeight() {
    assertThat(haproxy.serverStates()).containsEntry("web1", "UP").containsEntry("web2", "UP");
    assertThat(haproxy.serverWeights()).containsEntry("web1", 100);
    assertThat(servedBy(4)).contains("web1", "web2");
  }

  @Test
  void shuntMovesTheServerToDrainAndNewRequestsGoElsewhere() {
    store.shunt(WEB1, ShuntRequest.of("deploy", "test"));

    awaitWeb1(() -> haproxy.serverStates().get("web1"), "DRAIN (agent)");
    assertThat(servedBy(6)).containsOnly("web2");
  }

  @Test
  void unshuntBringsTheServerBackUp() {
    store.shunt(WEB1, ShuntRequest.of("deploy", "test"));
    awaitWeb1(() -> haproxy.serverStates().get("web1"), "DRAIN (agent)");

    store.unshunt(WEB1);

    awaitWeb1(() -> haproxy.serverStates().get("web1"), "UP");
    assertThat(servedBy(4)).contains("web1");
  }

  @Test
  void weightSupplierSetsTheServerWeight() {
    weightPercent.set(50);

    awaitWeb1(() -> haproxy.serverWeights().get("web1"), 50);
    assertThat(haproxy.serverStates()).containsEntry("web1", "UP");
  }

  @Test
  void shutdownTakesTheServerDownButLetsARequestInFlightFinish() throws Exception {
    // Round robin over two servers: of two requests at once, one is on web1.
    List<CompletableFuture<HttpResponse<String>>> slow = List.of(sendAsync("/slow"), sendAsync("/slow"));
    awaitWeb1(() -> health.inFlight().current(), 1);

    health.startShutdown();

    awaitWeb1(() -> haproxy.serverStates().get("web1"), "DOWN (agent)");
    assertThat(servedBy(4)).containsOnly("web2");
    releaseSlowRequests.countDown();
    List<String> finished = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> response : slow) {
      HttpResponse<String> answer = response.get(5, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).isEqualTo(200);
      finished.add(answer.body());
    }
    assertThat(finished).containsExactlyInAnyOrder("web1", "web2");
  }

  /** An HTTP server that answers its name; {@code /slow} waits for the test to release it. */
  private HttpServer backend(String name) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(handlers);
    server.createContext("/", exchange -> answer(exchange, name));
    server.createContext("/slow", exchange -> {
      boolean web1Request = name.equals("web1");
      if (web1Request) {
        health.inFlight().begin();
      }
      try {
        releaseSlowRequests.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        answer(exchange, name);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        if (web1Request) {
          health.inFlight().end();
        }
      }
    });
    server.start();
    return server;
  }

  private static void answer(HttpExchange exchange, String body) throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Which backend answered each of {@code count} requests through HAProxy, in order. */
  private List<String> servedBy(int count) {
    List<String> servers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      try {
        HttpResponse<String> response = sendAsync("/").get(5, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as("request %d through HAProxy", i).isEqualTo(200);
        servers.add(response.body());
      } catch (Exception e) {
        throw new AssertionError("request " + i + " through HAProxy failed", e);
      }
    }
    return servers;
  }

  private CompletableFuture<HttpResponse<String>> sendAsync(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + haproxy.port() + path))
        .timeout(Duration.ofSeconds(5)).build();
    return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Polls {@code actual} until it equals {@code expected}, for at most 5 s. */
  private <T> void awaitWeb1(Supplier<T> actual, T expected) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    T last = actual.get();
    while (!expected.equals(last) && System.nanoTime() < deadline) {
      Haproxy.sleep(Duration.ofMillis(20));
      last = actual.get();
    }
    assertThat(last).as("web1 within %s; HAProxy's servers: %s; its log: %s", DEADLINE,
        haproxy.serverStates(), haproxy.log()).isEqualTo(expected);
  }

}
