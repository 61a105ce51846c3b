package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

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
}
