package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.ShuntStatus;
import dev.shunt.StepDescription.Kind;
import dev.shunt.workflow.StepReport.Result;
import dev.shunt.workflow.gate.GateVerdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link RolloutReport#toHtml()}: one page, every host and step on it, all text escaped, small at any size. */
class RolloutReportHtmlTest {

  /** The x of {@code at} on the timeline, as the page writes it. */
  private static String x(RolloutReport report, Instant at) {
    long total = Duration.between(report.start(), report.end()).toMillis();
    return String.format(java.util.Locale.ROOT, "%.1f", 170 + (double) Duration.between(report.start(), at).toMillis()
        / total * (1200 - 170 - 16));
  }

  /** Text as the page's script holds it: a JSON string, less its quotes. */
  private static final class JsonQuoted {
    static String of(String text) {
      String quoted = dev.shunt.internal.Json.quote(text);
      return quoted.substring(1, quoted.length() - 1);
    }
  }

  private static int count(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }

  @Test
  void pageHasARowPerHostAndABarPerStepTheSummaryAndTheWarnings() {
    RolloutReport report = SampleReports.rollout(6, 2, 3);

    String html = report.toHtml();

    assertThat(count(html, "<g class=\"host ")).isEqualTo(6);
    int steps = report.hosts().stream().mapToInt(host -> host.steps().size()).sum();
    assertThat(count(html, "<rect class=\"step ")).isEqualTo(steps);
    for (HostReport host : report.hosts()) {
      assertThat(html).contains("data-host=\"" + host.host() + "\" data-outcome=\"" + host.outcome() + "\"");
    }
    assertThat(html).contains("data-phase=\"cluster-safe\" data-kind=\"GATE\"", "class=\"step r-FAILED",
        "Why it stopped: 1 host(s) failed", "the drain timeout (PT5S) is shorter", "Hosts to look at (1)",
        "web-4: FAILED at restart");
  }

  @Test
  void pageMarksEveryBatchAndThePausesBetweenThem() {
    String html = SampleReports.rollout(6, 2, -1).toHtml();

    assertThat(count(html, "<rect class=\"lane\"")).isEqualTo(3);
    assertThat(count(html, "<rect class=\"pause\"")).isEqualTo(2);
    assertThat(html).contains("pause between batches: 3 s");
  }

  @Test
  void pageDrawsEachSeriesOfReadingsOnTheTimelinesAxis() {
    String few = SampleReports.rollout(3, 1, -1).toHtml();
    String many = SampleReports.rollout(12, 3, -1).toHtml();
    String none = new RolloutReport("r", "checkout", RolloutReport.Outcome.COMPLETED, "", SampleReports.START,
        SampleReports.START, 0, List.of(), List.of(), List.of()).toHtml();

    assertThat(count(few, "<svg class=\"chart\"")).isEqualTo(3);
    assertThat(few).contains("data-series=\"haproxy app/web-2 sessions\"");
    assertThat(count(many, "<svg class=\"chart\"")).isEqualTo(1);
    assertThat(count(many, "<polyline class=\"series\"")).isEqualTo(12);
    assertThat(none).doesNotContain("<svg class=\"chart\"");
  }

  @Test
  void everyTextFromTheReportIsEscaped() {
    String attack = "<img src=x onerror=alert(1)>\"'&</script><script>alert(2)</script>";
    RolloutReport report = new RolloutReport(attack, "checkout" + attack, RolloutReport.Outcome.HALTED, attack,
        SampleReports.START, SampleReports.START.plusSeconds(2), 0, List.of(
            new HostReport("web-1" + attack, 1, HostReport.Outcome.FAILED, List.of(new StepReport("restart" + attack,
                Result.FAILED, Duration.ofSeconds(1), attack, 1, Kind.COMMAND, SampleReports.START)),
                Duration.ofSeconds(1), ShuntStatus.inRotation(), attack)),
        List.of(attack), List.of(new RolloutReport.Sample(SampleReports.START, attack, 1)));

    String html = report.toHtml();

    assertThat(html).doesNotContain("<img", "alert(2)</script>", "onerror=alert(1)>")
        .contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;&lt;/script&gt;")
        .contains("\\u003cimg src=x onerror=alert(1)\\u003e\\\"'\\u0026\\u003c/script\\u003e");
    assertThat(count(html, "<script>")).isEqualTo(1);
    assertThat(count(html, "</script>")).isEqualTo(1);
  }

