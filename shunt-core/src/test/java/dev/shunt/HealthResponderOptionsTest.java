package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.testing.MutableClock;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The responder's options, through the JDK HttpServer adapter: which paths it answers, the
 * health check of its own, the status it answers while shunted, and the JSON body.
 */
class HealthResponderOptionsTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final String LOCAL_CHECKER = "127.0.0.1";

  private final MutableClock clock = new MutableClock(NOW);
  private final StatusStore store = StatusStore.inMemory(clock);
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private AppServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
    scheduler.shutdownNow();
  }

  /** A builder on the test's store and clock; its shutdown timer runs on the test's scheduler. */
  private HealthResponder.Builder responder() {
    return HealthResponder.builder().store(store).key(KEY).clock(clock).scheduler(scheduler);
  }

  private HealthResponder start(HealthResponder.Builder builder) {
    HealthResponder responder = builder.build();
    server = AppServer.start(responder);
    return responder;
  }

  private void shunt() {
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));
  }


  @Test
  void pathPrefixAnswersEveryPathUnderIt() {
    start(responder().pathPrefix("/health/"));

    assertThat(server.get("/health/live").body()).isEqualTo("ok\n");
    assertThat(server.get("/health/ready").body()).isEqualTo("ok\n");
  }

  @Test
  void pathPrefixLeavesOtherPathsToTheApp() {
    start(responder().pathPrefix("/health/"));

    HttpResponse<String> response = server.get("/orders/health/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("app");
  }

  @Test
  void pathPatternAnswersEveryPathItMatches() {
    start(responder().pathPattern("/(health|options/full_stack_status)"));

    assertThat(server.get("/health").body()).isEqualTo("ok\n");
    assertThat(server.get("/options/full_stack_status").body()).isEqualTo("ok\n");
  }

  @Test
  void pathPatternLeavesPathsItMatchesOnlyInPartToTheApp() {
    start(responder().pathPattern("/(health|options/full_stack_status)"));

    assertThat(server.get("/health/deep").body()).isEqualTo("app");
    assertThat(server.get("/x/health").body()).isEqualTo("app");
  }


  @Test
  void healthyIfFalseAnswers503Sick() {
    start(responder().healthyIf(() -> false));

    HttpResponse<String> response = server.get("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("sick\n");
  }

  @Test
  void healthyIfFalseIsStateSick() {
    HealthResponder responder = responder().healthyIf(() -> false).build();

    assertThat(responder.state()).isEqualTo(HealthState.SICK);
  }

  @Test
  void sickAnswerIsReportedAsANack() {
    start(responder().healthyIf(() -> false));

    server.get("/health");
    server.settle();

    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, true, 1, NOW, 0));
  }

  @Test
  void sickIfTrueAnswers503Sick() {
    start(responder().sickIf(() -> true));

    HttpResponse<String> response = server.get("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("sick\n");
  }

  @Test
  void sickIfTrueIsStateSick() {
    HealthResponder responder = responder().sickIf(() -> true).build();

    assertThat(responder.state()).isEqualTo(HealthState.SICK);
  }

  @Test
  void sickIfFalseAnswers200Ok() {
    start(responder().sickIf(() -> false));

    HttpResponse<String> response = server.get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void healthCheckIsAskedOnEveryCheck() {
    AtomicBoolean healthy = new AtomicBoolean(true);
    start(responder().healthyIf(healthy::get));
    assertThat(server.get("/health").statusCode()).isEqualTo(200);

    healthy.set(false);
    assertThat(server.get("/health").statusCode()).isEqualTo(503);

    healthy.set(true);
    assertThat(server.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void healthCheckThatThrowsIsAnswered503Sick() {
    start(responder().healthyIf(() -> {
      throw new IllegalStateException("database pool closed");
    }));

    HttpResponse<String> response = server.get("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("sick\n");
  }

  @Test
  void sickCheckThatThrowsIsAnswered503Sick() {
    start(responder().sickIf(() -> {
      throw new IllegalStateException("database pool closed");
    }));

    HttpResponse<String> response = server.get("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("sick\n");
  }

  @Test
  void healthCheckThatThrowsIsStateSick() {
    HealthResponder responder = responder().healthyIf(() -> {
      throw new IllegalStateException("database pool closed");
    }).build();

    assertThat(responder.state()).isEqualTo(HealthState.SICK);
  }


  @Test
  void healthyAndNotShuntedIsInRotation() {
    HealthResponder responder = responder().healthyIf(() -> true).build();

    assertThat(responder.state()).isEqualTo(HealthState.IN_ROTATION);
  }

  @Test
  void shuntedWinsOverSick() {
    HealthResponder responder = responder().healthyIf(() -> false).build();

    shunt();

    assertThat(responder.state()).isEqualTo(HealthState.SHUNTED);
  }

  @Test
  void shuntedAndSickIsAnsweredAsShunted() {
    start(responder().healthyIf(() -> false).shuntedStatus(404));
    shunt();

    HttpResponse<String> response = server.get("/health");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("shunted\n");
  }

  @Test
  void shuttingDownWinsOverShunted() {
    HealthResponder responder = responder().build();
    shunt();

    responder.startShutdown();

    assertThat(responder.state()).isEqualTo(HealthState.SHUTTING_DOWN);
  }

  @Test
  void shuttingDownWinsOverSick() {
    HealthResponder responder = responder().healthyIf(() -> false).build();

    responder.startShutdown();

    assertThat(responder.state()).isEqualTo(HealthState.SHUTTING_DOWN);
  }


  @Test
  void shuntedStatus404IsAnsweredWhileShunted() {
    start(responder().shuntedStatus(404));
    shunt();

    HttpResponse<String> response = server.get("/health");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("shunted\n");
  }

  @Test
  void shuntedAnswer404IsReportedAsANack() {
    start(responder().shuntedStatus(404));
    shunt();

    server.get("/health");
    server.settle();

    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, true, 1, NOW, 0));
  }

  @Test
  void shuttingDownIsAnswered503WhateverTheShuntedStatus() {
    HealthResponder responder = start(responder().shuntedStatus(404));
    shunt();
    responder.startShutdown();

    HttpResponse<String> response = server.get("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("shutting down\n");
  }

  @Test
  void sickIsAnswered503WhateverTheShuntedStatus() {
    start(responder().healthyIf(() -> false).shuntedStatus(404));

    assertThat(server.get("/health").statusCode()).isEqualTo(503);
  }


  @Test
  void jsonInRotationIsTheStateAlone() {
    start(responder().json(true));

    HttpResponse<String> response = server.get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"state\":\"in-rotation\"}\n");
  }

  @Test
  void jsonAnswersAreTypedApplicationJsonAndNeverCached() {
    start(responder().json(true));

    HttpResponse<String> response = server.get("/health");

    assertThat(response.headers().allValues("Content-Type")).containsExactly("application/json");
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
  }

  @Test
  void jsonShuntedWithTtlCarriesSinceAndUntilButNoReason() {
    start(responder().json(true));
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice").withTtl(Duration.ofMinutes(10)));

    HttpResponse<String> response = server.get("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo(
        "{\"state\":\"shunted\",\"since\":\"2026-11-23T10:00:00Z\",\"until\":\"2026-11-23T10:10:00Z\"}\n");
  }

  @Test
  void jsonShuntedWithoutTtlCarriesNoUntil() {
    start(responder().json(true));
    shunt();

    HttpResponse<String> response = server.get("/health");

    assertThat(response.body()).isEqualTo("{\"state\":\"shunted\",\"since\":\"2026-11-23T10:00:00Z\"}\n");
  }

  @Test
  void jsonWithRevealReasonCarriesTheReason() {
    start(responder().json(true).revealReason(true));
    shunt();

    HttpResponse<String> response = server.get("/health");

    assertThat(response.body()).isEqualTo(
        "{\"state\":\"shunted\",\"since\":\"2026-11-23T10:00:00Z\",\"reason\":\"deploy 42\"}\n");
  }

  @Test
  void jsonRevealedReasonIsEscaped(@TempDir Path flags) throws IOException {
    // An operator's flag file can hold what a ShuntRequest cannot: a reason over two lines.
    Files.createDirectories(flags.resolve("checkout"));
    Files.writeString(flags.resolve("checkout/web-1.shunt"),
        "reason=say \"hi\" \\\\ then\\nnext <b>\nsince=2026-11-23T10:00:00Z\n");
    HealthResponder responder = HealthResponder.builder().store(StatusStore.flagFiles(flags, clock)).key(KEY)
        .clock(clock).json(true).revealReason(true).build();
    server = AppServer.start(responder);

    HttpResponse<String> response = server.get("/health");
    // A POST is answered 405 after the check was reported, and writes nothing itself (settle() would:
    // its app request ending while shunted rewrites the report), so the directory can be deleted.
    server.send("POST", "/health");

    assertThat(response.body()).isEqualTo("{\"state\":\"shunted\",\"since\":\"2026-11-23T10:00:00Z\","
        + "\"reason\":\"say \\\"hi\\\" \\\\ then\\nnext \\u003cb\\u003e\"}\n");
  }

  @Test
  void jsonShuttingDownIsTheStateAlone() {
    HealthResponder responder = start(responder().json(true).revealReason(true));
    shunt();
    responder.startShutdown();

    HttpResponse<String> response = server.get("/health");

    assertThat(response.body()).isEqualTo("{\"state\":\"shutting-down\"}\n");
  }

  @Test
  void jsonSickIsTheStateAlone() {
    start(responder().json(true).healthyIf(() -> false));

    HttpResponse<String> response = server.get("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("{\"state\":\"sick\"}\n");
  }
}
