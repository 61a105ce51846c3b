package dev.shunt.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.CheckerReport;
import dev.shunt.HealthResponder;
import dev.shunt.HealthResponder.ShutdownOutcome;
import dev.shunt.InFlightRequests;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import jakarta.servlet.AsyncContext;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ShuntFilter} in a real Jetty 12, called over real sockets. */
class ShuntFilterTest {
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");

  private final StatusStore store = StatusStore.inMemory();
  private final HealthResponder responder = HealthResponder.builder().store(store).key(KEY).build();
  private final InFlightRequests inFlight = responder.inFlight();
  private final JettyApp app = JettyApp.start(responder);

  @AfterEach
  void stopJetty() {
    app.close();
  }

  @Test
  void installedFilterSaysTheRequestsAreCountedSoReportsCarryTheCount() {
    assertThat(inFlight.isCounted()).isTrue();
  }

  @Test
  void answersTheHealthPath200WhileInRotation() {
    HttpResponse<String> response = app.get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void answersTheHealthPath503WhileShunted() {
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));

    HttpResponse<String> response = app.get("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("shunted\n");
  }

  @Test
  void answersTheHealthPathWithTheRespondersHeaders() {
    HttpResponse<String> response = app.get("/health");

    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
        assertThat(type.replace(" ", "")).isEqualToIgnoringCase("text/plain;charset=utf-8"));
  }

  @Test
  void answersOtherMethodsOnTheHealthPath405WithAllow() {
    HttpResponse<String> response = app.send(app.request("POST", "/health").build());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
  }

  @Test
  void answersHeadOnTheHealthPathWithoutABody() throws Exception {
    String wire = app.rawExchange("HEAD /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

    assertThat(wire).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n");
  }

  @Test
  void passesOtherPathsToTheAppWhileShunted() {
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));

    HttpResponse<String> response = app.get("/orders");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("app");
  }

  @Test
  void answersTheHealthPathWithinANonRootContextPath() {
    try (JettyApp shop = JettyApp.start(responder, "/shop")) {
      store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));

      assertThat(shop.get("/shop/health").statusCode()).isEqualTo(503);
      assertThat(shop.get("/shop/orders").body()).isEqualTo("app");
    }
  }

  @Test
  void namesTheCheckerByItsClientAddress() throws Exception {
    app.get("/health");
    app.awaitFinished("/health");

    assertThat(store.reports(KEY)).extracting(CheckerReport::checker).containsExactly("127.0.0.1");
  }

  @Test
  void givesTheResponderEveryValueOfARepeatedHeaderJoinedInOrder() throws Exception {
    HealthResponder byHeader = responder.toBuilder()
        .checkerId(check -> check.header("X-Checker").orElse("no header"))
        .build();
    try (JettyApp other = JettyApp.start(byHeader)) {
      other.send(other.request("GET", "/health").header("X-Checker", "lb-1").header("X-Checker", "lb-2").build());
      other.awaitFinished("/health");
    }

    assertThat(store.reports(KEY)).extracting(CheckerReport::checker).containsExactly("lb-1, lb-2");
  }

  @Test
  void countsAnAppRequestInFlightUntilItIsAnswered() throws Exception {
    CompletableFuture<HttpResponse<String>> blocking = app.getAsync("/blocking");
    app.awaitBlocked();

    assertThat(inFlight.current()).isEqualTo(1);

    app.unblock();
    assertThat(blocking.get(5, TimeUnit.SECONDS).body()).isEqualTo("app");
    app.awaitFinished("/blocking");
    assertThat(inFlight.current()).isZero();
  }

  @Test
  void doesNotCountHealthChecksInFlight() throws Exception {
    CompletableFuture<HttpResponse<String>> blocking = app.getAsync("/blocking");
    app.awaitBlocked();

    app.get("/health");
    app.awaitFinished("/health");

    assertThat(store.reports(KEY)).extracting(CheckerReport::inFlight).containsExactly(1);
    app.unblock();
    blocking.get(5, TimeUnit.SECONDS);
  }

  @Test
  void endsTheCountOfAnAppRequestThatThrows() throws Exception {
    assertThat(app.get("/throwing").statusCode()).isEqualTo(500);

    app.awaitFinished("/throwing");
    assertThat(inFlight.current()).isZero();
  }

  @Test
  void countsAnAsyncRequestUntilItsAsyncContextCompletes() throws Exception {
    CompletableFuture<HttpResponse<String>> pending = app.getAsync("/async");
    AsyncContext async = app.takeAsync();

    assertThat(inFlight.current()).isEqualTo(1);

    async.getResponse().getWriter().write("done");
    async.complete();
    assertThat(pending.get(5, TimeUnit.SECONDS).body()).isEqualTo("done");
    app.awaitFinished("/async");
    assertThat(inFlight.current()).isZero();
  }

  @Test
  void countsAnAsyncRequestCompletedWithinItsDispatchOnce() throws Exception {
    assertThat(app.get("/async-completed-at-once").body()).isEqualTo("app");

    app.awaitFinished("/async-completed-at-once");
    assertThat(inFlight.current()).isZero();
  }

  @Test
  void countsAnAsyncRequestThatTimesOutOnce() throws Exception {
    assertThat(app.get("/async-times-out").statusCode()).isEqualTo(500);

    app.awaitFinished("/async-times-out");
    assertThat(inFlight.current()).isZero();
  }

  @Test
  void countsAnAsyncRequestRestartedAfterADispatchUntilItCompletes() throws Exception {
    CompletableFuture<HttpResponse<String>> pending = app.getAsync("/async-restarted");
    AsyncContext restarted = app.takeAsync();

    assertThat(inFlight.current()).isEqualTo(1);

    restarted.complete();
    assertThat(pending.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    app.awaitFinished("/async-restarted");
    assertThat(inFlight.current()).isZero();
  }

  @Test
  void shutdownNacksHealthChecksThroughTheFilter() throws Exception {
    CompletableFuture<ShutdownOutcome> shutdown = responder.startShutdown();

    for (int check = 1; check <= 3; check++) {
      HttpResponse<String> response = app.get("/health");
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).isEqualTo("shutting down\n");
    }

    assertThat(shutdown.get(5, TimeUnit.SECONDS)).isEqualTo(ShutdownOutcome.ALL_CHECKERS_NACKED);
  }
}
