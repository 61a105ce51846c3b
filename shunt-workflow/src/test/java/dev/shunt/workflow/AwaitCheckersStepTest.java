package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.CheckerReport;
import dev.shunt.HealthResponder;
import dev.shunt.RequestInfo;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntTimeoutException;
import dev.shunt.StepFailedException;
import dev.shunt.internal.CheckerReportRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AwaitCheckersStepTest {
  private static final Duration SHORT = Duration.ofMillis(200);
  private static final Duration LONG = Duration.ofSeconds(5);

  private final RecordingContext context = RecordingContext.forHost("web-1");

  private void report(String checker, boolean nacked, int consecutive) {
    context.store().report(context.key(), new CheckerReport(checker, nacked, consecutive, Instant.now()));
  }

  private void report(String checker, boolean nacked, int consecutive, Instant at, int inFlight) {
    context.store().report(context.key(), new CheckerReport(checker, nacked, consecutive, at, inFlight));
  }

  private static AwaitCheckersStep.Builder drainInFlightZero() {
    return AwaitCheckersStep.drain().times(3).inFlight(InFlightWait.REQUIRED).failOnTimeout(true);
  }

  /** Runs {@code step} on this test's context in another thread. */
  private CompletableFuture<Long> runInBackground(AwaitCheckersStep step) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        step.run(context);
        return System.nanoTime();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Lets a step started in the background poll a few times before the test changes the reports. */
  private static void letItPoll() throws InterruptedException {
    Thread.sleep(150);
  }

  @Test
  void outcomeNamesTheCheckersItCounted() throws Exception {
    report("lb-2", true, 3);
    report("lb-1", true, 4);

    AwaitCheckersStep.drain().times(3).timeout(LONG).failOnTimeout(true).build().run(context);

    assertThat(context.outcome()).startsWith("2 checker(s) answered down 3 times in a row").endsWith(" (lb-1, lb-2)");
  }

  @Test
  void outcomeNamesTheFirstFewOfManyCheckersAndCountsTheRest() throws Exception {
    for (int i = 1; i <= 40; i++) {
      report(String.format("lb-%02d", i), true, 3);
    }

    AwaitCheckersStep.drain().times(3).timeout(LONG).failOnTimeout(true).build().run(context);

    assertThat(context.outcome()).startsWith("40 checker(s) answered down 3 times in a row")
        .endsWith(" (lb-01, lb-02, lb-03, lb-04, lb-05 and 35 more)");
  }

  @Test
  void drainEndsWhenEveryCheckerNackedTimesInARow() throws Exception {
    report("lb-1", true, 3);
    report("lb-2", true, 4);

    AwaitCheckersStep.drain().times(3).timeout(LONG).failOnTimeout(true).build().run(context);

    assertThat(context.outcome()).startsWith("2 checker(s) answered down 3 times in a row");
  }

  @Test
  void drainKeepsWaitingWhileOneCheckerIsShortOfTimes() {
    report("lb-1", true, 3);
    report("lb-2", true, 2);

    assertThatThrownBy(() -> AwaitCheckersStep.drain().times(3).timeout(SHORT).failOnTimeout(true).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("lb-2 down x2");
  }

  @Test
  void drainEndsOnlyAfterTheLastCheckerReachesTimes() throws Exception {
    report("lb-1", true, 3);
    report("lb-2", true, 2);
    CompletableFuture<Long> finished = runInBackground(
        AwaitCheckersStep.drain().times(3).timeout(LONG).pollInterval(Duration.ofMillis(10)).failOnTimeout(true).build());

    letItPoll();
    assertThat(finished).as("still waiting for lb-2").isNotDone();
    long reportedAt = System.nanoTime();
    report("lb-2", true, 3);

    assertThat(finished.get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(reportedAt);
    assertThat(context.outcome()).startsWith("2 checker(s) answered down 3 times in a row");
  }

  @Test
  void drainWaitsWhileACheckerStillAnswersUp() {
    report("lb-1", true, 3);
    report("lb-2", false, 5);

    assertThatThrownBy(() -> AwaitCheckersStep.drain().times(3).timeout(SHORT).failOnTimeout(true).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("lb-2 up x5");
  }

  @Test
  void drainByDefaultNeedsThreeNacksInARow() throws Exception {
    report("lb-1", true, 2);
    assertThatThrownBy(() -> AwaitCheckersStep.drain().timeout(SHORT).failOnTimeout(true).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class);

    report("lb-1", true, 3);
    AwaitCheckersStep.drain().timeout(SHORT).failOnTimeout(true).build().run(context);

    assertThat(context.outcome()).startsWith("1 checker(s) answered down 3 times in a row");
  }

  @Test
  void drainAfterAShuntIgnoresNacksReportedBeforeIt() {
    report("lb-1", true, 5);
    context.store().shunt(context.key(), ShuntRequest.of("deploy", "ci"));

    assertThatThrownBy(() -> AwaitCheckersStep.drain().timeout(SHORT).failOnTimeout(true).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("no health check was answered");
  }

  @Test
  void drainThatTimesOutWhileTheResponderAnswersUpAfterTheShuntSaysTheResponderDoesNotSeeIt() {
    context.store().shunt(context.key(), ShuntRequest.of("deploy", "ci"));
    report("lb-1", false, 4, Instant.now().plusMillis(1), 0);

    assertThatThrownBy(() -> AwaitCheckersStep.drain().timeout(SHORT).failOnTimeout(true).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("responder answered 'up' to lb-1")
        .hasMessageContaining("so it does not see the shunt: it cannot read the store");
  }

  @Test
  void drainThatTimesOutWithoutAnyAnswerAfterTheShuntBlamesNoResponder() {
    context.store().shunt(context.key(), ShuntRequest.of("deploy", "ci"));

    assertThatThrownBy(() -> AwaitCheckersStep.drain().timeout(SHORT).failOnTimeout(true).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .message().doesNotContain("does not see the shunt");
  }

  /** A drain that would go on after its timeout, and that blames an "up" answer later than {@code grace}. */
  private static AwaitCheckersStep drainGoingOnAfterTimeout(Duration timeout, Duration grace) {
    return AwaitCheckersStep.drain().timeout(timeout).shuntSeenWithin(grace).pollInterval(Duration.ofMillis(10)).build();
  }

  @Test
  void drainFailsAtOnceWhenACheckerIsAnsweredUpLaterThanShuntSeenWithinWhateverFailOnTimeoutSays() throws Exception {
    context.store().shunt(context.key(), ShuntRequest.of("deploy", "ci"));
    CompletableFuture<Long> drained = runInBackground(drainGoingOnAfterTimeout(Duration.ofMinutes(5), SHORT));
    Thread.sleep(SHORT.multipliedBy(2).toMillis());

    report("lb-1", false, 14);
    report("lb-2", true, 1);

    assertThatThrownBy(() -> drained.get(1, TimeUnit.MINUTES)).isInstanceOf(ExecutionException.class).cause()
        .isExactlyInstanceOf(StepFailedException.class)
        .hasMessageContaining("web-1's health responder does not see its shunt: it answered 'up' to lb-1 up x14")
        .hasMessageContaining("other checkers: lb-2 down x1")
        .hasMessageContaining("so it is not restarted and stays shunted")
        .hasMessageContaining("the app's user cannot read the store")
        .hasMessageContaining("or its responder reads another store");
  }

  @Test
  void drainFailsAtOnceWhenTheResponderSaysItCannotReadTheStoreWithoutWaitingForShuntSeenWithin() throws Exception {
    context.store().shunt(context.key(), ShuntRequest.of("deploy", "ci"));
    CompletableFuture<Long> drained = runInBackground(drainGoingOnAfterTimeout(Duration.ofMinutes(5), Duration.ofMinutes(1)));
    letItPoll();

    context.store().report(context.key(), new CheckerReport("lb-1", false, 13, Instant.now(),
        CheckerReportRules.IN_FLIGHT_UNKNOWN, false, "cannot read shunt flag /srv/flags/checkout/web-1.shunt: permission denied"));

    assertThatThrownBy(() -> drained.get(1, TimeUnit.MINUTES)).isInstanceOf(ExecutionException.class).cause()
        .isExactlyInstanceOf(StepFailedException.class)
        .hasMessageContaining("web-1's health responder does not see its shunt: it answered 'up' to lb-1 up x13")
        .hasMessageContaining("the responder says it cannot read the store: cannot read shunt flag"
            + " /srv/flags/checkout/web-1.shunt: permission denied")
        .hasMessageContaining("so it is not restarted and stays shunted");
  }

  @Test
  void preflightOfAHostWhoseResponderSaysItCannotReadTheStoreIsAnError() {
    Instant at = Instant.now();
    context.store().report(context.key(), new CheckerReport("lb-1", false, 11, at, 0, false,
        "cannot read shunt flag /srv/flags/checkout/web-1.shunt: permission denied"));

    assertThat(AwaitCheckersStep.drain().build().preflight(new PreflightContext(context.key(), 1, context.store(),
        Clock.systemUTC()))).singleElement().satisfies(problem -> assertThat(problem.toString())
            .startsWith("ERROR web-1 [drain]: its health responder cannot read the store (its last report, lb-1 up x11 at "
                + at + "): cannot read shunt flag /srv/flags/checkout/web-1.shunt: permission denied")
            .contains("a shunt would not take it out of the load balancer"));
  }

  @Test
  void drainDoesNotBlameAnUpAnswerWithinShuntSeenWithinThatTurnsDown() throws Exception {
    context.store().shunt(context.key(), ShuntRequest.of("deploy", "ci"));
    CompletableFuture<Long> drained = runInBackground(drainGoingOnAfterTimeout(LONG, Duration.ofMinutes(1)));

    report("lb-1", false, 14);
    letItPoll();
    for (int nacks = 1; nacks <= 3; nacks++) {
      report("lb-1", true, nacks);
    }

    drained.get(1, TimeUnit.MINUTES);
    assertThat(context.outcome()).startsWith("1 checker(s) answered down 3 times in a row");
  }

  @Test
  void drainThatTimesOutWhileACheckerWasAnsweredUpSinceItBeganAndNeverDownFailsWhateverFailOnTimeoutSays() throws Exception {
    context.store().shunt(context.key(), ShuntRequest.of("deploy", "ci"));
    CompletableFuture<Long> drained = runInBackground(drainGoingOnAfterTimeout(Duration.ofSeconds(1), SHORT.multipliedBy(3)));
    letItPoll();

    report("lb-1", false, 4);  // within shuntSeenWithin: no proof yet, but no "down" ever follows

    assertThatThrownBy(() -> drained.get(1, TimeUnit.MINUTES)).cause()
        .isExactlyInstanceOf(StepFailedException.class)
        .hasMessageContaining("does not see its shunt: it answered 'up' to lb-1 up x4");
  }

  @Test
  void drainDoesNotBlameUpAnswersOnceTheHostWasUnshunted() throws Exception {
    context.store().shunt(context.key(), ShuntRequest.of("deploy", "ci"));
    CompletableFuture<Long> drained = runInBackground(drainGoingOnAfterTimeout(SHORT.multipliedBy(3), SHORT));
    context.store().unshunt(context.key());
    Thread.sleep(SHORT.multipliedBy(2).toMillis());

    report("lb-1", false, 4);

    drained.get(1, TimeUnit.MINUTES);
    assertThat(context.outcome()).startsWith("timeout fallback");
  }

  @Test
  void preflightOfAShuntedHostWhoseResponderAnsweredUpWellAfterTheShuntIsAnError() {
    Instant since = context.store().shunt(context.key(), ShuntRequest.of("deploy", "ci")).since();
    report("lb-1", false, 12, since.plusSeconds(30), 0);

    assertThat(AwaitCheckersStep.drain().build().preflight(new PreflightContext(context.key(), 1, context.store(),
        Clock.systemUTC()))).singleElement().satisfies(problem -> assertThat(problem.toString())
            .startsWith("ERROR web-1 [drain]: it is shunted since " + since).contains("yet its health responder answered 'up' after that: lb-1 up x12")
            .contains("the app's user cannot read the store"));
  }

  @Test
  void preflightDoesNotBlameAnUpAnswerWithinShuntSeenWithinOfTheShunt() {
    Instant since = context.store().shunt(context.key(), ShuntRequest.of("deploy", "ci")).since();
    report("lb-1", false, 12, since.plusSeconds(1), 0);

    assertThat(AwaitCheckersStep.drain().build().preflight(new PreflightContext(context.key(), 1, context.store(),
        Clock.systemUTC()))).isEmpty();
  }

  @Test
  void rotationEndsWhenEveryCheckerAckedRiseTimesInARow() throws Exception {
    report("lb-1", false, 2);
    report("lb-2", false, 7);

    AwaitCheckersStep.rotation().times(2).timeout(LONG).failOnTimeout(true).build().run(context);

    assertThat(context.outcome()).startsWith("2 checker(s) answered up 2 times in a row");
  }

  private void agentReport(boolean nacked) {
    context.store().report(context.key(), new CheckerReport("agent:10.0.0.1", nacked, 1, Instant.now(), 0, true));
  }

  @Test
  void drainEndsAtTheFirstAnswerOfAnAgentCheck() throws Exception {
    agentReport(true);

    AwaitCheckersStep.drain().times(3).timeout(LONG).failOnTimeout(true).build().run(context);

    assertThat(context.outcome()).startsWith("1 checker(s) answered down once to an agent check, which applies it at once");
  }

  @Test
  void rotationEndsAtTheFirstAnswerOfAnAgentCheck() throws Exception {
    agentReport(false);

    AwaitCheckersStep.rotation().times(2).timeout(LONG).failOnTimeout(true).build().run(context);

    assertThat(context.outcome()).startsWith("1 checker(s) answered up once to an agent check, which applies it at once");
  }

  @Test
  void drainWithAnAgentAndAnHttpCheckWaitsForTheHttpChecksFall() {
    agentReport(true);
    report("10.0.0.1", true, 2);

    assertThatThrownBy(() -> AwaitCheckersStep.drain().times(3).timeout(SHORT).failOnTimeout(true).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("10.0.0.1 down x2")
        .hasMessageContaining("agent:10.0.0.1 down x1 (applied at once)");
  }

  @Test
  void drainWithAnAgentAndAnHttpCheckEndsOnceBothAgree() throws Exception {
    agentReport(true);
    report("10.0.0.1", true, 3);

    AwaitCheckersStep.drain().times(3).timeout(LONG).failOnTimeout(true).build().run(context);

    assertThat(context.outcome()).startsWith("2 checker(s) answered down 3 times in a row (agent checks: once)");
  }

  @Test
  void rotationKeepsWaitingWhileACheckerIsShortOfRise() {
    report("lb-1", false, 1);

    assertThatThrownBy(() -> AwaitCheckersStep.rotation().times(2).timeout(SHORT).failOnTimeout(true).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("lb-1 up x1");
  }

  @Test
  void rotationDoesNotCountNacks() {
    report("lb-1", true, 9);

    assertThatThrownBy(() -> AwaitCheckersStep.rotation().times(2).timeout(SHORT).failOnTimeout(true).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("lb-1 down x9");
  }

  @Test
  void rotationEndsOnlyAfterTheCheckerReachesRise() throws Exception {
    report("lb-1", false, 1);
    CompletableFuture<Long> finished = runInBackground(
        AwaitCheckersStep.rotation().times(2).timeout(LONG).pollInterval(Duration.ofMillis(10)).failOnTimeout(true).build());

    letItPoll();
    assertThat(finished).as("still waiting for the second ack").isNotDone();
    long reportedAt = System.nanoTime();
    report("lb-1", false, 2);

    assertThat(finished.get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(reportedAt);
    assertThat(context.outcome()).startsWith("1 checker(s) answered up 2 times in a row");
  }

  @Test
  void withoutReportsItGoesOnAfterTheTimeoutByDefault() throws Exception {
    long start = System.nanoTime();

    AwaitCheckersStep.drain().timeout(SHORT).build().run(context);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(SHORT);
    assertThat(context.outcome()).startsWith("timeout fallback").contains("no health check was answered");
    assertThat(context.lines()).anySatisfy(line -> assertThat(line).contains("going on"));
  }

  @Test
  void withFailOnTimeoutItFailsAfterTheTimeout() {
    long start = System.nanoTime();

    assertThatThrownBy(() -> AwaitCheckersStep.drain().timeout(SHORT).failOnTimeout(true).build().run(context))
        .isInstanceOfSatisfying(ShuntTimeoutException.class, e -> assertThat(e.timeout()).isEqualTo(SHORT))
        .hasMessageContaining("did not see the host down").hasMessageContaining("no health check was answered");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(SHORT);
  }

  @Test
  void minCheckersTwoKeepsWaitingWhileOnlyOneCheckerReported() {
    report("lb-1", true, 3);

    assertThatThrownBy(() -> AwaitCheckersStep.drain().minCheckers(2).timeout(SHORT).failOnTimeout(true).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("lb-1 down x3");
  }

  @Test
  void minCheckersTwoEndsOnceASecondCheckerAgrees() throws Exception {
    report("lb-1", true, 3);
    CompletableFuture<Long> finished = runInBackground(AwaitCheckersStep.drain().minCheckers(2).timeout(LONG)
        .pollInterval(Duration.ofMillis(10)).failOnTimeout(true).build());

    letItPoll();
    assertThat(finished).as("still waiting for a second checker").isNotDone();
    long reportedAt = System.nanoTime();
    report("lb-2", true, 3);

    assertThat(finished.get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(reportedAt);
    assertThat(context.outcome()).startsWith("2 checker(s) answered down");
  }

  @Test
  void drainAwaitingInFlightZeroEndsWhenNackedWithNothingInFlight() throws Exception {
    report("lb-1", true, 3, Instant.now(), 0);
    report("lb-2", true, 3, Instant.now(), 0);

    drainInFlightZero().timeout(LONG).build().run(context);

    assertThat(context.outcome())
        .startsWith("2 checker(s) answered down 3 times in a row and no request was in flight, after");
  }

  @Test
  void drainAwaitingInFlightZeroWaitsWhileRequestsAreInFlight() {
    report("lb-1", true, 3, Instant.now(), 2);

    assertThatThrownBy(() -> drainInFlightZero().timeout(SHORT).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("lb-1 down x3").hasMessageContaining("in flight: 2");
  }

  @Test
  void drainAwaitingInFlightZeroStillNeedsTheNacks() {
    report("lb-1", true, 2, Instant.now(), 0);

    assertThatThrownBy(() -> drainInFlightZero().timeout(SHORT).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("lb-1 down x2").hasMessageContaining("in flight: 0");
  }

  @Test
  void drainAwaitingInFlightZeroEndsOnlyOnceTheLastRequestEnded() throws Exception {
    Instant nacked = Instant.now();
    report("lb-1", true, 3, nacked, 1);
    CompletableFuture<Long> finished = runInBackground(
        drainInFlightZero().timeout(LONG).pollInterval(Duration.ofMillis(10)).build());

    letItPoll();
    assertThat(finished).as("still waiting for the request in flight").isNotDone();
    long reportedAt = System.nanoTime();
    report("lb-1", true, 3, nacked.plusMillis(1), 0);

    assertThat(finished.get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(reportedAt);
    assertThat(context.outcome()).contains("no request was in flight");
  }

  @Test
  void drainAwaitingInFlightZeroGoesByTheNewestReport() throws Exception {
    Instant earlier = Instant.now().minusSeconds(1);
    report("lb-1", true, 4, earlier, 3);
    report("lb-2", true, 3, earlier.plusMillis(500), 0);

    drainInFlightZero().timeout(LONG).build().run(context);

    assertThat(context.outcome()).contains("no request was in flight");
  }

  @Test
  void drainAwaitingInFlightZeroIsNotSatisfiedByAnUnknownCount() {
    report("lb-1", true, 3, Instant.now(), CheckerReportRules.IN_FLIGHT_UNKNOWN);

    assertThatThrownBy(() -> drainInFlightZero().timeout(SHORT).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("in flight: unknown");
  }

  @Test
  void drainAwaitingInFlightZeroGoesOnAfterTheTimeoutSayingWhatWasInFlight() throws Exception {
    report("lb-1", true, 3, Instant.now(), 1);

    AwaitCheckersStep.drain().inFlight(InFlightWait.REQUIRED).timeout(SHORT).build().run(context);

    assertThat(context.outcome()).startsWith("timeout fallback").contains("in flight: 1");
  }

  @Test
  void drainWithoutAwaitInFlightZeroIgnoresRequestsInFlight() throws Exception {
    report("lb-1", true, 3, Instant.now(), 5);

    AwaitCheckersStep.drain().times(3).inFlight(InFlightWait.IGNORED).timeout(LONG).failOnTimeout(true).build()
        .run(context);

    assertThat(context.outcome()).startsWith("1 checker(s) answered down 3 times in a row, after");
  }

  @Test
  void drainAwaitingInFlightZeroEndsWhenARealResponderSeesItsLastRequestEnd() throws Exception {
    HealthResponder responder = HealthResponder.builder().store(context.store()).key(context.key()).build();
    responder.inFlight().begin();
    context.store().shunt(context.key(), ShuntRequest.of("deploy", "test"));
    for (int i = 0; i < 3; i++) {
      responder.answer(new RequestInfo("GET", "/health", "10.0.0.1"), answer -> { });
    }
    CompletableFuture<Long> finished = runInBackground(
        drainInFlightZero().timeout(LONG).pollInterval(Duration.ofMillis(10)).build());

    letItPoll();
    assertThat(finished).as("NACKed 3 times, but a request is in flight").isNotDone();
    long endedAt = System.nanoTime();
    responder.inFlight().end();

    assertThat(finished.get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(endedAt);
    assertThat(context.outcome()).startsWith("1 checker(s) answered down 3 times in a row and no request was in flight");
  }

  @Test
  void defaultDrainWaitsForACountedRequestInFlight() {
    report("lb-1", true, 3, Instant.now(), 2);

    assertThatThrownBy(() -> AwaitCheckersStep.drain().timeout(SHORT).failOnTimeout(true).build().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("in flight: 2");
  }

  @Test
  void defaultDrainEndsWhenTheCountedRequestsInFlightAreZero() throws Exception {
    report("lb-1", true, 3, Instant.now(), 0);

    AwaitCheckersStep.drain().timeout(LONG).failOnTimeout(true).build().run(context);

    assertThat(context.outcome()).startsWith("1 checker(s) answered down 3 times in a row and no request was in flight");
  }

  @Test
  void defaultDrainDoesNotWaitForAnUnknownCountAndSaysSo() throws Exception {
    report("lb-1", true, 3, Instant.now(), CheckerReportRules.IN_FLIGHT_UNKNOWN);

    AwaitCheckersStep.drain().timeout(LONG).failOnTimeout(true).build().run(context);

    assertThat(context.outcome()).startsWith("1 checker(s) answered down 3 times in a row; requests in flight were"
        + " NOT waited for: the responder does not count them, after");
  }

  @Test
  void defaultDrainWaitsForTheRequestsARealResponderCountsThroughItsAdapter() throws Exception {
    HealthResponder responder = HealthResponder.builder().store(context.store()).key(context.key()).build();
    dev.shunt.httpserver.HttpServerHealth.filter(responder);   // as the app installs it: its requests are counted
    responder.inFlight().begin();
    context.store().shunt(context.key(), ShuntRequest.of("deploy", "test"));
    for (int i = 0; i < 3; i++) {
      responder.answer(new RequestInfo("GET", "/health", "10.0.0.1"), answer -> { });
    }
    CompletableFuture<Long> finished = runInBackground(
        AwaitCheckersStep.drain().timeout(LONG).pollInterval(Duration.ofMillis(10)).failOnTimeout(true).build());

    letItPoll();
    assertThat(finished).as("NACKed 3 times, but a request is in flight").isNotDone();
    responder.inFlight().end();

    finished.get(LONG.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(context.outcome()).startsWith("1 checker(s) answered down 3 times in a row and no request was in flight");
  }

  @Test
  void stepsAreNamedDrainAndRotation() {
    assertThat(AwaitCheckersStep.drain().build().name()).isEqualTo("drain");
    assertThat(AwaitCheckersStep.rotation().build().name()).isEqualTo("rotation");
  }
}
