package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntTimeoutException;
import dev.shunt.StatusStore;
import dev.shunt.StepFailedException;
import dev.shunt.httpserver.HttpServerHealth;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;

class AwaitHttpStepTest {
  private static final Duration INTERVAL = Duration.ofMillis(20);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  /**
   * The deadline of a step that is never ready: long enough for the first request of a cold
   * client (a TLS handshake among them) on a busy machine, which once took longer than 300 ms.
   */
  private static final Duration NEVER_READY = Duration.ofSeconds(2);

  @StartStop
  private final MockWebServer server = new MockWebServer();

  private final RecordingContext context = RecordingContext.forHost("web-1");

  private void answer(int... codes) {
    for (int code : codes) {
      server.enqueue(new MockResponse.Builder().code(code).build());
    }
  }

  private AwaitHttpStep.Builder pollingServer() {
    return AwaitHttpStep.builder().url(server.url("/ready").toString()).interval(INTERVAL).timeout(TIMEOUT);
  }

  /** A port on this machine that nothing listens on: bound, then closed. */
  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void readyOnceTheServerAnswersInRangeAfterFailures() throws Exception {
    answer(503, 503, 200);

    pollingServer().build().run(context);

    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(context.outcome()).startsWith("HTTP 200 from " + server.url("/ready")).contains("after 3 attempt(s)");
  }

  @Test
  void readyAtOnceNeedsASingleRequest() throws Exception {
    answer(200, 503);

    pollingServer().build().run(context);

    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void pollsWithGet() throws Exception {
    answer(200);

    pollingServer().build().run(context);

    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getTarget()).isEqualTo("/ready");
  }

  @Test
  void redirectCountsAsReadyAndIsNotFollowed() throws Exception {
    server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/elsewhere").build());
    answer(503);

    pollingServer().build().run(context);

    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(context.outcome()).startsWith("HTTP 302");
  }

