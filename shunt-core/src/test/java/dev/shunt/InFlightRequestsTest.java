package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shunt.httpserver.HttpServerHealth;
import dev.shunt.internal.CheckerReportRules;
import dev.shunt.testing.MutableClock;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests in flight: how they are counted and awaited, how the JDK HttpServer adapter counts the
 * application's requests, and how the count shows in the responder's reports.
 */
class InFlightRequestsTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final String LOCAL_CHECKER = "127.0.0.1";
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private final InFlightRequests inFlight = new InFlightRequests();
  private final MutableClock clock = new MutableClock(NOW);
  private final StatusStore store = StatusStore.inMemory(clock);
  private final ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
  private HoldingAppServer server;

  @AfterEach
  void stop() {
    traffic.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  private HealthResponder startServer(HealthResponder.Builder builder) {
    HealthResponder responder = builder.store(store).key(KEY).clock(clock).build();
    server = HoldingAppServer.start(responder);
    return responder;
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Runs {@code wait} on a thread of its own and returns once that thread is waiting. */
  private static CompletableFuture<Boolean> waitingOn(InterruptibleWait wait) throws InterruptedException {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    Thread waiter = new Thread(() -> {
      try {
        result.complete(wait.await());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "in-flight-waiter");
    waiter.setDaemon(true);
    waiter.start();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (waiter.getState() != Thread.State.TIMED_WAITING && !result.isDone()) {
      assertThat(System.nanoTime()).as("the waiter thread waits within %s", DEADLINE).isLessThan(deadline);
      Thread.onSpinWait();
    }
    return result;
  }

  @FunctionalInterface
  private interface InterruptibleWait {
    boolean await() throws InterruptedException;
  }

  @Test
  void noRequestIsInFlightAtFirst() {
    assertThat(inFlight.current()).isZero();
  }

  @Test
  void beginCountsARequestIn() {
    inFlight.begin();
    inFlight.begin();

    assertThat(inFlight.current()).isEqualTo(2);
  }

  @Test
  void endCountsARequestOut() {
    inFlight.begin();
    inFlight.begin();

    inFlight.end();

    assertThat(inFlight.current()).isEqualTo(1);
  }

  @Test
  void awaitZeroReturnsTrueAtOnceWhenNoneIsInFlight() throws InterruptedException {
    assertThat(inFlight.awaitZero(Duration.ZERO)).isTrue();
  }

  @Test
  void awaitZeroReturnsTrueWhenTheLastRequestEnds() throws Exception {
    inFlight.begin();
    CompletableFuture<Boolean> zero = waitingOn(() -> inFlight.awaitZero(DEADLINE));
    assertThat(zero).isNotDone();

    inFlight.end();

    assertThat(zero.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void awaitZeroReturnsFalseWhenARequestStaysInFlightPastTheTimeout() throws InterruptedException {
    inFlight.begin();
    long start = System.nanoTime();

    boolean zero = inFlight.awaitZero(Duration.ofMillis(100));

    assertThat(zero).isFalse();
    assertThat(since(start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
  }

  @Test
  void awaitQuietWaitsForTheQuietPeriodAfterTheLastBegin() throws InterruptedException {
    long beforeBegin = System.nanoTime();
    inFlight.begin();
    inFlight.end();

    boolean quiet = inFlight.awaitQuiet(Duration.ofMillis(200), DEADLINE);

    assertThat(quiet).isTrue();
    assertThat(since(beforeBegin)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void awaitQuietWaitsForTheLastRequestToEnd() throws Exception {
    inFlight.begin();
    CompletableFuture<Boolean> quiet = waitingOn(() -> inFlight.awaitQuiet(Duration.ZERO, DEADLINE));
    assertThat(quiet).isNotDone();

    inFlight.end();

    assertThat(quiet.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void awaitQuietReturnsFalseWhileARequestStaysInFlightPastTheTimeout() throws InterruptedException {
    inFlight.begin();

    assertThat(inFlight.awaitQuiet(Duration.ZERO, Duration.ofMillis(100))).isFalse();
  }

  @Test
  void awaitQuietReturnsFalseWhenRequestsKeepBeginningPastTheTimeout() throws InterruptedException {
    traffic.scheduleAtFixedRate(() -> {
      inFlight.begin();
      inFlight.end();
    }, 0, 20, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();

    boolean quiet = inFlight.awaitQuiet(Duration.ofMillis(200), Duration.ofMillis(300));

    assertThat(quiet).isFalse();
    assertThat(since(start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void heldAppRequestCountsAsOneInFlight() {
    HealthResponder responder = startServer(HealthResponder.builder());

    server.hold();

    assertThat(responder.inFlight().current()).isEqualTo(1);
  }

  @Test
  void appRequestIsCountedOutOnceAnswered() {
    HealthResponder responder = startServer(HealthResponder.builder());
    server.hold();

    server.release();

    assertThat(responder.inFlight().current()).isZero();
  }

  @Test
  void healthCheckIsNotCountedInFlight() {
    AtomicReference<HealthResponder> self = new AtomicReference<>();
    AtomicInteger inFlightDuringCheck = new AtomicInteger(-1);
    self.set(startServer(HealthResponder.builder().healthyIf(() -> {
      inFlightDuringCheck.set(self.get().inFlight().current());
      return true;
    })));

    assertThat(server.get("/health").statusCode()).isEqualTo(200);

    assertThat(inFlightDuringCheck).hasValue(0);
  }

  @Test
  void requestsAreNotCountedUntilSomethingSaysSo() {
    assertThat(inFlight.isCounted()).isFalse();

    inFlight.markCounted();

    assertThat(inFlight.isCounted()).isTrue();
  }

  @Test
  void firstBeginSaysTheRequestsAreCounted() {
    inFlight.begin();
    inFlight.end();

    assertThat(inFlight.isCounted()).isTrue();
  }

  @Test
  void responderWhoseRequestsNobodyCountsReportsTheCountAsUnknown() throws Exception {
    HealthResponder responder = HealthResponder.builder().store(store).key(KEY).clock(clock).build();
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));

    responder.answer(new RequestInfo("GET", "/health", LOCAL_CHECKER), answer -> { });

    assertThat(store.reports(KEY))
        .containsExactly(new CheckerReport(LOCAL_CHECKER, true, 1, NOW, CheckerReportRules.IN_FLIGHT_UNKNOWN));
  }

  @Test
  void responderBehindTheJdkFilterReportsZeroInFlightBeforeTheFirstAppRequest() {
    startServer(HealthResponder.builder());
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));

    assertThat(server.get("/health").statusCode()).isEqualTo(503);

    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, true, 1, NOW, 0));
  }

  @Test
  void nackAnsweredWhileAnAppRequestIsInFlightIsReportedWithOneInFlight() {
    startServer(HealthResponder.builder());
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));
    server.hold();

    assertThat(server.get("/health").statusCode()).isEqualTo(503);

    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, true, 1, NOW, 1));
  }

  @Test
  void lastAppRequestEndingWhileNackingRewritesTheReportWithNoneInFlight() {
    startServer(HealthResponder.builder());
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));
    server.hold();
    server.get("/health");
    server.get("/health");
    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, true, 2, NOW, 1));

    server.release();

    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, true, 2, NOW, 0));
  }

  @Test
  void lastAppRequestEndingWhileInRotationWritesNoReport() {
    startServer(HealthResponder.builder());
    server.hold();
    server.get("/health");
    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, false, 1, NOW, 1));

    server.release();

    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, false, 1, NOW, 1));
  }

  @Test
  void lastAppRequestEndingAfterAnUnshuntBringsBackNoReportOfTheShunt() {
    startServer(HealthResponder.builder());
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));
    server.hold();
    server.get("/health");
    store.unshunt(KEY);

    server.release();

    assertThat(store.reports(KEY)).isEmpty();
  }

  /**
   * A real JDK {@link HttpServer} on 127.0.0.1 with a responder's filter in front of an app that
   * answers {@code 200 app}; a request for {@value #HELD_PATH} is answered only once
   * {@linkplain #release() released}. Every exchange runs on a thread of its own, so checks are
   * answered while a request is held.
   *
   * <p>{@link #get} and {@link #release} return once their exchange was handled to its end on the
   * server, including what the filter does after the app answered (counting the request out,
   * rewriting reports).
   */
  static final class HoldingAppServer implements AutoCloseable {
    static final String HELD_PATH = "/held";
    private static final HttpClient CLIENT = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(DEADLINE)
        .build();

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final CountDownLatch heldArrived = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch heldAnswered = new CountDownLatch(1);
    private final Map<String, Semaphore> handled = new ConcurrentHashMap<>();

    private HoldingAppServer(HealthResponder responder) {
      try {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      server.setExecutor(handlers);
      var context = server.createContext("/", this::answerApp);
      context.getFilters().add(Filter.afterHandler("handled", exchange ->
          handled(exchange.getRequestURI().getPath()).release()));
      context.getFilters().add(HttpServerHealth.filter(responder));
      server.start();
    }

    static HoldingAppServer start(HealthResponder responder) {
      return new HoldingAppServer(responder);
    }

    /** The address it listens on. */
    InetSocketAddress address() {
      return server.getAddress();
    }

    private Semaphore handled(String path) {
      return handled.computeIfAbsent(path, p -> new Semaphore(0));
    }

    private void answerApp(HttpExchange exchange) throws IOException {
      boolean held = exchange.getRequestURI().getPath().equals(HELD_PATH);
      try (exchange) {
        if (held) {
          heldArrived.countDown();
          awaitRelease();
        }
        byte[] body = "app".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      } finally {
        if (held) {
          heldAnswered.countDown();
        }
      }
    }

    private void awaitRelease() {
      try {
        released.await(DEADLINE.toSeconds() * 2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Sends a request for {@value #HELD_PATH} and returns once the app holds it. */
    CompletableFuture<HttpResponse<String>> hold() {
      CompletableFuture<HttpResponse<String>> response =
          CLIENT.sendAsync(request(HELD_PATH), HttpResponse.BodyHandlers.ofString());
      await(heldArrived, "the held request to reach the app");
      return response;
    }

    /** Lets the app answer the held request; returns once its exchange was handled to its end. */
    void release() {
      released.countDown();
      awaitHandled(HELD_PATH);
    }

    /** Whether the app has answered the held request (its handler returned). */
    boolean heldAnswered() {
      return heldAnswered.getCount() == 0;
    }

    /** A GET, returning once its exchange was handled to its end on the server. */
    HttpResponse<String> get(String path) {
      try {
        HttpResponse<String> response = CLIENT.send(request(path), HttpResponse.BodyHandlers.ofString());
        awaitHandled(path);
        return response;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private void awaitHandled(String path) {
      try {
        if (!handled(path).tryAcquire(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new AssertionError("an exchange for " + path + " was not handled within " + DEADLINE);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private static void await(CountDownLatch latch, String what) {
      try {
        if (!latch.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new AssertionError("waited " + DEADLINE + " for " + what);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private HttpRequest request(String path) {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
          .timeout(DEADLINE.multipliedBy(3))
          .build();
    }

    @Override
    public void close() {
      released.countDown();
      server.stop(0);
      handlers.shutdownNow();
    }
  }
}
