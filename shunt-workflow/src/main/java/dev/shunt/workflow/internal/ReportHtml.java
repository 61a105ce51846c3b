package dev.shunt.workflow.internal;

import dev.shunt.internal.Json;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RollbackReport;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.StepReport;
import dev.shunt.workflow.gate.GateVerdict;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link RolloutReport#toHtml()}: one page that needs no network. The timeline is drawn here, as SVG;
 * the page's little script only shows a step's details on hover. Every text from the report goes
 * through {@link #escape} (or, inside the script, {@link Json#quote}, which also escapes {@code <}).
 */
public final class ReportHtml {
  /**
   * Above this many hosts, the hosts of a batch that went through without a hitch share one row
   * (drawn over each other; each shows on hover); every other host keeps a row of its own.
   */
  public static final int MAX_ROWS = 200;
  /** The hosts the table of hosts that need attention lists at most. */
  static final int MAX_ATTENTION = 200;
  /** A step's outcome is cut to this length on the page (the JSON report keeps all of it). */
  static final int MAX_OUTCOME = 400;
  /** Above this many series, all are drawn in one chart. */
  static final int MAX_CHARTS = 6;

  private static final int WIDTH = 1200;
  private static final int LABEL = 170;
  private static final int PLOT = WIDTH - LABEL - 16;
  private static final int AXIS = 22;
  private static final int LANE = 22;
  private static final int CHART = 80;

  private final RolloutReport report;
  private final Instant origin;
  private final long totalMillis;
  private final StringBuilder out = new StringBuilder(64 * 1024);
  /** Outcome texts, each once; a step's bar names its text by index. */
  private final Map<String, Integer> outcomes = new LinkedHashMap<>();

  private ReportHtml(RolloutReport report) {
    this.report = report;
    this.origin = report.start();
    Instant last = report.end();
    for (HostReport host : report.hosts()) {
      for (StepReport step : host.steps()) {
        if (step.end().isAfter(last)) {
          last = step.end();
        }
      }
    }
    for (HostReport host : report.rollback().map(RollbackReport::hosts).orElse(List.of())) {
      for (StepReport step : host.steps()) {
        if (step.end().isAfter(last)) {
          last = step.end();
        }
      }
    }
    for (GateVerdict gate : report.gates()) {
      if (gate.start().plus(gate.baked()).isAfter(last)) {
        last = gate.start().plus(gate.baked());
      }
    }
    for (RolloutReport.Sample sample : report.samples()) {
      if (sample.at().isAfter(last)) {
        last = sample.at();
      }
    }
    this.totalMillis = Math.max(1, Duration.between(origin, last).toMillis());
  }

  public static String write(RolloutReport report) {
    return new ReportHtml(report).page();
  }

  /** {@code text} safe in HTML text and in a quoted attribute. */
  public static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
      }
    }
    return escaped.toString();
  }

  private String page() {
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';"
            + " script-src 'unsafe-inline'; img-src data:\">\n")
        .append("<title>").append(escape("Rollout of " + report.service() + ": " + report.outcome())).append("</title>\n")
        .append("<style>").append(STYLE).append("</style></head>\n<body>\n");
    header();
    timeline();
    charts();
    gates();
    attention();
    out.append("<details><summary>The summary as text</summary><pre>").append(escape(report.summary()))
        .append("</pre></details>\n");
    out.append("<div id=\"tip\" hidden></div>\n<script>\nvar OUTCOMES = [");
    boolean first = true;
    for (String text : outcomes.keySet()) {
      out.append(first ? "" : ",").append(Json.quote(text));
      first = false;
    }
    out.append("];\n").append(SCRIPT).append("</script>\n</body></html>\n");
    return out.toString();
  }

  private void header() {
    String verdict = report.succeeded() ? "succeeded" : report.outcome() == RolloutReport.Outcome.COMPLETED
        ? "completed with failures" : report.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    out.append("<header><h1>Rollout of ").append(escape(report.service())).append(" <span class=\"badge ")
        .append(report.succeeded() ? "ok" : "bad").append("\">").append(escape(verdict)).append("</span></h1>\n")
        .append("<p class=\"meta\">rollout ").append(escape(report.rolloutId())).append(" · ")
        .append(report.start().truncatedTo(ChronoUnit.MILLIS)).append(" to ")
        .append(report.end().truncatedTo(ChronoUnit.MILLIS))
        .append(" · ").append(span(report.elapsed().toMillis()))
        .append(report.lockToken() == 0 ? "" : " · deploy lock token " + report.lockToken()).append("</p>\n");
    if (!report.haltReason().isEmpty()) {
      String why = report.haltReason();
      for (GateVerdict gate : report.gates()) {
        why = gate.halted() ? shorten(why, gate) : why;
      }
      out.append("<p class=\"why\">Why it stopped: ").append(escape(why)).append("</p>\n");
    }
    out.append("<ul class=\"counts\">");
    for (HostReport.Outcome outcome : HostReport.Outcome.values()) {
      int count = report.hosts(outcome).size();
      if (count > 0 || outcome == HostReport.Outcome.DONE || outcome == HostReport.Outcome.FAILED) {
        out.append("<li class=\"h-").append(outcome).append("\"><b>").append(count).append("</b> ")
            .append(outcome.name().toLowerCase(Locale.ROOT)).append("</li>");
      }
    }
    long shunted = report.hosts().stream().filter(host -> host.statusAfter().shunted()).count();
    out.append("<li class=\"h-shunted\"><b>").append(shunted).append("</b> left shunted</li>");
    for (GateVerdict.Result result : GateVerdict.Result.values()) {
      long count = report.gates().stream().filter(gate -> gate.result() == result).count();
      if (count > 0) {
        out.append("<li class=\"g-").append(result).append("\"><b>").append(count).append("</b> ")
            .append(count == 1 ? "gate " : "gates ").append(verdict(result)).append("</li>");
      }
    }
    out.append("</ul>\n");
    for (GateVerdict gate : report.gates()) {
      if (gate.halted()) {
        out.append("<p class=\"gate-halt\">The gate after ").append(escape(batch(gate)))
            .append(" halted the rollout after watching ").append(span(gate.baked().toMillis())).append(".</p>\n");
      }
    }
    report.rollback().ifPresent(rollback -> out.append("<p class=\"rollback-summary rb-").append(rollback.outcome())
        .append("\">Rollback ").append(rollback.outcome().name().toLowerCase(Locale.ROOT)).append(": ")
        .append(escape(rollback(rollback))).append("</p>\n"));
    if (!report.warnings().isEmpty()) {
      out.append("<section class=\"warnings\"><h2>Warnings</h2><ul>");
      report.warnings().forEach(warning -> out.append("<li>").append(escape(warning)).append("</li>"));
      out.append("</ul></section>\n");
    }
  }

  /**
   * One row of the timeline: a host of its own, or, above {@link #MAX_ROWS} hosts, the hosts of a
   * batch that went through without a hitch, drawn over each other.
   */
  private record Row(String label, int batch, List<HostReport> hosts) {}

  private void timeline() {
    List<HostReport> hosts = report.hosts();
    boolean compact = hosts.size() > MAX_ROWS;
    List<Row> rows = compact ? batchRows(hosts) : hosts.stream().map(host -> new Row(host.host(), host.batch(),
        List.of(host))).toList();
    List<HostReport> rolledBack = report.rollback().map(RollbackReport::hosts).orElse(List.of());
    List<Row> backRows = compact ? rollbackRows(rolledBack) : rolledBack.stream().map(host -> new Row(host.host(),
        host.batch(), List.of(host))).toList();
    boolean gated = !report.gates().isEmpty();
    int extra = (gated ? 1 : 0) + (report.rollback().isPresent() ? 1 + backRows.size() : 0);
    int row = rows.size() + extra <= 40 ? 22 : 14;
    // The steps, by name, in the order they first ran: the legend, and a shade per step.
    Map<String, Integer> phases = new LinkedHashMap<>();
    Map<String, String> kinds = new HashMap<>();
    for (HostReport host : hosts) {
      for (StepReport step : host.steps()) {
        phases.putIfAbsent(step.step(), phases.size());
        kinds.putIfAbsent(step.step(), step.kind().name());
      }
    }
    for (HostReport host : rolledBack) {
      for (StepReport step : host.steps()) {
        phases.putIfAbsent(step.step(), phases.size());
        kinds.putIfAbsent(step.step(), step.kind().name());
      }
    }
    out.append("<section class=\"legend\"><span class=\"key r-SUCCEEDED\">succeeded</span>")
        .append("<span class=\"key r-FAILED\">failed</span><span class=\"key r-TIMED_OUT\">timed out</span>")
        .append("<span class=\"key r-CANCELLED\">cancelled</span><span class=\"key pause\">pause</span>")
        .append(gated ? "<span class=\"key g-PASSED\">gate passed</span><span class=\"key g-PASSED_UNJUDGED\">gate"
            + " passed unjudged (too few requests)</span><span class=\"key g-HALTED\">gate halted</span>" : "")
        .append(" <span class=\"steps\">steps:");
    phases.forEach((name, index) -> out.append(" <span class=\"phase\">").append(index + 1).append(". ")
        .append(escape(name)).append(" <small>").append(kinds.get(name)).append("</small></span>"));
    out.append("</span>").append(compact ? "<p class=\"note\">" + hosts.size() + " hosts: the hosts of a batch"
        + " that went through without a hitch share its row, drawn over each other (hover a bar for its host);"
        + " every other host has a row of its own.</p>" : "").append("</section>\n");

    Map<Integer, long[]> batches = batchSpans(hosts);
    int gateTop = AXIS + LANE + 6;
    int top = gateTop + (gated ? row : 0);
    int backTop = top + rows.size() * row;
    int height = backTop + (report.rollback().isPresent() ? (1 + backRows.size()) * row : 0) + 8;
    out.append("<svg id=\"timeline\" class=\"timeline").append(compact ? " compact" : "")
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" width=\"").append(WIDTH)
        .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"timeline of the rollout\">\n")
        .append("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
            + " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff7dc\"/>"
            + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#d9b44a\" stroke-width=\"2\"/></pattern></defs>\n");
    axis(height);
    // Row bands first (a batch's rows shaded in turn), then over them the batch lane and the pauses
    // between batches, which run down the whole height, then the rows.
    StringBuilder lanes = new StringBuilder();
    int index = 0;
    int shade = 0;
    long[] before = null;
    while (index < rows.size()) {
      int batch = rows.get(index).batch();
      int count = (int) rows.stream().skip(index).takeWhile(r -> r.batch() == batch).count();
      String label = batch == 0 ? "not run" : "batch " + batch;
      out.append("<rect class=\"band").append(shade++ % 2 == 0 ? "" : " odd").append("\" data-batch=\"")
          .append(batch).append("\" x=\"0\" y=\"").append(top + index * row).append("\" width=\"").append(WIDTH)
          .append("\" height=\"").append(count * row).append("\"/>\n");
      long[] spanOf = batches.get(batch);
      if (spanOf != null) {
        double x1 = x(spanOf[0]);
        double x2 = Math.max(x(spanOf[1]), x1 + 1);
        lanes.append("<rect class=\"lane\" x=\"").append(f(x1)).append("\" y=\"").append(AXIS + 2)
            .append("\" width=\"").append(f(x2 - x1)).append("\" height=\"").append(LANE - 6).append("\"><title>")
            .append(escape(label + ": " + span(spanOf[1] - spanOf[0]))).append("</title></rect>");
        if (x2 - x1 > 44) {
          lanes.append("<text class=\"lane-label\" x=\"").append(f(x1 + 3)).append("\" y=\"").append(AXIS + 14)
              .append("\">").append(escape(label)).append("</text>");
        }
        if (before != null && spanOf[0] - before[1] >= Math.max(500, totalMillis / 300)) {
          double p1 = x(before[1]);
          double p2 = x(spanOf[0]);
          lanes.append("<rect class=\"pause\" x=\"").append(f(p1)).append("\" y=\"").append(AXIS + 2)
              .append("\" width=\"").append(f(p2 - p1)).append("\" height=\"").append(height - AXIS - 2)
              .append("\" fill=\"url(#hatch)\"><title>").append(escape("pause between batches: "
                  + span(spanOf[0] - before[1]))).append("</title></rect>");
        }
        before = spanOf;
        // The gate's bake after a batch is no pause: the pause, if any, comes after it.
        long gateEnd = report.gates().stream().filter(gate -> gate.batch().number() == batch)
            .mapToLong(gate -> Duration.between(origin, gate.start().plus(gate.baked())).toMillis()).max().orElse(0);
        if (gateEnd > spanOf[1]) {
          before = new long[] {spanOf[0], gateEnd};
        }
      }
      index += count;
    }
    if (report.rollback().isPresent()) {
      out.append("<rect class=\"band rollback\" x=\"0\" y=\"").append(backTop).append("\" width=\"").append(WIDTH)
          .append("\" height=\"").append((1 + backRows.size()) * row).append("\"/>\n");
    }
    out.append(lanes).append('\n');
    if (gated) {
      gateRow(gateTop, row);
    }
    rows(rows, top, row, phases, false);
    report.rollback().ifPresent(rollback -> {
      String text = "rollback " + rollback.outcome().name().toLowerCase(Locale.ROOT) + ": " + rollback(rollback);
      out.append("<g class=\"rollback-head rb-").append(rollback.outcome()).append("\"><text class=\"label group\" x=\"")
          .append(LABEL - 6).append("\" y=\"").append(backTop + row / 2 + 4).append("\">rollback</text><text class=\"idle\""
              + " x=\"").append(LABEL + 4).append("\" y=\"").append(backTop + row / 2 + 4).append("\">")
          .append(escape(cut(text))).append("</text></g>\n");
      rows(backRows, backTop + row, row, phases, true);
    });
    out.append("</svg>\n");
  }

  /** The rows of {@code rows} from {@code top}, hosts of the rollout or, with {@code rollback}, of its rollback. */
  private void rows(List<Row> rows, int top, int row, Map<String, Integer> phases, boolean rollback) {
    int index = 0;
    for (Row lane : rows) {
      int y = top + index * row;
      if (lane.hosts().size() > 1) {
        out.append("<text class=\"label group\" x=\"").append(LABEL - 6).append("\" y=\"").append(y + row / 2 + 4)
            .append("\">").append(escape(lane.label())).append("</text>");
        if (lane.hosts().stream().allMatch(host -> host.steps().isEmpty())) {
          out.append("<text class=\"idle\" x=\"").append(LABEL + 4).append("\" y=\"").append(y + row / 2 + 4)
              .append("\">").append(escape(lane.hosts().get(0).outcome().name().toLowerCase(Locale.ROOT)))
              .append("</text>");
        }
      }
      for (HostReport host : lane.hosts()) {
        hostRow(host, y, row, lane.hosts().size() > 1, phases, rollback);
      }
      index++;
    }
  }

  /** A row for the metrics gate: a bar per verdict, from when it began to watch, for as long as it watched. */
  private void gateRow(int y, int row) {
    out.append("<g class=\"gates\"><text class=\"label group\" x=\"").append(LABEL - 6).append("\" y=\"")
        .append(y + row / 2 + 4).append("\">metrics gate</text>");
    for (GateVerdict gate : report.gates()) {
      long from = Duration.between(origin, gate.start()).toMillis();
      long millis = gate.baked().toMillis();
      double x1 = x(from);
      double width = Math.max(2, x(from + millis) - x1);
      String text = "gate after " + batch(gate) + ": " + verdict(gate.result()) + " after " + span(millis)
          + "\njust rolled: " + side(gate.candidate()) + "\nbaseline: " + gate.baseline().map(ReportHtml::side)
          .orElse("none") + "\n" + reason(gate);
      out.append("<rect class=\"gate g-").append(gate.result()).append("\" x=\"").append(f(x1)).append("\" y=\"")
          .append(y + 2).append("\" width=\"").append(f(width)).append("\" height=\"").append(row - 4)
          .append("\" data-batch=\"").append(gate.batch().number()).append("\" data-result=\"").append(gate.result())
          .append("\" data-o=\"").append(outcomes.computeIfAbsent(text, key -> outcomes.size())).append("\"/>");
      String label = "gate " + gate.batch().number();
      if (width > 7.0 * label.length() + 6) {
        out.append("<text class=\"in-bar\" x=\"").append(f(x1 + 3)).append("\" y=\"").append(y + row / 2 + 4)
            .append("\">").append(label).append("</text>");
      }
    }
    out.append("</g>\n");
  }

  /** The verdict's reason, each long list of hosts in it cut to its first and last: its figures stay in the first 400 characters. */
  private static String reason(GateVerdict gate) {
    return shorten(gate.reason(), gate);
  }

  /** {@code text} with each long list of the gate's hosts in it (its batch's, either side's) cut as {@link #hosts} does. */
  private static String shorten(String text, GateVerdict gate) {
    List<List<String>> lists = new ArrayList<>();
    lists.add(gate.batch().hosts());
    lists.add(gate.candidate().hosts());
    gate.baseline().ifPresent(baseline -> lists.add(baseline.hosts()));
    for (List<String> hosts : lists) {
      if (hosts.size() > 6) {
        text = text.replace(String.join(", ", hosts), hosts(hosts));
      }
    }
    return text;
  }

  /** What the rollback did, as {@link RollbackReport#toString()} says it, its lists of hosts cut as {@link #hosts} does. */
  private static String rollback(RollbackReport rollback) {
    String text = rollback.toString();
    if (rollback.rolledBack().size() > 6) {
      text = text.replace(String.join(", ", rollback.rolledBack()), hosts(rollback.rolledBack()));
    }
    if (rollback.notRolledBack().size() > 6) {
      text = text.replace(String.join(", ", rollback.notRolledBack()), hosts(rollback.notRolledBack()));
    }
    return text;
  }

  /** E.g. {@code canary batch 1 (web-1)}, its hosts cut as {@link #hosts} does. */
  private static String batch(GateVerdict gate) {
    return (gate.batch().canary() ? "canary batch " : "batch ") + gate.batch().number() + " ("
        + hosts(gate.batch().hosts()) + ")";
  }

  /** E.g. {@code web-1, web-2, web-3, …, web-40 (40 hosts)}, or all of them when there are at most 6. */
  private static String hosts(List<String> hosts) {
    return hosts.size() <= 6 ? String.join(", ", hosts) : String.join(", ", hosts.subList(0, 3)) + ", …, "
        + hosts.get(hosts.size() - 1) + " (" + hosts.size() + " hosts)";
  }

  /** E.g. {@code 105 requests, 5 answered 5xx (4.76 %), latency 12.0 ms, on web-1}. */
  private static String side(GateVerdict.Sample sample) {
    return sample.requests() + " requests, " + sample.errors() + " answered 5xx (" + String.format(Locale.ROOT,
        "%.2f %%", sample.errorRate() * 100) + ")" + sample.latency().map(latency -> String.format(Locale.ROOT,
        ", latency %.1f ms", latency.toNanos() / 1e6)).orElse("") + ", on " + hosts(sample.hosts())
        + " (" + sample.side() + ")";
  }

  private static String verdict(GateVerdict.Result result) {
    return switch (result) {
      case PASSED -> "passed";
      case PASSED_UNJUDGED -> "passed unjudged";
      case HALTED -> "halted";
    };
  }

  /**
   * Above {@link #MAX_ROWS} hosts: a row per batch for its hosts that were done in one attempt of
   * each step, and a row of its own for every other host, after its batch's row.
   */
  private static List<Row> batchRows(List<HostReport> hosts) {
    List<Row> rows = new ArrayList<>();
    int index = 0;
    while (index < hosts.size()) {
      int batch = hosts.get(index).batch();
      List<HostReport> members = hosts.stream().skip(index).takeWhile(host -> host.batch() == batch).toList();
      List<HostReport> smooth = members.stream().filter(ReportHtml::smooth).toList();
      String label = batch == 0 ? "not run" : "batch " + batch;
      if (!smooth.isEmpty()) {
        rows.add(new Row(label + " · " + smooth.size() + (smooth.size() == 1 ? " host" : " hosts"), batch, smooth));
      }
      members.stream().filter(host -> !smooth(host)).forEach(host -> rows.add(new Row(host.host(), batch,
          List.of(host))));
      index += members.size();
    }
    return rows;
  }

  /** Above {@link #MAX_ROWS} hosts: one row for the hosts rolled back without a hitch, and a row of its own for every other. */
  private static List<Row> rollbackRows(List<HostReport> hosts) {
    List<Row> rows = new ArrayList<>();
    List<HostReport> smooth = hosts.stream().filter(ReportHtml::smooth).toList();
    if (!smooth.isEmpty()) {
      rows.add(new Row("rolled back · " + smooth.size() + (smooth.size() == 1 ? " host" : " hosts"), 0, smooth));
    }
    hosts.stream().filter(host -> !smooth(host)).forEach(host -> rows.add(new Row(host.host(), 0, List.of(host))));
    return rows;
  }

  /** A host that needs no row of its own: done (or skipped, or not run) in one attempt of each step. */
  private static boolean smooth(HostReport host) {
    return (host.outcome() == HostReport.Outcome.DONE || host.outcome() == HostReport.Outcome.SKIPPED
        || host.outcome() == HostReport.Outcome.UNTOUCHED) && !host.statusAfter().shunted()
        && host.steps().stream().allMatch(step -> step.attempts() == 1);
  }

  private void hostRow(HostReport host, int y, int row, boolean shared, Map<String, Integer> phases, boolean rollback) {
    out.append("<g class=\"").append(rollback ? "rollback-host" : "host").append(" h-").append(host.outcome())
        .append("\" data-host=\"").append(escape(host.host())).append("\" data-outcome=\"").append(host.outcome())
        .append("\">");
    if (!shared) {
      String name = (rollback ? "↩ " : "") + (host.host().length() > 24 ? host.host().substring(0, 23) + "…"
          : host.host());
      out.append("<text class=\"label\" x=\"").append(LABEL - 6).append("\" y=\"").append(y + row / 2 + 4)
          .append("\">").append(escape(name)).append("<title>").append(escape((rollback ? "rollback of " : "")
              + host.host() + ": " + host.outcome()
              + (host.statusAfter().shunted() ? ", left shunted" : "") + (host.note().isEmpty() ? "" : " (" + host.note()
              + ")"))).append("</title></text>");
      if (host.steps().isEmpty()) {
        out.append("<text class=\"idle\" x=\"").append(LABEL + 4).append("\" y=\"").append(y + row / 2 + 4)
            .append("\">").append(escape(host.outcome().name().toLowerCase(Locale.ROOT)
                + (host.note().isEmpty() ? "" : ": " + host.note()))).append("</text>");
      }
    }
    int pad = 3;
    if (rollback && shared && !host.steps().isEmpty()) {
      // Above MAX_ROWS hosts, a host rolled back without a hitch is one bar, its steps in its text: the page stays small.
      Instant first = host.steps().get(0).start();
      long from = Duration.between(origin, first).toMillis();
      long millis = Duration.between(first, host.steps().get(host.steps().size() - 1).end()).toMillis();
      StringBuilder text = new StringBuilder("rolled back in ").append(span(millis)).append(':');
      host.steps().forEach(step -> text.append(' ').append(step.step()).append(' ')
          .append(span(step.elapsed().toMillis())).append(','));
      text.setLength(text.length() - 1);
      double x1 = x(from);
      out.append("<rect class=\"whole r-SUCCEEDED\" x=\"").append(f(x1)).append("\" y=\"").append(y + pad / 2)
          .append("\" width=\"").append(f(Math.max(1, x(from + millis) - x1))).append("\" height=\"").append(row - pad)
          .append("\" data-o=\"").append(outcome(text.toString())).append("\"/></g>\n");
      return;
    }
    for (StepReport step : host.steps()) {
      long from = Duration.between(origin, step.start()).toMillis();
      long millis = step.elapsed().toMillis();
      double x1 = x(from);
      double width = Math.max(1, x(from + millis) - x1);
      int phase = phases.get(step.step());
      out.append("<rect class=\"step r-").append(step.result()).append(phase % 2 == 1 ? " alt" : "")
          .append("\" x=\"").append(f(x1)).append("\" y=\"").append(y + pad / 2).append("\" width=\"").append(f(width))
          .append("\" height=\"").append(row - pad).append("\" data-phase=\"").append(escape(step.step()))
          .append("\" data-kind=\"").append(step.kind()).append("\" data-t=\"").append(from).append("\" data-d=\"")
          .append(millis).append('"').append(step.attempts() > 1 ? " data-a=\"" + step.attempts() + "\"" : "")
          .append(" data-o=\"").append(outcome(step.outcome())).append("\"/>");
      if (!shared && width > 7.0 * step.step().length() + 6) {
        out.append("<text class=\"in-bar\" x=\"").append(f(x1 + 3)).append("\" y=\"").append(y + row / 2 + 4)
            .append("\">").append(escape(step.step())).append("</text>");
      }
    }
    out.append("</g>\n");
  }

  /** The time axis: a tick at every round span, with grid lines down the whole height. */
  private void axis(int height) {
    long step = tickStep(totalMillis);
    out.append("<g class=\"axis\">");
    for (long t = 0; t <= totalMillis; t += step) {
      double x = x(t);
      out.append("<line x1=\"").append(f(x)).append("\" y1=\"").append(AXIS - 4).append("\" x2=\"").append(f(x))
          .append("\" y2=\"").append(height).append("\"/><text x=\"").append(f(x)).append("\" y=\"").append(AXIS - 8)
          .append("\">").append(span(t)).append("</text>");
    }
    out.append("</g>\n");
  }

  /**
   * The samples, by series, on the timeline's axis: first the metrics gate's request and error rates,
   * a chart each with the hosts just rolled and those not yet rolled; then the steps' readings, one
   * chart per series, or all in one when there are many.
   */
  private void charts() {
    Map<String, List<RolloutReport.Sample>> series = new TreeMap<>();
    Map<String, List<RolloutReport.Sample>> requests = new TreeMap<>();
    Map<String, List<RolloutReport.Sample>> errors = new TreeMap<>();
    report.samples().forEach(sample -> (sample.series().startsWith(GateRun.REQUESTS + " (") ? requests
        : sample.series().startsWith(GateRun.ERRORS + " (") ? errors : series)
        .computeIfAbsent(sample.series(), name -> new ArrayList<>()).add(sample));
    if (series.isEmpty() && requests.isEmpty() && errors.isEmpty()) {
      return;
    }
    out.append("<section class=\"charts\"><h2>Readings taken during the rollout</h2>\n");
    if (!requests.isEmpty()) {
      chart("requests per second and host, read by the metrics gate (orange: just rolled; blue: not yet rolled)",
          requests);
    }
    if (!errors.isEmpty()) {
      chart("share of requests answered 5xx, in %, read by the metrics gate (orange: just rolled; blue: not yet"
          + " rolled)", errors);
    }
    if (series.size() <= MAX_CHARTS) {
      series.forEach((name, samples) -> chart(name, Map.of(name, samples)));
    } else {
      chart(series.size() + " series (hover a line for its name)", series);
    }
    out.append("</section>\n");
  }

  private void chart(String title, Map<String, List<RolloutReport.Sample>> series) {
    double max = series.values().stream().flatMap(List::stream).mapToDouble(RolloutReport.Sample::value)
        .max().orElse(0);
    double min = Math.min(0, series.values().stream().flatMap(List::stream).mapToDouble(RolloutReport.Sample::value)
        .min().orElse(0));
    double range = max - min == 0 ? 1 : max - min;
    int height = CHART + 24;
    out.append("<svg class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" width=\"")
        .append(WIDTH).append("\" height=\"").append(height).append("\" data-series-count=\"").append(series.size())
        .append("\"><text class=\"chart-title\" x=\"4\" y=\"14\">").append(escape(title)).append("</text>")
        .append("<text class=\"chart-scale\" x=\"").append(LABEL - 6).append("\" y=\"24\">").append(number(max))
        .append("</text><text class=\"chart-scale\" x=\"").append(LABEL - 6).append("\" y=\"").append(CHART + 18)
        .append("\">").append(number(min)).append("</text><rect class=\"chart-frame\" x=\"").append(LABEL)
        .append("\" y=\"18\" width=\"").append(PLOT).append("\" height=\"").append(CHART).append("\"/>");
    series.forEach((name, samples) -> {
      // A series read in separate windows (the gate's bakes) is a line per window, not one across the gaps.
      long[] gaps = new long[Math.max(0, samples.size() - 1)];
      for (int i = 1; i < samples.size(); i++) {
        gaps[i - 1] = Duration.between(samples.get(i - 1).at(), samples.get(i).at()).toMillis();
      }
      long[] sorted = gaps.clone();
      java.util.Arrays.sort(sorted);
      long apart = Math.max(2000, 4 * (sorted.length == 0 ? 0 : sorted[sorted.length / 2]));
      String kind = name.endsWith("(just rolled)") ? " candidate" : name.endsWith("(not yet rolled)") ? " baseline" : "";
      for (int i = 0; i < samples.size(); i++) {
        if (i == 0 || gaps[i - 1] > apart) {
          out.append(i == 0 ? "" : "\"><title>" + escape(name) + "</title></polyline>")
              .append("<polyline class=\"series").append(kind).append("\" data-series=\"").append(escape(name))
              .append("\" points=\"");
        }
        RolloutReport.Sample sample = samples.get(i);
        double y = 18 + CHART - (sample.value() - min) / range * CHART;
        out.append(f(x(Duration.between(origin, sample.at()).toMillis()))).append(',').append(f(y)).append(' ');
      }
      out.append("\"><title>").append(escape(name)).append("</title></polyline>");
    });
    out.append("</svg>\n");
  }

  /** Every verdict of the metrics gate, with the figures it judged. */
  private void gates() {
    if (report.gates().isEmpty()) {
      return;
    }
    out.append("<section class=\"gate-verdicts\"><h2>Metrics gate</h2><table><tr><th>after</th><th>verdict</th>"
        + "<th>watched</th><th>just rolled</th><th>baseline</th><th>why</th></tr>\n");
    for (GateVerdict gate : report.gates()) {
      out.append("<tr class=\"g-").append(gate.result()).append("\"><td>").append(escape(batch(gate)))
          .append("</td><td>").append(verdict(gate.result())).append("</td><td>").append(span(gate.baked().toMillis()))
          .append("</td><td>").append(escape(side(gate.candidate()))).append("</td><td>")
          .append(escape(gate.baseline().map(ReportHtml::side).orElse("none"))).append("</td><td>")
          .append(escape(cut(reason(gate)))).append("</td></tr>\n");
    }
    out.append("</table></section>\n");
  }

  /** The hosts a person must look at: failed and cancelled ones, and any left shunted. */
  private void attention() {
    List<HostReport> hosts = report.hosts().stream().filter(host -> host.outcome() == HostReport.Outcome.FAILED
        || host.outcome() == HostReport.Outcome.CANCELLED || !host.inRotation()).toList();
    if (hosts.isEmpty()) {
      return;
    }
    out.append("<section class=\"attention\"><h2>Hosts to look at (").append(hosts.size())
        .append(")</h2><table><tr><th>host</th><th>batch</th><th>outcome</th><th>step</th><th>what it said</th>"
            + "<th>left</th></tr>\n");
    for (HostReport host : hosts.subList(0, Math.min(hosts.size(), MAX_ATTENTION))) {
      StepReport failed = host.failedStep().orElse(null);
      out.append("<tr><td>").append(escape(host.host())).append("</td><td>").append(host.batch()).append("</td><td>")
          .append(host.outcome()).append("</td><td>").append(failed == null ? "" : escape(failed.step()))
          .append("</td><td>").append(escape(failed == null ? host.note() : cut(failed.outcome()))).append("</td><td>")
          .append(escape((host.statusAfter().shunted() ? "shunted " + ShuntLeft.until(host.statusAfter())
              : ShuntLeft.unshunted(host)) + ShuntLeft.outOf(host))).append("</td></tr>\n");
    }
    out.append("</table>");
    if (hosts.size() > MAX_ATTENTION) {
      out.append("<p>and ").append(hosts.size() - MAX_ATTENTION).append(" more: see the summary below</p>");
    }
    out.append("</section>\n");
  }

  /** Per batch, from its first step's start to its last step's end, in milliseconds from the origin. */
  private Map<Integer, long[]> batchSpans(List<HostReport> hosts) {
    Map<Integer, long[]> spans = new TreeMap<>();
    for (HostReport host : hosts) {
      for (StepReport step : host.steps()) {
        long from = Duration.between(origin, step.start()).toMillis();
        long to = from + step.elapsed().toMillis();
        long[] span = spans.computeIfAbsent(host.batch(), batch -> new long[] {from, to});
        span[0] = Math.min(span[0], from);
        span[1] = Math.max(span[1], to);
      }
    }
    spans.remove(0);
    return spans;
  }

  private int outcome(String text) {
    return outcomes.computeIfAbsent(cut(text), key -> outcomes.size());
  }

  private static String cut(String text) {
    return text.length() <= MAX_OUTCOME ? text : text.substring(0, MAX_OUTCOME - 1) + "…";
  }

  private double x(long millis) {
    return LABEL + (double) Math.max(0, Math.min(millis, totalMillis)) / totalMillis * PLOT;
  }

  /** A round span between ticks, about 8 ticks in all: 1, 2 or 5 times a power of ten ms; minutes and hours above. */
  static long tickStep(long totalMillis) {
    long[] minutes = {60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000,
        21_600_000};
    for (long step = 1; step < 60_000; step *= 10) {
      for (long factor : new long[] {1, 2, 5}) {
        if (totalMillis / (step * factor) <= 8) {
          return step * factor;
        }
      }
    }
    for (long step : minutes) {
      if (totalMillis / step <= 8) {
        return step;
      }
    }
    return (totalMillis / 8 / 3_600_000 + 1) * 3_600_000;
  }

  /** {@code 850 ms}, {@code 12.5 s}, {@code 3 min 20 s}, {@code 2 h 5 min}. */
  static String span(long millis) {
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      String seconds = String.format(Locale.ROOT, "%.1f", millis / 1000.0);
      return (seconds.endsWith(".0") ? seconds.substring(0, seconds.length() - 2) : seconds) + " s";
    }
    long seconds = millis / 1000;
    if (seconds < 3600) {
      return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
    }
    return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e12 ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.3g", value);
  }

  private static String f(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  private static final String STYLE = """
      body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:16px 20px;color:#1d2330}
      h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:14px 0 6px}
      .badge{font-size:13px;padding:2px 8px;border-radius:10px;vertical-align:middle;color:#fff}
      .badge.ok{background:#2e9e5b}.badge.bad{background:#d93f3f}
      .meta{color:#5b6475;margin:0 0 6px}.why{color:#a12a2a;font-weight:600}
      .counts{list-style:none;padding:0;margin:6px 0;display:flex;gap:14px;flex-wrap:wrap}
      .counts li{background:#f2f4f7;border-radius:6px;padding:3px 10px}
      .counts .h-FAILED b,.counts .h-CANCELLED b{color:#d93f3f}
      .warnings{background:#fff6e0;border-left:4px solid #e8a317;padding:4px 12px;margin:8px 0}
      .warnings ul{margin:4px 0;padding-left:18px}
      .legend{margin:10px 0 4px;font-size:12px;color:#3b4352}
      .key{display:inline-block;padding:1px 6px;margin-right:6px;border-radius:3px;color:#fff}
      .key.pause{background:#fff7dc;color:#7a5c00;border:1px solid #d9b44a}
      .phase{margin-left:6px}.phase small{color:#8a93a5}.note{color:#5b6475;margin-left:8px}
      svg{display:block;max-width:100%;height:auto;font-size:11px}
      .axis line{stroke:#e3e7ee}.axis text{fill:#5b6475;text-anchor:middle}
      .band{fill:#fff}.band.odd{fill:#f5f7fa}
      .lane{fill:#c9d3e3}.lane-label{fill:#1d2330;font-size:10px}
      .label.group{fill:#3b4352;font-weight:600}
      .label{text-anchor:end;fill:#1d2330}.h-FAILED .label,.h-CANCELLED .label{fill:#c22f2f;font-weight:600}
      .idle{fill:#8a93a5;font-style:italic}
      .step,.whole{stroke:#fff;stroke-width:.5}.step:hover,.whole:hover{stroke:#1d2330;stroke-width:1.5}
      .r-SUCCEEDED{fill:#2e9e5b;background:#2e9e5b}.r-SUCCEEDED.alt{fill:#5cc086}
      .r-FAILED{fill:#d93f3f;background:#d93f3f}.r-TIMED_OUT{fill:#ef8c1f;background:#ef8c1f}
      .r-CANCELLED{fill:#9aa0a6;background:#9aa0a6}
      .in-bar{fill:#fff;font-size:10px;pointer-events:none}
      .pause{opacity:.75}
      .gate{stroke:#1d2330;stroke-width:.5}.gate:hover{stroke-width:2}
      .g-PASSED{fill:#2e9e5b;background:#2e9e5b}.g-HALTED{fill:#d93f3f;background:#d93f3f}
      .g-PASSED_UNJUDGED{fill:#b9c0cc;background:#b9c0cc}
      .counts .g-HALTED b{color:#d93f3f}.counts .g-PASSED,.counts .g-HALTED,.counts .g-PASSED_UNJUDGED{background:#f2f4f7}
      tr.g-HALTED,tr.g-PASSED,tr.g-PASSED_UNJUDGED{background:none}tr.g-HALTED td:nth-child(2){color:#c22f2f;font-weight:600}
      .gate-halt{color:#a12a2a;font-weight:600}
      .rollback-summary{font-weight:600;color:#6a3fa0}.rollback-summary.rb-FAILED,.rollback-summary.rb-STOPPED{color:#a12a2a}
      .band.rollback{fill:#f4effa}.rollback-head .idle{fill:#6a3fa0;font-style:normal;font-weight:600}
      .chart-frame{fill:#fafbfc;stroke:#e3e7ee}.chart-title{font-weight:600;fill:#1d2330}
      .chart-scale{text-anchor:end;fill:#5b6475}
      .series{fill:none;stroke:#3565c4;stroke-width:1.5}.series:hover{stroke:#d93f3f;stroke-width:2.5}
      .series.candidate{stroke:#e07b00}.series.baseline{stroke:#3565c4}
      table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #e3e7ee;padding:3px 8px;text-align:left;
      vertical-align:top}th{background:#f2f4f7}
      pre{background:#f5f7fa;padding:8px;overflow:auto;font-size:12px}
      #tip{position:fixed;max-width:480px;background:#1d2330;color:#fff;padding:6px 9px;border-radius:5px;
      font-size:12px;pointer-events:none;white-space:pre-wrap;z-index:10}
      """;

  private static final String SCRIPT = """
      (function () {
        var tip = document.getElementById('tip');
        function span(ms) {
          if (ms < 1000) return ms + ' ms';
          if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
          var s = Math.round(ms / 1000);
          return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
        }
        function describe(bar) {
          var host = bar.parentNode.getAttribute('data-host');
          var d = bar.dataset;
          var result = bar.getAttribute('class').match(/r-(\\w+)/)[1];
          return host + ' \\u00b7 ' + d.phase + ' (' + d.kind + ')\\n' + result.replace('_', ' ').toLowerCase()
              + ' after ' + span(+d.d) + ', from ' + span(+d.t) + (d.a ? ', ' + d.a + ' attempts' : '')
              + (OUTCOMES[+d.o] ? '\\n' + OUTCOMES[+d.o] : '');
        }
        document.addEventListener('mouseover', function (e) {
          var bar = e.target;
          if (bar.classList && bar.classList.contains('step')) {
            tip.textContent = describe(bar);
            tip.hidden = false;
          } else if (bar.classList && bar.classList.contains('gate')) {
            tip.textContent = OUTCOMES[+bar.dataset.o];
            tip.hidden = false;
          } else if (bar.classList && bar.classList.contains('whole')) {
            tip.textContent = bar.parentNode.getAttribute('data-host') + ' \\u00b7 ' + OUTCOMES[+bar.dataset.o];
            tip.hidden = false;
          } else {
            tip.hidden = true;
          }
        });
        document.addEventListener('mousemove', function (e) {
          if (!tip.hidden) {
            tip.style.left = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 8) + 'px';
            tip.style.top = (e.clientY + 16) + 'px';
          }
        });
        var bars = document.querySelectorAll('#timeline .step');
        for (var i = 0; i < bars.length; i++) {
          bars[i].setAttribute('aria-label', describe(bars[i]));
        }
        var wholes = document.querySelectorAll('#timeline .whole');
        for (var k = 0; k < wholes.length; k++) {
          wholes[k].setAttribute('aria-label', wholes[k].parentNode.getAttribute('data-host') + ' \\u00b7 '
              + OUTCOMES[+wholes[k].dataset.o]);
        }
        var gates = document.querySelectorAll('#timeline .gate');
        for (var j = 0; j < gates.length; j++) {
          gates[j].setAttribute('aria-label', OUTCOMES[+gates[j].dataset.o]);
        }
        document.body.setAttribute('data-rendered', document.querySelectorAll('#timeline .host').length);
        document.body.setAttribute('data-rolled-back', document.querySelectorAll('#timeline .rollback-host').length);
      })();
      """;
}