  @Test
  void statusOutsideTheExpectedRangeIsNotReady() throws Exception {
    server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/elsewhere").build());
    answer(204, 200);

    pollingServer().expectStatus(200, 200).build().run(context);

    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void consecutiveSuccessesNeedsThatManyReadyAnswersInARow() throws Exception {
    answer(200, 503, 200, 200);

    pollingServer().consecutiveSuccesses(2).build().run(context);

    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(context.outcome()).contains("after 4 attempt(s)");
  }

  @Test
  void replacesHostInTheUrlTemplate() throws Exception {
    RecordingContext localhost = RecordingContext.forHost("localhost");
    answer(200);

    AwaitHttpStep.builder().url("http://{host}:" + server.getPort() + "/ready/{host}").interval(INTERVAL).timeout(TIMEOUT)
        .build().run(localhost);

    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    assertThat(request.getTarget()).isEqualTo("/ready/localhost");
    assertThat(request.getHeaders().get("Host")).isEqualTo("localhost:" + server.getPort());
  }

  @Test
  void urlFunctionGetsTheHost() throws Exception {
    answer(200);

    AwaitHttpStep.builder().url(host -> server.url("/status/" + host).toString()).interval(INTERVAL).timeout(TIMEOUT)
        .build().run(context);

    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    assertThat(request.getTarget()).isEqualTo("/status/web-1");
  }

  @Test
  void requestSlowerThanRequestTimeoutCountsAsNotReady() throws Exception {
    // The first answer is 5 s late; a request timeout of 1 s leaves the healthy second answer
    // time to arrive even on a starved CPU, and the step must not have waited for the slow one.
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(5, TimeUnit.SECONDS).build());
    answer(200);
    long start = System.nanoTime();

    pollingServer().requestTimeout(Duration.ofSeconds(1)).build().run(context);

    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(context.outcome()).contains("after 2 attempt(s)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(4500));
  }

  @Test
  void connectionRefusedUntilTheTimeoutFails() throws Exception {
    int port = closedPort();
    Duration timeout = Duration.ofMillis(200);
    long start = System.nanoTime();

    assertThatThrownBy(() -> AwaitHttpStep.builder().url("http://127.0.0.1:" + port + "/").interval(INTERVAL)
        .timeout(timeout).build().run(context))
        .isInstanceOfSatisfying(ShuntTimeoutException.class, e -> assertThat(e.timeout()).isEqualTo(timeout))
        .hasMessageContaining("never returned a status within 200..399")
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageContaining("ConnectException");
    // Far below the step's default time limit: it gave up on its own 200 ms, with room for a busy CPU.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void connectionRefusedIsRetriedUntilTheServerComesUp() throws Exception {
    int port = closedPort();
    try (MockWebServer late = new MockWebServer()) {
      late.enqueue(new MockResponse.Builder().code(200).build());
      Thread lateStarter = new Thread(() -> {
        try {
          Thread.sleep(150);
          late.start(InetAddress.getByName("127.0.0.1"), port);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      lateStarter.start();

      AwaitHttpStep.builder().url("http://127.0.0.1:" + port + "/").interval(INTERVAL).timeout(TIMEOUT).build().run(context);

      lateStarter.join();
      assertThat(late.getRequestCount()).isEqualTo(1);
      assertThat(context.outcome()).startsWith("HTTP 200");
      assertThat(context.outcome()).doesNotContain("after 1 attempt(s)");
    }
  }

  @Test
  void timeoutMessageSaysTheLastAnswer() {
    for (int i = 0; i < NEVER_READY.toMillis() / INTERVAL.toMillis(); i++) {
      answer(500);
    }

    assertThatThrownBy(() -> pollingServer().timeout(NEVER_READY).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("never returned a status within 200..399")
        .hasMessageContaining("last: HTTP 500");
  }

  @Test
  void failsAfterMaxAttemptsWithinTheTimeout() {
    answer(503, 503, 503, 200);

    assertThatThrownBy(() -> pollingServer().maxAttempts(3).build().run(context))
        .isInstanceOf(StepFailedException.class)
        .hasMessage(server.url("/ready") + " never returned a status within 200..399 in 3 attempt(s) (last: HTTP 503)");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void sendsTheHostHeaderItWasGiven() throws Exception {
    answer(200);

    pollingServer().hostHeader("www.example.com").build().run(context);

    assertThat(server.takeRequest().getHeaders().get("Host")).isEqualTo("www.example.com");
  }

  @Test
  void sendsTheUrlsHostWithoutAHostHeader() throws Exception {
    answer(200);

    pollingServer().build().run(context);

    assertThat(server.takeRequest().getHeaders().get("Host")).isEqualTo(server.url("/").host() + ":" + server.getPort());
  }

  @Test
  void answerInRangeMustAlsoHaveTheExpectedBody() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"status\":\"STARTING\"}").build());
    server.enqueue(new MockResponse.Builder().code(200).body("{\"status\":\"UP\"}").build());

    pollingServer().expectBody(body -> body.contains("\"UP\"")).build().run(context);

    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(context.outcome()).contains("after 2 attempt(s)");
  }

  @Test
  void timeoutNamesABodyThatNeverMatched() {
    for (int i = 0; i < NEVER_READY.toMillis() / INTERVAL.toMillis(); i++) {
      server.enqueue(new MockResponse.Builder().code(200).body("starting").build());
    }

    assertThatThrownBy(() -> pollingServer().timeout(NEVER_READY).expectBody(body -> body.equals("up"))
        .build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("last: HTTP 200 with a body that does not match");
  }

  @Test
  void shuntedHealthPathFailsAtOnceSayingSo() throws Exception {
    StatusStore store = StatusStore.inMemory();
    InstanceKey key = InstanceKey.of("checkout", "web-1");
    store.shunt(key, ShuntRequest.of("deploy", "ci"));
    HealthResponder health = HealthResponder.builder().store(store).key(key).path("/health").build();
    HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    app.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    }).getFilters().add(HttpServerHealth.filter(health));
    app.start();
    try {
      String url = "http://127.0.0.1:" + app.getAddress().getPort() + "/health";

      assertThatThrownBy(() -> AwaitHttpStep.builder().url(url).interval(INTERVAL).timeout(TIMEOUT).build()
          .run(context))
          .isInstanceOf(StepFailedException.class)
          .hasMessage(url + " is a shunted health path: it answered 503 'shunted' from shunt's health responder,"
              + " which stays down until the unshunt after this step; point readiness at the application");
    } finally {
      app.stop(0);
    }
  }

  /** A certificate for localhost, as an internal certificate authority would issue it. */
  private static final HeldCertificate LOCALHOST = new HeldCertificate.Builder()
      .addSubjectAlternativeName("localhost").addSubjectAlternativeName("127.0.0.1").build();

  private void serveHttps() {
    server.useHttps(new HandshakeCertificates.Builder().heldCertificate(LOCALHOST).build().sslSocketFactory());
  }

  @Test
  void readyOverHttpsWithTheCertificatesItIsToldToTrust() throws Exception {
    serveHttps();
    answer(200);
    X509TrustManager trust = new HandshakeCertificates.Builder().addTrustedCertificate(LOCALHOST.certificate())
        .build().trustManager();

    pollingServer().trust(trust).build().run(context);

    assertThat(server.url("/ready").isHttps()).isTrue();
    assertThat(context.outcome()).startsWith("HTTP 200 from https://");
  }

  @Test
  void httpsServerWithACertificateNobodyTrustsIsNeverReady() {
    serveHttps();
    answer(200, 200, 200, 200, 200, 200, 200, 200, 200, 200);

    assertThatThrownBy(() -> pollingServer().timeout(NEVER_READY).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("last: SSLHandshakeException");
  }
}
