package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.shunt.AgentCheckResponder;
import dev.shunt.CheckerReport;
import dev.shunt.HealthResponder;
import dev.shunt.HealthResponder.ShutdownOutcome;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.workflow.AwaitCheckersStep;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The drain and rotation waits ({@link AwaitCheckersStep}) and the NACK-mode shutdown with
 * HAProxy's {@code agent-check} alone: a real HAProxy whose servers have a plain TCP
 * {@code check} and no {@code option httpchk}, so the only answers that say anything about the
 * shunt are the {@link AgentCheckResponder}'s. Without reports of those answers each wait would
 * sit out its whole timeout and end as a "timeout fallback"; here each must end on the checker
 * seen, and HAProxy's {@code show stat} must agree. {@code web2}, without an agent, is there so
 * that traffic has somewhere to go.
 *
 * <p>Under {@code CI=true} a missing {@code haproxy} fails these tests; elsewhere they are skipped
 * with a message saying how to install it.
 */
class AgentCheckWaitsBehindHaproxyTest {
  private static final InstanceKey WEB1 = InstanceKey.of("checkout", "web1");
  /** Far above one agent interval plus slack: a wait that reaches it took the fallback path. */
  private static final Duration WAIT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private static Path executable;

  private final StatusStore store = StatusStore.inMemory();
  private final List<String> log = new ArrayList<>();
  private HealthResponder health;
  private HttpServer web1;
  private HttpServer web2;
  private AgentCheckResponder agent;
  private Haproxy haproxy;

  @BeforeAll
  static void findHaproxy() {
    executable = HaproxyRequirement.haproxy();
  }

  @AfterEach
  void stopEverything() {
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
  }

  /** Starts both backends, web1's agent, and HAProxy checking them over TCP and web1's agent every {@code agentInter}. */
  private void start(Duration agentInter, Path directory) throws IOException {
    web1 = backend("web1");
    web2 = backend("web2");
    health = HealthResponder.builder().store(store).key(WEB1).build();
    agent = AgentCheckResponder.builder()
        .responder(health)
        .bindAddress(InetAddress.getLoopbackAddress())
        .port(0)
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
          # No "option httpchk": "check" is a TCP connect, the same whatever the store says.
          server web1 127.0.0.1:%d check inter %d agent-check agent-port %d agent-inter %d
          server web2 127.0.0.1:%d check inter %d
        """.formatted(Haproxy.DEFAULTS, port, web1.getAddress().getPort(), Haproxy.INTER_MILLIS, agent.port(),
        agentInter.toMillis(), web2.getAddress().getPort(), Haproxy.INTER_MILLIS), directory);
    haproxy.awaitAllUp(DEADLINE);
    // The agent has been asked at least once: the load balancer checks this host lately.
    awaitWeb1(() -> store.reports(WEB1).stream().anyMatch(report -> report.checker().startsWith("agent:")),
        true, "an agent check reported");
  }

  @ParameterizedTest(name = "agent-inter {0} ms")
  @ValueSource(ints = {100, 300})
  void drainAfterAShuntAndRotationAfterTheUnshuntEndOnTheAgentsAnswers(int agentInterMillis, @TempDir Path directory)
      throws Exception {
    start(Duration.ofMillis(agentInterMillis), directory);

    store.shunt(WEB1, ShuntRequest.of("deploy", "test"));
    String drained = run(AwaitCheckersStep.drain().timeout(WAIT_TIMEOUT).build());

    assertThat(drained).startsWith("1 checker(s) answered down once to an agent check");
    awaitWeb1(() -> haproxy.serverStates().get("web1"), "DRAIN (agent)", "HAProxy's state of web1");
    assertThat(store.reports(WEB1)).singleElement().satisfies(report -> {
      assertThat(report.checker()).isEqualTo("agent:127.0.0.1");
      assertThat(report.appliesAtOnce()).isTrue();
    });

    store.unshunt(WEB1);
    String back = run(AwaitCheckersStep.rotation().timeout(WAIT_TIMEOUT).build());

    assertThat(back).startsWith("1 checker(s) answered up once to an agent check");
    awaitWeb1(() -> haproxy.serverStates().get("web1"), "UP", "HAProxy's state of web1");
  }

  @Test
  void shutdownCompletesOnceTheAgentAnsweredDown(@TempDir Path directory) throws Exception {
    start(Duration.ofMillis(300), directory);

    ShutdownOutcome outcome = health.startShutdown().get(WAIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(outcome).isEqualTo(ShutdownOutcome.ALL_CHECKERS_NACKED);
    awaitWeb1(() -> haproxy.serverStates().get("web1"), "DOWN (agent)", "HAProxy's state of web1");
    assertThat(store.reports(WEB1)).singleElement()
        .extracting(CheckerReport::nacked, CheckerReport::appliesAtOnce).containsExactly(true, true);
  }

  /** Runs {@code step} on web1 and returns its outcome. */
  private String run(Step step) throws Exception {
    return OneStep.outcomeSeen(step, WEB1, store, log);
  }

  /** An HTTP server that answers its name. */
  private static HttpServer backend(String name) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    });
    server.start();
    return server;
  }

  /** Polls {@code actual} until it equals {@code expected}, for at most 5 s. */
  private <T> void awaitWeb1(Supplier<T> actual, T expected, String what) {
    Drills.awaitEquals(haproxy, actual, expected, what, DEADLINE);
  }

}
