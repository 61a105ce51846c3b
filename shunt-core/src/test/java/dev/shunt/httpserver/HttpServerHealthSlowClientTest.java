package dev.shunt.httpserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.StatusStore;
import dev.shunt.testing.HalfSentRequests;
import dev.shunt.testing.HalfSentRequests.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Health checks are answered while other clients hold half-sent requests, on the JDK server set
 * up as the README and {@link HttpServerHealth}'s Javadoc show it: with an executor.
 */
class HttpServerHealthSlowClientTest {
  /**
   * The bound the issue sets ("a health check still answered within 100 ms"), measured here from
   * connecting to reading the status line. A stalled server answers no check at all while the
   * clients hold their requests; the measuring client itself waits up to 10 s.
   */
  private static final Duration ISSUE_BOUND = Duration.ofMillis(100);

  private HttpServer server;
  private ExecutorService executor;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  /** The README's example, on 127.0.0.1 and any free port. */
  private InetSocketAddress startAsTheReadmeShows() throws IOException {
    executor = new ThreadPoolExecutor(0, 200, 60, TimeUnit.SECONDS, new SynchronousQueue<>());
    return start(true);
  }

  private InetSocketAddress start(boolean withExecutor) throws IOException {
    HealthResponder health = HealthResponder.builder()
        .store(StatusStore.inMemory())
        .key(InstanceKey.of("checkout", "web-1"))
        .path("/health")
        .build();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    if (withExecutor) {
      server.setExecutor(executor);
    }
    server.createContext("/", HttpServerHealthSlowClientTest::app).getFilters().add(HttpServerHealth.filter(health));
    server.start();
    InetSocketAddress address = server.getAddress();
    // Loads and warms up what the first check needs, so that the measured ones time the server.
    assertThat(HalfSentRequests.check(address, "/health").status()).isEqualTo(200);
    return address;
  }

  private static void app(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
  }

  @Test
  void checkIsAnsweredWhileOneClientHoldsAHalfSentRequest() throws IOException {
    InetSocketAddress address = startAsTheReadmeShows();

    try (HalfSentRequests held = HalfSentRequests.hold(address, 1)) {
      assertAnsweredPromptly(address);
    }
  }

  @Test
  void checkIsAnsweredWhileFiftyClientsHoldHalfSentRequests() throws IOException {
    InetSocketAddress address = startAsTheReadmeShows();

    try (HalfSentRequests held = HalfSentRequests.hold(address, 50)) {
      assertAnsweredPromptly(address);
    }
  }

  private static void assertAnsweredPromptly(InetSocketAddress address) {
    // Answered at all (within 10 s) first: the server has by then taken up the half-sent
    // requests, which reached it before this check's connection did.
    assertThat(HalfSentRequests.check(address, "/health").status()).isEqualTo(200);

    Answer answer = HalfSentRequests.fastestOfThree(address, "/health");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.took()).as("the time to answer a check (the issue's bound)").isLessThan(ISSUE_BOUND);
  }

  /**
   * Why the README sets an executor: without one the JDK server runs each exchange on its only
   * dispatcher thread, which reads the request's headers and blocks until they are complete.
   */
  @Test
  void withoutAnExecutorOneHalfSentRequestStallsEveryCheck() throws Exception {
    InetSocketAddress address = start(false);

    try (HalfSentRequests held = HalfSentRequests.hold(address, 1)) {
      Thread.sleep(200);  // lets the dispatcher take up the half-sent request before the check connects

      assertThatThrownBy(() -> HalfSentRequests.check(address, "/health", Duration.ofSeconds(1)))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("Read timed out");
    }
  }
}
