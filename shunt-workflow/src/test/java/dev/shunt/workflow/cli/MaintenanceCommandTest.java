package dev.shunt.workflow.cli;

import static dev.shunt.workflow.cli.CliFixture.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.MaintenanceFlag;
import dev.shunt.workflow.cli.CliFixture.Result;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code shunt maintenance on|off}. */
class MaintenanceCommandTest {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  @TempDir
  Path directory;

  private CliFixture cli(CliFixture.Store kind) {
    return CliFixture.on(kind, directory).clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void onStoresReasonOwnerUntilAndWhatIsAllowed(CliFixture.Store kind) {
    CliFixture cli = cli(kind);

    Result result = cli.runOnService("maintenance", "on", "--reason", "database upgrade", "--owner", "ops",
        "--until", "2h", "--allow-path", "/assets/.*", "--allow-path", "/robots.txt", "--allow-client", "10.0.0.0/8");

    assertThat(result.exit()).isZero();
    assertThat(cli.store().maintenance(SERVICE)).contains(new MaintenanceFlag("database upgrade", "ops", NOW,
        NOW.plus(Duration.ofHours(2)), List.of("/assets/.*", "/robots.txt"), List.of("10.0.0.0/8")));
    assertThat(result.out()).isEqualTo("checkout: maintenance on since " + NOW + " (database upgrade) by ops until "
        + NOW.plus(Duration.ofHours(2)) + "; allowed paths [/assets/.*, /robots.txt]; allowed clients [10.0.0.0/8]\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void untilTakesAnInstant(CliFixture.Store kind) {
    CliFixture cli = cli(kind);
    Instant until = NOW.plus(Duration.ofDays(3));

    cli.runOnService("maintenance", "on", "--until", until.toString());

    assertThat(cli.store().maintenance(SERVICE).orElseThrow().until()).isEqualTo(until);
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void onWithoutOptionsLastsUntilTurnedOff(CliFixture.Store kind) {
    CliFixture cli = cli(kind);

    cli.runOnService("maintenance", "on");

    MaintenanceFlag flag = cli.store().maintenance(SERVICE).orElseThrow();
    assertThat(flag.until()).isNull();
    assertThat(flag.reason()).isEmpty();
    assertThat(flag.owner()).isEqualTo(ShuntCli.defaultOwner());
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void offEndsMaintenance(CliFixture.Store kind) {
    CliFixture cli = cli(kind);
    cli.store().startMaintenance(SERVICE, MaintenanceFlag.of("upgrade", "ops", NOW));

    Result result = cli.runOnService("maintenance", "off");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo("checkout: maintenance off\n");
    assertThat(cli.store().maintenance(SERVICE)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void untilInThePastIsAUsageErrorAndChangesNothing(CliFixture.Store kind) {
    CliFixture cli = cli(kind);

    Result result = cli.runOnService("maintenance", "on", "--until", NOW.minusSeconds(60).toString());

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: until must be after since (" + NOW + ")");
    assertThat(cli.store().maintenance(SERVICE)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void allowedPathThatIsNoRegexIsAUsageError(CliFixture.Store kind) {
    Result result = cli(kind).runOnService("maintenance", "on", "--allow-path", "/assets/(");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: allowedPaths must hold regular expressions, was '/assets/('");
  }
}
