package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.DeployLock;
import dev.shunt.DisruptionBudget;
import dev.shunt.InstanceKey;
import dev.shunt.JournalEntry;
import dev.shunt.JournalEntry.State;
import dev.shunt.LockGrant;
import dev.shunt.LockHeldException;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.StepFailedException;
import dev.shunt.workflow.HostReport.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RolloutJournalTest {
  private static final List<String> HOSTS = List.of("web-1", "web-2", "web-3");

  private final CountingStore counter = new CountingStore();
  private final StatusStore store = counter.store();
  private final DeployLock lock = DeployLock.inMemory();
  private final List<String> calls = new CopyOnWriteArrayList<>();

  /** A simulated crash of the process: an Error no rollout code catches. */
  private static final class Crash extends Error {
    Crash(String message) {
      super(message);
    }
  }

  /** shunt, a restart that does {@code restart} per host, unshunt. */
  private Rollout.Builder rollout(Step restart) {
    return Rollout.builder().service("checkout").hosts(HOSTS).store(store).listener(RolloutListener.silent())
        .steps(List.of(ShuntStep.shunt(ShuntRequest.of("deploy", "ci")), Step.named("restart", context -> {
          calls.add(context.host());
          restart.run(context);
        }), ShuntStep.unshunt()));
  }

  private Rollout.Builder rollout() {
    return rollout(context -> { });
  }

  private Map<String, JournalEntry> journal() {
    return store.journal("checkout").stream().collect(Collectors.toMap(JournalEntry::host, entry -> entry));
  }

  private Rollout crashingOn(String host) {
    return rollout(context -> {
      if (context.host().equals(host)) {
        throw new Crash("process died on " + host);
      }
    }).build();
  }

  @Test
  void journalShowsAHostStartedWhileItsStepsRun() {
    List<JournalEntry> seen = new CopyOnWriteArrayList<>();

    rollout(context -> seen.add(journal().get(context.host()))).rolloutId("deploy-7").build().run();

    assertThat(seen).extracting(JournalEntry::host).containsExactlyElementsOf(HOSTS);
    assertThat(seen).allSatisfy(entry -> {
      assertThat(entry.state()).isEqualTo(State.STARTED);
      assertThat(entry.rolloutId()).isEqualTo("deploy-7");
      assertThat(entry.detail()).startsWith("batch ");
    });
  }

  @Test
  void haltedRolloutLeavesDoneAndFailedHostsInTheJournalAndNothingForUntouchedOnes() {
    rollout(context -> {
      if (context.host().equals("web-2")) {
        throw new StepFailedException("disk full");
      }
    }).rolloutId("deploy-8").build().run();

    Map<String, JournalEntry> journal = journal();
    assertThat(journal).containsOnlyKeys("web-1", "web-2");
    assertThat(journal.get("web-1").state()).isEqualTo(State.DONE);
    assertThat(journal.get("web-2").state()).isEqualTo(State.FAILED);
    assertThat(journal.get("web-2").detail()).isEqualTo("failed at restart: disk full; left shunted");
  }

  @Test
  void journalIsClearedWhenEveryHostIsDone() {
    RolloutReport report = rollout().build().run();

    assertThat(report.succeeded()).isTrue();
    assertThat(store.journal("checkout")).isEmpty();
  }

  @Test
  void crashedRolloutLeavesItsHostStartedAndAnotherRolloutResumesWithTheRemainingHostsOnly() {
    assertThatThrownBy(() -> crashingOn("web-2").run()).isInstanceOf(Crash.class);
    assertThat(journal().get("web-1").state()).isEqualTo(State.DONE);
    assertThat(journal().get("web-2").state()).isEqualTo(State.STARTED);
    assertThat(store.status(InstanceKey.of("checkout", "web-2")).shunted()).isTrue();
    calls.clear();

    RolloutReport resumed = rollout().resume(true).build().run();

    assertThat(calls).containsExactly("web-2", "web-3");
    assertThat(resumed.succeeded()).isTrue();
    assertThat(resumed.hosts(Outcome.SKIPPED)).containsExactly("web-1");
    assertThat(resumed.hosts().get(0).note()).startsWith("done by rollout checkout-");
    assertThat(resumed.hosts(Outcome.DONE)).containsExactly("web-2", "web-3");
    assertThat(store.shuntedInstances("checkout")).isEmpty();
    assertThat(store.journal("checkout")).isEmpty();
  }

  @Test
  void resumeRunsTheHostsThatFailedBefore() {
    AtomicBoolean broken = new AtomicBoolean(true);
    Rollout rollout = rollout(context -> {
      if (context.host().equals("web-2") && broken.get()) {
        throw new StepFailedException("disk full");
      }
    }).resume(true).build();
    rollout.run();
    calls.clear();
    broken.set(false);

    RolloutReport second = rollout.run();

    assertThat(calls).containsExactly("web-2", "web-3");
    assertThat(second.succeeded()).isTrue();
  }

  @Test
  void withoutResumeEveryHostRunsAgain() {
    assertThatThrownBy(() -> crashingOn("web-2").run()).isInstanceOf(Crash.class);
    calls.clear();

    rollout().build().run();

    assertThat(calls).containsExactlyElementsOf(HOSTS);
  }

  @Test
  void cleanUpPutsBackTheHostsTheJournalShowsStartedOrFailedAndClearsIt() {
    assertThatThrownBy(() -> crashingOn("web-2").run()).isInstanceOf(Crash.class);

    List<String> restored = rollout().build().cleanUp();

    assertThat(restored).containsExactly("web-2");
    assertThat(store.shuntedInstances("checkout")).isEmpty();
    assertThat(store.journal("checkout")).isEmpty();
  }

  @Test
  void rolloutHoldsTheDeployLockWhileItRunsAndReleasesItAtTheEnd() {
    List<Optional<LockGrant>> held = new CopyOnWriteArrayList<>();

    RolloutReport report = rollout(context -> held.add(lock.holder("checkout"))).deployLock(lock)
        .lockOwner("ci run 812").build().run();

    assertThat(held).hasSize(3).allSatisfy(grant -> assertThat(grant).hasValueSatisfying(g -> {
      assertThat(g.owner()).isEqualTo("ci run 812");
      assertThat(g.token()).isEqualTo(report.lockToken());
      assertThat(g.reason()).isEqualTo("rollout " + report.rolloutId());
    }));
    assertThat(report.lockToken()).isPositive();
    assertThat(lock.holder("checkout")).isEmpty();
  }

  @Test
  void journalEntriesCarryTheLocksFencingToken() {
    RolloutReport report = rollout(context -> {
      if (context.host().equals("web-2")) {
        throw new StepFailedException("disk full");
      }
    }).deployLock(lock).build().run();

    assertThat(journal().values()).allSatisfy(entry ->
        assertThat(entry.detail()).endsWith("; lock token " + report.lockToken()));
  }

  @Test
  void deployLockIsReleasedWhenTheRolloutFailsOrCrashes() {
    rollout(context -> {
      throw new StepFailedException("disk full");
    }).deployLock(lock).build().run();
    assertThat(lock.holder("checkout")).isEmpty();

    assertThatThrownBy(() -> crashingOn("web-1").toBuilder().deployLock(lock).build().run())
        .isInstanceOf(Crash.class);
    assertThat(lock.holder("checkout")).isEmpty();
  }

  @Test
  void rolloutFindingTheLockHeldFailsClearlyAndTouchesNothing() {
    lock.tryAcquire("checkout", "alice's laptop", "hotfix", Duration.ofMinutes(5)).orElseThrow();

    assertThatThrownBy(() -> rollout().deployLock(lock).build().run())
        .isInstanceOf(LockHeldException.class)
        .hasMessageStartingWith("the deploy lock of checkout is held by 'alice's laptop' (hotfix) until");
    assertThat(calls).isEmpty();
    assertThat(store.journal("checkout")).isEmpty();
    assertThat(store.hosts("checkout")).isEmpty();
  }

  @Test
  void lockIsRenewedInTheBackgroundBeforeItsLeaseEnds() {
    List<Boolean> othersGotIt = new CopyOnWriteArrayList<>();

    RolloutReport report = Rollout.builder().service("checkout").hosts(List.of("web-1")).store(store)
        .listener(RolloutListener.silent()).deployLock(lock).lockLease(Duration.ofSeconds(1))
        .steps(List.of(Step.named("slow", context -> {
          // 2.5 s in all, more than twice the lease; renewed every third of it, the lease survives a
          // renewal up to two thirds of a second late.
          for (int i = 0; i < 5; i++) {
            Thread.sleep(500);
            othersGotIt.add(lock.tryAcquire("checkout", "intruder", "", Duration.ofMinutes(1)).isPresent());
          }
        }))).build().run();

    assertThat(report.succeeded()).isTrue();
    assertThat(othersGotIt).containsExactly(false, false, false, false, false);
  }

  @Test
  void rolloutThatLosesItsLockHaltsAfterTheHostsInProgress() {
    DeployLock forgetful = new DeployLock() {
      @Override
      public Optional<LockGrant> tryAcquire(String service, String owner, String reason, Duration lease) {
        return lock.tryAcquire(service, owner, reason, lease);
      }

      @Override
      public boolean renew(LockGrant grant, Duration lease) {
        return false;
      }

      @Override
      public boolean release(LockGrant grant) {
        return lock.release(grant);
      }

      @Override
      public Optional<LockGrant> forceRelease(String service, String owner) {
        return lock.forceRelease(service, owner);
      }

      @Override
      public Optional<LockGrant> holder(String service) {
        return lock.holder(service);
      }
    };

    // web-1's restart lasts until the rollout says it halts on the lost lock (at most 10 s), however
    // late the first renewal comes.
    RecordingListener halts = new RecordingListener();
    RolloutReport report = rollout(context -> {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (halts.events().stream().noneMatch(event -> event.startsWith("halting lost the deploy lock"))
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }).listener(halts).deployLock(forgetful).lockLease(Duration.ofMillis(150)).build().run();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.haltReason()).startsWith("lost the deploy lock of checkout");
    assertThat(report.hosts().get(0).outcome()).isEqualTo(Outcome.DONE);
    assertThat(report.hosts(Outcome.UNTOUCHED)).containsExactly("web-2", "web-3");
  }

  @Test
  void twoRolloutsOfOneServiceStartedTogetherOneRunsTheOtherFindsTheLockHeldAndTheBudgetHolds() throws Exception {
    store.setBudget("checkout", DisruptionBudget.ofHosts(1));
    Rollout rollout = rollout(context -> Thread.sleep(50)).batchSize(3).deployLock(lock).build();
    CountDownLatch go = new CountDownLatch(1);
    Callable<Object> runner = () -> {
      go.await();
      try {
        return rollout.run();
      } catch (LockHeldException e) {
        return e;
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Object> first = pool.submit(runner);
      Future<Object> second = pool.submit(runner);
      go.countDown();
      List<Object> results = List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));

      assertThat(results).filteredOn(LockHeldException.class::isInstance).hasSize(1);
      assertThat(results).filteredOn(RolloutReport.class::isInstance).singleElement()
          .satisfies(report -> assertThat(((RolloutReport) report).succeeded()).isTrue());
    } finally {
      pool.shutdownNow();
    }
    assertThat(counter.max()).isEqualTo(1);
    assertThat(calls).containsExactlyInAnyOrderElementsOf(HOSTS);
  }
}
