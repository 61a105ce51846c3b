package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ShuntStatusTest {
  private static final Instant SINCE = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant EXPIRY = Instant.parse("2026-11-23T10:10:00Z");

  @Test
  void inRotationIsNotShuntedAtAnyTime() {
    ShuntStatus status = ShuntStatus.inRotation();

    assertThat(status.isShuntedAt(Instant.EPOCH)).isFalse();
    assertThat(status.isShuntedAt(SINCE)).isFalse();
    assertThat(status.expiry()).isEmpty();
  }

  @Test
  void inRotationCarriesNoDetails() {
    assertThat(ShuntStatus.inRotation()).isEqualTo(new ShuntStatus(false, "", "", null, null));
  }

  @Test
  void shuntWithoutExpiryIsShuntedForever() {
    ShuntStatus status = new ShuntStatus(true, "deploy", "alice", SINCE, null);

    assertThat(status.isShuntedAt(SINCE)).isTrue();
    assertThat(status.isShuntedAt(Instant.parse("2100-01-01T00:00:00Z"))).isTrue();
  }

  @Test
  void shuntHoldsUntilJustBeforeItsExpiry() {
    ShuntStatus status = new ShuntStatus(true, "deploy", "alice", SINCE, EXPIRY);

    assertThat(status.isShuntedAt(EXPIRY.minusNanos(1))).isTrue();
  }

  @Test
  void shuntIsOverAtItsExpiry() {
    ShuntStatus status = new ShuntStatus(true, "deploy", "alice", SINCE, EXPIRY);

    assertThat(status.isShuntedAt(EXPIRY)).isFalse();
    assertThat(status.isShuntedAt(EXPIRY.plusSeconds(1))).isFalse();
  }

  @Test
  void shuntMadeFromARequestExpiresAtSincePlusTtl() {
    ShuntRequest request = ShuntRequest.of("deploy", "alice").withTtl(Duration.ofMinutes(10));

    assertThat(ShuntStatus.of(request, SINCE))
        .isEqualTo(new ShuntStatus(true, "deploy", "alice", SINCE, EXPIRY));
  }

  @Test
  void shuntMadeFromARequestWithoutTtlNeverExpires() {
    ShuntStatus status = ShuntStatus.of(ShuntRequest.of("deploy", "alice"), SINCE);

    assertThat(status.expiry()).isEmpty();
    assertThat(status.expiresAt()).isNull();
  }

  @Test
  void shuntedStatusWithoutSinceIsRejected() {
    assertThatThrownBy(() -> new ShuntStatus(true, "deploy", "alice", null, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("since must be set for a shunted status");
  }

  @Test
  void statusInRotationWithAReasonIsRejectedNamingFieldAndValue() {
    assertThatThrownBy(() -> new ShuntStatus(false, "deploy", "", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reason")
        .hasMessageContaining("'deploy'");
  }

  @Test
  void nullReasonIsRejectedNamingTheField() {
    assertThatThrownBy(() -> new ShuntStatus(true, null, "alice", SINCE, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("reason");
  }

  @Test
  void printsEveryDetailOfAShunt() {
    assertThat(new ShuntStatus(true, "deploy", "alice", SINCE, EXPIRY))
        .hasToString("shunted since 2026-11-23T10:00:00Z (deploy) by alice until 2026-11-23T10:10:00Z");
  }

  @Test
  void printsInRotation() {
    assertThat(ShuntStatus.inRotation()).hasToString("in rotation");
  }
}
