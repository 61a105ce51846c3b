package dev.shunt.workflow;

import dev.shunt.workflow.gate.GateVerdict;
import dev.shunt.workflow.internal.ReportHtml;
import dev.shunt.workflow.internal.ReportJson;
import dev.shunt.workflow.internal.ShuntLeft;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rollout did: how it ended, and every host with its outcome, in rollout order.
 *
 * @param rolloutId the run's id, as written in the journal
 * @param service the service rolled
 * @param outcome how the rollout ended
 * @param haltReason why it stopped early (failures, a hook, the canary, a cancel, a timeout, the
 *     lost deploy lock); empty when it went through
 * @param start when it started
 * @param end when it ended
 * @param lockToken the fencing token of the deploy lock it held, 0 when it held none
 * @param hosts one report per host of the rollout, untouched and skipped ones included, as the rollout
 *     (not its rollback) left them
 * @param warnings the plan's warnings and the pre-flight's, each a sentence for a person, as the
 *     rollout printed them when it started
 * @param samples the readings its steps took ({@link dev.shunt.StepContext#measure}), e.g. the
 *     sessions HAProxy still had on a draining server, and those the metrics gate took at each check
 *     (series {@code gate requests/s per host (just rolled)}, {@code gate 5xx % (not yet rolled)}…),
 *     in the order they were taken; at most
 *     {@value #MAX_SAMPLES}, later ones are dropped
 * @param gates the verdicts of the metrics gate ({@link Rollout.Builder#gate}), one per batch gated, in order
 * @param rollback what the rollback did, when the rollout has one ({@link Rollout.Builder#rollback}) and
 *     halted; empty otherwise
 */
public record RolloutReport(String rolloutId, String service, Outcome outcome, String haltReason, Instant start,
    Instant end, long lockToken, List<HostReport> hosts, List<String> warnings, List<Sample> samples,
    List<GateVerdict> gates, Optional<RollbackReport> rollback) {

  /** The most samples a report keeps: enough for every poll of a long drain on many hosts, bounded in size. */
  public static final int MAX_SAMPLES = 20_000;

  /**
   * A report with no gate verdicts and no rollback.
   *
   * @param rolloutId the run's id
   * @param service the service rolled
   * @param outcome how the rollout ended
   * @param haltReason why it stopped early, otherwise empty
   * @param start when it started
   * @param end when it ended
   * @param lockToken the deploy lock's fencing token, 0 for none
   * @param hosts one report per host
   * @param warnings the plan's and the pre-flight's warnings
   * @param samples the readings its steps took
   */
  public RolloutReport(String rolloutId, String service, Outcome outcome, String haltReason, Instant start,
      Instant end, long lockToken, List<HostReport> hosts, List<String> warnings, List<Sample> samples) {
    this(rolloutId, service, outcome, haltReason, start, end, lockToken, hosts, warnings, samples, List.of(),
        Optional.empty());
  }

  /**
   * A report with only its hosts: no warnings, samples, gate verdicts or rollback.
   *
   * @param rolloutId the run's id
   * @param service the service rolled
   * @param outcome how the rollout ended
   * @param haltReason why it stopped early, otherwise empty
   * @param start when it started
   * @param end when it ended
   * @param lockToken the deploy lock's fencing token, 0 for none
   * @param hosts one report per host
   */
  public RolloutReport(String rolloutId, String service, Outcome outcome, String haltReason, Instant start,
      Instant end, long lockToken, List<HostReport> hosts) {
    this(rolloutId, service, outcome, haltReason, start, end, lockToken, hosts, List.of(), List.of());
  }

  /** How a rollout ended. */
  public enum Outcome {
    /** It reached every host (some may have failed, within {@code maxFailures}). */
    COMPLETED,
    /** It stopped early: too many failures, a failed canary or hook, or the deploy lock was lost. */
    HALTED,
    /** It was cancelled. */
    CANCELLED,
    /** Its time limit passed. */
    TIMED_OUT
  }

  /**
   * Checks that no component is null and copies the lists.
   *
   * @param rolloutId the run's id
   * @param service the service rolled
   * @param outcome how the rollout ended
   * @param haltReason why it stopped early, otherwise empty
   * @param start when it started
   * @param end when it ended
   * @param lockToken the deploy lock's fencing token, 0 for none
   * @param hosts one report per host
   * @param warnings the plan's and the pre-flight's warnings
   * @param samples the readings its steps took
   * @param gates the metrics gate's verdicts, in order
   * @param rollback what the rollback did; empty for none
   */
  public RolloutReport {
    Objects.requireNonNull(rolloutId, "rolloutId");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(haltReason, "haltReason");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    hosts = List.copyOf(hosts);
    warnings = List.copyOf(warnings);
    samples = List.copyOf(samples);
    gates = List.copyOf(gates);
    Objects.requireNonNull(rollback, "rollback");
  }

  /**
   * One reading of a time series a step took ({@link dev.shunt.StepContext#measure}).
   *
   * @param at when it was read
   * @param series what was read, e.g. {@code haproxy app/web-1 sessions}
   * @param value the reading
   */
  public record Sample(Instant at, String series, double value) {
    /**
     * Checks that {@code at} and {@code series} are not null.
     *
     * @param at when it was read
     * @param series what was read
     * @param value the reading
     */
    public Sample {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(series, "series");
    }
  }

  /**
   * How long the rollout ran.
   *
   * @return {@code end} less {@code start}
   */
  public Duration elapsed() {
    return Duration.between(start, end);
  }

  /**
   * Whether it completed with every host done (or skipped as done before).
   *
   * @return true when it completed and every host is done or skipped
   */
  public boolean succeeded() {
    return outcome == Outcome.COMPLETED && hosts.stream()
        .allMatch(host -> host.outcome() == HostReport.Outcome.DONE || host.outcome() == HostReport.Outcome.SKIPPED);
  }

  /**
   * The hosts with the given outcome, in rollout order.
   *
   * @param outcome the outcome to select
   * @return the host names, in rollout order
   */
  public List<String> hosts(HostReport.Outcome outcome) {
    return hosts.stream().filter(host -> host.outcome() == outcome).map(HostReport::host).toList();
  }

  /**
   * A few lines for a person: what was done, what failed and where each host was left; a host left
   * shunted says until when ({@code left SHUNTED until … (its shunt's TTL)}, or {@code with no TTL:
   * until someone unshunts it}). After a rollback, the {@code why} line ends with what it did
   * ({@code why: <reason>; rolled back 2 host(s) (web-2, web-1)}) and a {@code rollback HOST} line
   * per host it worked on follows, in its order.
   *
   * @return the summary, several lines
   */
  public String summary() {
    StringBuilder text = new StringBuilder();
    text.append(service).append(": ").append(succeeded() ? "rollout completed" : "rollout " + (outcome
            == Outcome.COMPLETED ? "COMPLETED WITH FAILURES" : outcome == Outcome.HALTED ? "HALTED" : outcome))
        .append(" in ").append(elapsed().toMillis()).append(" ms; ")
        .append(hosts(HostReport.Outcome.DONE).size()).append(" done, ")
        .append(hosts(HostReport.Outcome.FAILED).size()).append(" failed, ")
        .append(hosts(HostReport.Outcome.UNTOUCHED).size()).append(" untouched");
    for (HostReport.Outcome rare : List.of(HostReport.Outcome.CANCELLED, HostReport.Outcome.SKIPPED)) {
      int count = hosts(rare).size();
      if (count > 0) {
        text.append(", ").append(count).append(' ').append(rare.name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    text.append('\n');
    if (!haltReason.isEmpty()) {
      text.append("  why: ").append(haltReason);
      rollback.ifPresent(back -> text.append("; ").append(back));
      text.append('\n');
    }
    for (GateVerdict gate : gates) {
      text.append("  gate after ").append(gate.batch()).append(": ").append(gate.result()).append(" after ")
          .append(gate.baked().toMillis()).append(" ms").append(gate.halted() ? "" : ": " + gate.reason()).append('\n');
    }
    for (HostReport host : hosts) {
      line(text, "  " + host.host(), host);
    }
    rollback.ifPresent(back -> back.hosts().forEach(host -> line(text, "  rollback " + host.host(), host)));
    return text.toString();
  }

  private static void line(StringBuilder text, String who, HostReport host) {
    text.append(who).append(": ").append(host.outcome());
    host.failedStep().ifPresent(step -> text.append(" at ").append(step.step()).append(" (")
        .append(step.outcome()).append(")"));
    if (host.outcome() != HostReport.Outcome.UNTOUCHED && host.outcome() != HostReport.Outcome.SKIPPED) {
      text.append(" in ").append(host.elapsed().toMillis()).append(" ms");
    }
    text.append("; ").append(host.statusAfter().shunted()
        ? "left SHUNTED " + ShuntLeft.until(host.statusAfter()) : ShuntLeft.unshunted(host))
        .append(ShuntLeft.outOf(host)).append('\n');
  }

  /**
   * The report as one JSON object: {@code rolloutId}, {@code service}, {@code outcome},
   * {@code haltReason}, {@code start}, {@code end} (ISO-8601), {@code elapsedMillis},
   * {@code lockToken} (null without a lock), {@code warnings} (strings), {@code hosts}: each with
   * {@code host}, {@code batch}, {@code outcome}, {@code elapsedMillis}, {@code shuntedAfter},
   * {@code shuntedUntil} (when a host left shunted comes back by its TTL; null without one, or in
   * rotation), {@code note}, {@code leftOut} (where it was left out of rotation besides its shunt, as
   * {@link HostReport#leftOut()}; only when there is such a place) and {@code steps} ({@code step},
   * {@code kind}, {@code result}, {@code start}, {@code elapsedMillis}, {@code attempts},
   * {@code outcome}); {@code samples}
   * ({@code at}, {@code series}, {@code value}); with a gate, {@code gates}: each with {@code batch},
   * {@code canary}, {@code result}, {@code reason}, {@code start}, {@code bakedMillis}, {@code hosts}
   * (the batch's), {@code candidate} and {@code baseline} (null without one; each with {@code side},
   * {@code hosts}, {@code requests}, {@code errors}, {@code latencyMicros}); and, when there is a
   * {@link #rollback()}, {@code rollback}: {@code outcome}, {@code reason}, {@code hosts} (shaped as
   * above, in the rollback's order) and {@code notRolledBack}. {@link #fromJson} reads it back.
   *
   * @return the JSON text
   */
  public String toJson() {
    return ReportJson.write(this);
  }

  /**
   * Reads back a report that {@link #toJson()} wrote (e.g. {@code roll --report FILE}), its gate
   * verdicts and rollback included; a latency to the microsecond, a host's status after as far as the
   * report says it. A report written before steps carried their start and kind reads with each host's
   * steps laid end to end after the end of the batch before, and kind {@code OTHER}; a gate verdict
   * without its batch's hosts and start, with the hosts of its batch and a start at the batch's end.
   *
   * @param json what {@link #toJson()} wrote
   * @return the report read, with what it held
   * @throws IllegalArgumentException when {@code json} is not such a report, naming what is wrong and where
   */
  public static RolloutReport fromJson(String json) {
    return ReportJson.read(json);
  }

  /**
   * The report as one self-contained HTML page for a person: the summary and the warnings at the
   * top, then a timeline with a row per host and a bar per step coloured by how it ended (its
   * outcome on hover), batches and the pauses between them marked, a bar per {@link #gates() gate
   * verdict} after its batch (coloured by its result, its figures on hover), the {@link #rollback()}'s
   * hosts below the rollout's, and the {@link #samples()} drawn on the same time axis (the gate's
   * request and 5xx rates in two charts of their own). It needs no network: its style, drawing and script are inline, and every
   * text from the report is escaped. Above {@value dev.shunt.workflow.internal.ReportHtml#MAX_ROWS}
   * hosts, the hosts that were done without a hitch are summed up per batch, so that the page stays
   * small; every other host keeps its row.
   *
   * @return the HTML page
   */
  public String toHtml() {
    return ReportHtml.write(this);
  }
}
