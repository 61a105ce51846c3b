package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AwaitCheckersStepBuilderTest {

  @Test
  void defaultsAreHaproxysFallAndRise() {
    assertThat(AwaitCheckersStep.drain().build().toString()).isEqualTo("drain(fall=3, minCheckers=1, timeout=PT30S)");
    assertThat(AwaitCheckersStep.rotation().build().toString()).isEqualTo("rotation(rise=2, minCheckers=1, timeout=PT30S)");
  }

  @Test
  void rejectsZeroTimes() {
    assertThatIllegalArgumentException().isThrownBy(() -> AwaitCheckersStep.drain().times(0).build())
        .withMessage("times must be >= 1, was 0");
  }

  @Test
  void rejectsZeroMinCheckers() {
    assertThatIllegalArgumentException().isThrownBy(() -> AwaitCheckersStep.rotation().minCheckers(0).build())
        .withMessage("minCheckers must be >= 1, was 0");
  }

  @Test
  void rejectsZeroTimeout() {
    assertThatIllegalArgumentException().isThrownBy(() -> AwaitCheckersStep.drain().timeout(Duration.ZERO).build())
        .withMessage("timeout must be a positive duration, was PT0S");
  }

  @Test
  void rejectsNegativeTimeout() {
    assertThatIllegalArgumentException().isThrownBy(() -> AwaitCheckersStep.drain().timeout(Duration.ofSeconds(-1)).build())
        .withMessage("timeout must be a positive duration, was PT-1S");
  }

  @Test
  void rejectsMissingTimeout() {
    assertThatIllegalArgumentException().isThrownBy(() -> AwaitCheckersStep.drain().timeout(null).build())
        .withMessage("timeout must be a positive duration, was null");
  }

  @Test
  void rejectsZeroPollInterval() {
    assertThatIllegalArgumentException().isThrownBy(() -> AwaitCheckersStep.drain().pollInterval(Duration.ZERO).build())
        .withMessage("pollInterval must be a positive duration, was PT0S");
  }

  @Test
  void awaitInFlightZeroShowsInTheDescription() {
    assertThat(AwaitCheckersStep.drain().awaitInFlightZero(true).build().toString())
        .isEqualTo("drain(fall=3, minCheckers=1, timeout=PT30S, awaitInFlightZero)");
  }

  @Test
  void rejectsAwaitInFlightZeroForRotation() {
    assertThatIllegalArgumentException().isThrownBy(() -> AwaitCheckersStep.rotation().awaitInFlightZero(true).build())
        .withMessage("awaitInFlightZero must be false for rotation, was true: it is a drain condition");
  }
}
