package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RollbackReport;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy that halts mid-way and rolls back, behind a real HAProxy under steady client traffic:
 * three demo backends on version 1; the rollout deploys version 2 and, after its second host, a
 * check between batches (standing for an error-rate gate) halts it. The rollback puts the second
 * host, then the first, back on version 1 through the same shunt, drain, readiness, unshunt and
 * rotation steps. Every host ends on version 1, in rotation, and no client request fails.
 */
class RollbackBehindHaproxyTest {
  private static Path haproxy;

  @BeforeAll
  static void findHaproxy() {
    haproxy = HaproxyRequirement.haproxy();
  }

  @Test
  void haltAfterTheSecondHostRollsBackBothNewestFirstWithNoFailedRequest(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      List<String> hosts = fleet.hosts();
      for (String host : hosts) {
        assertThat(fleet.version(host)).as("%s before the deploy", host).isEqualTo("1");
      }
      Map<String, Long> pidsBefore = fleet.pids();
      Map<String, String> deployed = new ConcurrentHashMap<>();
      LoadGenerator load = Drills.load(fleet);

      RolloutReport report = fleet.rollout()
          .steps(List.of(
              ShuntStep.shunt(DemoFleet.SHUNT),
              fleet.drainStep(),
              fleet.deployStep("restart", "2"),
              DemoFleet.readinessStep(),
              ShuntStep.unshunt(),
              fleet.rotationStep()))
          .rollback(fleet.deployStep("rollback", "1"))
          .afterEachBatch((batch, done) -> {
            for (String host : batch.hosts()) {
              deployed.put(host, fleet.version(host));
            }
            if (batch.number() == 2) {
              throw new IllegalStateException("version 2 answers 5% of its requests with 500");
            }
          })
          .listener(RolloutListener.console(System.out))
          .build().run();
      LoadGenerator.Result traffic = load.stop();
      System.out.println("client traffic: " + traffic);

      assertThat(report.outcome()).as(report.summary()).isEqualTo(RolloutReport.Outcome.HALTED);
      assertThat(report.haltReason()).contains("version 2 answers 5% of its requests with 500");
      assertThat(report.hosts(HostReport.Outcome.DONE)).containsExactly(hosts.get(0), hosts.get(1));
      assertThat(deployed).as("the versions the rollout deployed, before the halt")
          .containsOnly(Map.entry(hosts.get(0), "2"), Map.entry(hosts.get(1), "2"));
      RollbackReport rollback = report.rollback().orElseThrow();
      assertThat(rollback.outcome()).as(report.summary()).isEqualTo(RollbackReport.Outcome.COMPLETED);
      assertThat(rollback.rolledBack()).containsExactly(hosts.get(1), hosts.get(0));
      assertThat(report.summary()).contains("rolled back 2 host(s) (" + hosts.get(1) + ", " + hosts.get(0) + ")");
      for (String host : hosts) {
        assertThat(fleet.version(host)).as("%s after the rollback", host).isEqualTo("1");
        assertThat(fleet.store().status(fleet.key(host)).shunted()).as("%s is unshunted", host).isFalse();
      }
      assertThat(fleet.pid(hosts.get(2))).as("the host never reached keeps its process")
          .isEqualTo(pidsBefore.get(hosts.get(2)));
      assertThat(traffic.failed()).as("failed client requests: %s", traffic).isZero();
      assertThat(fleet.haproxy().orElseThrow().serverStates())
          .as("every backend is back in rotation in HAProxy")
          .containsOnlyKeys(hosts)
          .allSatisfy((server, state) -> assertThat(state).isEqualTo("UP"));
    }
  }
}
