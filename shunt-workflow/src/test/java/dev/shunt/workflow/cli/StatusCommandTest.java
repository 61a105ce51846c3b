package dev.shunt.workflow.cli;

import static dev.shunt.workflow.cli.CliFixture.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.DisruptionBudget;
import dev.shunt.InstanceKey;
import dev.shunt.LockGrant;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.workflow.cli.CliFixture.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code shunt status}: one host or the whole service, as lines or JSON. */
class StatusCommandTest {
  @TempDir
  Path directory;

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void hostNobodyShuntedIsInRotation(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);

    Result result = cli.runOnService("status", "web-1");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo("checkout/web-1: in rotation\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void shuntedHostShowsReasonOwnerSinceAndExpiry(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    ShuntStatus shunted = cli.store().shunt(cli.key("web-1"),
        ShuntRequest.of("deploy 42", "ci").withTtl(Duration.ofMinutes(15)));

    Result result = cli.runOnService("status", "web-1");

    assertThat(result.out()).isEqualTo("checkout/web-1: shunted since " + shunted.since() + " (deploy 42) by ci until "
        + shunted.expiresAt() + "\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void hostAsJsonIsOneObject(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    ShuntStatus shunted = cli.store().shunt(cli.key("web-1"), ShuntRequest.of("say \"hi\"", "ci"));

    Result result = cli.runOnService("status", "web-1", "--json");

    assertThat(result.out()).isEqualTo("{\"service\":\"checkout\",\"host\":\"web-1\",\"shunted\":true,"
        + "\"reason\":\"say \\\"hi\\\"\",\"owner\":\"ci\",\"since\":\"" + shunted.since() + "\",\"expiresAt\":null}\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void serviceListsItsShuntedHostsByNameAndItsMaintenance(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    ShuntStatus web2 = cli.store().shunt(cli.key("web-2"), ShuntRequest.of("disk", "ops"));
    ShuntStatus web1 = cli.store().shunt(cli.key("web-1"), ShuntRequest.of("deploy", "ci"));
    cli.store().shunt(InstanceKey.of("billing", "web-1"), ShuntRequest.of("other service", "ci"));

    Result result = cli.runOnService("status");

    assertThat(result.exit()).isZero();
    assertThat(result.outLines()).containsExactly(
        "checkout/web-1: " + web1,
        "checkout/web-2: " + web2,
        "checkout: 2 shunted of 2 known host(s); no budget; maintenance off",
        "checkout: deploy lock free");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void serviceShowsItsKnownHostsAndBudget(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    List.of("web-1", "web-2", "web-3", "web-4").forEach(host -> cli.store().register(cli.key(host)));
    cli.store().setBudget(SERVICE, DisruptionBudget.ofPercent(50));
    ShuntStatus web3 = cli.store().shunt(cli.key("web-3"), ShuntRequest.of("disk", "ops"));

    Result result = cli.runOnService("status");

    assertThat(result.outLines()).containsExactly(
        "checkout/web-3: " + web3,
        "checkout: 1 shunted of 4 known host(s); budget 50% = 2; maintenance off",
        "checkout: deploy lock free");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void serviceAsJsonHoldsTheBudgetAndWhatItAllowsNow(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    List.of("web-1", "web-2", "web-3", "web-4").forEach(host -> cli.store().register(cli.key(host)));
    cli.store().setBudget(SERVICE, DisruptionBudget.ofPercent(25));

    Result result = cli.runOnService("status", "--json");

    assertThat(result.out())
        .endsWith(",\"shunted\":[],\"knownHosts\":4,\"budget\":\"25%\",\"budgetAllows\":1,\"deployLock\":null}\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void serviceAsJsonHoldsMaintenanceAndShuntedHosts(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    Instant since = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    cli.store().startMaintenance(SERVICE, MaintenanceFlag.of("upgrade", "ops", since)
        .withUntil(since.plus(Duration.ofHours(1))).withAllowedPaths("/assets/.*").withAllowedClients("10.0.0.0/8"));
    ShuntStatus web1 = cli.store().shunt(cli.key("web-1"), ShuntRequest.of("deploy", "ci"));

    Result result = cli.runOnService("status", "--json");

    assertThat(result.out()).isEqualTo("{\"service\":\"checkout\",\"maintenance\":{\"reason\":\"upgrade\","
        + "\"owner\":\"ops\",\"since\":\"" + since + "\",\"until\":\"" + since.plus(Duration.ofHours(1)) + "\","
        + "\"allowedPaths\":[\"/assets/.*\"],\"allowedClients\":[\"10.0.0.0/8\"]},\"shunted\":[{\"service\":\"checkout\","
        + "\"host\":\"web-1\",\"shunted\":true,\"reason\":\"deploy\",\"owner\":\"ci\",\"since\":\"" + web1.since()
        + "\",\"expiresAt\":null}],\"knownHosts\":1,\"budget\":null,\"budgetAllows\":null,\"deployLock\":null}\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void emptyServiceAsJsonHasNoMaintenanceAndNoHosts(CliFixture.Store kind) {
    Result result = CliFixture.on(kind, directory).runOnService("status", "--json");

    assertThat(result.out()).isEqualTo("{\"service\":\"checkout\",\"maintenance\":null,\"shunted\":[],\"knownHosts\":0,"
        + "\"budget\":null,\"budgetAllows\":null,\"deployLock\":null}\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void serviceShowsWhoHoldsTheDeployLockWhyAndUntilWhen(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    LockGrant held = cli.deployLock().tryAcquire(SERVICE, "alice@ops-1", "rollout checkout-7", Duration.ofMinutes(10))
        .orElseThrow();

    Result result = cli.runOnService("status");

    assertThat(result.outLines()).containsExactly(
        "checkout: 0 shunted of 0 known host(s); no budget; maintenance off",
        "checkout: deploy lock held by 'alice@ops-1' (rollout checkout-7) until " + held.expiresAt() + ", token "
            + held.token());
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void serviceAsJsonHoldsTheDeployLocksHolder(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    LockGrant held = cli.deployLock().tryAcquire(SERVICE, "alice@ops-1", "say \"hi\"", Duration.ofMinutes(10))
        .orElseThrow();

    Result result = cli.runOnService("status", "--json");

    assertThat(result.out()).endsWith(",\"deployLock\":{\"owner\":\"alice@ops-1\",\"reason\":\"say \\\"hi\\\"\","
        + "\"until\":\"" + held.expiresAt() + "\",\"token\":" + held.token() + "}}\n");
  }

  @Test
  void storeWithoutADeployLockSaysSo() {
    Result result = CliFixture.withoutDeployLock().runOnService("status");

    assertThat(result.outLines()).endsWith("checkout: no deploy lock in this store");
  }
}
