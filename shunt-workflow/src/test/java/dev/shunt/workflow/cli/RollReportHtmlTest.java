package dev.shunt.workflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.cli.CliFixture.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * {@code roll --report-html}, {@code shunt report-html} and the console's progress: {@code --progress}
 * and {@code --quiet}, and plain lines without a terminal.
 */
class RollReportHtmlTest extends RollTestBase {
  private static final String TOKEN = "tok-5b2e77d1c9";
  private static final String ESCAPE = "\u001b";

  @Test
  void rollWritesTheHtmlReportForItsOwnerOnlyWithSecretsMasked() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);
    String host = backend(200);
    cli.env("DEPLOY_TOKEN", TOKEN);
    Path page = directory.resolve("report.html");

    Result result = rollWith("echo \"deploy refused $DEPLOY_TOKEN\" >&2; exit 1", host, "--secret-env", "DEPLOY_TOKEN",
        "--report-html", page.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(page))).isEqualTo("rw-------");
    assertThat(Files.readString(page)).startsWith("<!DOCTYPE html>").contains("data-host=\"" + host + "\"",
        "deploy refused ****").doesNotContain(TOKEN);
  }

  @Test
  void anHtmlReportPathThatIsASymbolicLinkIsRefusedBeforeAnythingIsTouched() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);
    String host = backend(200);
    Path target = Files.writeString(directory.resolve("target"), "not yours");
    Path link = Files.createSymbolicLink(directory.resolve("report.html"), target);

    Result result = roll(host, "--report-html", link.toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--report-html names " + link + ", a symbolic link");
    assertThat(Files.readString(target)).isEqualTo("not yours");
    assertThat(restarted()).isEmpty();
  }

  @Test
  void reportHtmlTurnsAJsonReportWrittenEarlierIntoThePage() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);
    String first = backend(200);
    String second = backend(200);
    Path json = directory.resolve("report.json");
    assertThat(roll(first, second, "--report", json.toString()).exit()).isZero();
    Path page = directory.resolve("page.html");

    Result result = cli.run("report-html", json.toString(), "-o", page.toString());

    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo(page + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(page))).isEqualTo("rw-------");
    assertThat(Files.readString(page)).contains("Rollout of checkout", "data-host=\"" + first + "\"",
        "data-host=\"" + second + "\"", "data-phase=\"restart\"", "data-phase=\"shunt\"");
  }

  @Test
  void reportHtmlOfAFileThatIsNoReportIsAUsageErrorThatWritesNothing() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);
    Path json = Files.writeString(directory.resolve("other.json"), "{\"name\": \"not a report\"}");
    Path page = directory.resolve("page.html");

    Result result = cli.run("report-html", json.toString(), "-o", page.toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains(json + " is not a rollout report: the report.start must be a string");
    assertThat(page).doesNotExist();
  }

  @Test
  void withoutATerminalProgressIsAPlainLineAfterEachHostWithNoEscapeCode() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);
    String first = backend(200);
    String second = backend(200);

    Result result = roll(first, second);

    assertThat(result.exit()).isZero();
    assertThat(result.out()).containsPattern("\\[checkout] progress: 1/2 done, 0 in progress, 0 failed, 1 left;"
        + " batch 1/2; \\d+ (s|min)[^,]* elapsed, about .+ left\n")
        .containsPattern("\\[checkout] progress: 2/2 done, 0 in progress, 0 failed, 0 left; batch 2/2; .+ elapsed\n")
        .doesNotContain(ESCAPE);
    assertThat(result.err()).doesNotContain(ESCAPE);
  }

  @Test
  void progressTtyKeepsAStatusLineBelowTheEventLines() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);
    String host = backend(200);

    Result result = roll(host, "--progress", "tty");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("\r[checkout] [..........] 0/1 done, 0 in progress, 0 failed, 1 left")
        .contains("\r" + ESCAPE + "[2K")
        .contains("[" + host + "] restart ok")
        .endsWith("checkout: rollout completed" + result.out().substring(result.out().indexOf(
            "checkout: rollout completed") + "checkout: rollout completed".length()));
    // The summary comes after the status line was erased for good: nothing is drawn after it.
    String afterSummary = result.out().substring(result.out().indexOf("checkout: rollout completed"));
    assertThat(afterSummary).doesNotContain(ESCAPE).doesNotContain("\r");
  }

  @Test
  void progressNoneAndQuietLeaveOutTheCountsAndQuietTheEventLines() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);
    String host = backend(200);

    Result none = roll(host, "--progress", "none");
    Result quiet = roll(host, "--quiet");

    assertThat(none.out()).contains("[" + host + "] restart ok").doesNotContain("progress:").doesNotContain(ESCAPE);
    assertThat(quiet.out()).doesNotContain("[" + host + "] starting", "[" + host + "] restart", "progress:", ESCAPE)
        .contains("[checkout] WARNING: step 'drain' waits at most PT0.05S", "checkout: rollout completed");
    assertThat(quiet.out().lines().filter(line -> line.contains("s [")))
        .allMatch(line -> line.contains("WARNING"), "is a warning");
    assertThat(quiet.exit()).isZero();
  }

  @Test
  void quietWithProgressIsAUsageError() {
    useStore(CliFixture.Store.FLAG_FILES);

    Result both = roll("web-1", "--quiet", "--progress", "plain");
    Result unknown = roll("web-1", "--progress", "fancy");

    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("--quiet excludes --progress");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("'fancy' is not one of [tty, plain, none]");
  }
}
