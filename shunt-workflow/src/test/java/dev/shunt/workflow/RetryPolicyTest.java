package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.shunt.ShuntException;
import dev.shunt.ShuntTimeoutException;
import dev.shunt.StatusStore;
import dev.shunt.StepFailedException;
import dev.shunt.StoreException;
import dev.shunt.workflow.gate.MetricsException;
import dev.shunt.workflow.lb.LoadBalancerException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RetryPolicyTest {

  @ParameterizedTest
  @EnumSource(SshException.Kind.class)
  void sshFailuresAreTransientExactlyWhenTheirKindIsRetryable(SshException.Kind kind) {
    assertThat(RetryPolicy.isTransient(new SshException(kind, "ssh failed"))).isEqualTo(kind.retryable());
  }

  @Test
  void authenticationAndHostKeyFailuresAreNeverTransient() {
    assertThat(RetryPolicy.isTransient(new SshException(SshException.Kind.AUTH_FAILED, "no"))).isFalse();
    assertThat(RetryPolicy.isTransient(new SshException(SshException.Kind.HOST_KEY_CHANGED, "no"))).isFalse();
    assertThat(RetryPolicy.isTransient(new SshException(SshException.Kind.HOST_KEY_UNKNOWN, "no"))).isFalse();
  }

  @Test
  void refusedConnectionsAndNetworkTimeoutsAreTransient() {
    assertThat(RetryPolicy.isTransient(new ConnectException("Connection refused"))).isTrue();
    assertThat(RetryPolicy.isTransient(new NoRouteToHostException("no route"))).isTrue();
    assertThat(RetryPolicy.isTransient(new SocketTimeoutException("Read timed out"))).isTrue();
    assertThat(RetryPolicy.isTransient(new InterruptedIOException("timeout"))).isTrue();
  }

  @Test
  void storeFailuresAreTransientExactlyWhenTheStoreSaysTheyAreRetryable() {
    assertThat(RetryPolicy.isTransient(new StoreException("member left", new IllegalStateException(), true))).isTrue();
    assertThat(RetryPolicy.isTransient(new StoreException("closed", new IllegalStateException(), false))).isFalse();
    assertThat(RetryPolicy.isTransient(new ShuntException("cannot shunt web-1",
        new StoreException("member left", new IllegalStateException(), true))))
        .as("found in the cause chain").isTrue();
    assertThat(RetryPolicy.isTransient(new StoreException("not serializable", new ConnectException("refused"), false)))
        .as("the store's verdict wins over its cause").isFalse();
  }

  @Test
  void aStoreFailureIsTreatedAlikeWhicheverStoreThrewIt(@TempDir Path directory) throws IOException {
    // A journal path taken by a directory: the flag-file store fails as every store does.
    StatusStore flagFiles = StatusStore.flagFiles(directory);
    Files.createDirectories(directory.resolve("checkout/rollout.journal"));
    Throwable fromFlagFiles = catchThrowable(() -> flagFiles.journal("checkout"));

    assertThat(fromFlagFiles).isInstanceOf(StoreException.class);
    assertThat(RetryPolicy.isTransient(fromFlagFiles)).isFalse();
    assertThat(RetryPolicy.isTransient(new StoreException("cannot lock " + directory.resolve("checkout/.budget.lock")
        + " to check the budget: java.io.IOException: No locks available", new IOException("No locks available"),
        true))).as("a flag-file lock that could not be taken for now, as FileLocks reports it").isTrue();
    assertThat(RetryPolicy.isTransient(new StoreException("cannot shunt web-1 in Hazelcast: member left",
        new IllegalStateException("member left"), true))).as("a Hazelcast member that left").isTrue();
  }

  @Test
  void loadBalancerAndMetricsFailuresAreTransientExactlyWhenTheySayTheyAreRetryable() {
    assertThat(RetryPolicy.isTransient(new LoadBalancerException("haproxy: connection refused",
        new ConnectException("refused"), true))).isTrue();
    assertThat(RetryPolicy.isTransient(new LoadBalancerException("haproxy refused 'set server': No such server."))).isFalse();
    assertThat(RetryPolicy.isTransient(new LoadBalancerException("haproxy cannot be asked about web-1",
        new LoadBalancerException("runtime API: connection refused", new ConnectException(), true))))
        .as("a wrapper keeps its cause's verdict").isTrue();
    assertThat(RetryPolicy.isTransient(new MetricsException("prometheus: cannot be read",
        new SocketTimeoutException("timeout"), true))).isTrue();
    assertThat(RetryPolicy.isTransient(new MetricsException("prometheus: not the text format"))).isFalse();
  }

  @Test
  void aShuntExceptionDecidesForItsCauses() {
    assertThat(RetryPolicy.isTransient(new ShuntException("cannot shunt web-1", new ConnectException("refused"))))
        .as("a ShuntException's verdict wins over a network cause its thrower did not call retryable").isFalse();
    assertThat(RetryPolicy.isTransient(new ShuntException("service restarting", new ConnectException("refused"), true)))
        .isTrue();
  }

  @Test
  void aTransientCauseDeepInTheChainCounts() {
    assertThat(RetryPolicy.isTransient(new UncheckedIOException(new IOException("wrapped",
        new ConnectException("Connection refused"))))).isTrue();
  }

  @Test
  void failedStepsTheirOwnTimeoutsAndOtherErrorsAreNotTransient() {
    assertThat(RetryPolicy.isTransient(new StepFailedException("exited with status 1"))).isFalse();
    assertThat(RetryPolicy.isTransient(new ShuntTimeoutException("never ready", Duration.ofSeconds(60)))).isFalse();
    assertThat(RetryPolicy.isTransient(new StepFailedException("cannot start", new SocketTimeoutException())))
        .as("a step's own verdict wins over its cause").isFalse();
    assertThat(RetryPolicy.isTransient(new UnknownHostException("web-1"))).isFalse();
    assertThat(RetryPolicy.isTransient(new InterruptedException())).isFalse();
    assertThat(RetryPolicy.isTransient(new IllegalStateException("bug"))).isFalse();
  }

  @Test
  void retryOnAddsErrorsTheUserOptsInto() {
    RetryPolicy policy = RetryPolicy.builder().retryOn(error -> error instanceof StepFailedException).build();

    assertThat(policy.shouldRetry(new StepFailedException("exited with status 1"))).isTrue();
    assertThat(policy.shouldRetry(new ConnectException())).isTrue();
    assertThat(policy.shouldRetry(new IllegalStateException())).isFalse();
  }

  @Test
  void defaultsAreThreeAttemptsWithExponentialBackoffAndJitter() {
    RetryPolicy policy = RetryPolicy.transientErrors();

    assertThat(policy.maxAttempts()).isEqualTo(3);
    assertThat(policy.initialWait()).isEqualTo(Duration.ofMillis(500));
    assertThat(policy.multiplier()).isEqualTo(2.0);
    assertThat(policy.randomization()).isEqualTo(0.5);
    assertThat(policy.maxWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy).hasToString("up to 3 attempts, backoff 500 ms x2.0 ±50% <= 30000 ms");
    assertThat(RetryPolicy.none()).hasToString("no retry");
  }

  @Test
  void builderRejectsEachBadSetting() {
    assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build())
        .withMessage("maxAttempts must be >= 1, was 0");
    assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().initialWait(Duration.ZERO).build())
        .withMessage("initialWait must be a positive duration, was PT0S");
    assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().multiplier(0.5).build())
        .withMessage("multiplier must be >= 1, was 0.5");
    assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().randomization(1).build())
        .withMessage("randomization must be >= 0 and < 1, was 1.0");
    assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().maxWait(Duration.ofMillis(100)).build())
        .withMessage("maxWait must be >= initialWait (PT0.5S), was PT0.1S");
    assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().retryOn(null).build())
        .withMessage("retryOn must be set, was null");
  }
}
