package dev.shunt.httpserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shunt.CheckerReport;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.testing.CapturedLog;
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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpServerHealth#filter} with a pass-through responder, in a real JDK {@link HttpServer}
 * whose application has a health handler of its own on {@code /health}.
 *
 * <p>The server handles one exchange at a time, so once a later request has been answered the
 * filter has recorded the check before it ({@link #settle()}).
 */
class HttpServerHealthPassThroughTest {
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final String LOCAL_CHECKER = "127.0.0.1";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final StatusStore store = StatusStore.inMemory();
  private final HealthResponder passingThrough =
      HealthResponder.builder().store(store).key(KEY).passThrough(true).build();
  private final ExecutorService handlerThread = Executors.newSingleThreadExecutor();
  private final ExecutorService laterThread = Executors.newSingleThreadExecutor();
  /** A permit per {@code /health-later} check the shunt filter is done with. */
  private final Semaphore laterCheckFiltered = new Semaphore(0);
  /** The status the application's own health check answers. */
  private volatile int appHealthStatus = 200;
  private final AtomicInteger appHealthCalls = new AtomicInteger();
  private final AtomicInteger inFlightSeenByTheAppsCheck = new AtomicInteger(-1);
  private HealthResponder responder;
  private HttpServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
    handlerThread.shutdownNow();
    laterThread.shutdownNow();
  }

  private void start(HealthResponder responder) {
    this.responder = responder;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(handlerThread);
    List<Filter> filters = server.createContext("/", this::app).getFilters();
    filters.add(new Filter() {
      @Override
      public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        chain.doFilter(exchange);
        if (exchange.getRequestURI().getPath().equals("/health-later")) {
          laterCheckFiltered.release();
        }
      }

      @Override
      public String description() {
        return "tells /health-later when the shunt filter after it is done";
      }
    });
    filters.add(HttpServerHealth.filter(responder));
    server.start();
  }

  /**
   * The application: its own health check on {@code /health} (one that throws on
   * {@code /health-throws}, and one that answers {@code 200} from another thread once the shunt
   * filter is done with it on {@code /health-later}), {@code 200 app} on {@code /orders} and
   * {@code /settle}, {@code 404} elsewhere.
   */
  private void app(HttpExchange exchange) throws IOException {
    if (exchange.getRequestURI().getPath().equals("/health-later")) {
      laterThread.execute(() -> {
        try (exchange) {
          if (laterCheckFiltered.tryAcquire(5, TimeUnit.SECONDS)) {
            reply(exchange, 200, "database ok\n");
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      return;
    }
    try (exchange) {
      switch (exchange.getRequestURI().getPath()) {
        case "/health" -> {
          appHealthCalls.incrementAndGet();
          inFlightSeenByTheAppsCheck.set(responder.inFlight().current());
          exchange.getResponseHeaders().set("X-App-Check", "database");
          reply(exchange, appHealthStatus, appHealthStatus == 200 ? "database ok\n" : "database down\n");
        }
        case "/health-throws" -> {
          appHealthCalls.incrementAndGet();
          throw new IllegalStateException("the app's health check failed, as this test wants");
        }
        case "/orders", "/settle" -> reply(exchange, 200, "app");
        default -> reply(exchange, 404, "no such page\n");
      }
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private HttpResponse<String> send(String method, String path) {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    HttpRequest request = HttpRequest.newBuilder(uri)
        .method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(5))
        .build();
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> get(String path) {
    return send("GET", path);
  }

  /** Returns once every request sent before has been handled to its end, records included. */
  private void settle() {
    get("/settle");
  }

  @Test
  void theAppsOwnAnswerReachesTheCheckerWhileInRotation() {
    start(passingThrough);
    appHealthStatus = 503;

    HttpResponse<String> response = get("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("X-App-Check")).hasValue("database");
    assertThat(response.body()).isEqualTo("database down\n");
    assertThat(appHealthCalls).hasValue(1);
  }

  @Test
  void theAppsSuccessfulAnswerIsRecordedAsUpForItsChecker() {
    start(passingThrough);

    get("/health");
    get("/health");
    settle();

    assertThat(store.reports(KEY)).singleElement().satisfies(report -> {
      assertThat(report.checker()).isEqualTo(LOCAL_CHECKER);
      assertThat(report.nacked()).isFalse();
      assertThat(report.consecutive()).isEqualTo(2);
    });
  }

  @Test
  void theAppsRedirectIsRecordedAsUp() {
    start(passingThrough);
    appHealthStatus = 302;

    assertThat(get("/health").statusCode()).isEqualTo(302);
    settle();

    assertThat(store.reports(KEY)).extracting(CheckerReport::nacked).containsExactly(false);
  }

  @Test
  void theAppsFailedAnswerIsRecordedAsDown() {
    start(passingThrough);
    appHealthStatus = 503;

    get("/health");
    settle();

    assertThat(store.reports(KEY)).extracting(CheckerReport::nacked).containsExactly(true);
  }

  @Test
  void anAppHealthHandlerThatThrowsIsRecordedAsDown() {
    start(passingThrough.toBuilder().path("/health-throws").build());

    // The server closes the connection; the client retries a GET once, so the handler may run twice.
    assertThatThrownBy(() -> get("/health-throws")).isInstanceOf(UncheckedIOException.class);
    settle();

    assertThat(store.reports(KEY)).singleElement().satisfies(report -> {
      assertThat(report.nacked()).isTrue();
      assertThat(report.consecutive()).isEqualTo(appHealthCalls.get());
    });
  }

  @Test
  void anAnswerSentAfterTheHandlerReturnedReachesTheCheckerUnrecordedWithOneWarning() {
    start(passingThrough.toBuilder().path("/health-later").build());

    try (CapturedLog log = CapturedLog.of(HttpServerHealth.class)) {
      assertThat(get("/health-later").statusCode()).isEqualTo(200);
      assertThat(get("/health-later").statusCode()).isEqualTo(200);
      settle();

      assertThat(log.messages()).singleElement().asString().contains("returned before it sent a status");
    }
    assertThat(store.reports(KEY)).isEmpty();
  }

  @Test
  void withoutAnAppHandlerOnTheHealthPathTheApps404ReachesTheCheckerAsDown() {
    start(passingThrough.toBuilder().path("/ready").build());

    HttpResponse<String> response = get("/ready");
    settle();

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("no such page\n");
    assertThat(store.reports(KEY)).extracting(CheckerReport::nacked).containsExactly(true);
  }

  @Test
  void whileShuntedShuntAnswersAndTheAppsHandlerIsNotCalled() {
    start(passingThrough);
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));

    HttpResponse<String> response = get("/health");
    settle();

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("shunted\n");
    assertThat(appHealthCalls).hasValue(0);
    assertThat(store.reports(KEY)).extracting(CheckerReport::nacked).containsExactly(true);
  }

  @Test
  void whileShuttingDownShuntAnswersAndTheAppsHandlerIsNotCalled() {
    start(passingThrough);
    passingThrough.startShutdown();

    HttpResponse<String> response = get("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("shutting down\n");
    assertThat(appHealthCalls).hasValue(0);
  }

  @Test
  void headGetsTheAppsStatusAndHeadersWithoutABody() {
    start(passingThrough);
    appHealthStatus = 503;

    HttpResponse<String> response = send("HEAD", "/health");
    settle();

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("X-App-Check")).hasValue("database");
    assertThat(response.body()).isEmpty();
    assertThat(store.reports(KEY)).extracting(CheckerReport::nacked).containsExactly(true);
  }

  @Test
  void otherMethodsOnTheHealthPathAreAnswered405WithoutTheApp() {
    start(passingThrough);

    HttpResponse<String> response = send("POST", "/health");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(appHealthCalls).hasValue(0);
  }

  @Test
  void aPassedCheckIsNotCountedInFlight() {
    start(passingThrough);

    get("/health");
    settle();

    assertThat(inFlightSeenByTheAppsCheck).hasValue(0);
  }

  @Test
  void withoutPassThroughShuntAnswersInRotationAndTheAppsHandlerIsNotCalled() {
    start(HealthResponder.builder().store(store).key(KEY).build());
    appHealthStatus = 503;

    HttpResponse<String> response = get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
    assertThat(appHealthCalls).hasValue(0);
  }

  @Test
  void otherPathsStillReachTheApp() {
    start(passingThrough);

    assertThat(get("/orders").body()).isEqualTo("app");
  }

  @Test
  void handlerRefusesAPassThroughResponderForItHasNoAppHandlerBehindIt() {
    assertThatThrownBy(() -> HttpServerHealth.handler(passingThrough))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("passThrough(true)")
        .hasMessageContaining("filter(responder)");
  }

  @Test
  void filterSaysInItsDescriptionThatItPassesChecksThrough() {
    assertThat(HttpServerHealth.filter(passingThrough).description())
        .isEqualTo("shunt health check on /health, passed through in rotation");
  }
}
