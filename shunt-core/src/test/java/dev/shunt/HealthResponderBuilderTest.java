package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.LONG;

import dev.shunt.HealthResponder.ShutdownOutcome;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthResponderBuilderTest {
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final RequestInfo CHECK = new RequestInfo("GET", "/health", "10.0.0.1");

  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  private static HealthResponder.Builder valid() {
    return HealthResponder.builder().store(StatusStore.inMemory()).key(KEY);
  }

  private static void check(HealthResponder responder) throws IOException {
    responder.answer(CHECK, answer -> { });
  }

  private static HealthAnswer answer(HealthResponder responder) throws IOException {
    AtomicReference<HealthAnswer> sent = new AtomicReference<>();
    responder.answer(CHECK, sent::set);
    return sent.get();
  }

  private static HealthResponder shunted(HealthResponder.Builder builder) {
    StatusStore store = StatusStore.inMemory();
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));
    return builder.store(store).build();
  }

  @Test
  void pathWithoutLeadingSlashFailsAtBuild() {
    HealthResponder.Builder builder = valid().path("health");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path must start with '/', was 'health'");
  }

  @Test
  void nullPathFailsAtBuild() {
    HealthResponder.Builder builder = valid().path(null);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path must start with '/', was null");
  }

  @Test
  void missingStoreFailsAtBuild() {
    HealthResponder.Builder builder = HealthResponder.builder().key(KEY);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("store must be set, was null");
  }

  @Test
  void missingKeyFailsAtBuild() {
    HealthResponder.Builder builder = HealthResponder.builder().store(StatusStore.inMemory());

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key must be set, was null");
  }

  @Test
  void zeroNacksBeforeShutdownFailsAtBuild() {
    HealthResponder.Builder builder = valid().nacksBeforeShutdown(0);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nacksBeforeShutdown must be >= 1, was 0");
  }

  @Test
  void negativeNacksBeforeShutdownFailsAtBuild() {
    HealthResponder.Builder builder = valid().nacksBeforeShutdown(-2);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nacksBeforeShutdown must be >= 1, was -2");
  }

  @Test
  void zeroHealthcheckTimeoutFailsAtBuild() {
    HealthResponder.Builder builder = valid().healthcheckTimeout(Duration.ZERO);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthcheckTimeout must be positive, was PT0S");
  }

  @Test
  void negativeHealthcheckTimeoutFailsAtBuild() {
    HealthResponder.Builder builder = valid().healthcheckTimeout(Duration.ofSeconds(-1));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthcheckTimeout must be positive, was PT-1S");
  }

  @Test
  void nullHealthcheckTimeoutFailsAtBuild() {
    HealthResponder.Builder builder = valid().healthcheckTimeout(null);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthcheckTimeout must be positive, was null");
  }

  @Test
  void nullCheckerIdFailsAtBuild() {
    HealthResponder.Builder builder = valid().checkerId(null);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checkerId must be set, was null");
  }

  @Test
  void checkerHeaderThatIsNoHeaderNameFailsAtBuild() {
    HealthResponder.Builder builder = valid().checkerHeader("X Checker");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checkerHeader must be an HTTP header name (letters, digits and !#$&'*+.^_`|~-), was 'X Checker'");
  }

  @Test
  void checkerHeaderWithCheckerIdFailsAtBuild() {
    HealthResponder.Builder builder = valid().checkerId(RequestInfo::clientAddress).checkerHeader("X-Checker");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("set checkerId or checkerHeader, not both");
  }

  @Test
  void checkerSecretWithoutCheckerHeaderFailsAtBuild() {
    HealthResponder.Builder builder = valid().checkerSecret("Xq3vN8sLk2Pw9TzR4mYb");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checkerSecret needs checkerHeader: the secret comes in that header");
  }

  @Test
  void shortCheckerSecretFailsAtBuildWithoutShowingIt() {
    HealthResponder.Builder builder = valid().checkerHeader("X-Checker").checkerSecret("hunter2");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checkerSecret must be 16 to 256 characters of letters, digits and + / = . _ ~ -, was 7 characters")
        .message().doesNotContain("hunter2");
  }

  @Test
  void checkerSecretWithAColonFailsAtBuild() {
    HealthResponder.Builder builder = valid().checkerHeader("X-Checker").checkerSecret("Xq3vN8sLk2Pw:9TzR4mYb");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checkerSecret must be 16 to 256 characters of letters, digits and + / = . _ ~ -, was 21"
            + " characters with others among them");
  }

  @Test
  void toBuilderKeepsTheCheckerProof() throws IOException {
    StatusStore store = StatusStore.inMemory();
    HealthResponder original = HealthResponder.builder().store(store).key(KEY)
        .checkerHeader("X-Checker").checkerSecret("Xq3vN8sLk2Pw9TzR4mYb").build();

    HealthResponder variant = original.toBuilder().shuntedStatus(404).build();
    check(variant);

    assertThat(store.reports(KEY)).isEmpty();
    assertThat(variant.toString()).contains("checkerHeader=X-Checker with a secret").doesNotContain("Xq3v");
  }

  @Test
  void toBuilderOfADefaultResponderAcceptsACheckerHeader() {
    HealthResponder original = valid().build();

    assertThat(original.toBuilder().checkerHeader("X-Checker").build().toString()).contains("checkerHeader=X-Checker");
  }

  @Test
  void maxCheckersBelowOneFailsAtBuild() {
    HealthResponder.Builder builder = valid().maxCheckers(0);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxCheckers must be >= 1, was 0");
  }

  @Test
  void forgetCheckersAfterShorterThanHealthcheckTimeoutFailsAtBuild() {
    HealthResponder.Builder builder = valid().healthcheckTimeout(Duration.ofSeconds(15))
        .forgetCheckersAfter(Duration.ofSeconds(10));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forgetCheckersAfter must be at least healthcheckTimeout (PT15S), was PT10S");
  }

  @Test
  void nullForgetCheckersAfterFailsAtBuild() {
    HealthResponder.Builder builder = valid().forgetCheckersAfter(null);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forgetCheckersAfter must be at least healthcheckTimeout (PT15S), was null");
  }

  @Test
  void nullClockFailsAtBuild() {
    HealthResponder.Builder builder = valid().clock(null);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clock must be set, was null");
  }

  @Test
  void defaultPathIsHealthMatchedExactly() {
    HealthResponder responder = valid().build();

    assertThat(responder.path()).isEqualTo("/health");
    assertThat(responder.handles("/health")).isTrue();
    assertThat(responder.handles("/health/")).isFalse();
    assertThat(responder.handles("/healthz")).isFalse();
    assertThat(responder.handles("/")).isFalse();
  }

  @Test
  void customPathIsMatchedExactly() {
    HealthResponder responder = valid().path("/options/full_stack_status").build();

    assertThat(responder.handles("/options/full_stack_status")).isTrue();
    assertThat(responder.handles("/health")).isFalse();
  }

  @Test
  void defaultNacksBeforeShutdownIsThree() throws IOException {
    HealthResponder responder = valid().scheduler(scheduler).build();
    CompletableFuture<ShutdownOutcome> done = responder.startShutdown();

    check(responder);
    check(responder);
    assertThat(done).isNotDone();
    check(responder);

    assertThat(done).isCompletedWithValue(ShutdownOutcome.ALL_CHECKERS_NACKED);
  }

  @Test
  void defaultHealthcheckTimeoutIsFifteenSeconds() {
    HealthResponder responder = valid().scheduler(scheduler).build();

    responder.startShutdown();

    assertThat(scheduler.getQueue()).singleElement()
        .extracting(task -> ((Delayed) task).getDelay(TimeUnit.MILLISECONDS))
        .asInstanceOf(LONG)
        .isBetween(14_000L, 15_000L);
  }

  @Test
  void toBuilderDerivesAVariantThatKeepsEveryOtherSetting() throws IOException {
    HealthResponder original = valid().nacksBeforeShutdown(1).scheduler(scheduler).build();

    HealthResponder variant = original.toBuilder().path("/ready").build();
    CompletableFuture<ShutdownOutcome> done = variant.startShutdown();
    check(variant);

    assertThat(variant.path()).isEqualTo("/ready");
    assertThat(variant.key()).isEqualTo(KEY);
    assertThat(done).isCompletedWithValue(ShutdownOutcome.ALL_CHECKERS_NACKED);
    assertThat(original.path()).isEqualTo("/health");
  }

  @Test
  void pathAndPathPrefixTogetherFailAtBuild() {
    HealthResponder.Builder builder = valid().path("/health").pathPrefix("/status");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("set only one of path, pathPrefix and pathPattern, was 2 of them (the last: '/status')");
  }

  @Test
  void pathPrefixAndPathPatternTogetherFailAtBuild() {
    HealthResponder.Builder builder = valid().pathPrefix("/health").pathPattern("/(health|ready)");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("set only one of path, pathPrefix and pathPattern, was 2 of them (the last: '/(health|ready)')");
  }

  @Test
  void pathSetTwiceKeepsTheLast() {
    HealthResponder responder = valid().path("/ready").path("/live").build();

    assertThat(responder.path()).isEqualTo("/live");
  }

  @Test
  void pathPatternThatDoesNotCompileFailsAtBuildNamingItsValue() {
    HealthResponder.Builder builder = valid().pathPattern("/(health");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pathPattern must be a regular expression, was '/(health': Unclosed group");
  }

  @Test
  void pathPrefixWithoutLeadingSlashFailsAtBuild() {
    HealthResponder.Builder builder = valid().pathPrefix("health");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pathPrefix must start with '/', was 'health'");
  }

  @Test
  void pathPrefixMatchesEveryPathThatStartsWithIt() {
    HealthResponder responder = valid().pathPrefix("/health/").build();

    assertThat(responder.handles("/health/live")).isTrue();
    assertThat(responder.handles("/health/")).isTrue();
    assertThat(responder.handles("/health")).isFalse();
    assertThat(responder.handles("/orders/health/")).isFalse();
  }

  @Test
  void pathThatLeavesThePrefixByDotSegmentsIsNoHealthCheck() {
    HealthResponder responder = valid().pathPrefix("/health/").build();

    assertThat(responder.handles("/health/../admin")).isFalse();
    assertThat(responder.handles("/health/%2e%2e/admin")).isFalse();
    assertThat(responder.handles("/health/..;/admin")).isFalse();
    assertThat(responder.handles("/health/..%2fadmin")).isFalse();
  }

  @Test
  void pathIsDecodedOnceBeforeItIsMatched() {
    HealthResponder responder = valid().build();

    assertThat(responder.handles("/heal%74h")).isTrue();
    assertThat(responder.handles("/heal%2574h")).isFalse();
    assertThat(responder.handles("/health%zz")).isFalse();
  }

  @Test
  void pathPatternMatchesWholePathsOnly() {
    HealthResponder responder = valid().pathPattern("/(health|options/full_stack_status)").build();

    assertThat(responder.handles("/health")).isTrue();
    assertThat(responder.handles("/options/full_stack_status")).isTrue();
    assertThat(responder.handles("/health/deep")).isFalse();
    assertThat(responder.handles("/x/health")).isFalse();
  }

  @Test
  void healthyIfAndSickIfTogetherFailAtBuild() {
    HealthResponder.Builder builder = valid().healthyIf(() -> true).sickIf(() -> false);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("set healthyIf or sickIf, not both");
  }

  @Test
  void shuntedStatus399FailsAtBuild() {
    HealthResponder.Builder builder = valid().shuntedStatus(399);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shuntedStatus must be from 400 to 599 (a failed check), was 399");
  }

  @Test
  void shuntedStatus600FailsAtBuild() {
    HealthResponder.Builder builder = valid().shuntedStatus(600);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shuntedStatus must be from 400 to 599 (a failed check), was 600");
  }

  @Test
  void shuntedStatus404IsAnsweredWhileShunted() throws IOException {
    HealthResponder responder = shunted(valid().shuntedStatus(404));

    assertThat(answer(responder).status()).isEqualTo(404);
  }

  @Test
  void defaultShuntedStatusIs503() throws IOException {
    HealthResponder responder = shunted(valid());

    assertThat(answer(responder).status()).isEqualTo(503);
  }

  @Test
  void revealReasonWithoutJsonFailsAtBuild() {
    HealthResponder.Builder builder = valid().revealReason(true);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("revealReason needs json(true): the text body carries no reason");
  }

  @Test
  void toBuilderKeepsThePathPrefix() {
    HealthResponder original = valid().pathPrefix("/status/").build();

    HealthResponder variant = original.toBuilder().nacksBeforeShutdown(1).build();

    assertThat(variant.path()).isEqualTo("/status/");
    assertThat(variant.handles("/status/live")).isTrue();
  }

  @Test
  void toBuilderKeepsThePathPattern() {
    HealthResponder original = valid().pathPattern("/(health|ready)").build();

    HealthResponder variant = original.toBuilder().nacksBeforeShutdown(1).build();

    assertThat(variant.handles("/ready")).isTrue();
    assertThat(variant.handles("/ready/deep")).isFalse();
  }

  @Test
  void toBuilderOfAPathPrefixTakesAnExactPathInstead() {
    HealthResponder original = valid().pathPrefix("/status/").build();

    HealthResponder variant = original.toBuilder().path("/ready").build();

    assertThat(variant.handles("/ready")).isTrue();
    assertThat(variant.handles("/status/live")).isFalse();
  }

  @Test
  void toBuilderKeepsHealthyIf() {
    HealthResponder original = valid().healthyIf(() -> false).build();

    HealthResponder variant = original.toBuilder().nacksBeforeShutdown(1).build();

    assertThat(variant.state()).isEqualTo(HealthState.SICK);
  }

  @Test
  void toBuilderKeepsSickIf() {
    HealthResponder original = valid().sickIf(() -> true).build();

    HealthResponder variant = original.toBuilder().nacksBeforeShutdown(1).build();

    assertThat(variant.state()).isEqualTo(HealthState.SICK);
  }

  @Test
  void toBuilderOfASickIfResponderTakesAnotherSickIf() {
    HealthResponder original = valid().sickIf(() -> true).build();

    HealthResponder variant = original.toBuilder().sickIf(() -> false).build();

    assertThat(variant.state()).isEqualTo(HealthState.IN_ROTATION);
  }

  @Test
  void toBuilderKeepsTheShuntedStatus() throws IOException {
    HealthResponder original = valid().shuntedStatus(404).build();

    HealthResponder variant = shunted(original.toBuilder());

    assertThat(answer(variant).status()).isEqualTo(404);
  }

  @Test
  void toBuilderKeepsJsonAndRevealReason() throws IOException {
    HealthResponder original = valid().json(true).revealReason(true).build();

    HealthResponder variant = shunted(original.toBuilder());

    assertThat(answer(variant).body()).startsWith("{\"state\":\"shunted\",").endsWith(",\"reason\":\"deploy 42\"}\n");
  }
}
