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
  }

  @Test
  void withTtlKeepsReasonAndOwner() {
    ShuntRequest request = ShuntRequest.of("deploy 42", "alice").withTtl(Duration.ofMinutes(10));

    assertThat(request.reason()).isEqualTo("deploy 42");
    assertThat(request.owner()).isEqualTo("alice");
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
    assertThatThrownBy(() -> ShuntRequest.of("deploy", "alice").withTtl(Duration.ofMinutes(-1)))
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

  @Test
  void requestsWithTheSameReasonOwnerAndTtlAreEqual() {
    ShuntRequest leased = ShuntRequest.of("deploy 42", "alice").withTtl(Duration.ofMinutes(10));

    assertThat(leased).isEqualTo(ShuntRequest.of("deploy 42", "alice").withTtl(Duration.ofMinutes(10)))
        .hasSameHashCodeAs(ShuntRequest.of("deploy 42", "alice").withTtl(Duration.ofMinutes(10)));
    assertThat(ShuntRequest.of("deploy 42", "alice")).isEqualTo(ShuntRequest.of("deploy 42", "alice"));
  }

  @Test
  void requestsThatDifferInAnyPartAreNotEqual() {
    ShuntRequest request = ShuntRequest.of("deploy 42", "alice");

    assertThat(request).isNotEqualTo(ShuntRequest.of("deploy 43", "alice"))
        .isNotEqualTo(ShuntRequest.of("deploy 42", "bob"))
        .isNotEqualTo(request.withTtl(Duration.ofMinutes(10)));
    assertThat(request.withTtl(Duration.ofMinutes(10))).isNotEqualTo(request.withTtl(Duration.ofMinutes(11)));
  }

  @Test
  void toStringNamesReasonOwnerAndTtl() {
    assertThat(ShuntRequest.of("deploy 42", "alice").withTtl(Duration.ofMinutes(10)))
        .hasToString("ShuntRequest{reason=deploy 42, owner=alice, ttl=PT10M}");
    assertThat(ShuntRequest.of("deploy 42", "alice")).hasToString("ShuntRequest{reason=deploy 42, owner=alice, ttl=none}");
  }
}
