package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AwaitHttpStepBuilderTest {

  private static AwaitHttpStep.Builder valid() {
    return AwaitHttpStep.builder().url("http://{host}:8080/");
  }

  @Test
  void defaultsToStatus200To399AndSixtySeconds() {
    assertThat(valid().build().toString()).isEqualTo("ready(http://{host}:8080/, status 200..399, timeout=PT1M)");
  }

  @Test
  void rejectsMissingUrl() {
    assertThatIllegalArgumentException().isThrownBy(() -> AwaitHttpStep.builder().build())
        .withMessage("url must be set, was null");
  }

  @Test
  void rejectsMalformedUrl() {
    assertThatIllegalArgumentException().isThrownBy(() -> AwaitHttpStep.builder().url("not a url"))
        .withMessageStartingWith("url must be an http or https URL").withMessageContaining("not a url");
  }

  @Test
  void rejectsUrlWithAnotherScheme() {
    assertThatIllegalArgumentException().isThrownBy(() -> AwaitHttpStep.builder().url("ftp://{host}/"))
        .withMessageStartingWith("url must be an http or https URL");
  }

  @Test
  void rejectsStatusRangeBelow100() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().expectStatus(0, 99).build())
        .withMessage("expectStatus must be a range within 100..599, was 0..99");
  }

  @Test
  void rejectsStatusRangeAbove599() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().expectStatus(200, 600).build())
        .withMessage("expectStatus must be a range within 100..599, was 200..600");
  }

  @Test
  void rejectsStatusRangeWithMinAboveMax() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().expectStatus(300, 200).build())
        .withMessage("expectStatus must be a range within 100..599, was 300..200");
  }

  @Test
  void rejectsZeroConsecutiveSuccesses() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().consecutiveSuccesses(0).build())
        .withMessage("consecutiveSuccesses must be >= 1, was 0");
  }

  @Test
  void rejectsZeroInterval() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().interval(Duration.ZERO).build())
        .withMessage("interval must be a positive duration, was PT0S");
  }

  @Test
  void rejectsZeroTimeout() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().timeout(Duration.ZERO).build())
        .withMessage("timeout must be a positive duration, was PT0S");
  }

  @Test
  void rejectsZeroRequestTimeout() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().requestTimeout(Duration.ZERO).build())
        .withMessage("requestTimeout must be a positive duration, was PT0S");
  }

  @Test
  void rejectsZeroAttempts() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().maxAttempts(0).build())
        .withMessage("maxAttempts must be >= 1, was 0");
  }

  @Test
  void rejectsHostHeaderWithSpaces() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().hostHeader("www example.com").build())
        .withMessage("hostHeader must be a host name without spaces, was 'www example.com'");
  }

  private static Arguments bad(String call, ThrowingCallable setter, String message) {
    return Arguments.of(call, setter, message);
  }

  /** Each setter's bad values, on a fresh builder, with the message that names the field, the value and the rule. */
  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("url((String) null)", () -> AwaitHttpStep.builder().url((String) null), "url must be set, was null"),
        bad("url((Function) null)", () -> AwaitHttpStep.builder().url((Function<String, String>) null), "url must be set, was null"),
        bad("url(\"ftp://{host}/\")", () -> AwaitHttpStep.builder().url("ftp://{host}/"),
            "url must be an http or https URL, was 'ftp://{host}/'"),
        bad("expectStatus(0, 99)", () -> AwaitHttpStep.builder().expectStatus(0, 99),
            "expectStatus must be a range within 100..599, was 0..99"),
        bad("expectStatus(200, 600)", () -> AwaitHttpStep.builder().expectStatus(200, 600),
            "expectStatus must be a range within 100..599, was 200..600"),
        bad("expectStatus(300, 200)", () -> AwaitHttpStep.builder().expectStatus(300, 200),
            "expectStatus must be a range within 100..599, was 300..200"),
        bad("consecutiveSuccesses(0)", () -> AwaitHttpStep.builder().consecutiveSuccesses(0),
            "consecutiveSuccesses must be >= 1, was 0"),
        bad("interval(0)", () -> AwaitHttpStep.builder().interval(Duration.ZERO), "interval must be a positive duration, was PT0S"),
        bad("timeout(null)", () -> AwaitHttpStep.builder().timeout(null), "timeout must be a positive duration, was null"),
        bad("requestTimeout(-1 s)", () -> AwaitHttpStep.builder().requestTimeout(Duration.ofSeconds(-1)),
            "requestTimeout must be a positive duration, was PT-1S"),
        bad("maxAttempts(0)", () -> AwaitHttpStep.builder().maxAttempts(0), "maxAttempts must be >= 1, was 0"),
        bad("hostHeader(\"a b\")", () -> AwaitHttpStep.builder().hostHeader("a b"),
            "hostHeader must be a host name without spaces, was 'a b'"),
        bad("hostHeader(\"\")", () -> AwaitHttpStep.builder().hostHeader(""), "hostHeader must be a host name without spaces, was ''"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void setterRejectsABadValueAsItIsGiven(String call, ThrowingCallable setter, String message) {
    assertThatIllegalArgumentException().isThrownBy(setter).withMessage(message);
  }
}
