package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.lb.HaproxyLoadBalancer;
import dev.shunt.workflow.lb.LoadBalancerStep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end proof of the drain through HAProxy's runtime API: a real HAProxy in front of
 * three demo backends (separate JVMs), steady client traffic through it, and a rolling restart of
 * every backend that takes each server out with {@code set server … state drain}, waits until
 * {@code show stat} shows no session, restarts, waits for readiness, and puts it back with
 * {@code state ready} — no health-check shunt at all. The control restarts every backend with no
 * drain and must lose requests.
 */
class DrainThroughRuntimeApiBehindHaproxyTest {
  private static final int REQUESTS_PER_SECOND = 250;
  private static final Duration LOAD_LIMIT = Duration.ofMinutes(2);

  private static Path haproxy;

  @BeforeAll
  static void findHaproxy() {
    haproxy = HaproxyRequirement.haproxy();
  }

  private static Rollout.Builder rollout(DemoFleet fleet, boolean drain) {
    HaproxyLoadBalancer lb = HaproxyLoadBalancer.builder().runtimeApi(fleet.haproxy().orElseThrow().runtimeApi())
        .backend(Haproxy.BACKEND).build();
    Rollout.Builder rollout = Rollout.builder().service(DemoBackend.SERVICE).hosts(fleet.hosts()).store(fleet.store())
        .listener(RolloutListener.console(System.out));
    if (drain) {
      rollout.step(LoadBalancerStep.takeOut().loadBalancer(lb).build());
    }
    rollout.step(fleet.restartStep())
        .step(AwaitHttpStep.builder().url("http://{host}/").interval(Duration.ofMillis(100)).timeout(Duration.ofSeconds(30)).build());
    if (drain) {
      rollout.step(LoadBalancerStep.putBack().loadBalancer(lb).build());
    } else {
      // Without a drain, wait until HAProxy has the server UP again, so that the control restarts
      // one host at a time as the rollout does.
      rollout.step(LoadBalancerStep.putBack().name("await-up").loadBalancer(lb).build());
    }
    return rollout;
  }

  @Test
  void rollingRestartDrainedThroughTheRuntimeApiLosesNoRequest(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      Map<String, Long> pidsBefore = fleet.pids();
      LoadGenerator load = LoadGenerator.start(fleet.clientUrl(), REQUESTS_PER_SECOND, LOAD_LIMIT);
      RollingRestartBehindHaproxyTest.awaitRequests(load, 100);

      RolloutReport report = rollout(fleet, true).build().run();
      LoadGenerator.Result traffic = load.stop();
      System.out.println("client traffic, drain through the runtime API: " + traffic);

      assertThat(report.succeeded()).as(report.summary()).isTrue();
      assertThat(report.hosts(HostReport.Outcome.DONE)).containsExactlyElementsOf(fleet.hosts());
      assertThat(traffic.failed()).as("failed client requests: %s", traffic).isZero();
      assertThat(traffic.rate()).as("client requests per second").isGreaterThanOrEqualTo(200);
      for (String host : fleet.hosts()) {
        assertThat(fleet.pid(host)).as("%s has a new process", host).isNotEqualTo(pidsBefore.get(host));
        assertThat(fleet.store().status(fleet.key(host)).shunted()).as("%s was never shunted", host).isFalse();
      }
      assertThat(fleet.haproxy().orElseThrow().settledServerStates(Duration.ofSeconds(10))).as("every backend is back in rotation in HAProxy")
          .containsOnlyKeys(fleet.hosts()).allSatisfy((server, state) -> assertThat(state).isEqualTo("UP"));
    }
  }

  /** The control: the same rolling restart without the take-out must lose requests, or the test above proves nothing. */
  @Test
  void rollingRestartWithoutAnyDrainLosesRequests(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      LoadGenerator load = LoadGenerator.start(fleet.clientUrl(), REQUESTS_PER_SECOND, LOAD_LIMIT);
      RollingRestartBehindHaproxyTest.awaitRequests(load, 100);

      RolloutReport report = rollout(fleet, false).build().run();
      LoadGenerator.Result traffic = load.stop();
      System.out.println("client traffic, no drain: " + traffic);

      assertThat(report.succeeded()).as(report.summary()).isTrue();
      assertThat(traffic.failed()).as("requests failed while the backends restarted undrained").isPositive();
    }
  }
}
