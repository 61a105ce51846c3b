package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.shunt.DeployLock;
import dev.shunt.JournalEntry;
import dev.shunt.LockGrant;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault drill: the process running a rollout is killed with SIGKILL while a host is shunted — no
 * shutdown hook, no {@code finally}, nothing cleaned up. What it left must undo itself: the shunt
 * ends with its time to live, the deploy lock with its lease; and a new process, resuming from the
 * journal, finishes the rollout. Real HAProxy, real backend processes, steady client traffic
 * throughout, not one request failed.
 */
@Tag("drill") // long: run by .ci/run through -Pdrills
class OrchestratorKilledDrillTest {
  private static final Duration SHUNT_TTL = Duration.ofSeconds(4);
  private static final Duration LOCK_LEASE = Duration.ofSeconds(4);
  /** What HAProxy needs to see a host up again once its health check answers up: {@code rise} checks. */
  private static final Duration RISE = Duration.ofMillis((long) Haproxy.RISE * Haproxy.INTER_MILLIS);
  /** Room for this test's polling and a busy machine on top of a lease or a check period. */
  private static final Duration SLACK = Duration.ofSeconds(1);

  private static Path haproxy;

  @BeforeAll
  static void findHaproxy() {
    haproxy = HaproxyRequirement.haproxy();
  }

  @Test
  void killedOrchestratorLeavesAShuntAndALockThatLapseAndAResumedRunFinishesLosingNoRequest(@TempDir Path directory)
      throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      List<String> hosts = fleet.hosts();
      String first = hosts.get(0);
      String second = hosts.get(1);
      String third = hosts.get(2);
      Map<String, Long> pidsBefore = fleet.pids();
      StatusStore store = fleet.store();
      DeployLock lock = DeployLock.flagFiles(fleet.flagDirectory());
      Haproxy proxy = fleet.haproxy().orElseThrow();
      LoadGenerator load = Drills.load(fleet);

      Instant killedAt;
      LockGrant left;
      try (ChildJvm killed = Drills.orchestrator(fleet, "killed", hosts, "--shunt-ttl", SHUNT_TTL.toString(),
          "--lock-lease", LOCK_LEASE.toString(), "--resume")) {
        Drills.await(Duration.ofSeconds(30), () -> "the orchestrator to shunt " + second + "\n" + killed.output(),
            () -> state(store, second) == JournalEntry.State.STARTED && store.status(fleet.key(second)).shunted());
        killed.kill();
        killedAt = Instant.now();
        System.out.println("killed the orchestrator (pid " + killed.pid() + ") with SIGKILL; it had printed:\n"
            + killed.out());

        left = lock.holder(DemoBackend.SERVICE).orElseThrow();
        assertThat(left.owner()).as("the lock's holder").endsWith("pid " + killed.pid());
      }

      ShuntStatus leftShunted = store.status(fleet.key(second));
      Instant shuntEnds = leftShunted.expiry().orElseThrow();
      Instant lockEnds = left.expiresAt();
      assertThat(leftShunted.shunted()).as("%s is left shunted", second).isTrue();
      assertThat(Duration.between(killedAt, shuntEnds)).as("the shunt's time left").isLessThanOrEqualTo(SHUNT_TTL);
      assertThat(Duration.between(killedAt, lockEnds)).as("the lock's lease left").isLessThanOrEqualTo(LOCK_LEASE);
      assertThat(store.journal(DemoBackend.SERVICE))
          .extracting(JournalEntry::rolloutId, JournalEntry::host, JournalEntry::state)
          .containsExactlyInAnyOrder(
              tuple("killed", first, JournalEntry.State.DONE),
              tuple("killed", second, JournalEntry.State.STARTED));

      // Nobody lifts anything: watch the lease and the shunt run out by themselves.
      Instant lockFreeAt = null;
      Instant downSeenAt = null;
      Instant backUpAt = null;
      Instant deadline = shuntEnds.plus(RISE).plus(SLACK).plus(SLACK);
      while ((lockFreeAt == null || backUpAt == null) && Instant.now().isBefore(deadline)) {
        if (lockFreeAt == null && lock.holder(DemoBackend.SERVICE).isEmpty()) {
          lockFreeAt = Instant.now();
        }
        String state = proxy.serverStates().get(second);
        if (downSeenAt == null && state.startsWith("DOWN")) {
          downSeenAt = Instant.now();
        } else if (downSeenAt != null && backUpAt == null && state.equals("UP")) {
          backUpAt = Instant.now();
        }
        Thread.sleep(10);
      }
      System.out.printf("after the kill: HAProxy had %s DOWN at +%d ms; lock free at +%d ms (lease end +%d ms);"
              + " shunt ended at +%d ms, HAProxy UP at +%d ms%n", second, millis(killedAt, downSeenAt),
          millis(killedAt, lockFreeAt), millis(killedAt, lockEnds), millis(killedAt, shuntEnds),
          millis(killedAt, backUpAt));
      assertThat(downSeenAt).as("HAProxy took %s out while it was shunted", second).isNotNull()
          .isBefore(shuntEnds);
      assertThat(lockFreeAt).as("the lock is free once its lease ended").isNotNull()
          .isBefore(lockEnds.plus(SLACK));
      assertThat(lock.holder(DemoBackend.SERVICE)).as("the lock's holder").isEmpty();
      assertThat(backUpAt).as("HAProxy has %s UP again once its shunt ended", second).isNotNull()
          .isAfterOrEqualTo(shuntEnds).isBefore(shuntEnds.plus(RISE).plus(SLACK));
      assertThat(store.status(fleet.key(second)).shunted()).as("%s is shunted", second).isFalse();
      assertThat(fleet.pid(second)).as("%s was not restarted by the killed run", second)
          .isEqualTo(pidsBefore.get(second));

      try (ChildJvm resumed = Drills.orchestrator(fleet, "resumed", hosts, "--shunt-ttl", SHUNT_TTL.toString(),
          "--lock-lease", LOCK_LEASE.toString(), "--resume")) {
        int exit = resumed.awaitExit(Duration.ofSeconds(40));
        LoadGenerator.Result traffic = load.stop();
        System.out.println(resumed.output());
        System.out.println("client traffic through the whole drill: " + traffic);

        assertThat(exit).as("the resumed run's exit status\n%s", resumed.output()).isZero();
        assertThat(resumed.out()).contains(first + ": SKIPPED", second + ": DONE", third + ": DONE");
        assertThat(traffic.failed()).as("failed client requests: %s", traffic).isZero();
      }
      for (String host : hosts) {
        assertThat(fleet.pid(host)).as("%s has a new process", host).isNotEqualTo(pidsBefore.get(host));
        assertThat(store.status(fleet.key(host)).shunted()).as("%s is shunted", host).isFalse();
      }
      assertThat(store.journal(DemoBackend.SERVICE)).as("the journal, once the rollout completed").isEmpty();
      assertThat(proxy.serverStates()).allSatisfy((server, state) -> assertThat(state).isEqualTo("UP"));
    }
  }

  private static JournalEntry.State state(StatusStore store, String host) {
    return store.journal(DemoBackend.SERVICE).stream().filter(entry -> entry.host().equals(host))
        .map(JournalEntry::state).findFirst().orElse(null);
  }

  private static Long millis(Instant from, Instant to) {
    return to == null ? null : Duration.between(from, to).toMillis();
  }
}
