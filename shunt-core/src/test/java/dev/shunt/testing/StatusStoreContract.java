package dev.shunt.testing;

import dev.shunt.BudgetExceededException;
import dev.shunt.CheckerReport;
import dev.shunt.DisruptionBudget;
import dev.shunt.InstanceKey;
import dev.shunt.JournalEntry;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StatusStore} promises; each store's test extends this with a factory. Public
 * so that stores in other modules (and other libraries' stores) are held to the same contract.
 */
public abstract class StatusStoreContract {
  protected static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  protected static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");
  protected static final InstanceKey WEB_2 = InstanceKey.of("checkout", "web-2");
  protected static final Duration TEN_MINUTES = Duration.ofMinutes(10);
  protected static final String CHECKOUT = "checkout";
  protected static final String SEARCH = "search";

  protected final MutableClock clock = new MutableClock(START);
  protected StatusStore store;

  /** A new, empty store of the kind under test, on {@code clock}. */
  protected abstract StatusStore newStore(Clock clock);

  @BeforeEach
  void createStore() {
    store = newStore(clock);
  }

  @Test
  void keyNobodyShuntedIsInRotation() {
    assertThat(store.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void shuntedKeyReadsAsShuntedWithReasonOwnerAndSince() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));

    assertThat(store.status(WEB_1)).isEqualTo(new ShuntStatus(true, "deploy 42", "alice", START, null));
  }

  @Test
  void shuntReturnsTheStatusItStored() {
    ShuntStatus stored = store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice").withTtl(TEN_MINUTES));

    assertThat(stored).isEqualTo(new ShuntStatus(true, "deploy 42", "alice", START, START.plus(TEN_MINUTES)));
    assertThat(store.status(WEB_1)).isEqualTo(stored);
  }

  @Test
  void shuntOfOneKeyLeavesOtherKeysInRotation() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));

    assertThat(store.status(WEB_2)).isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void reasonAndOwnerKeepEveryCharacter() {
    String reason = "Wartung für #42: a=b \\ c! \t  ";
    String owner = " ops@example.com:rollout=7 ";

    store.shunt(WEB_1, ShuntRequest.of(reason, owner));

    assertThat(store.status(WEB_1).reason()).isEqualTo(reason);
    assertThat(store.status(WEB_1).owner()).isEqualTo(owner);
  }

  @Test
  void shuntHoldsUntilJustBeforeItsTtlRunsOut() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice").withTtl(TEN_MINUTES));

    clock.advance(TEN_MINUTES.minusNanos(1));

    assertThat(store.status(WEB_1).shunted()).isTrue();
  }

  @Test
  void shuntReadsAsInRotationOnceItsTtlRanOut() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice").withTtl(TEN_MINUTES));

    clock.advance(TEN_MINUTES);

    assertThat(store.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void shuntWithoutTtlNeverRunsOut() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));

    clock.advance(Duration.ofDays(365));

    assertThat(store.status(WEB_1).shunted()).isTrue();
  }

  @Test
  void renewalKeepsSinceAndReplacesReasonOwnerAndExpiry() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice").withTtl(TEN_MINUTES));
    clock.advance(Duration.ofMinutes(5));

    ShuntStatus renewed = store.shunt(WEB_1, ShuntRequest.of("deploy 43", "bob").withTtl(TEN_MINUTES));

    ShuntStatus expected =
        new ShuntStatus(true, "deploy 43", "bob", START, START.plus(Duration.ofMinutes(15)));
    assertThat(renewed).isEqualTo(expected);
    assertThat(store.status(WEB_1)).isEqualTo(expected);
  }

  @Test
  void renewedShuntOutlivesTheFirstExpiry() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice").withTtl(TEN_MINUTES));
    clock.advance(Duration.ofMinutes(5));
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice").withTtl(TEN_MINUTES));

    clock.advance(Duration.ofMinutes(7));

    assertThat(store.status(WEB_1).shunted()).isTrue();
  }

  @Test
  void renewalWithoutTtlRemovesTheExpiry() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice").withTtl(TEN_MINUTES));

    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));
    clock.advance(Duration.ofHours(1));

    assertThat(store.status(WEB_1)).isEqualTo(new ShuntStatus(true, "deploy 42", "alice", START, null));
  }

  @Test
  void shuntAfterTheLastOneRanOutStartsANewSince() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice").withTtl(TEN_MINUTES));
    clock.advance(Duration.ofMinutes(11));

    ShuntStatus fresh = store.shunt(WEB_1, ShuntRequest.of("deploy 43", "bob"));

    assertThat(fresh.since()).isEqualTo(START.plus(Duration.ofMinutes(11)));
    assertThat(store.status(WEB_1).since()).isEqualTo(START.plus(Duration.ofMinutes(11)));
  }

  @Test
  void unshuntPutsTheKeyBackInRotation() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));

    store.unshunt(WEB_1);

    assertThat(store.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void unshuntOfAKeyInRotationLeavesItInRotation() {
    store.unshunt(WEB_1);

    assertThat(store.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void unshuntOfOneKeyLeavesOtherKeysShunted() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));
    store.shunt(WEB_2, ShuntRequest.of("deploy 42", "alice"));

    store.unshunt(WEB_1);

    assertThat(store.status(WEB_2).shunted()).isTrue();
  }

  @Test
  void keyNobodyReportedOnHasNoReports() {
    assertThat(store.reports(WEB_1)).isEmpty();
  }

  @Test
  void reportIsReadBackAsMade() {
    CheckerReport report = new CheckerReport("10.0.0.1", true, 1, START);

    store.report(WEB_1, report);

    assertThat(store.reports(WEB_1)).containsExactly(report);
  }

  @Test
  void reportOfACheckerThatAppliesAnswersAtOnceIsReadBackAsMade() {
    CheckerReport agent = new CheckerReport("agent:10.0.0.1", true, 1, START, 2, true);

    store.report(WEB_1, agent);

    assertThat(store.reports(WEB_1)).containsExactly(agent);
    assertThat(store.reports(WEB_1).get(0).nackedAtLeast(3)).isTrue();
  }

  @Test
  void agentAndHttpReportsOfOneLoadBalancerAreKeptApart() {
    CheckerReport http = new CheckerReport("10.0.0.1", false, 1, START, 0);
    CheckerReport agent = new CheckerReport("agent:10.0.0.1", false, 1, START.plusMillis(1), 0, true);

    store.report(WEB_1, http);
    store.report(WEB_1, agent);

    assertThat(store.reports(WEB_1)).containsExactlyInAnyOrder(http, agent);
  }

  @Test
  void reportReplacesThatCheckersPreviousReport() {
    store.report(WEB_1, new CheckerReport("10.0.0.1", true, 1, START));
    CheckerReport second = new CheckerReport("10.0.0.1", true, 2, START.plusSeconds(2));

    store.report(WEB_1, second);

    assertThat(store.reports(WEB_1)).containsExactly(second);
  }

  @Test
  void reportsOfDifferentCheckersAreKeptSideBySide() {
    CheckerReport first = new CheckerReport("10.0.0.1", true, 3, START);
    CheckerReport second = new CheckerReport("lb b:8404", false, 1, START.plusMillis(1));

    store.report(WEB_1, first);
    store.report(WEB_1, second);

    assertThat(store.reports(WEB_1)).containsExactlyInAnyOrder(first, second);
  }

  @Test
  void removeReportRemovesThatCheckersReportOnly() {
    CheckerReport kept = new CheckerReport("lb-1", true, 3, START);
    store.report(WEB_1, kept);
    store.report(WEB_1, new CheckerReport("10.0.0.9", true, 1, START.plusMillis(1)));

    store.removeReport(WEB_1, "10.0.0.9");

    assertThat(store.reports(WEB_1)).containsExactly(kept);
  }

  @Test
  void removingAReportThatIsNotThereDoesNothing() {
    CheckerReport kept = new CheckerReport("lb-1", true, 3, START);
    store.report(WEB_1, kept);

    store.removeReport(WEB_1, "10.0.0.9");
    store.removeReport(WEB_2, "lb-1");

    assertThat(store.reports(WEB_1)).containsExactly(kept);
    assertThat(store.reports(WEB_2)).isEmpty();
  }

  @Test
  void reportsBelongToTheirKeyOnly() {
    store.report(WEB_1, new CheckerReport("10.0.0.1", true, 1, START));

    assertThat(store.reports(WEB_2)).isEmpty();
  }

  @Test
  void reportDoesNotShuntTheKey() {
    store.report(WEB_1, new CheckerReport("10.0.0.1", false, 1, START));

    assertThat(store.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void shuntClearsCheckerReports() {
    store.report(WEB_1, new CheckerReport("10.0.0.1", false, 7, START));

    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));

    assertThat(store.reports(WEB_1)).isEmpty();
  }

  @Test
  void unshuntClearsCheckerReports() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));
    store.report(WEB_1, new CheckerReport("10.0.0.1", true, 3, START));

    store.unshunt(WEB_1);

    assertThat(store.reports(WEB_1)).isEmpty();
  }

  @Test
  void renewalKeepsCheckerReports() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice").withTtl(TEN_MINUTES));
    CheckerReport report = new CheckerReport("10.0.0.1", true, 3, START);
    store.report(WEB_1, report);

    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice").withTtl(TEN_MINUTES));

    assertThat(store.reports(WEB_1)).containsExactly(report);
  }

  @Test
  void shuntedListsEveryShuntedKeyOfThatServiceOnly() {
    InstanceKey inRotation = InstanceKey.of("checkout", "web-3");
    InstanceKey unshunted = InstanceKey.of("checkout", "web-4");
    InstanceKey otherService = InstanceKey.of("search", "web-1");
    ShuntStatus first = store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));
    ShuntStatus second = store.shunt(WEB_2, ShuntRequest.of("deploy 43", "bob").withTtl(TEN_MINUTES));
    store.report(inRotation, new CheckerReport("10.0.0.1", false, 1, START));
    store.shunt(unshunted, ShuntRequest.of("deploy 44", "carol"));
    store.unshunt(unshunted);
    store.shunt(otherService, ShuntRequest.of("deploy 45", "dave"));

    assertThat(store.shuntedInstances("checkout")).containsOnly(
        entry(WEB_1, first),
        entry(WEB_2, second));
  }

  @Test
  void shuntedLeavesOutShuntsThatRanOut() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice").withTtl(TEN_MINUTES));
    ShuntStatus lasting = store.shunt(WEB_2, ShuntRequest.of("deploy 42", "alice"));

    clock.advance(TEN_MINUTES);

    assertThat(store.shuntedInstances("checkout")).containsOnly(entry(WEB_2, lasting));
  }

  @Test
  void shuntedOfAServiceNobodyShuntedIsEmpty() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));

    assertThat(store.shuntedInstances("search")).isEmpty();
  }

  @Test
  void serviceNobodyPutInMaintenanceIsNotInMaintenance() {
    assertThat(store.maintenance(CHECKOUT)).isEmpty();
  }

  @Test
  void maintenanceReadsBackEveryFieldAsStarted() {
    MaintenanceFlag flag = new MaintenanceFlag("Wartung für #42:\na=b \\ c! \t <b>&</b>  ", " ops@example.com:7 ",
        START.minusSeconds(30), START.plus(TEN_MINUTES),
        List.of("/assets/.*", "/robots\\.txt", "/(status|päge)/[^/]+\\?x=1"),
        List.of("10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "::1"));

    store.startMaintenance(CHECKOUT, flag);

    assertThat(store.maintenance(CHECKOUT)).contains(flag);
  }

  @Test
  void maintenanceWithoutUntilOrAllowListsReadsBackAsStarted() {
    MaintenanceFlag flag = MaintenanceFlag.of("", "", START);

    store.startMaintenance(CHECKOUT, flag);

    assertThat(store.maintenance(CHECKOUT)).contains(flag);
  }

  @Test
  void endedMaintenanceIsOff() {
    store.startMaintenance(CHECKOUT, MaintenanceFlag.of("database upgrade", "ops", START));

    store.endMaintenance(CHECKOUT);

    assertThat(store.maintenance(CHECKOUT)).isEmpty();
  }

  @Test
  void endingMaintenanceThatIsOffLeavesItOff() {
    store.endMaintenance(CHECKOUT);

    assertThat(store.maintenance(CHECKOUT)).isEmpty();
  }

  @Test
  void startingMaintenanceAgainReplacesTheFlag() {
    store.startMaintenance(CHECKOUT, MaintenanceFlag.of("database upgrade", "ops", START)
        .withUntil(START.plus(TEN_MINUTES)).withAllowedPaths("/assets/.*").withAllowedClients("10.0.0.0/8"));
    MaintenanceFlag replacement = MaintenanceFlag.of("longer than planned", "carol", START.plusSeconds(60));

    store.startMaintenance(CHECKOUT, replacement);
    clock.advance(Duration.ofHours(1));

    assertThat(store.maintenance(CHECKOUT)).contains(replacement);
  }

  @Test
  void maintenanceHoldsUntilJustBeforeItsUntil() {
    MaintenanceFlag flag = MaintenanceFlag.of("database upgrade", "ops", START).withUntil(START.plus(TEN_MINUTES));
    store.startMaintenance(CHECKOUT, flag);

    clock.advance(TEN_MINUTES.minusNanos(1));

    assertThat(store.maintenance(CHECKOUT)).contains(flag);
  }

  @Test
  void maintenanceIsOffOnceItsUntilHasPassed() {
    store.startMaintenance(CHECKOUT,
        MaintenanceFlag.of("database upgrade", "ops", START).withUntil(START.plus(TEN_MINUTES)));

    clock.advance(TEN_MINUTES);

    assertThat(store.maintenance(CHECKOUT)).isEmpty();
  }

  @Test
  void maintenanceWithoutUntilNeverEnds() {
    store.startMaintenance(CHECKOUT, MaintenanceFlag.of("database upgrade", "ops", START));

    clock.advance(Duration.ofDays(365));

    assertThat(store.maintenance(CHECKOUT)).isPresent();
  }

  @Test
  void maintenanceOfOneServiceLeavesOtherServicesOff() {
    store.startMaintenance(CHECKOUT, MaintenanceFlag.of("database upgrade", "ops", START));

    assertThat(store.maintenance(SEARCH)).isEmpty();
  }

  @Test
  void endingMaintenanceOfOneServiceLeavesOtherServicesOn() {
    MaintenanceFlag search = MaintenanceFlag.of("reindexing", "ops", START);
    store.startMaintenance(CHECKOUT, MaintenanceFlag.of("database upgrade", "ops", START));
    store.startMaintenance(SEARCH, search);

    store.endMaintenance(CHECKOUT);

    assertThat(store.maintenance(SEARCH)).contains(search);
  }

  @Test
  void maintenanceNeitherShuntsNorIsEndedByUnshunting() {
    MaintenanceFlag flag = MaintenanceFlag.of("database upgrade", "ops", START);
    store.startMaintenance(CHECKOUT, flag);
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));

    store.unshunt(WEB_1);

    assertThat(store.status(WEB_2)).isEqualTo(ShuntStatus.inRotation());
    assertThat(store.shuntedInstances(CHECKOUT)).isEmpty();
    assertThat(store.maintenance(CHECKOUT)).contains(flag);
  }

  // Disruption budget

  private static InstanceKey checkout(String host) {
    return InstanceKey.of(CHECKOUT, host);
  }

  @Test
  void withoutABudgetEveryShuntIsAdmitted() {
    for (int i = 1; i <= 5; i++) {
      store.shunt(checkout("web-" + i), ShuntRequest.of("deploy", "ci"));
    }

    assertThat(store.shuntedInstances(CHECKOUT)).hasSize(5);
  }

  @Test
  void budgetRefusesTheShuntThatWouldExceedItAndChangesNothing() {
    store.setBudget(CHECKOUT, DisruptionBudget.ofHosts(1));
    store.shunt(WEB_1, ShuntRequest.of("deploy", "ci"));

    assertThatThrownBy(() -> store.shunt(WEB_2, ShuntRequest.of("deploy", "other-ci")))
        .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
          assertThat(e.key()).isEqualTo(WEB_2);
          assertThat(e.budget()).isEqualTo(DisruptionBudget.ofHosts(1));
          assertThat(e.shuntedHosts()).containsExactly("web-1");
        })
        .hasMessageContaining("checkout/web-2").hasMessageContaining("[web-1]");
    assertThat(store.status(WEB_2)).isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void renewingAShuntIsAdmittedWhenTheBudgetIsUsedUp() {
    store.setBudget(CHECKOUT, DisruptionBudget.ofHosts(1));
    store.shunt(WEB_1, ShuntRequest.of("deploy", "ci").withTtl(TEN_MINUTES));
    clock.advance(Duration.ofMinutes(5));

    ShuntStatus renewed = store.shunt(WEB_1, ShuntRequest.of("deploy", "ci").withTtl(TEN_MINUTES));

    assertThat(renewed.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(15)));
  }

  @Test
  void unshuntGivesItsPlaceInTheBudgetBack() {
    store.setBudget(CHECKOUT, DisruptionBudget.ofHosts(1));
    store.shunt(WEB_1, ShuntRequest.of("deploy", "ci"));
    store.unshunt(WEB_1);

    store.shunt(WEB_2, ShuntRequest.of("deploy", "ci"));

    assertThat(store.status(WEB_2).shunted()).isTrue();
  }

  @Test
  void lapsedShuntGivesItsPlaceInTheBudgetBack() {
    store.setBudget(CHECKOUT, DisruptionBudget.ofHosts(1));
    store.shunt(WEB_1, ShuntRequest.of("deploy", "crashed-ci").withTtl(TEN_MINUTES));
    clock.advance(TEN_MINUTES);

    store.shunt(WEB_2, ShuntRequest.of("deploy", "ci"));

    assertThat(store.status(WEB_2).shunted()).isTrue();
  }

  @Test
  void percentageBudgetIsTakenOfTheKnownHostsRoundedDown() {
    for (int i = 1; i <= 5; i++) {
      store.register(checkout("web-" + i));
    }
    store.setBudget(CHECKOUT, DisruptionBudget.ofPercent(50));
    store.shunt(checkout("web-1"), ShuntRequest.of("deploy", "ci"));
    store.shunt(checkout("web-2"), ShuntRequest.of("deploy", "ci"));

    assertThatThrownBy(() -> store.shunt(checkout("web-3"), ShuntRequest.of("deploy", "ci")))
        .isInstanceOf(BudgetExceededException.class).hasMessageContaining("allows 2 of 5");
  }

  @Test
  void percentageBudgetAlwaysAdmitsOneShunt() {
    store.register(WEB_1);
    store.register(WEB_2);
    store.setBudget(CHECKOUT, DisruptionBudget.ofPercent(10));

    store.shunt(WEB_1, ShuntRequest.of("deploy", "ci"));

    assertThatThrownBy(() -> store.shunt(WEB_2, ShuntRequest.of("deploy", "ci")))
        .isInstanceOf(BudgetExceededException.class);
  }

  @Test
  void budgetReadsBackUntilCleared() {
    assertThat(store.budget(CHECKOUT)).isEmpty();
    store.setBudget(CHECKOUT, DisruptionBudget.ofPercent(25));
    assertThat(store.budget(CHECKOUT)).contains(DisruptionBudget.ofPercent(25));

    store.clearBudget(CHECKOUT);

    assertThat(store.budget(CHECKOUT)).isEmpty();
    store.shunt(WEB_1, ShuntRequest.of("deploy", "ci"));
    store.shunt(WEB_2, ShuntRequest.of("deploy", "ci"));
    assertThat(store.shuntedInstances(CHECKOUT)).hasSize(2);
  }

  @Test
  void shuntsMadeBeforeABudgetWasSetCountAgainstIt() {
    store.shunt(WEB_1, ShuntRequest.of("deploy", "ci"));
    store.shunt(WEB_2, ShuntRequest.of("deploy", "ci"));

    store.setBudget(CHECKOUT, DisruptionBudget.ofHosts(2));

    assertThat(store.shuntedInstances(CHECKOUT)).hasSize(2);
    assertThatThrownBy(() -> store.shunt(checkout("web-3"), ShuntRequest.of("deploy", "ci")))
        .isInstanceOf(BudgetExceededException.class);
  }

  @Test
  void budgetOfOneServiceDoesNotLimitAnother() {
    store.setBudget(CHECKOUT, DisruptionBudget.ofHosts(1));
    store.shunt(WEB_1, ShuntRequest.of("deploy", "ci"));

    store.shunt(InstanceKey.of(SEARCH, "web-2"), ShuntRequest.of("deploy", "ci"));

    assertThat(store.status(InstanceKey.of(SEARCH, "web-2")).shunted()).isTrue();
  }

  @Test
  void concurrentShuntsNeverExceedTheBudget() throws Exception {
    store.setBudget(CHECKOUT, DisruptionBudget.ofHosts(2));
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> admitted = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        InstanceKey key = checkout("web-" + i);
        admitted.add(pool.submit(() -> {
          start.await();
          try {
            store.shunt(key, ShuntRequest.of("deploy", "ci"));
            return true;
          } catch (BudgetExceededException e) {
            return false;
          }
        }));
      }
      start.countDown();
      int count = 0;
      for (Future<Boolean> result : admitted) {
        count += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(count).isEqualTo(2);
      assertThat(store.shuntedInstances(CHECKOUT)).hasSize(2);
    } finally {
      pool.shutdownNow();
    }
  }

  // Known hosts

  @Test
  void registeredHostsAreKnownOnce() {
    store.register(WEB_1);
    store.register(WEB_1);
    store.register(WEB_2);

    assertThat(store.hosts(CHECKOUT)).containsExactlyInAnyOrder("web-1", "web-2");
    assertThat(store.hosts(SEARCH)).isEmpty();
  }

  @Test
  void shuntingMakesAHostKnown() {
    store.shunt(WEB_1, ShuntRequest.of("deploy", "ci"));

    assertThat(store.hosts(CHECKOUT)).containsExactly("web-1");
  }

  @Test
  void forgottenHostIsNoLongerKnownAndKeepsItsStatus() {
    store.shunt(WEB_1, ShuntRequest.of("deploy", "ci"));
    store.register(WEB_2);

    store.forget(WEB_1);

    assertThat(store.hosts(CHECKOUT)).containsExactly("web-2");
    assertThat(store.status(WEB_1).shunted()).isTrue();
  }

  // Rollout journal

  @Test
  void journalKeepsTheLatestEntryOfEachHost() {
    JournalEntry started1 = new JournalEntry("run-1", "web-1", JournalEntry.State.STARTED, START, "");
    JournalEntry done1 = new JournalEntry("run-1", "web-1", JournalEntry.State.DONE, START.plusSeconds(5), "6 steps");
    JournalEntry started2 = new JournalEntry("run-1", "web-2", JournalEntry.State.STARTED, START.plusSeconds(6), "");

    store.writeJournal(CHECKOUT, started1);
    store.writeJournal(CHECKOUT, done1);
    store.writeJournal(CHECKOUT, started2);

    assertThat(store.journal(CHECKOUT)).containsExactlyInAnyOrder(done1, started2);
  }

  @Test
  void journalEntryKeepsEveryField() {
    JournalEntry failed = new JournalEntry("run 7: release \\42", "web-1", JournalEntry.State.FAILED,
        START.plusMillis(1234), "await-http: never answered 200..399\tin 60 s");

    store.writeJournal(CHECKOUT, failed);

    assertThat(store.journal(CHECKOUT)).containsExactly(failed);
  }

  @Test
  void clearingAJournalLeavesOtherServicesJournals() {
    JournalEntry checkout = new JournalEntry("run-1", "web-1", JournalEntry.State.DONE, START, "");
    JournalEntry search = new JournalEntry("run-2", "web-1", JournalEntry.State.STARTED, START, "");
    store.writeJournal(CHECKOUT, checkout);
    store.writeJournal(SEARCH, search);

    store.clearJournal(CHECKOUT);

    assertThat(store.journal(CHECKOUT)).isEmpty();
    assertThat(store.journal(SEARCH)).containsExactly(search);
  }
}
