package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.HealthResponder.ShutdownOutcome;
import dev.shunt.testing.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who counts as a checker: the proof a load balancer gives ({@code checkerHeader},
 * {@code checkerSecret}), how many checkers are remembered, and when they are forgotten. A check
 * that proves no checker is answered as usual but never recorded.
 */
class HealthResponderCheckersTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final String SECRET = "Xq3vN8sLk2Pw9TzR4mYb";

  private final MutableClock clock = new MutableClock(NOW);
  private final StatusStore store = StatusStore.inMemory(clock);
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  private HealthResponder.Builder responder() {
    return HealthResponder.builder().store(store).key(KEY).clock(clock).scheduler(scheduler);
  }

  private static HealthAnswer check(HealthResponder responder, String address, Map<String, String> headers)
      throws IOException {
    AtomicReference<HealthAnswer> sent = new AtomicReference<>();
    responder.answer(new RequestInfo("GET", "/health", address, headers), sent::set);
    return sent.get();
  }

  private static HealthAnswer check(HealthResponder responder, String address) throws IOException {
    return check(responder, address, Map.of());
  }

  private static HealthAnswer checkAs(HealthResponder responder, String checkerHeaderValue) throws IOException {
    return check(responder, "10.0.0.1", Map.of("X-Checker", checkerHeaderValue));
  }

  private void shunt() {
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));
  }

  @Test
  void byDefaultEveryClientAddressIsAChecker() throws IOException {
    HealthResponder health = responder().build();

    check(health, "10.0.0.1");
    check(health, "10.0.0.2");

    assertThat(store.reports(KEY)).extracting(CheckerReport::checker).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
  }

  @Test
  void checkForWhichCheckerIdSaysNullIsAnsweredButNotRecorded() throws IOException {
    HealthResponder health = responder().checkerId(check -> check.header("X-Lb").orElse(null)).build();

    assertThat(check(health, "10.0.0.66").status()).isEqualTo(200);
    check(health, "10.0.0.1", Map.of("X-Lb", "lb-1"));

    assertThat(store.reports(KEY)).extracting(CheckerReport::checker).containsExactly("lb-1");
  }

  @Test
  void withCheckerHeaderTheHeaderNamesTheChecker() throws IOException {
    HealthResponder health = responder().checkerHeader("X-Checker").build();

    checkAs(health, "lb-1");

    assertThat(store.reports(KEY)).extracting(CheckerReport::checker).containsExactly("lb-1");
  }

  @Test
  void checkWithoutTheCheckerHeaderIsAnsweredButNotRecorded() throws IOException {
    HealthResponder health = responder().checkerHeader("X-Checker").build();
    shunt();

    HealthAnswer answer = check(health, "10.0.0.66");

    assertThat(answer.status()).isEqualTo(503);
    assertThat(store.reports(KEY)).isEmpty();
  }

  @Test
  void checkerNameThatIsNotAPlainWordIsNotRecorded() throws IOException {
    HealthResponder health = responder().checkerHeader("X-Checker").build();

    assertThat(checkAs(health, "lb 1").status()).isEqualTo(200);
    checkAs(health, "x".repeat(HealthResponder.MAX_CHECKER_NAME + 1));
    checkAs(health, "");

    assertThat(store.reports(KEY)).isEmpty();
  }

  @Test
  void withCheckerSecretTheHeaderMustEndInTheSecret() throws IOException {
    HealthResponder health = responder().checkerHeader("X-Checker").checkerSecret(SECRET).build();

    checkAs(health, "lb-1:" + SECRET);

    assertThat(store.reports(KEY)).extracting(CheckerReport::checker).containsExactly("lb-1");
  }

  @Test
  void checkWithAWrongOrMissingSecretIsAnsweredButNotRecorded() throws IOException {
    HealthResponder health = responder().checkerHeader("X-Checker").checkerSecret(SECRET).build();
    shunt();

    assertThat(checkAs(health, "lb-1").status()).isEqualTo(503);
    assertThat(checkAs(health, "lb-1:" + SECRET.substring(1)).status()).isEqualTo(503);
    assertThat(checkAs(health, "lb-1:" + SECRET + "x").status()).isEqualTo(503);
    assertThat(checkAs(health, ":" + SECRET).status()).isEqualTo(503);

    assertThat(store.reports(KEY)).isEmpty();
  }

  @Test
  void unprovenChecksCannotCompleteAShutdown() throws IOException {
    HealthResponder health = responder().checkerHeader("X-Checker").checkerSecret(SECRET)
        .healthcheckTimeout(Duration.ofMinutes(1)).build();
    checkAs(health, "lb-1:" + SECRET);

    CompletableFuture<ShutdownOutcome> done = health.startShutdown();
    for (int i = 0; i < 5; i++) {
      check(health, "10.0.0.66");
      checkAs(health, "lb-1:wrong-secret-wrong-secret");
    }
    assertThat(done).isNotDone();

    for (int i = 0; i < 3; i++) {
      checkAs(health, "lb-1:" + SECRET);
    }
    assertThat(done).isCompletedWithValue(ShutdownOutcome.ALL_CHECKERS_NACKED);
  }

  @Test
  void checkerBeyondTheCapIsAnsweredButNotRecorded() throws IOException {
    HealthResponder health = responder().maxCheckers(2).build();
    shunt();
    check(health, "10.0.0.1");
    check(health, "10.0.0.2");

    HealthAnswer answer = check(health, "10.0.0.3");

    assertThat(answer.status()).isEqualTo(503);
    assertThat(store.reports(KEY)).extracting(CheckerReport::checker).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
  }

  @Test
  void checkersWithinTheCapGoOnBeingRecorded() throws IOException {
    HealthResponder health = responder().maxCheckers(2).build();
    shunt();
    check(health, "10.0.0.1");
    check(health, "10.0.0.2");
    check(health, "10.0.0.3");

    check(health, "10.0.0.1");

    assertThat(store.reports(KEY)).filteredOn(report -> report.checker().equals("10.0.0.1"))
        .extracting(CheckerReport::consecutive).containsExactly(2);
  }

  @Test
  void aThousandAddressesLeaveAtMostTheCapOfReports() throws IOException {
    HealthResponder health = responder().build();

    for (int i = 0; i < 1000; i++) {
      check(health, "10.0." + i / 250 + "." + i % 250);
    }

    assertThat(store.reports(KEY)).hasSize(32);
  }

  @Test
  void checkerNotSeenForForgetCheckersAfterIsForgottenAndItsReportRemoved() throws IOException {
    HealthResponder health = responder().maxCheckers(2).forgetCheckersAfter(Duration.ofMinutes(5)).build();
    check(health, "10.0.0.1");
    clock.advance(Duration.ofMinutes(3));
    check(health, "10.0.0.2");
    clock.advance(Duration.ofMinutes(2).plusSeconds(1));

    check(health, "10.0.0.3");

    assertThat(store.reports(KEY)).extracting(CheckerReport::checker).containsExactlyInAnyOrder("10.0.0.2", "10.0.0.3");
  }

  @Test
  void checkerSeenWithinForgetCheckersAfterIsKept() throws IOException {
    HealthResponder health = responder().maxCheckers(1).forgetCheckersAfter(Duration.ofMinutes(5)).build();
    check(health, "10.0.0.1");
    clock.advance(Duration.ofMinutes(5));

    check(health, "10.0.0.2");

    assertThat(store.reports(KEY)).extracting(CheckerReport::checker).containsExactly("10.0.0.1");
  }

  @Test
  void forgottenCheckerThatComesBackIsANewChecker() throws IOException {
    HealthResponder health = responder().forgetCheckersAfter(Duration.ofMinutes(5)).build();
    shunt();
    check(health, "10.0.0.1");
    check(health, "10.0.0.1");
    clock.advance(Duration.ofMinutes(6));
    check(health, "10.0.0.2");

    check(health, "10.0.0.1");

    assertThat(store.reports(KEY)).filteredOn(report -> report.checker().equals("10.0.0.1"))
        .extracting(CheckerReport::consecutive).containsExactly(1);
  }

  @Test
  void passedThroughCheckWithoutProofIsNotRecorded() throws IOException {
    HealthResponder health = responder().checkerHeader("X-Checker").passThrough(true).build();

    health.answerOrPassThrough(new RequestInfo("GET", "/health", "10.0.0.66"), answer -> { })
        .orElseThrow().appAnswered(200);
    health.answerOrPassThrough(new RequestInfo("GET", "/health", "10.0.0.1", Map.of("X-Checker", "lb-1")),
        answer -> { }).orElseThrow().appAnswered(200);

    assertThat(store.reports(KEY)).extracting(CheckerReport::checker).containsExactly("lb-1");
  }
}
