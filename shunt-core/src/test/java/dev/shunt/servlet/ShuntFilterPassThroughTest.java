package dev.shunt.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.CheckerReport;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ShuntFilter} with a pass-through responder, in a real Jetty 12 whose app has a health
 * check of its own on {@code /health} (see {@link JettyApp}).
 */
class ShuntFilterPassThroughTest {
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final String LOCAL_CHECKER = "127.0.0.1";

  private final StatusStore store = StatusStore.inMemory();
  private final HealthResponder passingThrough =
      HealthResponder.builder().store(store).key(KEY).passThrough(true).build();
  private JettyApp app;

  @AfterEach
  void stopJetty() {
    if (app != null) {
      app.close();
    }
  }

  private JettyApp start(HealthResponder responder) {
    app = JettyApp.start(responder);
    return app;
  }

  @Test
  void theAppsOwnAnswerReachesTheCheckerWhileInRotation() {
    start(passingThrough).appHealthStatus(503);

    HttpResponse<String> response = app.get("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("X-App-Check")).hasValue("database");
    assertThat(response.body()).isEqualTo("database down\n");
    assertThat(app.appHealthCalls()).isEqualTo(1);
  }

  @Test
  void theAppsSuccessfulAnswerIsRecordedAsUpForItsChecker() throws Exception {
    start(passingThrough);

    assertThat(app.get("/health").body()).isEqualTo("database ok\n");
    app.awaitFinished("/health");

    assertThat(store.reports(KEY)).singleElement().satisfies(report -> {
      assertThat(report.checker()).isEqualTo(LOCAL_CHECKER);
      assertThat(report.nacked()).isFalse();
      assertThat(report.consecutive()).isEqualTo(1);
    });
  }

  @Test
  void theAppsFailedAnswerIsRecordedAsDown() throws Exception {
    start(passingThrough).appHealthStatus(503);

    app.get("/health");
    app.awaitFinished("/health");

    assertThat(store.reports(KEY)).extracting(CheckerReport::nacked).containsExactly(true);
  }

  @Test
  void anAppHealthCheckThatThrowsReaches500AndIsRecordedAsDown() throws Exception {
    start(passingThrough.toBuilder().path("/health-throws").build());

    assertThat(app.get("/health-throws").statusCode()).isEqualTo(500);
    app.awaitFinished("/health-throws");

    assertThat(store.reports(KEY)).extracting(CheckerReport::nacked).containsExactly(true);
  }

  @Test
  void anAsyncAppHealthCheckIsAnsweredAndRecordedWhenItCompletes() throws Exception {
    start(passingThrough.toBuilder().path("/health-async").build()).appHealthStatus(503);

    HttpResponse<String> response = app.get("/health-async");
    app.awaitFinished("/health-async");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("database down\n");
    assertThat(store.reports(KEY)).extracting(CheckerReport::nacked).containsExactly(true);
  }

  @Test
  void withoutAnAppHandlerOnTheHealthPathTheApps404ReachesTheCheckerAsDown() throws Exception {
    start(passingThrough.toBuilder().path("/no-such-page").build());

    HttpResponse<String> response = app.get("/no-such-page");
    app.awaitFinished("/no-such-page");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(store.reports(KEY)).extracting(CheckerReport::nacked).containsExactly(true);
  }

  @Test
  void whileShuntedShuntAnswersAndTheAppsHandlerIsNotCalled() throws Exception {
    start(passingThrough);
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));

    HttpResponse<String> response = app.get("/health");
    app.awaitFinished("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("shunted\n");
    assertThat(app.appHealthCalls()).isZero();
    assertThat(store.reports(KEY)).extracting(CheckerReport::nacked).containsExactly(true);
  }

  @Test
  void whileShuttingDownShuntAnswersAndTheAppsHandlerIsNotCalled() {
    start(passingThrough);
    passingThrough.startShutdown();

    HttpResponse<String> response = app.get("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("shutting down\n");
    assertThat(app.appHealthCalls()).isZero();
  }

  @Test
  void headGetsTheAppsStatusAndHeadersWithoutABody() throws Exception {
    start(passingThrough).appHealthStatus(503);

    String wire = app.rawExchange("HEAD /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    app.awaitFinished("/health");

    assertThat(wire).startsWith("HTTP/1.1 503 ").contains("X-App-Check: database\r\n").endsWith("\r\n\r\n");
    assertThat(app.appHealthCalls()).isEqualTo(1);
    assertThat(store.reports(KEY)).extracting(CheckerReport::nacked).containsExactly(true);
  }

  @Test
  void aPassedCheckIsNotCountedInFlight() throws Exception {
    start(passingThrough);

    app.get("/health");
    app.awaitFinished("/health");

    assertThat(app.inFlightSeenByAppHealth()).isZero();
  }

  @Test
  void withoutPassThroughShuntAnswersInRotationAndTheAppsHandlerIsNotCalled() {
    start(HealthResponder.builder().store(store).key(KEY).build()).appHealthStatus(503);

    HttpResponse<String> response = app.get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
    assertThat(app.appHealthCalls()).isZero();
  }
}
