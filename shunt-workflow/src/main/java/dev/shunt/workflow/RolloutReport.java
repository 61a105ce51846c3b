package dev.shunt.workflow;

import dev.shunt.workflow.gate.GateVerdict;
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
 * @param gates the verdicts of the metrics gate ({@link Rollout.Builder#gate}), one per batch gated, in order
 * @param rollback what the rollback did, when the rollout has one ({@link Rollout.Builder#rollback}) and
 *     halted; empty otherwise
 */
public record RolloutReport(String rolloutId, String service, Outcome outcome, String haltReason, Instant start,
    Instant end, long lockToken, List<HostReport> hosts, List<GateVerdict> gates, Optional<RollbackReport> rollback) {

  /** A report with no gate verdicts and no rollback. */
  public RolloutReport(String rolloutId, String service, Outcome outcome, String haltReason, Instant start,
      Instant end, long lockToken, List<HostReport> hosts) {
    this(rolloutId, service, outcome, haltReason, start, end, lockToken, hosts, List.of(), Optional.empty());
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

  public RolloutReport {
    Objects.requireNonNull(rolloutId, "rolloutId");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(haltReason, "haltReason");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    hosts = List.copyOf(hosts);
    gates = List.copyOf(gates);
    Objects.requireNonNull(rollback, "rollback");
  }

  /** How long the rollout ran. */
  public Duration elapsed() {
    return Duration.between(start, end);
  }

  /** Whether it completed with every host done (or skipped as done before). */
  public boolean succeeded() {
    return outcome == Outcome.COMPLETED && hosts.stream()
        .allMatch(host -> host.outcome() == HostReport.Outcome.DONE || host.outcome() == HostReport.Outcome.SKIPPED);
  }

  /** The hosts with the given outcome, in rollout order. */
  public List<String> hosts(HostReport.Outcome outcome) {
    return hosts.stream().filter(host -> host.outcome() == outcome).map(HostReport::host).toList();
  }

  /**
   * A few lines for a person: what was done, what failed and where each host was left; a host left
   * shunted says until when ({@code left SHUNTED until … (its shunt's TTL)}, or {@code with no TTL:
   * until someone unshunts it}). After a rollback, the {@code why} line ends with what it did
   * ({@code why: <reason>; rolled back 2 host(s) (web-2, web-1)}) and a {@code rollback HOST} line
   * per host it worked on follows, in its order.
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
        ? "left SHUNTED " + ShuntLeft.until(host.statusAfter()) : "in rotation").append('\n');
  }

  /**
   * The report as one JSON object: {@code rolloutId}, {@code service}, {@code outcome},
   * {@code haltReason}, {@code start}, {@code end} (ISO-8601), {@code elapsedMillis},
   * {@code lockToken} (null without a lock), and {@code hosts}: each with {@code host},
   * {@code batch}, {@code outcome}, {@code elapsedMillis}, {@code shuntedAfter}, {@code shuntedUntil}
   * (when a host left shunted comes back by its TTL; null without one, or in rotation), {@code note} and
   * {@code steps} ({@code step}, {@code result}, {@code elapsedMillis}, {@code attempts},
   * {@code outcome}); with a gate, {@code gates}: each with {@code batch}, {@code hosts}, {@code result},
   * {@code reason}, {@code bakedMillis}, {@code candidate} and {@code baseline} (null without one; each
   * with {@code side}, {@code hosts}, {@code requests}, {@code errors}, {@code latencyMicros}); and, when
   * there is a {@link #rollback()}, {@code rollback}: {@code outcome}, {@code reason}, {@code hosts}
   * (shaped as above, in the rollback's order) and {@code notRolledBack}.
   */
  public String toJson() {
    return ReportJson.write(this);
  }
}
