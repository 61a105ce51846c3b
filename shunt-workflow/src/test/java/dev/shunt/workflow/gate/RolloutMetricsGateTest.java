package dev.shunt.workflow.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.StatusStore;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.PreflightFailedException;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.gate.FakeFleet.Version;
import dev.shunt.workflow.gate.GateVerdict.Result;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The metrics gate in a rollout, on a fleet's counters without a fleet ({@link FakeFleet}): what
 * halts, what passes, what is never judged. shunt-examples runs the same behind a real HAProxy.
 */
class RolloutMetricsGateTest {
  private static final List<String> HOSTS = List.of("web-1", "web-2", "web-3", "web-4");
  private static final Version FIVE_PERCENT_ERRORS = new Version(20, 1);
  private static final Version FIVE_TIMES_SLOWER = new Version(0, 3);

  private final StatusStore store = StatusStore.inMemory();

  private static MetricsGate.Builder gate(FakeFleet fleet) {
    // A short bake for a quick suite; a long maxExtension so that a starved CPU, which reads the fleet
    // less often within the bake, extends it until the sample is whole rather than leaving it
    // unjudged (the tests of too few requests set their own).
    return MetricsGate.builder().source(fleet).bake(Duration.ofMillis(60)).checkInterval(Duration.ofMillis(10))
        .minRequests(100).maxExtension(Duration.ofSeconds(30));
  }

  private Rollout.Builder rollout(FakeFleet fleet, MetricsGate gate) {
    return Rollout.builder().service("checkout").hosts(HOSTS).store(store).listener(RolloutListener.silent())
        .step(fleet.restart()).gate(gate);
  }

