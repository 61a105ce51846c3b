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
 * 1,000. The pages and their screenshots stay in {@code target/report-html/} for a person to look at.
 */
class RolloutReportBrowserTest {
  private static final Path OUT = Path.of("target", "report-html");

  @ParameterizedTest(name = "{0} hosts in batches of {1}")
  @CsvSource({"3, 1, -1", "1000, 20, 990"})
  void chromiumRendersEveryHostAndStepWithoutAConsoleError(int hosts, int batchSize, int failing) throws Exception {
    RolloutReport report = SampleReports.rollout(hosts, batchSize, failing);
    Path page = OUT.resolve("rollout-" + hosts + ".html").toAbsolutePath();
    Files.createDirectories(OUT);
    Files.writeString(page, report.toHtml(), StandardCharsets.UTF_8);
    HeadlessChromium chromium = HeadlessChromium.in(OUT.resolve("chromium-" + hosts).toAbsolutePath());

    HeadlessChromium.Visit visit = chromium.dumpDom(page);
    chromium.screenshot(page, 1280, 900, OUT.resolve("rollout-" + hosts + ".png"));

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

  /** The host's row in the DOM, from its group's start to its end. */
  private static String row(String dom, String host) {
    Matcher matcher = Pattern.compile("<g class=\"host [^\"]*\" data-host=\"" + Pattern.quote(host)
        + "\"[^>]*>(.*?)</g>", Pattern.DOTALL).matcher(dom);
    assertThat(matcher.find()).as("a row for %s", host).isTrue();
    return matcher.group(1);
  }
}