  @Test
  void pageNeedsNoNetwork() {
    String html = SampleReports.rollout(20, 5, 7).toHtml();

    assertThat(html).doesNotContainPattern("(?i)(src|href)\\s*=\\s*\"?(https?:)?//")
        .doesNotContainPattern("(?i)url\\((?!#)").contains("default-src 'none'");
  }

  @Test
  void aThousandHostsMakeAPageUnderTwoMegabytesWithEveryHostAndStepOnIt() {
    RolloutReport report = SampleReports.rollout(1000, 20, 990);

    String html = report.toHtml();

    assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(2 * 1024 * 1024);
    assertThat(count(html, "<g class=\"host ")).isEqualTo(1000);
    assertThat(count(html, "<rect class=\"step ")).isEqualTo(report.hosts().stream()
        .mapToInt(host -> host.steps().size()).sum());
    assertThat(html).contains("class=\"timeline compact\"", ">batch 49 · 20 hosts</text>", ">batch 50 · 19 hosts</text>",
        ">web-991<title>web-991: FAILED, left shunted</title>");
  }

  @Test
  void jsonReadsBackAsTheReportItWasWrittenFrom() {
    RolloutReport report = SampleReports.rollout(5, 2, 2);

    RolloutReport read = RolloutReport.fromJson(report.toJson());

    assertThat(read.toJson()).isEqualTo(report.toJson());
    assertThat(read.hosts()).extracting(HostReport::host, HostReport::outcome).containsExactlyElementsOf(
        report.hosts().stream().map(host -> org.assertj.core.groups.Tuple.tuple(host.host(), host.outcome())).toList());
    assertThat(read.hosts().get(2).steps()).isEqualTo(report.hosts().get(2).steps());
  }

  @Test
  void pageHasABarPerGateAfterItsBatchColouredByItsVerdictWithItsFiguresOnHover() {
    RolloutReport report = SampleReports.haltedByGateWithRollback(8, 2, 3);

    String html = report.toHtml();

    assertThat(count(html, "<rect class=\"gate ")).isEqualTo(3);
    assertThat(html).contains("<rect class=\"gate g-PASSED\"", "<rect class=\"gate g-PASSED_UNJUDGED\"",
        "<rect class=\"gate g-HALTED\"", "data-batch=\"3\" data-result=\"HALTED\"", ">metrics gate</text>");
    // Each bar starts where its gate began to watch, after its batch's last step.
    GateVerdict halted = report.gates().get(2);
    Instant batchEnd = report.hosts().stream().filter(host -> host.batch() == 3).flatMap(host -> host.steps().stream())
        .map(StepReport::end).max(Instant::compareTo).orElseThrow();
    assertThat(halted.start()).isAfter(batchEnd);
    assertThat(html).containsPattern("<rect class=\"gate g-HALTED\" x=\"" + Pattern.quote(x(report, halted.start()))
        + "\"");
    // The hover text: the verdict, both sides' sample sizes and measures, the metric and the threshold.
    assertThat(html).contains(JsonQuoted.of("gate after batch 3 (web-5, web-6): halted after 1.5 s\njust rolled: 210"
        + " requests, 10 answered 5xx (4.76 %), latency 12.0 ms, on web-5, web-6 (just rolled)\nbaseline: 424 requests,"
        + " 0 answered 5xx (0.00 %), latency 11.0 ms, on web-7, web-8 (not yet rolled)\nerror rate 5.00 % (10 of"
        + " 210 requests answered 5xx) on web-5, web-6 (just rolled) is above the maximum 1.00 %"));
    assertThat(html).contains("<h2>Metrics gate</h2>", "<tr class=\"g-HALTED\"><td>batch 3 (web-5, web-6)</td>"
        + "<td>halted</td><td>1.5 s</td>");
  }

