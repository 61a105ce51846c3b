package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.SshException.Kind;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SshExceptionTest {

  @Test
  void onlyFailuresToReachTheServerAreRetryable() {
    assertThat(Arrays.stream(Kind.values()).filter(Kind::retryable))
        .containsExactlyInAnyOrder(Kind.CONNECTION_REFUSED, Kind.CONNECT_TIMEOUT, Kind.NETWORK);
  }

  @Test
  void retryableFollowsTheKind() {
    assertThat(new SshException(Kind.CONNECTION_REFUSED, "refused").retryable()).isTrue();
    assertThat(new SshException(Kind.HOST_KEY_CHANGED, "changed").retryable()).isFalse();
  }
}
