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
    CompletableFuture<ShutdownOutcome> done = responder.shutdown();

    check(responder);
    check(responder);
    assertThat(done).isNotDone();
    check(responder);

    assertThat(done).isCompletedWithValue(ShutdownOutcome.ALL_CHECKERS_NACKED);
  }

  @Test
  void defaultHealthcheckTimeoutIsFifteenSeconds() {
    HealthResponder responder = valid().scheduler(scheduler).build();

    responder.shutdown();

    assertThat(scheduler.getQueue()).singleElement()
        .extracting(task -> ((Delayed) task).getDelay(TimeUnit.MILLISECONDS))
        .asInstanceOf(LONG)
        .isBetween(14_000L, 15_000L);
  }

  @Test
  void toBuilderDerivesAVariantThatKeepsEveryOtherSetting() throws IOException {
    HealthResponder original = valid().nacksBeforeShutdown(1).scheduler(scheduler).build();

    HealthResponder variant = original.toBuilder().path("/ready").build();
    CompletableFuture<ShutdownOutcome> done = variant.shutdown();
    check(variant);

    assertThat(variant.path()).isEqualTo("/ready");
    assertThat(variant.key()).isEqualTo(KEY);
    assertThat(done).isCompletedWithValue(ShutdownOutcome.ALL_CHECKERS_NACKED);
    assertThat(original.path()).isEqualTo("/health");
  }
}
