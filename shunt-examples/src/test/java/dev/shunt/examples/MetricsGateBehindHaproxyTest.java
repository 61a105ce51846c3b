package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.Step;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RollbackReport;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.gate.GateVerdict;
import dev.shunt.workflow.gate.HaproxyMetricsSource;
import dev.shunt.workflow.gate.MetricsGate;
import dev.shunt.workflow.gate.PrometheusMetricsSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics gate behind a real HAProxy, under client traffic: three demo backends, a "new
 * version" deployed by the rollout's restarts ({@link DemoFleet#deploy}), a canary, and a gate
 * that reads HAProxy's own per-server counters (or the backends' Prometheus endpoints) for a bake
 * of a few seconds after each batch (HAProxy's average response time needs a longer one).
 */
class MetricsGateBehindHaproxyTest {
  private static final Duration LOAD_LIMIT = Duration.ofMinutes(2);

  private static Path haproxy;

  @BeforeAll
  static void findHaproxy() {
    haproxy = HaproxyRequirement.haproxy();
  }

  private static MetricsGate.Builder haproxyGate(DemoFleet fleet) {
    return MetricsGate.builder()
        .source(HaproxyMetricsSource.builder().runtimeApi(fleet.haproxy().orElseThrow().runtimeApi())
            .backend(Haproxy.BACKEND).build())
        .bake(Duration.ofSeconds(3)).canaryBake(Duration.ofSeconds(3)).checkInterval(Duration.ofMillis(250))
        .minRequests(100);
  }

  @Test
  void aVersionAnsweringFivePercentWith500HaltsAfterTheCanary(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      LoadGenerator load = Drills.load(fleet);
      fleet.deploy("--errors-every=20");

      RolloutReport report = fleet.rollout().listener(RolloutListener.console(System.out)).canary(1)
          .gate(haproxyGate(fleet).build()).build().run();
      LoadGenerator.Result traffic = load.stop();
      System.out.println("client traffic: " + traffic);

      String canary = fleet.hosts().get(0);
      assertThat(report.outcome()).as(report.summary()).isEqualTo(RolloutReport.Outcome.HALTED);
      assertThat(report.hosts(HostReport.Outcome.DONE)).containsExactly(canary);
      assertThat(report.hosts(HostReport.Outcome.UNTOUCHED)).containsExactlyElementsOf(fleet.hosts().subList(1, 3));
      assertThat(report.haltReason()).contains("the gate after canary batch 1 (" + canary + ") halted the rollout",
          "error rate ", "answered 5xx) on " + canary + " (just rolled) is above the maximum 1.00 %",
          "baseline: 0.00 % errors", "on " + fleet.hosts().get(1) + ", " + fleet.hosts().get(2) + " (not yet rolled)",
          "source haproxy");
      assertThat(report.gates()).singleElement().satisfies(verdict -> {
        assertThat(verdict.result()).isEqualTo(GateVerdict.Result.HALTED);
        assertThat(verdict.candidate().requests()).isGreaterThanOrEqualTo(100);
        assertThat(verdict.candidate().errorRate()).isBetween(0.03, 0.07);
      });
      assertThat(traffic.failuresByKind()).as("the only failures are the new version's 500s: the rollout itself"
          + " lost no request").containsOnlyKeys("HTTP 500");
    }
  }

  @Test
  void aBadVersionHaltedByTheGateIsRolledBackAndEveryHostEndsOnTheOldOne(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      List<String> hosts = fleet.hosts();
      LoadGenerator load = Drills.load(fleet);
      fleet.deploy("--errors-every=20");
      // The old version: the plain backend, version 1.
      Step rollback = Step.named("rollback", context -> {
        fleet.deploy("");
        fleet.deployStep("rollback", "1").run(context);
      });

      RolloutReport report = fleet.rollout()
          .steps(List.of(ShuntStep.shunt(DemoFleet.SHUNT), fleet.drainStep(), fleet.deployStep("restart", "2"),
              DemoFleet.readinessStep(), ShuntStep.unshunt(), fleet.rotationStep()))
          .rollback(rollback).restartStep("restart")
          .listener(RolloutListener.console(System.out)).canary(1).gate(haproxyGate(fleet).build()).build().run();
      LoadGenerator.Result traffic = load.stop();
      System.out.println("client traffic: " + traffic);

      String canary = hosts.get(0);
      assertThat(report.outcome()).as(report.summary()).isEqualTo(RolloutReport.Outcome.HALTED);
      assertThat(report.haltReason()).contains("the gate after canary batch 1 (" + canary + ") halted the rollout",
          "is above the maximum 1.00 %");
      RollbackReport back = report.rollback().orElseThrow();
      assertThat(back.outcome()).as(report.summary()).isEqualTo(RollbackReport.Outcome.COMPLETED);
      assertThat(back.rolledBack()).containsExactly(canary);
      for (String host : hosts) {
        assertThat(fleet.version(host)).as("%s after the rollback", host).isEqualTo("1");
        assertThat(fleet.store().status(fleet.key(host)).shunted()).as("%s is unshunted", host).isFalse();
      }
      assertThat(fleet.haproxy().orElseThrow().serverStates()).as("every backend is in rotation in HAProxy")
          .containsOnlyKeys(hosts).allSatisfy((server, state) -> assertThat(state).isEqualTo("UP"));
      assertThat(traffic.failuresByKind()).as("the only failures are the bad version's own 500s: neither the"
          + " rollout nor the rollback lost a request").containsOnlyKeys("HTTP 500");
    }
  }

  @Test
  void aGoodVersionRollsThroughEveryGate(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      LoadGenerator load = Drills.load(fleet);

      RolloutReport report = fleet.rollout().listener(RolloutListener.console(System.out)).canary(1)
          .gate(haproxyGate(fleet).bake(Duration.ofSeconds(2)).canaryBake(Duration.ofSeconds(2)).build()).build().run();
      LoadGenerator.Result traffic = load.stop();

      assertThat(report.succeeded()).as(report.summary()).isTrue();
      assertThat(report.gates()).extracting(GateVerdict::result).containsExactly(GateVerdict.Result.PASSED,
          GateVerdict.Result.PASSED, GateVerdict.Result.PASSED);
      assertThat(report.gates().get(2).baseline()).get().extracting(GateVerdict.Sample::side)
          .isEqualTo("before their restart");
      assertThat(traffic.failed()).as("failed client requests: %s", traffic).isZero();
    }
  }

  @Test
  @Tag("drill") // long: run by .ci/run through -Pdrills
  void trafficBelowTheMinimumSampleNeverHaltsOnItsErrors(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      LoadGenerator load = LoadGenerator.start(fleet.clientUrl(), 20, LOAD_LIMIT);
      fleet.deploy("--errors-every=10");

      RolloutReport report = fleet.rollout().listener(RolloutListener.console(System.out)).canary(1)
          .gate(haproxyGate(fleet).minRequests(500).bake(Duration.ofSeconds(2)).canaryBake(Duration.ofSeconds(2))
              .maxExtension(Duration.ofSeconds(1)).build()).build().run();
      load.stop();

      assertThat(report.succeeded()).as(report.summary()).isTrue();
      assertThat(report.gates()).hasSize(3).allSatisfy(verdict -> {
        assertThat(verdict.result()).isEqualTo(GateVerdict.Result.PASSED_UNJUDGED);
        assertThat(verdict.reason()).contains("too few requests to judge", "fewer than the 500 required");
      });
      assertThat(report.gates()).as("the bad version's errors were there, and did not halt")
          .anySatisfy(verdict -> assertThat(verdict.candidate().errors()).isPositive());
    }
  }

  @Test
  @Tag("drill") // long: run by .ci/run through -Pdrills
  void aVersionSeveralTimesSlowerHaltsOnHaproxysAverageResponseTimeWhenSoConfigured(@TempDir Path directory)
      throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      // HAProxy's rtime averages each server's last 1024 responses: at 450 requests a second on three
      // servers, a window holds that many on every server after about 7 s, and the gate judges then.
      // 60 ms more stays above 3x a baseline that a loaded machine slows to several milliseconds.
      LoadGenerator load = LoadGenerator.start(fleet.clientUrl(), 450, LOAD_LIMIT, 32, Duration.ofSeconds(3));
      RollingRestartBehindHaproxyTest.awaitRequests(load, 100);
      fleet.deploy("--extra-ms=60");
      MetricsGate gate = haproxyGate(fleet).bake(Duration.ofSeconds(30)).canaryBake(Duration.ofSeconds(30))
          .maxLatencyRatio(3.0).build();

      RolloutReport report = fleet.rollout().listener(RolloutListener.console(System.out)).canary(1).gate(gate)
          .build().run();
      LoadGenerator.Result traffic = load.stop();

      String canary = fleet.hosts().get(0);
      assertThat(report.outcome()).as(report.summary()).isEqualTo(RolloutReport.Outcome.HALTED);
      assertThat(report.hosts(HostReport.Outcome.DONE)).containsExactly(canary);
      assertThat(report.haltReason()).contains("average response time (HAProxy rtime) ", "on " + canary
          + " (just rolled) is", "above the maximum 3.0x", "error rate 0.00 %", "(not yet rolled)", "source haproxy");
      assertThat(report.gates()).singleElement().satisfies(verdict -> {
        assertThat(verdict.result()).isEqualTo(GateVerdict.Result.HALTED);
        assertThat(verdict.candidate().requests()).isGreaterThanOrEqualTo(1024);
        assertThat(verdict.candidate().latency()).get().satisfies(latency -> assertThat(latency)
            .isGreaterThanOrEqualTo(Duration.ofMillis(60)));
        assertThat(verdict.baseline()).get().satisfies(baseline -> assertThat(baseline.latency()).isPresent());
      });
      assertThat(report.toHtml()).contains("<rect class=\"gate g-HALTED\"", "data-series=\"gate requests/s per host"
          + " (just rolled)\"");
      assertThat(traffic.failed()).as("failed client requests: %s", traffic).isZero();
    }
  }

  @Test
  @Tag("drill") // long: run by .ci/run through -Pdrills
  void aVersionSeveralTimesSlowerAtP99HaltsOnLatencyWhenSoConfigured(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      LoadGenerator load = LoadGenerator.start(fleet.clientUrl(), 250, LOAD_LIMIT, 16, Duration.ofSeconds(3));
      RollingRestartBehindHaproxyTest.awaitRequests(load, 100);
      fleet.deploy("--extra-ms=100");
      MetricsGate gate = MetricsGate.builder()
          .source(PrometheusMetricsSource.builder().url("http://{host}/metrics").requests("http_requests_total")
              .statusLabel("code").histogram("http_request_duration_seconds").build())
          .bake(Duration.ofSeconds(3)).canaryBake(Duration.ofSeconds(3)).checkInterval(Duration.ofMillis(250))
          .minRequests(100).maxLatencyRatio(2.0).build();

      RolloutReport report = fleet.rollout().listener(RolloutListener.console(System.out)).canary(1).gate(gate)
          .build().run();
      LoadGenerator.Result traffic = load.stop();

      String canary = fleet.hosts().get(0);
      assertThat(report.outcome()).as(report.summary()).isEqualTo(RolloutReport.Outcome.HALTED);
      assertThat(report.hosts(HostReport.Outcome.DONE)).containsExactly(canary);
      assertThat(report.haltReason()).contains("p99 latency ", "on " + canary + " (just rolled) is",
          "above the maximum 2.0x", "error rate 0.00 %", "(not yet rolled)", "source prometheus http://{host}/metrics");
      assertThat(traffic.failed()).as("failed client requests: %s", traffic).isZero();
    }
  }
}
