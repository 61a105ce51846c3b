package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShuntRequestTest {

  @Test
  void requestMadeWithOfHasNoTtl() {
    ShuntRequest request = ShuntRequest.of("deploy 42", "alice");

    assertThat(request.reason()).isEqualTo("deploy 42");
    assertThat(request.owner()).isEqualTo("alice");
    assertThat(request.ttl()).isEmpty();
    assertThat(request.ttlOrNull()).isNull();
  }

  @Test
  void withTtlKeepsReasonAndOwner() {
    ShuntRequest request = ShuntRequest.of("deploy 42", "alice").withTtl(Duration.ofMinutes(10));

    assertThat(request).isEqualTo(new ShuntRequest("deploy 42", "alice", Duration.ofMinutes(10)));
    assertThat(request.ttl()).contains(Duration.ofMinutes(10));
  }

  @Test
  void emptyReasonAndOwnerAreAllowed() {
    ShuntRequest request = ShuntRequest.of("", "");

    assertThat(request.reason()).isEmpty();
    assertThat(request.owner()).isEmpty();
  }

  @Test
  void reasonOfSeveralLinesIsRejectedNamingBothValues() {
    assertThatThrownBy(() -> ShuntRequest.of("deploy\n42", "alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reason and owner must be single lines, were 'deploy\n42' and 'alice'");
  }

  @Test
  void ownerOfSeveralLinesIsRejectedNamingBothValues() {
    assertThatThrownBy(() -> ShuntRequest.of("deploy 42", "alice\nbob"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reason and owner must be single lines, were 'deploy 42' and 'alice\nbob'");
  }

  @Test
  void zeroTtlIsRejectedNamingTheValue() {
    assertThatThrownBy(() -> ShuntRequest.of("deploy", "alice").withTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must be positive, was PT0S");
  }

  @Test
  void negativeTtlIsRejectedNamingTheValue() {
    assertThatThrownBy(() -> new ShuntRequest("deploy", "alice", Duration.ofMinutes(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must be positive, was PT-1M");
  }

  @Test
  void nullTtlGivenToWithTtlIsRejected() {
    assertThatThrownBy(() -> ShuntRequest.of("deploy", "alice").withTtl(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ttl");
  }

  @Test
  void nullReasonIsRejectedNamingTheField() {
    assertThatThrownBy(() -> ShuntRequest.of(null, "alice"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("reason");
  }

  @Test
  void nullOwnerIsRejectedNamingTheField() {
    assertThatThrownBy(() -> ShuntRequest.of("deploy", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("owner");
  }
}
