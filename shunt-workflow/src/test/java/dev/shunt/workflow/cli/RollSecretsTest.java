package dev.shunt.workflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.JournalEntry;
import dev.shunt.workflow.cli.CliFixture.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code roll --secret-env} and the report file: secrets out of sight, the report for its owner only. */
class RollSecretsTest extends RollTestBase {
  private static final String TOKEN = "tok-5b2e77d1c9";

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aSecretFromTheEnvironmentReachesTheRestartAndIsMaskedOnTheConsoleInTheReportAndTheJournal() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);
    String host = backend(200);
    cli.env("DEPLOY_TOKEN", TOKEN);
    Path report = directory.resolve("report.json");

    Result result = rollWith("printf %s \"$DEPLOY_TOKEN\" | sha256sum | cut -d' ' -f1;"
        + " echo \"deploy refused $DEPLOY_TOKEN\" >&2; exit 1", host, "--secret-env", "DEPLOY_TOKEN",
        "--report", report.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).contains(sha256(TOKEN),
        "deploy refused ****");
    assertThat(result.out() + result.err()).doesNotContain(TOKEN);
    assertThat(Files.readString(report)).contains("deploy refused ****").doesNotContain(TOKEN);
    List<JournalEntry> journal = cli.store().journal("checkout");
    assertThat(journal).isNotEmpty().extracting(JournalEntry::detail).noneMatch(detail -> detail.contains(TOKEN))
        .anyMatch(detail -> detail.contains("deploy refused ****"));
  }

  @Test
  void thePlanShowsNeitherTheSecretNorTheReadinessUrlsPassword() {
    useStore(CliFixture.Store.FLAG_FILES);
    cli.env("DEPLOY_TOKEN", TOKEN);

    Result result = cli.runOnService("roll", "web-1", "--restart", "deploy --token " + TOKEN,
        "--secret-env", "DEPLOY_TOKEN", "--ready-url", "http://deploy:pa55-w0rd@{host}:8080/", "--plan");

    assertThat(result.out()).contains("deploy --token ****", "secretEnv=[DEPLOY_TOKEN]",
        "http://deploy:****@{host}:8080/");
    assertThat(result.out() + result.err()).doesNotContain(TOKEN).doesNotContain("pa55-w0rd");
  }

  @Test
  void aSecretVariableThatIsNotSetIsAUsageError() {
    useStore(CliFixture.Store.FLAG_FILES);

    Result result = roll("web-1", "--secret-env", "DEPLOY_TOKEN");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--secret-env names DEPLOY_TOKEN, which is not set");
  }

  @Test
  void theReportIsReadableByItsOwnerOnlyEvenWhenTheFileWasThereBefore() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);
    String host = backend(200);
    Path fresh = directory.resolve("fresh.json");
    Path existing = Files.writeString(directory.resolve("existing.json"), "an older report, longer than the new one "
        + "x".repeat(10_000));
    Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(roll(host, "--report", fresh.toString()).exit()).isZero();
    assertThat(roll(host, "--report", existing.toString()).exit()).isZero();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rw-------");
    assertThat(Files.readString(existing)).startsWith("{\"rolloutId\":").doesNotContain("older report");
  }

  @Test
  void aReportPathThatIsASymbolicLinkIsRefusedBeforeAnythingIsTouched() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);
    String host = backend(200);
    Path target = Files.writeString(directory.resolve("target"), "not yours");
    Path link = Files.createSymbolicLink(directory.resolve("report.json"), target);

    Result result = roll(host, "--report", link.toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--report names " + link + ", a symbolic link");
    assertThat(Files.readString(target)).isEqualTo("not yours");
    assertThat(restarted()).isEmpty();
  }

  @Test
  void aLinkPlantedWhileTheRolloutRanIsNotFollowed() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);
    String host = backend(200);
    Path target = Files.writeString(directory.resolve("target"), "not yours");
    Path report = directory.resolve("report.json");

    Result result = rollWith(restartCommand() + "; ln -s '" + target + "' '" + report + "'", host,
        "--report", report.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("cannot write the report to " + report);
    assertThat(Files.readString(target)).isEqualTo("not yours");
  }
}