  @Test
  void aVersionFailingFivePercentHaltsAfterTheCanaryNamingMetricValuesAndBaseline() {
    FakeFleet fleet = new FakeFleet(50, Version.GOOD, FIVE_PERCENT_ERRORS, HOSTS);

    RolloutReport report = rollout(fleet, gate(fleet).build()).canary(1).build().run();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.hosts(HostReport.Outcome.DONE)).containsExactly("web-1");
    assertThat(report.hosts(HostReport.Outcome.UNTOUCHED)).containsExactly("web-2", "web-3", "web-4");
    assertThat(report.haltReason()).contains("the gate after canary batch 1 (web-1) halted the rollout",
        "error rate 5.00 %", "on web-1 (just rolled) is above the maximum 1.00 %",
        "baseline: 0.00 % errors", "on web-2, web-3, web-4 (not yet rolled)");
    assertThat(report.gates()).singleElement().satisfies(verdict -> {
      assertThat(verdict.result()).isEqualTo(Result.HALTED);
      assertThat(verdict.candidate().errorRate()).isEqualTo(0.05);
      assertThat(verdict.baseline()).get().extracting(GateVerdict.Sample::errors).isEqualTo(0L);
    });
    assertThat(report.toJson()).contains("\"gates\":[{\"batch\":1,\"canary\":true,\"result\":\"HALTED\"");
  }

  @Test
  void theGateRecordsEachSidesRequestRateAndShareOf5xxWhileItWatchesForTheReportsChart() {
    FakeFleet fleet = new FakeFleet(50, Version.GOOD, FIVE_PERCENT_ERRORS, HOSTS);

    RolloutReport report = rollout(fleet, gate(fleet).build()).canary(1).build().run();

    GateVerdict verdict = report.gates().get(0);
    Map<String, List<RolloutReport.Sample>> series = report.samples().stream()
        .collect(Collectors.groupingBy(RolloutReport.Sample::series));
    assertThat(series).containsOnlyKeys("gate requests/s per host (just rolled)", "gate 5xx % (just rolled)",
        "gate requests/s per host (not yet rolled)", "gate 5xx % (not yet rolled)");
    assertThat(series.get("gate 5xx % (just rolled)")).extracting(RolloutReport.Sample::value)
        .allSatisfy(percent -> assertThat(percent).isBetween(0.0, 100.0)).anySatisfy(percent -> assertThat(percent)
            .isPositive());
    assertThat(series.get("gate 5xx % (not yet rolled)")).extracting(RolloutReport.Sample::value).containsOnly(0.0);
    assertThat(series.get("gate requests/s per host (not yet rolled)")).extracting(RolloutReport.Sample::value)
        .allSatisfy(rate -> assertThat(rate).isPositive());
    assertThat(report.samples()).allSatisfy(sample -> assertThat(sample.at())
        .isBetween(verdict.start(), verdict.start().plus(verdict.baked()).plusSeconds(1)));
    assertThat(verdict.start()).isAfterOrEqualTo(report.hosts().get(0).steps().get(0).end());
  }

  @Test
  void aGoodVersionPassesEveryBatchTheLastAgainstItsHostsBeforeTheirRestart() {
    FakeFleet fleet = new FakeFleet(50, Version.GOOD, Version.GOOD, HOSTS);

    RolloutReport report = rollout(fleet, gate(fleet).build()).batchSize(2).build().run();

    assertThat(report.succeeded()).as(report.summary()).isTrue();
    assertThat(report.gates()).extracting(GateVerdict::result).containsExactly(Result.PASSED, Result.PASSED);
    assertThat(report.gates().get(0).baseline()).get().extracting(GateVerdict.Sample::side).isEqualTo("not yet rolled");
    assertThat(report.gates().get(1).baseline()).get().satisfies(baseline -> {
      assertThat(baseline.side()).isEqualTo("before their restart");
      assertThat(baseline.hosts()).containsExactly("web-3", "web-4");
    });
  }

  @Test
  void aBadVersionOnTheLastBatchHaltsTheRolloutThoughEveryHostIsDone() {
    FakeFleet fleet = new FakeFleet(50, Version.GOOD, FIVE_PERCENT_ERRORS, HOSTS);

    RolloutReport report = rollout(fleet, gate(fleet).build()).batchSize(4).build().run();

    assertThat(report.hosts(HostReport.Outcome.DONE)).containsExactlyElementsOf(HOSTS);
    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.succeeded()).isFalse();
    assertThat(report.haltReason()).contains("on web-1, web-2, web-3, web-4 (just rolled) is above the maximum 1.00 %",
        "baseline: none; no baseline with 100 requests");
  }

  @Test
  void tooFewRequestsNeverHaltOnOneErrorAndPassWithANote() {
    FakeFleet fleet = new FakeFleet(1, Version.GOOD, new Version(1, 1), HOSTS);

    RolloutReport report = rollout(fleet, gate(fleet).maxExtension(Duration.ofMillis(30)).build()).canary(1)
        .build().run();

    assertThat(report.succeeded()).as(report.summary()).isTrue();
    assertThat(report.gates()).allSatisfy(verdict -> {
      assertThat(verdict.result()).isEqualTo(Result.PASSED_UNJUDGED);
      assertThat(verdict.reason()).contains("too few requests to judge", "fewer than the 100 required");
    });
  }

  @Test
  void tooFewRequestsHaltWhenSoConfigured() {
    FakeFleet fleet = new FakeFleet(1, Version.GOOD, Version.GOOD, HOSTS);

    RolloutReport report = rollout(fleet, gate(fleet).maxExtension(Duration.ZERO)
        .tooFewRequests(MetricsGate.TooFewRequests.HALT).build()).build().run();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.hosts(HostReport.Outcome.DONE)).containsExactly("web-1");
    assertThat(report.haltReason()).contains("too few requests to judge", "tooFewRequests HALT");
  }

  @Test
  void aVersionFiveTimesSlowerAtP99HaltsOnLatencyWhenSoConfigured() {
    FakeFleet fleet = new FakeFleet(50, Version.GOOD, FIVE_TIMES_SLOWER, HOSTS);

    RolloutReport withoutThreshold = rollout(fleet, gate(fleet).build()).canary(1).build().run();
    assertThat(withoutThreshold.succeeded()).as(withoutThreshold.summary()).isTrue();

    FakeFleet again = new FakeFleet(50, Version.GOOD, FIVE_TIMES_SLOWER, HOSTS);
    RolloutReport report = rollout(again, gate(again).maxLatencyRatio(2.0).build()).canary(1).build().run();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.hosts(HostReport.Outcome.DONE)).containsExactly("web-1");
    assertThat(report.haltReason()).contains("p99 latency 49.8 ms on web-1 (just rolled) is 5.00x the baseline's 10.0 ms,"
        + " above the maximum 2.0x");
  }

  @Test
  void anErrorRatioLetsAFleetThatAlreadyFailsRollAVersionThatFailsNoMore() {
    FakeFleet fleet = new FakeFleet(50, FIVE_PERCENT_ERRORS, FIVE_PERCENT_ERRORS, HOSTS);

    RolloutReport strict = rollout(fleet, gate(fleet).build()).canary(1).build().run();
    assertThat(strict.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);

    RolloutReport relative = rollout(fleet, gate(fleet).maxErrorRatio(2.0).build()).canary(1).build().run();
    assertThat(relative.succeeded()).as(relative.summary()).isTrue();
    assertThat(relative.gates().get(0).reason()).contains("is above the maximum 1.00 % but within 2.0x the baseline's");
  }

  @Test
  void aSourceThatCannotBeReadIsAPreflightErrorAndNothingIsTouched() {
    FakeFleet fleet = new FakeFleet(50, Version.GOOD, Version.GOOD, HOSTS);
    fleet.failFromRead = 1;

    assertThatThrownBy(() -> rollout(fleet, gate(fleet).build()).build().start())
        .isInstanceOfSatisfying(PreflightFailedException.class, refused -> assertThat(refused.problems())
            .singleElement().satisfies(problem -> {
              assertThat(problem.host()).isEqualTo("web-1");
              assertThat(problem.step()).isEqualTo("metrics-gate");
              assertThat(problem.message()).contains("the metrics gate cannot read fake fleet", "connection refused");
            }));
    assertThat(store.journal("checkout")).isEmpty();
  }

  @Test
  void aSourceThatFailsMidRolloutHaltsRatherThanGuesses() {
    FakeFleet fleet = new FakeFleet(50, Version.GOOD, Version.GOOD, HOSTS);
    fleet.failFromRead = 4;

    RolloutReport report = rollout(fleet, gate(fleet).build()).build().run();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.hosts(HostReport.Outcome.DONE)).containsExactly("web-1");
    assertThat(report.haltReason()).contains("the metrics cannot be read", "does not guess", "connection refused");
  }

  @Test
  void thePlanShowsTheGate() {
    FakeFleet fleet = new FakeFleet(50, Version.GOOD, Version.GOOD, HOSTS);

    String plan = rollout(fleet, gate(fleet).maxLatencyRatio(2.0).build()).build().plan().toText();

    assertThat(plan).contains("Gate: metrics gate after each batch: fake fleet; bake PT0.06S (canary PT0.12S)",
        "halts above 1.00 % errors, or p99 latency above 2.0x the baseline's", "judges at least 100 requests a side");
  }
}
