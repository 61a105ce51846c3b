package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ShuntException#retryable()} is decided once, when the exception is made. */
class ShuntExceptionTest {
  private static final StoreException MEMBER_LEFT = new StoreException("member left", new IllegalStateException(), true);
  private static final StoreException CLOSED = new StoreException("closed", null, false);

  @Test
  void aShuntExceptionIsNotRetryableByDefault() {
    assertThat(new ShuntException("cannot listen").retryable()).isFalse();
    assertThat(new ShuntException("cannot listen", new IOException("in use")).retryable()).isFalse();
    assertThat(new ShuntException("cannot reach", new ConnectException("refused")).retryable())
        .as("only its thrower, or a ShuntException cause, says a failure may pass").isFalse();
  }

  @Test
  void aShuntExceptionThatAddsContextIsAsRetryableAsItsShuntCause() {
    assertThat(new ShuntException("cannot shunt web-1", MEMBER_LEFT).retryable()).isTrue();
    assertThat(new ShuntException("cannot shunt web-1", CLOSED).retryable()).isFalse();
  }

  @Test
  void itsThrowerMaySayItIsRetryable() {
    assertThat(new ShuntException("service restarting", new IOException(), true).retryable()).isTrue();
  }

  @Test
  void aStoreExceptionIsRetryableWhenTheStoreSaysSo() {
    assertThat(MEMBER_LEFT.retryable()).isTrue();
    assertThat(CLOSED.retryable()).isFalse();
  }

  @Test
  void aFailedStepIsNotRetryableWhateverItsCause() {
    assertThat(new StepFailedException("exited with status 1").retryable()).isFalse();
    assertThat(new StepFailedException("cannot read the state", MEMBER_LEFT).retryable())
        .as("a step's own verdict wins over its cause").isFalse();
    assertThat(new ShuntTimeoutException("never ready", Duration.ofSeconds(60)).retryable()).isFalse();
  }

  @Test
  void refusalsAreNotRetryable() {
    InstanceKey key = InstanceKey.of("checkout", "web-1");
    assertThat(new BudgetExceededException(key, DisruptionBudget.parse("1"), 2, Set.of("web-2")).retryable())
        .isFalse();
    assertThat(new LockHeldException("checkout", new LockGrant("checkout", "ci-1", "release 42", 7,
        Instant.parse("2026-12-02T10:00:00Z"))).retryable()).isFalse();
  }
}
