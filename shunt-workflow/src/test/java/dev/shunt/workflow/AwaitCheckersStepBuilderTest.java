package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  private static Arguments bad(String call, ThrowingCallable setter, String message) {
    return Arguments.of(call, setter, message);
  }

  /** Each setter's bad values, on a fresh builder, with the message that names the field, the value and the rule. */
  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("drain().times(0)", () -> AwaitCheckersStep.drain().times(0), "times must be >= 1, was 0"),
        bad("rotation().times(-1)", () -> AwaitCheckersStep.rotation().times(-1), "times must be >= 1, was -1"),
        bad("minCheckers(0)", () -> AwaitCheckersStep.rotation().minCheckers(0), "minCheckers must be >= 1, was 0"),
        bad("timeout(0)", () -> AwaitCheckersStep.drain().timeout(Duration.ZERO), "timeout must be a positive duration, was PT0S"),
        bad("timeout(-1 s)", () -> AwaitCheckersStep.drain().timeout(Duration.ofSeconds(-1)),
            "timeout must be a positive duration, was PT-1S"),
        bad("timeout(null)", () -> AwaitCheckersStep.drain().timeout(null), "timeout must be a positive duration, was null"),
        bad("pollInterval(0)", () -> AwaitCheckersStep.drain().pollInterval(Duration.ZERO),
            "pollInterval must be a positive duration, was PT0S"),
        bad("inFlight(null)", () -> AwaitCheckersStep.drain().inFlight(null), "inFlight must be set, was null"),
        bad("rotation().inFlight(REQUIRED)", () -> AwaitCheckersStep.rotation().inFlight(InFlightWait.REQUIRED),
            "inFlight must be IGNORED for rotation, was REQUIRED: it is a drain condition"),
        bad("checkedWithin(0)", () -> AwaitCheckersStep.drain().checkedWithin(Duration.ZERO),
            "checkedWithin must be a positive duration, was PT0S"),
        bad("checkedWithin(null)", () -> AwaitCheckersStep.drain().checkedWithin(null),
            "checkedWithin must be a positive duration, was null"),
        bad("shuntSeenWithin(0)", () -> AwaitCheckersStep.drain().shuntSeenWithin(Duration.ZERO),
            "shuntSeenWithin must be a positive duration, was PT0S"),
        bad("rotation().shuntSeenWithin(5 s)", () -> AwaitCheckersStep.rotation().shuntSeenWithin(Duration.ofSeconds(5)),
            "shuntSeenWithin must not be set for rotation, was PT5S: it is a drain condition"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void setterRejectsABadValueAsItIsGiven(String call, ThrowingCallable setter, String message) {
    assertThatIllegalArgumentException().isThrownBy(setter).withMessage(message);
  }
}
