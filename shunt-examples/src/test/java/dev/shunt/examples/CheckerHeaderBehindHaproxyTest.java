package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.shunt.CheckerReport;
import dev.shunt.HealthResponder;
import dev.shunt.HealthResponder.ShutdownOutcome;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.httpserver.HttpServerHealth;
import dev.shunt.workflow.AwaitCheckersStep;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drain, and a shutdown, that only the load balancer can finish: web1's responder counts only
 * checks that carry {@code X-Checker: <name>:<secret>} as checker reports, and a real HAProxy
 * sends it ({@code http-check send hdr X-Checker lb-1:…}). A curl-like client that checks
 * web1's {@code /health} directly, as fast as it can, without the header or with a wrong secret,
 * is answered "down" like HAProxy, but its checks are not recorded: the drain ends on HAProxy's
 * {@code fall} NACKs alone, and HAProxy has then taken web1 out. The control: without the
 * header the same loop ends the drain while HAProxy still has web1 UP.
 *
 * <p>Under {@code CI=true} a missing {@code haproxy} fails these tests; elsewhere they are skipped
 * with a message saying how to install it.
 */
class CheckerHeaderBehindHaproxyTest {
  private static final InstanceKey WEB1 = InstanceKey.of("checkout", "web1");
  private static final String SECRET = "Xq3vN8sLk2Pw9TzR4mYb";
  private static final Duration WAIT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private static Path executable;

  private final StatusStore store = StatusStore.inMemory();
  private final List<String> log = new ArrayList<>();
  private final HttpClient client = HttpClient.newHttpClient();
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final AtomicBoolean curling = new AtomicBoolean();
  private HealthResponder health;
  private HttpServer web1;
  private HttpServer web2;
  private Haproxy haproxy;
  private CompletableFuture<List<Integer>> curlLoop;

  @BeforeAll
  static void findHaproxy() {
    executable = HaproxyRequirement.haproxy();
  }

  @AfterEach
  void stopEverything() {
    curling.set(false);
    if (curlLoop != null) {
      curlLoop.join();
    }
    if (haproxy != null) {
      haproxy.close();
    }
    for (HttpServer server : new HttpServer[] {web1, web2}) {
      if (server != null) {
        server.stop(0);
      }
    }
    handlers.shutdownNow();
  }

  /** Starts both backends, web1 with a responder that wants the header, and HAProxy checking {@code /health} with it. */
  private void start(Path directory) throws IOException {
    start(directory, HealthResponder.builder().checkerHeader("X-Checker").checkerSecret(SECRET), "lb-1");
  }

  /** Starts both backends, web1 with {@code responder}, and HAProxy; returns once HAProxy's checks are recorded as {@code checker}. */
  private void start(Path directory, HealthResponder.Builder responder, String checker) throws IOException {
    health = responder.store(store).key(WEB1).healthcheckTimeout(WAIT_TIMEOUT).build();
    web1 = backend("web1", health);
    web2 = backend("web2", null);
    int port = Drills.freePort();
    haproxy = Haproxy.startWithConfig(executable, port, """
        %s
        frontend demo
          bind 127.0.0.1:%d
          default_backend demo

        backend demo
          balance roundrobin
          option httpchk GET /health
          http-check send hdr X-Checker lb-1:%s
          server web1 127.0.0.1:%d check inter %d fall %d rise %d
          server web2 127.0.0.1:%d check inter %d
        """.formatted(Haproxy.DEFAULTS, port, SECRET, web1.getAddress().getPort(), Haproxy.INTER_MILLIS,
        Haproxy.FALL, Haproxy.RISE, web2.getAddress().getPort(), Haproxy.INTER_MILLIS), directory);
    haproxy.awaitAllUp(DEADLINE);
    await(() -> store.reports(WEB1).stream().map(CheckerReport::checker).toList(), List.of(checker),
        "HAProxy's checks recorded as " + checker + ", and nothing else", DEADLINE);
  }

