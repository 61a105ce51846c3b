package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.DisruptionBudget;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault drill: two deploy tools, each a process of its own, roll one service at the same moment,
 * behind a real HAProxy under steady client traffic. With the deploy lock, one rolls and the other
 * stops at once, naming the holder, having touched nothing. Without it, the disruption budget
 * still keeps them from ever taking out more hosts than it allows. The test thread samples the
 * flag directory every few milliseconds while they run.
 */
@Tag("drill") // long: run by .ci/run through -Pdrills
class ConcurrentRolloutsDrillTest {
  private static final Duration RUN_LIMIT = Duration.ofSeconds(45);

  private static Path haproxy;

  @BeforeAll
  static void findHaproxy() {
    haproxy = HaproxyRequirement.haproxy();
  }

  @Test
  void withTheDeployLockTheSecondRolloutFailsAtOnceNamingTheHolderAndTouchesNothing(@TempDir Path directory)
      throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      Map<String, Long> pidsBefore = fleet.pids();
      LoadGenerator load = Drills.load(fleet);

      try (ChildJvm a = Drills.orchestrator(fleet, "rollout-a", fleet.hosts(), "--lock-lease", "PT10S");
           ChildJvm b = Drills.orchestrator(fleet, "rollout-b", fleet.hosts(), "--lock-lease", "PT10S")) {
        Samples samples = Samples.watch(fleet.store(), List.of(a, b));
        LoadGenerator.Result traffic = load.stop();
        System.out.println(a.output() + b.output() + samples + "\nclient traffic: " + traffic);

        int exitA = a.awaitExit(Duration.ofSeconds(1));
        int exitB = b.awaitExit(Duration.ofSeconds(1));
        assertThat(List.of(exitA, exitB)).as("exit statuses of rollout-a and rollout-b\n%s%s", a.output(), b.output())
            .containsExactlyInAnyOrder(OrchestratorMain.COMPLETED, OrchestratorMain.LOCK_HELD);
        ChildJvm winner = exitA == OrchestratorMain.COMPLETED ? a : b;
        ChildJvm loser = winner == a ? b : a;
        String winnerId = winner == a ? "rollout-a" : "rollout-b";

        assertThat(loser.err()).as("what the loser says")
            .contains("the deploy lock of demo is held by '", "pid " + winner.pid() + "' (rollout " + winnerId + ")");
        assertThat(loser.out()).as("the loser's progress: it never started").isEmpty();
        assertThat(samples.exitOrder).as("who ended first").first().isEqualTo(loser.name());
        assertThat(samples.shuntOwners).as("whose shunts the flag directory held").containsExactly(winnerId);
        assertThat(samples.journalWriters).as("who wrote the journal").containsExactly(winnerId);
        assertThat(winner.out()).contains(fleet.hosts().stream().map(host -> host + ": DONE").toArray(String[]::new));
        assertThat(traffic.failed()).as("failed client requests: %s", traffic).isZero();
      }
      for (String host : fleet.hosts()) {
        assertThat(fleet.pid(host)).as("%s has a new process", host).isNotEqualTo(pidsBefore.get(host));
      }
    }
  }

  /**
   * The two tools roll different hosts of the service (two pipelines, one per half of the fleet):
   * the budget caps how many hosts are out at once, whoever shunts them. It does not stop two tools
   * from restarting the same host: that is the lock's job, above.
   */
  @Test
  void withoutTheLockTwoRolloutsShareTheDisruptionBudgetAndNeverExceedIt(@TempDir Path directory)
      throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 4, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      List<String> hosts = fleet.hosts();
      Map<String, Long> pidsBefore = fleet.pids();
      fleet.store().setBudget(DemoBackend.SERVICE, DisruptionBudget.ofHosts(1));
      LoadGenerator load = Drills.load(fleet);

      try (ChildJvm a = Drills.orchestrator(fleet, "rollout-a", hosts.subList(0, 2), "--no-lock");
           ChildJvm b = Drills.orchestrator(fleet, "rollout-b", hosts.subList(2, 4), "--no-lock")) {
        Samples samples = Samples.watch(fleet.store(), List.of(a, b));
        LoadGenerator.Result traffic = load.stop();
        System.out.println(a.output() + b.output() + samples + "\nclient traffic: " + traffic);

        assertThat(a.awaitExit(Duration.ofSeconds(1))).as("rollout-a's exit status\n%s", a.output()).isZero();
        assertThat(b.awaitExit(Duration.ofSeconds(1))).as("rollout-b's exit status\n%s", b.output()).isZero();
        assertThat(samples.maxShunted).as("most hosts shunted at once, in %d samples", samples.count).isEqualTo(1);
        assertThat(samples.shuntOwners).as("whose shunts the flag directory held")
            .containsExactly("rollout-a", "rollout-b");
        assertThat(a.out() + b.out()).as("a shunt waited for the budget")
            .contains("waiting for the disruption budget of demo (maxUnavailable 1)");
        assertThat(traffic.failed()).as("failed client requests: %s", traffic).isZero();
      }
      for (String host : hosts) {
        assertThat(fleet.pid(host)).as("%s has a new process", host).isNotEqualTo(pidsBefore.get(host));
        assertThat(fleet.store().status(fleet.key(host)).shunted()).as("%s is shunted", host).isFalse();
      }
    }
  }

  /** What the test thread saw in the flag directory while the orchestrators ran. */
  private static final class Samples {
    int count;
    int maxShunted;
    final Set<String> shuntOwners = new TreeSet<>();
    final Set<String> journalWriters = new TreeSet<>();
    final List<String> exitOrder = new ArrayList<>();
    final List<Long> exitMillis = new ArrayList<>();

    /** Samples {@code store} every few milliseconds until every orchestrator has exited. */
    static Samples watch(StatusStore store, List<ChildJvm> orchestrators) throws InterruptedException {
      Samples samples = new Samples();
      Map<String, ChildJvm> running = new LinkedHashMap<>();
      orchestrators.forEach(child -> running.put(child.name(), child));
      long start = System.nanoTime();
      long deadline = start + RUN_LIMIT.toNanos();
      while (!running.isEmpty() && System.nanoTime() < deadline) {
        Map<?, ShuntStatus> shunted = store.shuntedInstances(DemoBackend.SERVICE);
        samples.count++;
        samples.maxShunted = Math.max(samples.maxShunted, shunted.size());
        shunted.values().forEach(status -> samples.shuntOwners.add(status.owner()));
        store.journal(DemoBackend.SERVICE).forEach(entry -> samples.journalWriters.add(entry.rolloutId()));
        running.values().removeIf(child -> {
          if (child.isAlive()) {
            return false;
          }
          samples.exitOrder.add(child.name());
          samples.exitMillis.add((System.nanoTime() - start) / 1_000_000);
          return true;
        });
        Thread.sleep(5);
      }
      return samples;
    }

    @Override
    public String toString() {
      return count + " samples: at most " + maxShunted + " host(s) shunted at once; shunts by " + shuntOwners
          + "; journal written by " + journalWriters + "; exited in the order " + exitOrder + " after " + exitMillis
          + " ms";
    }
  }
}
