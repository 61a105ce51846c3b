package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StepDescriptionTest {

  @Test
  void defaultDescriptionIsTheNameOfKindOtherWithoutTimeLimit() {
    StepDescription description = Step.named("probe", context -> { }).describe();

    assertThat(description.name()).isEqualTo("probe");
    assertThat(description.kind()).isEqualTo(StepDescription.Kind.OTHER);
    assertThat(description.timeout()).isEmpty();
    assertThat(description.settings()).isEmpty();
  }

  @Test
  void settingsKeepTheirOrderAndCopiesLeaveTheOriginalAlone() {
    StepDescription base = StepDescription.of("drain", StepDescription.Kind.DRAIN);

    StepDescription full = base.withTimeout(Duration.ofSeconds(30)).with("times", 3).with("minCheckers", 1);

    assertThat(full.settings()).containsExactly(
        java.util.Map.entry("times", "3"), java.util.Map.entry("minCheckers", "1"));
    assertThat(full).hasToString("drain [DRAIN] timeout=PT30S times=3 minCheckers=1");
    assertThat(base.settings()).isEmpty();
    assertThat(base.timeout()).isEmpty();
  }
}