  /**
   * Checks web1's health path directly, like {@code while curl …; do :; done}, until the test
   * ends: every other check without the header, the others with a wrong secret.
   *
   * @return the statuses it was answered
   */
  private CompletableFuture<List<Integer>> startCurlLoop() {
    curling.set(true);
    URI uri = URI.create("http://127.0.0.1:" + web1.getAddress().getPort() + "/health");
    return CompletableFuture.supplyAsync(() -> {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; curling.get() && i < 10_000; i++) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
        if (i % 2 == 1) {
          request.header("X-Checker", "lb-1:wrong-secret-wrong-secret");
        }
        try {
          statuses.add(client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return statuses;
    });
  }

  @Test
  void curlLoopWithoutTheCheckerHeaderCannotFinishTheDrainHaproxysChecksDo(@TempDir Path directory)
      throws Exception {
    start(directory);

    store.shunt(WEB1, ShuntRequest.of("deploy", "test"));
    curlLoop = startCurlLoop();
    String drained = run(AwaitCheckersStep.drain().times(Haproxy.FALL).timeout(WAIT_TIMEOUT).build());

    assertThat(drained).startsWith("1 checker(s) answered down 3 times in a row").endsWith("(lb-1)");
    awaitWeb1Down("once the drain ended");
    assertThat(store.reports(WEB1)).extracting(CheckerReport::checker).containsExactly("lb-1");
    curling.set(false);
    assertThat(curlLoop.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as("the curl loop's answers")
        .isNotEmpty().containsOnly(503);
  }

  @Test
  void curlLoopCannotCompleteAShutdownHaproxysChecksDo(@TempDir Path directory) throws Exception {
    start(directory);

    curlLoop = startCurlLoop();
    ShutdownOutcome outcome = health.startShutdown().get(WAIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(outcome).isEqualTo(ShutdownOutcome.ALL_CHECKERS_NACKED);
    awaitWeb1Down("once the shutdown completed");
    assertThat(store.reports(WEB1)).singleElement().satisfies(report -> {
      assertThat(report.checker()).isEqualTo("lb-1");
      assertThat(report.nackedAtLeast(Haproxy.FALL)).isTrue();
    });
  }

  /**
   * The control: without the header, HAProxy and the curl loop (both from 127.0.0.1) are one
   * checker, and the loop's NACKs end the drain while HAProxy still has web1 UP.
   */
  @Test
  void withoutTheCheckerHeaderTheCurlLoopFinishesTheDrainEarly(@TempDir Path directory) throws Exception {
    start(directory, HealthResponder.builder(), "127.0.0.1");

    store.shunt(WEB1, ShuntRequest.of("deploy", "test"));
    curlLoop = startCurlLoop();
    String drained = run(AwaitCheckersStep.drain().times(Haproxy.FALL).timeout(WAIT_TIMEOUT).build());

    assertThat(drained).startsWith("1 checker(s) answered down 3 times in a row").endsWith("(127.0.0.1)");
    // "UP", or "UP 1/3" going down: HAProxy still sends web1 traffic.
    assertThat(haproxy.serverStates().get("web1")).as("HAProxy's state of web1 when the drain ended").startsWith("UP");
  }

  /**
   * Waits for HAProxy to have web1 DOWN: it acts on the answer the responder recorded just after
   * sending it, as soon as its own process gets the CPU. That the drain ended on HAProxy's NACKs and
   * not on the curl loop's is proven by the checker it names ({@code lb-1}, the only client sending
   * the header); this shows that HAProxy took web1 out on them, within {@code DEADLINE} so that a
   * starved CPU cannot fail it.
   */
  private void awaitWeb1Down(String when) {
    await(() -> haproxy.serverStates().get("web1").startsWith("DOWN"), true, "HAProxy's state of web1 DOWN " + when,
        DEADLINE);
  }

  /** Runs {@code step} on web1 and returns its outcome. */
  private String run(Step step) throws Exception {
    return OneStep.outcomeSeen(step, WEB1, store, log);
  }

  /** An HTTP server that answers its name, with {@code health} in front when given. */
  private HttpServer backend(String name, HealthResponder health) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(handlers);
    var context = server.createContext("/", exchange -> {
      try (exchange) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    });
    if (health != null) {
      context.getFilters().add(HttpServerHealth.filter(health));
    }
    server.start();
    return server;
  }

  /** Polls {@code actual} until it equals {@code expected}, for at most {@code within}. */
  private <T> void await(Supplier<T> actual, T expected, String what, Duration within) {
    Drills.awaitEquals(haproxy, actual, expected, what, within);
  }

}
