package dev.shunt;

import dev.shunt.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Shunt mode, through the JDK HttpServer adapter: the health path answers what the store says. */
class HealthResponderTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final String LOCAL_CHECKER = "127.0.0.1";

  private final MutableClock clock = new MutableClock(NOW);
  private final StatusStore store = StatusStore.inMemory(clock);
  private AppServer server;

  @BeforeEach
  void startServer() {
    server = AppServer.start(HealthResponder.builder().store(store).key(KEY).clock(clock).build());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private void shunt() {
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));
  }

  @Test
  void firstCheckMakesTheInstanceAKnownHostOfItsService() {
    assertThat(store.hosts("checkout")).isEmpty();

    server.get("/health");
    server.get("/health");

    assertThat(store.hosts("checkout")).containsExactly("web-1");
  }

  @Test
  void inRotationAnswers200Ok() {
    HttpResponse<String> response = server.get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void shuntedAnswers503Shunted() {
    shunt();

    HttpResponse<String> response = server.get("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("shunted\n");
  }

  @Test
  void unshuntedAnswers200Again() {
    shunt();
    assertThat(server.get("/health").statusCode()).isEqualTo(503);

    store.unshunt(KEY);

    assertThat(server.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void shuntWhoseTtlRanOutAnswers200() {
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice").withTtl(Duration.ofMinutes(1)));
    assertThat(server.get("/health").statusCode()).isEqualTo(503);

    clock.advance(Duration.ofMinutes(1));

    assertThat(server.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void answersUpAreNeverCachedNorTyped() {
    HttpResponse<String> response = server.get("/health");

    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
    assertThat(response.headers().allValues("Content-Type")).containsExactly("text/plain; charset=utf-8");
  }

  @Test
  void answersDownAreNeverCached() {
    shunt();

    HttpResponse<String> response = server.get("/health");

    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
  }

  @Test
  void headIsAnsweredWithoutBody() {
    HttpResponse<String> response = server.send("HEAD", "/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
  }

  @Test
  void headWhileShuntedIsAnswered503WithoutBody() {
    shunt();

    HttpResponse<String> response = server.send("HEAD", "/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void headCheckIsReportedLikeGet() {
    shunt();

    server.send("HEAD", "/health");
    server.settle();

    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, true, 1, NOW, 0));
  }

  @Test
  void optionsIsAnsweredLikeGet() {
    HttpResponse<String> response = server.send("OPTIONS", "/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void optionsWhileShuntedIsAnswered503() {
    shunt();

    assertThat(server.send("OPTIONS", "/health").statusCode()).isEqualTo(503);
  }

  @Test
  void postIsRejectedWith405NamingTheAllowedMethods() {
    HttpResponse<String> response = server.send("POST", "/health");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().allValues("Allow")).containsExactly("GET, HEAD, OPTIONS");
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
    assertThat(response.body()).isEqualTo("method not allowed\n");
  }

  @Test
  void postIsNotReportedAsAHealthCheck() {
    server.send("POST", "/health");
    server.settle();

    assertThat(store.reports(KEY)).isEmpty();
  }

  @Test
  void queryDoesNotHideTheHealthPath() {
    HttpResponse<String> response = server.get("/health?verbose=1");

    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void otherPathsReachTheApp() {
    HttpResponse<String> response = server.get("/orders");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("app");
  }

  @Test
  void otherPathsReachTheAppWhileShunted() {
    shunt();

    HttpResponse<String> response = server.get("/orders");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("app");
  }

  @Test
  void pathsThatOnlyBeginLikeTheHealthPathReachTheApp() {
    shunt();

    assertThat(server.get("/health/deep").body()).isEqualTo("app");
    assertThat(server.get("/healthz").body()).isEqualTo("app");
  }

  @Test
  void postToAnotherPathReachesTheApp() {
    HttpResponse<String> response = server.send("POST", "/orders");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("app");
  }

  @Test
  void eachNackIsReportedWithItsCountInARow() {
    shunt();

    server.get("/health");
    server.settle();
    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, true, 1, NOW, 0));
    server.get("/health");
    server.settle();
    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, true, 2, NOW, 0));
    server.get("/health");
    server.settle();
    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, true, 3, NOW, 0));
  }

  @Test
  void answersUpAreReportedUpToTenInARow() {
    for (int i = 0; i < 12; i++) {
      server.get("/health");
    }
    server.settle();

    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, false, 10, NOW, 0));
  }

  /** Twelve checks in rotation: the tenth is the last one reported. */
  private void steadyInRotation() {
    for (int i = 0; i < 12; i++) {
      server.get("/health");
    }
    server.settle();
  }

  @Test
  void heartbeatIsThirtySeconds() {
    assertThat(HealthResponder.HEARTBEAT).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void steadyAnswerUpIsReportedAgainOnceTheLastReportIsThirtySecondsOld() {
    steadyInRotation();
    clock.advance(HealthResponder.HEARTBEAT);

    server.get("/health");
    server.settle();

    assertThat(store.reports(KEY)).containsExactly(
        new CheckerReport(LOCAL_CHECKER, false, 13, NOW.plus(HealthResponder.HEARTBEAT), 0));
  }

  @Test
  void steadyAnswerUpIsNotReportedAgainBeforeThirtySeconds() {
    steadyInRotation();
    clock.advance(HealthResponder.HEARTBEAT.minusMillis(1));

    server.get("/health");
    server.settle();

    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, false, 10, NOW, 0));
  }

  @Test
  void heartbeatWritesAtMostOncePerThirtySecondsWhateverTheChecksPerSecond() {
    steadyInRotation();
    clock.advance(HealthResponder.HEARTBEAT);
    server.get("/health");
    Instant heartbeat = clock.instant();

    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(5));
      server.get("/health");
    }
    server.settle();

    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, false, 13, heartbeat, 0));
  }

  @Test
  void heartbeatRestoresAReportTheStoreLost() {
    steadyInRotation();
    shunt();
    store.unshunt(KEY);  // clears the reports; the responder never saw the shunt
    clock.advance(HealthResponder.HEARTBEAT);

    server.get("/health");
    server.settle();

    assertThat(store.reports(KEY)).containsExactly(
        new CheckerReport(LOCAL_CHECKER, false, 13, NOW.plus(HealthResponder.HEARTBEAT), 0));
  }

  @Test
  void eachCheckerHasItsOwnHeartbeat() {
    server.close();
    server = AppServer.start(HealthResponder.builder().store(store).key(KEY).clock(clock)
        .checkerId(AppServer::checkerHeader).build());
    steadyInRotation();
    clock.advance(Duration.ofSeconds(20));
    for (int i = 0; i < 12; i++) {
      server.check("lb-2");
    }
    clock.advance(Duration.ofSeconds(10));

    server.get("/health");
    server.check("lb-2");
    server.settle();

    assertThat(store.reports(KEY)).containsExactlyInAnyOrder(
        new CheckerReport(LOCAL_CHECKER, false, 13, NOW.plusSeconds(30), 0),
        new CheckerReport("lb-2", false, 10, NOW.plusSeconds(20), 0));
  }

  @Test
  void firstAnswerUpAfterUnshuntIsReportedAsTheFirstInARow() {
    shunt();
    server.get("/health");
    server.get("/health");
    server.settle();
    store.unshunt(KEY);

    server.get("/health");
    server.settle();

    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, false, 1, NOW, 0));
  }

  @Test
  void storeThatCannotBeReadIsAnsweredUp() {
    try (AppServer broken = AppServer.start(
        HealthResponder.builder().store(UnreadableStatusStore.create()).key(KEY).build())) {
      HttpResponse<String> response = broken.get("/health");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("ok\n");
    }
  }
}
