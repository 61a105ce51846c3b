package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HTML report in a real browser (headless Chromium): its script runs without an error and
 * describes every bar, every host and every step of the report is on the page, at 3 hosts as at
 * 1,000; so are the metrics gate's verdicts and the rollback's hosts. The pages and their screenshots stay in {@code target/report-html/} for a person to look at.
 */
class RolloutReportBrowserTest {
  private static final Path OUT = Path.of("target", "report-html");

  @ParameterizedTest(name = "{0} hosts in batches of {1}")
  @CsvSource({"3, 1, -1", "1000, 20, 990"})
  void chromiumRendersEveryHostAndStepWithoutAConsoleError(int hosts, int batchSize, int failing) throws Exception {
    RolloutReport report = SampleReports.rollout(hosts, batchSize, failing);
    Path page = OUT.resolve("rollout-" + hosts + ".html").toAbsolutePath();
    HeadlessChromium.Visit visit = render(report, page, "rollout-" + hosts);

    assertThat(visit.uncaughtErrors()).isEmpty();
    String dom = visit.dom();
    assertThat(dom).contains("data-rendered=\"" + hosts + "\"");
    for (HostReport host : report.hosts()) {
      String row = row(dom, host.host());
      for (StepReport step : host.steps()) {
        assertThat(row).as("%s on %s", step.step(), host.host())
            .containsPattern("data-phase=\"" + step.step() + "\"[^>]*aria-label=\"" + Pattern.quote(host.host() + " · "
                + step.step()));
      }
    }
    assertThat(Files.size(page)).isLessThan(2 * 1024 * 1024);
  }

  @ParameterizedTest(name = "{0} hosts in batches of {1}, halted by the gate after batch {2}, rolled back")
  @CsvSource({"8, 2, 3", "1000, 20, 49"})
  void chromiumRendersEveryGateAndTheRollbackWithoutAConsoleError(int hosts, int batchSize, int haltAfter)
      throws Exception {
    RolloutReport report = SampleReports.haltedByGateWithRollback(hosts, batchSize, haltAfter);
    Path page = OUT.resolve("rollout-gated-" + hosts + ".html").toAbsolutePath();
    HeadlessChromium.Visit visit = render(report, page, "rollout-gated-" + hosts);

    assertThat(visit.uncaughtErrors()).isEmpty();
    assertThat(visit.log().lines().filter(line -> line.contains(":CONSOLE"))).as("the console").isEmpty();
    String dom = visit.dom();
    List<HostReport> rolledBack = report.rollback().orElseThrow().hosts();
    assertThat(dom).contains("data-rendered=\"" + hosts + "\"", "data-rolled-back=\"" + rolledBack.size() + "\"");
    // A bar per gate, its figures in its label; the halted one red.
    for (var gate : report.gates()) {
      assertThat(dom).containsPattern("<rect class=\"gate g-" + gate.result() + "\"[^>]*data-batch=\""
          + gate.batch().number() + "\"[^>]*aria-label=\"" + Pattern.quote("gate after " + (gate.batch().canary() ? "canary " : "") + "batch " + gate.batch().number() + " ("));
    }
    assertThat(dom).containsPattern("<rect class=\"gate g-HALTED\"[^>]*aria-label=\"[^\"]*above the maximum 1.00 %");
    // A row for every host rolled back, below the rollout's, under the rollback's outcome.
    assertThat(dom).contains("<g class=\"rollback-head rb-COMPLETED\">");
    for (HostReport host : rolledBack) {
      assertThat(dom).containsPattern("<g class=\"rollback-host h-DONE\" data-host=\"" + Pattern.quote(host.host())
          + "\"[^>]*>(<text[^>]*>[^<]*<title>[^<]*</title></text>)?<rect [^>]*aria-label=\""
          + Pattern.quote(host.host() + " · "));
    }
    assertThat(dom).contains("<polyline class=\"series candidate\"", "<polyline class=\"series baseline\"");
    assertThat(Files.size(page)).isLessThan(2 * 1024 * 1024);
  }

  /** The host's row in the DOM, from its group's start to its end. */
  private static String row(String dom, String host) {
    Matcher matcher = Pattern.compile("<g class=\"host [^\"]*\" data-host=\"" + Pattern.quote(host)
        + "\"[^>]*>(.*?)</g>", Pattern.DOTALL).matcher(dom);
    assertThat(matcher.find()).as("a row for %s", host).isTrue();
    return matcher.group(1);
  }

  /** Writes the report's page to {@code page}, opens it in Chromium, and keeps a screenshot as {@code name}.png. */
  private static HeadlessChromium.Visit render(RolloutReport report, Path page, String name) throws Exception {
    Files.createDirectories(OUT);
    Files.writeString(page, report.toHtml(), StandardCharsets.UTF_8);
    HeadlessChromium chromium = HeadlessChromium.in(OUT.resolve("chromium-" + name).toAbsolutePath());
    HeadlessChromium.Visit visit = chromium.dumpDom(page);
    chromium.screenshot(page, 1280, 900, OUT.resolve(name + ".png"));
    return visit;
  }
}
