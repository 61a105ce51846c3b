package dev.shunt.testing;

import dev.shunt.CheckerReport;
import dev.shunt.InstanceKey;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    assertThat(store.shunted("checkout")).containsOnly(
        entry(WEB_1, first),
        entry(WEB_2, second));
  }

  @Test
  void shuntedLeavesOutShuntsThatRanOut() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice").withTtl(TEN_MINUTES));
    ShuntStatus lasting = store.shunt(WEB_2, ShuntRequest.of("deploy 42", "alice"));

    clock.advance(TEN_MINUTES);

    assertThat(store.shunted("checkout")).containsOnly(entry(WEB_2, lasting));
  }

  @Test
  void shuntedOfAServiceNobodyShuntedIsEmpty() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));

    assertThat(store.shunted("search")).isEmpty();
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
    assertThat(store.shunted(CHECKOUT)).isEmpty();
    assertThat(store.maintenance(CHECKOUT)).contains(flag);
  }
}
