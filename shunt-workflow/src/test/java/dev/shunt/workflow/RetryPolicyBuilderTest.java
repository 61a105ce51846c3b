package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The configuration rules of {@link RetryPolicy.Builder}; how a policy retries is in {@link RetryPolicyTest}. */
class RetryPolicyBuilderTest {

  @Test
  void rejectsAMaxWaitShorterThanTheInitialWaitAtBuild() {
    assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().initialWait(Duration.ofSeconds(2))
            .maxWait(Duration.ofSeconds(1)).build())
        .withMessage("maxWait must be >= initialWait (PT2S), was PT1S");
  }

  private static Arguments bad(String call, ThrowingCallable setter, String message) {
    return Arguments.of(call, setter, message);
  }

  /** Each setter's bad values, on a fresh builder, with the message that names the field, the value and the rule. */
  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("maxAttempts(0)", () -> RetryPolicy.builder().maxAttempts(0), "maxAttempts must be >= 1, was 0"),
        bad("initialWait(0)", () -> RetryPolicy.builder().initialWait(Duration.ZERO), "initialWait must be a positive duration, was PT0S"),
        bad("initialWait(null)", () -> RetryPolicy.builder().initialWait(null), "initialWait must be a positive duration, was null"),
        bad("multiplier(0.5)", () -> RetryPolicy.builder().multiplier(0.5), "multiplier must be >= 1, was 0.5"),
        bad("multiplier(NaN)", () -> RetryPolicy.builder().multiplier(Double.NaN), "multiplier must be >= 1, was NaN"),
        bad("randomization(-0.1)", () -> RetryPolicy.builder().randomization(-0.1), "randomization must be >= 0 and < 1, was -0.1"),
        bad("randomization(1)", () -> RetryPolicy.builder().randomization(1), "randomization must be >= 0 and < 1, was 1.0"),
        bad("maxWait(-1 s)", () -> RetryPolicy.builder().maxWait(Duration.ofSeconds(-1)), "maxWait must be a positive duration, was PT-1S"),
        bad("retryOn(null)", () -> RetryPolicy.builder().retryOn(null), "retryOn must be set, was null"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void setterRejectsABadValueAsItIsGiven(String call, ThrowingCallable setter, String message) {
    assertThatIllegalArgumentException().isThrownBy(setter).withMessage(message);
  }
}
