package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckerReportTest {
  private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void consecutiveBelowOneIsRejectedNamingTheValue() {
    assertThatThrownBy(() -> new CheckerReport("10.0.0.1", true, 0, AT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("consecutive must be >= 1, was 0");
  }

  @Test
  void threeNacksInARowMeetAFallOfThreeButNotFour() {
    CheckerReport report = new CheckerReport("10.0.0.1", true, 3, AT);

    assertThat(report.nackedAtLeast(3)).isTrue();
    assertThat(report.nackedAtLeast(4)).isFalse();
    assertThat(report.ackedAtLeast(1)).isFalse();
  }

  @Test
  void twoAcksInARowMeetARiseOfTwoButNotThree() {
    CheckerReport report = new CheckerReport("10.0.0.1", false, 2, AT);

    assertThat(report.ackedAtLeast(2)).isTrue();
    assertThat(report.ackedAtLeast(3)).isFalse();
    assertThat(report.nackedAtLeast(1)).isFalse();
  }

  @Test
  void oneNackOfACheckerThatAppliesAnswersAtOnceMeetsAnyFall() {
    CheckerReport report = new CheckerReport("agent:10.0.0.1", true, 1, AT, 0, true);

    assertThat(report.nackedAtLeast(3)).isTrue();
    assertThat(report.nackedAtLeast(10)).isTrue();
    assertThat(report.ackedAtLeast(1)).isFalse();
  }

  @Test
  void oneAckOfACheckerThatAppliesAnswersAtOnceMeetsAnyRise() {
    CheckerReport report = new CheckerReport("agent:10.0.0.1", false, 1, AT, 0, true);

    assertThat(report.ackedAtLeast(2)).isTrue();
    assertThat(report.nackedAtLeast(1)).isFalse();
  }

  @Test
  void reportWithoutTheFlagIsOfACheckerThatCountsAnswersInARow() {
    assertThat(new CheckerReport("10.0.0.1", true, 1, AT, 0).appliesAtOnce()).isFalse();
    assertThat(new CheckerReport("10.0.0.1", true, 1, AT).appliesAtOnce()).isFalse();
  }

  @Test
  void inFlightRewriteKeepsTheFlag() {
    CheckerReport report = new CheckerReport("agent:10.0.0.1", true, 1, AT, 2, true);

    assertThat(report.withInFlight(0, AT.plusSeconds(1)))
        .isEqualTo(new CheckerReport("agent:10.0.0.1", true, 1, AT.plusSeconds(1), 0, true));
  }

  @Test
  void inFlightCountIsTheCountWhenTheResponderCountsRequests() {
    assertThat(new CheckerReport("10.0.0.1", true, 1, AT, 3).inFlightCount()).hasValue(3);
    assertThat(new CheckerReport("10.0.0.1", true, 1, AT, 0).inFlightCount()).hasValue(0);
  }

  @Test
  void inFlightCountIsEmptyWhenTheResponderDoesNotCountRequests() {
    CheckerReport report = new CheckerReport("10.0.0.1", true, 1, AT);

    assertThat(report.inFlightCount()).isEmpty();
    assertThat(report.inFlight()).isEqualTo(-1);
  }

  @Test
  void inFlightBelowMinusOneIsRejectedNamingTheValue() {
    assertThatThrownBy(() -> new CheckerReport("10.0.0.1", true, 1, AT, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inFlight must be >= 0, or -1 for unknown, was -2");
  }
}