  @Test
  void pageNamesTheGateHaltAndTheRollbackAtTheTopAndHasARowPerHostRolledBack() {
    RolloutReport report = SampleReports.haltedByGateWithRollback(8, 2, 3);

    String html = report.toHtml();

    assertThat(html).contains("<li class=\"g-HALTED\"><b>1</b> gate halted</li>",
        "<li class=\"g-PASSED\"><b>1</b> gate passed</li>", "<li class=\"g-PASSED_UNJUDGED\"><b>1</b> gate passed"
            + " unjudged</li>",
        "<p class=\"gate-halt\">The gate after batch 3 (web-5, web-6) halted the rollout after watching 1.5 s.</p>",
        "<p class=\"rollback-summary rb-COMPLETED\">Rollback completed: rolled back 6 host(s) (web-6, web-5, web-4,"
            + " web-3, web-2, web-1)</p>",
        "Why it stopped: the gate after batch 3 (web-5, web-6) halted the rollout: error rate 5.00 %");
    assertThat(count(html, "<g class=\"host ")).isEqualTo(8);
    assertThat(count(html, "<g class=\"rollback-host ")).isEqualTo(6);
    assertThat(html).contains("<rect class=\"band rollback\"", "<g class=\"rollback-head rb-COMPLETED\">",
        "rollback completed: rolled back 6 host(s)", ">↩ web-6<title>rollback of web-6: DONE</title>",
        "data-phase=\"rollback\" data-kind=\"COMMAND\"");
    // In the rollback's order, newest first, below the hosts of the rollout.
    assertThat(html.indexOf(">↩ web-6<")).isGreaterThan(html.lastIndexOf("<g class=\"host "))
        .isLessThan(html.indexOf(">↩ web-1<"));
    int steps = report.rollback().orElseThrow().hosts().stream().mapToInt(host -> host.steps().size()).sum()
        + report.hosts().stream().mapToInt(host -> host.steps().size()).sum();
    assertThat(count(html, "<rect class=\"step ")).isEqualTo(steps);
  }

  @Test
  void pageChartsTheRequestAndErrorRatesTheGateReadOnTheTimelinesAxis() {
    RolloutReport report = SampleReports.haltedByGateWithRollback(8, 2, 3);

    String html = report.toHtml();

    assertThat(html).contains(">requests per second and host, read by the metrics gate (orange: just rolled; blue:"
        + " not yet rolled)</text>", ">share of requests answered 5xx, in %, read by the metrics gate");
    // A line per side and bake: the gaps between the gates are not drawn over.
    assertThat(count(html, "<polyline class=\"series candidate\" data-series=\"gate requests/s per host \\(just"
        + " rolled\\)\"")).isEqualTo(3);
    assertThat(count(html, "<polyline class=\"series baseline\" data-series=\"gate 5xx % \\(not yet"
        + " rolled\\)\"")).isEqualTo(3);
    assertThat(count(html, "<svg class=\"chart\"")).isEqualTo(2);
  }

  @Test
  void aThousandHostsHaltedByAGateAndRolledBackMakeAPageUnderTwoMegabytes() {
    RolloutReport report = SampleReports.haltedByGateWithRollback(1000, 20, 49);

    String html = report.toHtml();

    assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(2 * 1024 * 1024);
    assertThat(count(html, "<rect class=\"gate ")).isEqualTo(49);
    assertThat(count(html, "<g class=\"rollback-host ")).isEqualTo(980);
    // Each host rolled back without a hitch is one bar, its steps in its text.
    assertThat(count(html, "<rect class=\"whole ")).isEqualTo(980);
    // At the top, long lists of hosts are cut: the page stays readable.
    assertThat(html).contains("<p class=\"rollback-summary rb-COMPLETED\">Rollback completed: rolled back 980 host(s)"
        + " (web-980, web-979, web-978, …, web-1 (980 hosts))</p>", "Why it stopped: the gate after batch 49 (web-961,"
        + " web-962, web-963, …, web-980 (20 hosts)) halted the rollout: error rate 5.00 % (105 of 2100 requests"
        + " answered 5xx) on web-961, web-962, web-963, …, web-980 (20 hosts) (just rolled) is above the maximum");
    assertThat(html).contains(">rolled back · 980 hosts</text>", "rollback completed: rolled back 980 host(s)",
        "rolled back in 3.3 s: shunt 4 ms, drain 900 ms, rollback 1.8 s, ready 600 ms, unshunt 3 ms");
  }

