package dev.shunt;

import dev.shunt.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.HealthResponder.ShutdownOutcome;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * NACK mode, through the JDK HttpServer adapter. Checkers name themselves in a header; the
 * responder tells them apart by it.
 */
class HealthResponderShutdownTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final Duration LONG_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

  private final MutableClock clock = new MutableClock(NOW);
  private final StatusStore store = StatusStore.inMemory(clock);
  private final AtomicInteger callbacks = new AtomicInteger();
  private HealthResponder responder;
  private AppServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private void start(int nacksBeforeShutdown, Duration healthcheckTimeout) {
    responder = HealthResponder.builder()
        .store(store)
        .key(KEY)
        .nacksBeforeShutdown(nacksBeforeShutdown)
        .healthcheckTimeout(healthcheckTimeout)
        .checkerId(AppServer::checkerHeader)
        .clock(clock)
        .build();
    server = AppServer.start(responder);
  }

  /**
   * One check from each checker, then waits until the responder has recorded them: the client has
   * its answer before the responder records the check, and a shutdown only awaits checkers it knows.
   */
  private void seen(String... checkers) {
    for (String checker : checkers) {
      server.check(checker);
    }
    server.settle();
  }

  /** {@code count} checks from {@code checker}, each answered 503, then waits until all were handled. */
  private void nacks(String checker, int count) {
    for (int i = 0; i < count; i++) {
      assertThat(server.check(checker).statusCode()).isEqualTo(503);
    }
    server.settle();
  }

  @Test
  void shuttingDownAnswers503ShuttingDown() {
    start(3, LONG_TIMEOUT);
    responder.startShutdown();

    HttpResponse<String> response = server.check("lb-a");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("shutting down\n");
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
  }

  @Test
  void shuttingDownAnswers503ToHead() {
    start(3, LONG_TIMEOUT);
    responder.startShutdown();

    HttpResponse<String> response = server.send("HEAD", "/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void shuttingDownLeavesOtherPathsToTheApp() {
    start(3, LONG_TIMEOUT);
    responder.startShutdown();

    HttpResponse<String> response = server.get("/orders");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("app");
  }

  @Test
  void shuttingDownLeavesOtherPathsToTheAppAfterItCompleted() {
    start(1, LONG_TIMEOUT);
    responder.startShutdown();
    nacks("lb-a", 1);
    assertThat(responder.startShutdown()).isDone();

    assertThat(server.get("/orders").body()).isEqualTo("app");
  }

  @Test
  void shutdownCallsBackOnceAfterThirdNack() {
    start(3, LONG_TIMEOUT);
    seen("lb-a");
    responder.shutdown(callbacks::incrementAndGet);

    nacks("lb-a", 2);
    assertThat(callbacks).hasValue(0);
    nacks("lb-a", 1);

    assertThat(callbacks).hasValue(1);
    assertThat(responder.startShutdown()).isCompletedWithValue(ShutdownOutcome.ALL_CHECKERS_NACKED);
  }

  @Test
  void callbackDoesNotRunAgainOnLaterNacks() {
    start(3, LONG_TIMEOUT);
    responder.shutdown(callbacks::incrementAndGet);
    nacks("lb-a", 3);

    nacks("lb-a", 3);

    assertThat(callbacks).hasValue(1);
  }

  @Test
  void shutdownWaitsForTheThirdNackOfEveryChecker() {
    start(3, LONG_TIMEOUT);
    seen("lb-a", "lb-b");
    responder.shutdown(callbacks::incrementAndGet);

    nacks("lb-a", 3);
    assertThat(callbacks).hasValue(0);
    nacks("lb-b", 2);
    assertThat(callbacks).hasValue(0);
    nacks("lb-b", 1);

    assertThat(callbacks).hasValue(1);
    assertThat(responder.startShutdown()).isCompletedWithValue(ShutdownOutcome.ALL_CHECKERS_NACKED);
  }

  @Test
  void checkerFirstSeenDuringShutdownIsAwaitedToo() {
    start(3, LONG_TIMEOUT);
    seen("lb-a");
    responder.shutdown(callbacks::incrementAndGet);

    nacks("lb-a", 1);
    nacks("lb-b", 1);
    nacks("lb-a", 2);
    assertThat(callbacks).hasValue(0);
    nacks("lb-b", 2);

    assertThat(callbacks).hasValue(1);
  }

  @Test
  void checkerSilentForLongerThanTheTimeoutIsNotAwaited() {
    start(3, LONG_TIMEOUT);
    seen("lb-gone");
    clock.advance(LONG_TIMEOUT.plusSeconds(1));
    seen("lb-a");
    server.settle();
    responder.shutdown(callbacks::incrementAndGet);

    nacks("lb-a", 3);

    assertThat(callbacks).hasValue(1);
  }

  @Test
  void everyCheckersNacksAreReportedUnderItsName() {
    start(3, LONG_TIMEOUT);
    responder.startShutdown();

    nacks("lb-a", 3);
    nacks("lb-b", 2);

    assertThat(store.reports(KEY)).containsExactlyInAnyOrder(
        new CheckerReport("lb-a", true, 3, NOW, 0),
        new CheckerReport("lb-b", true, 2, NOW, 0));
  }

  @Test
  void shutdownCompletesAtOnceWhenEveryCheckerWasNackedEnoughWhileShunted() {
    start(3, LONG_TIMEOUT);
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));
    nacks("lb-a", 3);

    CompletableFuture<ShutdownOutcome> done = responder.startShutdown();

    assertThat(done).isCompletedWithValue(ShutdownOutcome.ALL_CHECKERS_NACKED);
  }

  @Test
  void callbackRunsOnlyAfterTheLastNackReachedTheChecker() throws Exception {
    start(3, LONG_TIMEOUT);
    CompletableFuture<HttpResponse<String>> thirdAnswer = new CompletableFuture<>();
    AtomicReference<String> seenByCallback = new AtomicReference<>();
    CountDownLatch callbackDone = new CountDownLatch(1);
    responder.shutdown(() -> {
      try {
        HttpResponse<String> answer = thirdAnswer.get(2, TimeUnit.SECONDS);
        seenByCallback.set("third answer received: " + answer.statusCode() + " " + answer.body());
      } catch (TimeoutException e) {
        seenByCallback.set("third answer not received while the callback ran");
      } catch (Exception e) {
        seenByCallback.set(e.toString());
      } finally {
        callbackDone.countDown();
      }
    });
    nacks("lb-a", 2);

    server.checkAsync("lb-a").thenAccept(thirdAnswer::complete);

    assertThat(callbackDone.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(seenByCallback).hasValue("third answer received: 503 shutting down\n");
  }

  @Test
  void secondShutdownReturnsTheSameFuture() {
    start(3, LONG_TIMEOUT);

    CompletableFuture<ShutdownOutcome> first = responder.startShutdown();
    CompletableFuture<ShutdownOutcome> second = responder.startShutdown();

    assertThat(second).isSameAs(first);
  }

  @Test
  void callbackRunsOnceWhenShutdownIsCalledAgain() {
    start(3, LONG_TIMEOUT);
    responder.shutdown(callbacks::incrementAndGet);
    responder.startShutdown();

    nacks("lb-a", 3);
    responder.startShutdown();
    nacks("lb-a", 1);

    assertThat(callbacks).hasValue(1);
  }

  @Test
  void shutdownCalledTwiceRunsEachCallbackOnceAfterTheLastNack() {
    AtomicInteger second = new AtomicInteger();
    start(3, LONG_TIMEOUT);
    seen("lb-a");
    responder.shutdown(callbacks::incrementAndGet);
    responder.shutdown(second::incrementAndGet);

    nacks("lb-a", 2);
    assertThat(callbacks).hasValue(0);
    assertThat(second).hasValue(0);
    nacks("lb-a", 1);
    assertThat(callbacks).hasValue(1);
    assertThat(second).hasValue(1);
    nacks("lb-a", 3);

    assertThat(callbacks).hasValue(1);
    assertThat(second).hasValue(1);
  }

  @Test
  void callbackGivenAfterTheShutdownCompletedRunsAtOnce() {
    start(1, LONG_TIMEOUT);
    responder.shutdown(callbacks::incrementAndGet);
    nacks("lb-a", 1);
    AtomicInteger late = new AtomicInteger();

    responder.shutdown(late::incrementAndGet);

    assertThat(late).hasValue(1);
    assertThat(callbacks).hasValue(1);
  }

  @Test
  void callbackThatThrowsKeepsTheOtherCallbacksRunning() {
    start(1, LONG_TIMEOUT);
    responder.shutdown(() -> {
      throw new IllegalStateException("the callback failed");
    });
    responder.shutdown(callbacks::incrementAndGet);

    nacks("lb-a", 1);

    assertThat(callbacks).hasValue(1);
  }

  @Test
  void shutdownTimesOutWhenNoCheckComes() throws Exception {
    start(3, SHORT_TIMEOUT);
    long started = System.nanoTime();

    CountDownLatch calledBack = new CountDownLatch(1);
    responder.shutdown(() -> {
      callbacks.incrementAndGet();
      calledBack.countDown();
    });
    ShutdownOutcome outcome = responder.startShutdown().get(5, TimeUnit.SECONDS);

    assertThat(outcome).isEqualTo(ShutdownOutcome.CHECKS_TIMED_OUT);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(SHORT_TIMEOUT);
    // The timer thread completes the future, then runs the callback: get() may return in between.
    assertThat(calledBack.await(5, TimeUnit.SECONDS)).as("called back").isTrue();
    assertThat(callbacks).hasValue(1);
  }

  @Test
  void shutdownTimesOutWhenChecksStopMidWay() throws Exception {
    start(3, SHORT_TIMEOUT);
    CompletableFuture<ShutdownOutcome> done = responder.startShutdown();
    nacks("lb-a", 2);
    long lastNack = System.nanoTime();

    ShutdownOutcome outcome = done.get(5, TimeUnit.SECONDS);

    assertThat(outcome).isEqualTo(ShutdownOutcome.CHECKS_TIMED_OUT);
    assertThat(Duration.ofNanos(System.nanoTime() - lastNack))
        .isGreaterThan(SHORT_TIMEOUT.minusMillis(100));
  }

  @Test
  void timeoutIsReArmedAfterEachNack() throws Exception {
    start(5, SHORT_TIMEOUT);
    long started = System.nanoTime();
    CompletableFuture<ShutdownOutcome> done = responder.startShutdown();

    for (int i = 0; i < 5; i++) {
      Thread.sleep(150);
      seen("lb-a");
    }
    ShutdownOutcome outcome = done.get(5, TimeUnit.SECONDS);

    assertThat(outcome).isEqualTo(ShutdownOutcome.ALL_CHECKERS_NACKED);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(SHORT_TIMEOUT.multipliedBy(2));
  }
}
