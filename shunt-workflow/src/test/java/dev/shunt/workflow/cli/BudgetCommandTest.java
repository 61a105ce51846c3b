package dev.shunt.workflow.cli;

import static dev.shunt.workflow.cli.CliFixture.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.DisruptionBudget;
import dev.shunt.ShuntRequest;
import dev.shunt.workflow.cli.CliFixture.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code shunt budget set|show|clear}, and {@code shunt shunt} refused by the budget. */
class BudgetCommandTest {
  @TempDir
  Path directory;

  private static void register(CliFixture cli, String... hosts) {
    List.of(hosts).forEach(host -> cli.store().register(cli.key(host)));
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void setStoresACountAndPrintsIt(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);

    Result result = cli.runOnService("budget", "set", "2");

    assertThat(result.exit()).isZero();
    assertThat(cli.store().budget(SERVICE)).contains(DisruptionBudget.ofHosts(2));
    assertThat(result.out()).isEqualTo("checkout: budget 2; 0 of 0 known host(s) out\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void setAPercentageSaysHowManyOfTheKnownHostsItLetsOut(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    register(cli, "web-1", "web-2", "web-3", "web-4", "web-5");

    Result result = cli.runOnService("budget", "set", "50%");

    assertThat(cli.store().budget(SERVICE)).contains(DisruptionBudget.ofPercent(50));
    assertThat(result.out()).isEqualTo("checkout: budget 50% = 2; 0 of 5 known host(s) out\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void showListsTheHostsOut(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    register(cli, "web-1", "web-2", "web-3");
    cli.store().setBudget(SERVICE, DisruptionBudget.ofHosts(2));
    cli.store().shunt(cli.key("web-3"), ShuntRequest.of("disk", "ops"));
    cli.store().shunt(cli.key("web-1"), ShuntRequest.of("deploy", "ci"));

    Result result = cli.runOnService("budget", "show");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo("checkout: budget 2; 2 of 3 known host(s) out: [web-1, web-3]\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void showWithoutABudgetSaysSo(CliFixture.Store kind) {
    Result result = CliFixture.on(kind, directory).runOnService("budget", "show");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo("checkout: no budget; 0 of 0 known host(s) out\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void clearRemovesTheBudget(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    cli.store().setBudget(SERVICE, DisruptionBudget.ofHosts(1));

    Result result = cli.runOnService("budget", "clear");

    assertThat(result.exit()).isZero();
    assertThat(cli.store().budget(SERVICE)).isEmpty();
    assertThat(result.out()).isEqualTo("checkout: no budget; 0 of 0 known host(s) out\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void shuntBeyondTheBudgetExitsFiveListingTheHostsOutAndChangesNothing(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    register(cli, "web-1", "web-2", "web-3");
    cli.store().setBudget(SERVICE, DisruptionBudget.ofHosts(1));
    cli.store().shunt(cli.key("web-1"), ShuntRequest.of("deploy", "ci"));

    Result result = cli.runOnService("shunt", "web-2");

    assertThat(result.exit()).isEqualTo(ShuntCli.BUDGET_EXCEEDED);
    assertThat(result.err()).isEqualTo("shunt: cannot shunt checkout/web-2: the disruption budget of checkout allows 1"
        + " of 3 known host(s) out at once (maxUnavailable 1), and 1 are out: [web-1]; nothing was changed\n");
    assertThat(result.out()).isEmpty();
    assertThat(cli.store().status(cli.key("web-2")).shunted()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void shuntWithinTheBudgetGoesThrough(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    cli.store().setBudget(SERVICE, DisruptionBudget.ofHosts(2));
    cli.store().shunt(cli.key("web-1"), ShuntRequest.of("deploy", "ci"));

    Result result = cli.runOnService("shunt", "web-2");

    assertThat(result.exit()).isZero();
    assertThat(cli.store().status(cli.key("web-2")).shunted()).isTrue();
  }

  @Test
  void budgetThatIsNoCountNorPercentageIsAUsageError() {
    CliFixture cli = CliFixture.on(CliFixture.Store.FLAG_FILES, directory);

    Result result = cli.runOnService("budget", "set", "lots");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: Invalid value for positional parameter at index 0 (N|P%):"
        + " maxUnavailable must be a count such as 2 or a percentage such as 25%, was 'lots'\n");
    assertThat(cli.opened()).isEmpty();
  }

  @Test
  void budgetOfNoHostIsAUsageError() {
    Result result = CliFixture.on(CliFixture.Store.FLAG_FILES, directory).runOnService("budget", "set", "0");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).contains("maxUnavailable must be >= 1, was 0");
  }

  @Test
  void budgetWithoutSetShowOrClearIsAUsageError() {
    Result result = CliFixture.on(CliFixture.Store.FLAG_FILES, directory).runOnService("budget");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("Usage: shunt budget ");
  }
}