  @Test
  void jsonWithGatesAHaltAndARollbackReadsBackAsTheReportItWasWrittenFrom() {
    RolloutReport report = SampleReports.haltedByGateWithRollback(8, 2, 3);

    RolloutReport read = RolloutReport.fromJson(report.toJson());

    assertThat(read).isEqualTo(report);
    assertThat(read.toHtml()).isEqualTo(report.toHtml());
  }

  @Test
  void aGateFromBeforeVerdictsHadTheirBatchsHostsAndStartReadsAfterItsBatch() {
    RolloutReport report = SampleReports.haltedByGateWithRollback(4, 2, 1);
    String old = report.toJson().replaceAll(",\"start\":\"[^\"]*\",(\"bakedMillis\":\\d+),\"hosts\":\\[[^]]*\\]", ",$1");

    RolloutReport read = RolloutReport.fromJson(old);

    assertThat(old).contains("\"bakedMillis\":4000,\"candidate\"");
    GateVerdict gate = read.gates().get(0);
    assertThat(gate.batch()).isEqualTo(report.gates().get(0).batch());
    assertThat(gate.start()).isEqualTo(report.hosts().get(1).steps().get(5).end());
  }

  @Test
  void aJsonReportFromBeforeStepsHadAStartReadsWithTheStepsEndToEnd() {
    String old = "{\"rolloutId\":\"r\",\"service\":\"checkout\",\"outcome\":\"COMPLETED\",\"haltReason\":\"\","
        + "\"start\":\"2026-11-23T10:00:00Z\",\"end\":\"2026-11-23T10:00:05Z\",\"elapsedMillis\":5000,\"lockToken\":null,"
        + "\"hosts\":[{\"host\":\"web-1\",\"batch\":1,\"outcome\":\"DONE\",\"elapsedMillis\":3000,\"shuntedAfter\":false,"
        + "\"shuntedUntil\":null,\"note\":\"\",\"steps\":[{\"step\":\"shunt\",\"result\":\"SUCCEEDED\",\"elapsedMillis\":1000,"
        + "\"attempts\":1,\"outcome\":\"\"},{\"step\":\"restart\",\"result\":\"SUCCEEDED\",\"elapsedMillis\":2000,"
        + "\"attempts\":1,\"outcome\":\"exit 0\"}]},{\"host\":\"web-2\",\"batch\":2,\"outcome\":\"DONE\",\"elapsedMillis\":1000,"
        + "\"shuntedAfter\":true,\"shuntedUntil\":\"2026-11-23T10:15:00Z\",\"note\":\"\",\"steps\":[{\"step\":\"shunt\","
        + "\"result\":\"SUCCEEDED\",\"elapsedMillis\":1000,\"attempts\":1,\"outcome\":\"\"}]}]}";

    RolloutReport read = RolloutReport.fromJson(old);

    assertThat(read.hosts().get(0).steps()).extracting(StepReport::start).containsExactly(SampleReports.START,
        SampleReports.START.plusSeconds(1));
    assertThat(read.hosts().get(0).steps()).extracting(StepReport::kind).containsOnly(Kind.OTHER);
    assertThat(read.hosts().get(1).steps().get(0).start()).isEqualTo(SampleReports.START.plusSeconds(3));
    assertThat(read.hosts().get(1).statusAfter().expiry()).contains(SampleReports.START.plusSeconds(900));
    assertThat(read.warnings()).isEmpty();
    assertThat(read.samples()).isEmpty();
  }

  @Test
  void readingSomethingElseSaysWhatIsWrongAndWhere() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> RolloutReport.fromJson("{\"rolloutId\":\"r\"}"))
        .withMessage("the report.start must be a string, was null");
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> RolloutReport.fromJson("{\"hosts\": [1,"))
        .withMessageStartingWith("not valid JSON at offset 13");
    String badStep = SampleReports.rollout(1, 1, -1).toJson().replace("\"SUCCEEDED\"", "\"FINE\"");
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> RolloutReport.fromJson(badStep))
        .withMessage("hosts[0].steps[0].result must be one of [SUCCEEDED, FAILED, TIMED_OUT, CANCELLED], was FINE");
  }
}
