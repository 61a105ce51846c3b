package dev.shunt.workflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.workflow.cli.CliFixture.Result;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code shunt shunt} and {@code shunt unshunt}. */
class ShuntCommandTest {
  @TempDir
  Path directory;

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void shuntStoresReasonOwnerAndTtlAndPrintsTheStatus(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);

    Result result = cli.runOnService("shunt", "web-1", "--reason", "deploy 42", "--owner", "ci", "--ttl", "15m");

    ShuntStatus stored = cli.store().status(cli.key("web-1"));
    assertThat(result.exit()).isZero();
    assertThat(stored.reason()).isEqualTo("deploy 42");
    assertThat(stored.owner()).isEqualTo("ci");
    assertThat(Duration.between(stored.since(), stored.expiresAt())).isEqualTo(Duration.ofMinutes(15));
    assertThat(result.out()).isEqualTo("checkout/web-1: " + stored + "\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void shuntWithoutTtlNeverExpires(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);

    cli.runOnService("shunt", "web-1");

    assertThat(cli.store().status(cli.key("web-1")).expiry()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void ownerDefaultsToUserAtThisHost(CliFixture.Store kind) throws Exception {
    CliFixture cli = CliFixture.on(kind, directory);

    cli.runOnService("shunt", "web-1");

    assertThat(cli.store().status(cli.key("web-1")).owner())
        .isEqualTo(System.getProperty("user.name") + "@" + InetAddress.getLocalHost().getHostName());
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void hostDefaultsToThisMachineAsTheGemsTasksDo(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);

    Result result = cli.runOnService("shunt", "--reason", "maintenance");

    InstanceKey local = InstanceKey.local(CliFixture.SERVICE);
    assertThat(result.exit()).isZero();
    assertThat(cli.store().status(local).reason()).isEqualTo("maintenance");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void unshuntPutsTheHostBackAndPrintsInRotation(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    cli.store().shunt(cli.key("web-1"), ShuntRequest.of("deploy", "ci"));

    Result result = cli.runOnService("unshunt", "web-1");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo("checkout/web-1: in rotation\n");
    assertThat(cli.store().status(cli.key("web-1")).shunted()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void unshuntOfAHostInRotationDoesNothing(CliFixture.Store kind) {
    Result result = CliFixture.on(kind, directory).runOnService("unshunt", "web-1");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo("checkout/web-1: in rotation\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void shuntThenStatusSeeTheSameStore(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);

    cli.runOnService("shunt", "web-1", "--reason", "deploy", "--owner", "ci");
    Result status = cli.runOnService("status", "web-1", "--json");

    assertThat(status.out()).contains("\"shunted\":true,\"reason\":\"deploy\",\"owner\":\"ci\"");
  }
}
