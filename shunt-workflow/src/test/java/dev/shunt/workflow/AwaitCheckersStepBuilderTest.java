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
  void inFlightWaitShowsInTheDescription() {
    assertThat(AwaitCheckersStep.drain().inFlight(InFlightWait.REQUIRED).build().toString())
        .isEqualTo("drain(fall=3, minCheckers=1, timeout=PT30S, inFlight=REQUIRED)");
  }

  @Test
  void drainWaitsForRequestsInFlightWhereCountedByDefault() {
    assertThat(AwaitCheckersStep.drain().build().toString())
        .isEqualTo(AwaitCheckersStep.drain().inFlight(InFlightWait.WHEN_COUNTED).build().toString());
    assertThat(AwaitCheckersStep.drain().inFlight(InFlightWait.IGNORED).build().toString())
        .isEqualTo("drain(fall=3, minCheckers=1, timeout=PT30S, inFlight=IGNORED)");
  }

  @Test
  void rejectsAnInFlightWaitForRotation() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AwaitCheckersStep.rotation().inFlight(InFlightWait.REQUIRED).build())
        .withMessage("inFlight must be IGNORED for rotation, was REQUIRED: it is a drain condition");
  }

  @Test
  void rejectsShuntSeenWithinForRotation() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AwaitCheckersStep.rotation().shuntSeenWithin(Duration.ofSeconds(5)).build())
        .withMessage("shuntSeenWithin must not be set for rotation, was PT5S: it is a drain condition");
  }

  @Test
  void rejectsZeroShuntSeenWithin() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AwaitCheckersStep.drain().shuntSeenWithin(Duration.ZERO).build())
        .withMessageContaining("shuntSeenWithin");
  }

  @Test
  void rejectsANullInFlightWait() {
    assertThatIllegalArgumentException().isThrownBy(() -> AwaitCheckersStep.drain().inFlight(null).build())
        .withMessage("inFlight must be set, was null");
  }

  @Test
  void rejectsZeroCheckedWithin() {
    assertThatIllegalArgumentException().isThrownBy(() -> AwaitCheckersStep.drain().checkedWithin(Duration.ZERO).build())
        .withMessage("checkedWithin must be a positive duration, was PT0S");
  }
}
