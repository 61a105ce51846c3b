package dev.shunt.workflow;

import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.StepDescription.Kind;
import dev.shunt.workflow.StepReport.Result;
import dev.shunt.workflow.gate.GateVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reports of rollouts as a real one would write them, of any size, for the HTML report's tests:
 * batches with a pause between them, every kind of step (a gate too), one host whose restart
 * failed after retries, the hosts after it untouched, and the sessions HAProxy had while each drained.
 */
final class SampleReports {
  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  private SampleReports() {}

  /** {@code hosts} hosts in batches of {@code batchSize}; the host {@code failing} (from 0) fails, -1 for none. */
  static RolloutReport rollout(int hosts, int batchSize, int failing) {
    List<HostReport> reports = new ArrayList<>();
    List<RolloutReport.Sample> samples = new ArrayList<>();
    Instant batchStart = START;
    Instant end = START;
    boolean halted = false;
    for (int i = 0; i < hosts; i++) {
      String host = "web-" + (i + 1);
      int batch = i / batchSize + 1;
      if (i > 0 && i % batchSize == 0) {
        if (halted) {
          for (int j = i; j < hosts; j++) {
            reports.add(new HostReport("web-" + (j + 1), 0, HostReport.Outcome.UNTOUCHED, List.of(), Duration.ZERO,
                ShuntStatus.inRotation(), ""));
          }
          break;
        }
        batchStart = end.plusSeconds(3);
      }
      Instant at = batchStart.plusMillis(37L * (i % batchSize));
      List<StepReport> steps = new ArrayList<>();
      at = step(steps, "shunt", Kind.SHUNT, at, 4, Result.SUCCEEDED, "shunted", 1);
      long drain = 1800 + 97L * (i % 7);
      for (long t = 0; t <= drain; t += 300) {
        samples.add(new RolloutReport.Sample(at.plusMillis(t), "haproxy app/" + host + " sessions",
            Math.max(0, 12 - t / 150)));
      }
      at = step(steps, "drain", Kind.DRAIN, at, drain, Result.SUCCEEDED, "server app/" + host + " DRAIN with 0 sessions"
          + " after " + drain + " ms", 1);
      at = step(steps, "cluster-safe", Kind.GATE, at, 700, Result.SUCCEEDED, "the cluster is safe", 1);
      if (i == failing) {
        at = step(steps, "restart", Kind.COMMAND, at, 4200, Result.FAILED, "exited with status 3: systemctl restart"
            + " app: Job for app.service failed", 3);
        reports.add(new HostReport(host, batch, HostReport.Outcome.FAILED, steps,
            Duration.between(steps.get(0).start(), at), ShuntStatus.of(ShuntRequest.of("rolling restart", "ci")
                .withTtl(Duration.ofMinutes(15)), at), ""));
        halted = true;
      } else {
        at = step(steps, "restart", Kind.COMMAND, at, 2500 + 50L * (i % 5), Result.SUCCEEDED, "exit 0", 1);
        at = step(steps, "ready", Kind.READINESS, at, 1200, Result.SUCCEEDED, "HTTP 200 after 3 attempts", 1);
        at = step(steps, "unshunt", Kind.UNSHUNT, at, 3, Result.SUCCEEDED, "in rotation", 1);
        at = step(steps, "rotation", Kind.ROTATION, at, 2000, Result.SUCCEEDED, "2 checks answered up", 1);
        reports.add(new HostReport(host, batch, HostReport.Outcome.DONE, steps,
            Duration.between(steps.get(0).start(), at), ShuntStatus.inRotation(), ""));
      }
      if (at.isAfter(end)) {
        end = at;
      }
    }
    return new RolloutReport("checkout-20261123T100000Z-1a2b", "checkout", halted ? RolloutReport.Outcome.HALTED
        : RolloutReport.Outcome.COMPLETED, halted ? "1 host(s) failed, more than maxFailures allows (0); last: web-"
        + (failing + 1) : "", START, end.plusMillis(20), 42, reports,
        List.of("the drain timeout (PT5S) is shorter than HAProxy can take to notice the shunt (fall 3 x inter 2s)"),
        samples);
  }

  /**
   * {@code hosts} hosts in batches of {@code batchSize}, the first a canary, a metrics gate after each
   * batch (the one after batch 2 passes unjudged on too few requests) that halts after batch
   * {@code haltAfter} on 5 % of 5xx, the hosts after it untouched, and a rollback of every host rolled,
   * newest first. The gate's readings are in the samples, as it takes them.
   */
  static RolloutReport haltedByGateWithRollback(int hosts, int batchSize, int haltAfter) {
    List<HostReport> reports = new ArrayList<>();
    List<RolloutReport.Sample> samples = new ArrayList<>();
    List<GateVerdict> gates = new ArrayList<>();
    Instant batchStart = START;
    String haltReason = "";
    for (int first = 0; first < hosts; first += batchSize) {
      int number = first / batchSize + 1;
      List<String> names = new ArrayList<>();
      Instant end = batchStart;
      for (int i = first; i < Math.min(hosts, first + batchSize); i++) {
        String host = "web-" + (i + 1);
        if (number > haltAfter) {
          reports.add(new HostReport(host, 0, HostReport.Outcome.UNTOUCHED, List.of(), Duration.ZERO,
              ShuntStatus.inRotation(), ""));
          continue;
        }
        names.add(host);
        List<StepReport> steps = new ArrayList<>();
        Instant at = batchStart.plusMillis(37L * (i % batchSize));
        at = step(steps, "shunt", Kind.SHUNT, at, 4, Result.SUCCEEDED, "shunted", 1);
        at = step(steps, "drain", Kind.DRAIN, at, 1500, Result.SUCCEEDED, "server app/" + host + " DRAIN", 1);
        at = step(steps, "restart", Kind.COMMAND, at, 2500, Result.SUCCEEDED, "exit 0", 1);
        at = step(steps, "ready", Kind.READINESS, at, 1200, Result.SUCCEEDED, "HTTP 200", 1);
        at = step(steps, "unshunt", Kind.UNSHUNT, at, 3, Result.SUCCEEDED, "in rotation", 1);
        at = step(steps, "rotation", Kind.ROTATION, at, 2000, Result.SUCCEEDED, "2 checks answered up", 1);
        reports.add(new HostReport(host, number, HostReport.Outcome.DONE, steps,
            Duration.between(steps.get(0).start(), at), ShuntStatus.inRotation(), ""));
        end = at.isAfter(end) ? at : end;
      }
      if (number > haltAfter) {
        continue;
      }
      Batch batch = new Batch(number, names, number == 1);
      Instant gateStart = end.plusMillis(5);
      Duration baked = Duration.ofMillis(number == 1 ? 4000 : number == haltAfter ? 1500 : 2000);
      boolean halts = number == haltAfter;
      boolean unjudged = number == 2 && !halts;
      List<String> rest = new ArrayList<>();
      for (int j = first + batchSize; j < hosts; j++) {
        rest.add("web-" + (j + 1));
      }
      for (long t = 500; t <= baked.toMillis(); t += 500) {
        samples.add(new RolloutReport.Sample(gateStart.plusMillis(t), "gate requests/s per host (just rolled)",
            unjudged ? 2 : 80 + t % 7));
        samples.add(new RolloutReport.Sample(gateStart.plusMillis(t), "gate 5xx % (just rolled)", halts ? 5 : 0));
        if (!rest.isEmpty()) {
          samples.add(new RolloutReport.Sample(gateStart.plusMillis(t), "gate requests/s per host (not yet rolled)",
              unjudged ? 2 : 82 - t % 5));
          samples.add(new RolloutReport.Sample(gateStart.plusMillis(t), "gate 5xx % (not yet rolled)", 0));
        }
      }
      long requests = unjudged ? 7 : 105L * names.size();
      long errors = halts ? requests / 20 : 0;
      GateVerdict.Sample candidate = new GateVerdict.Sample("just rolled", names, requests, errors,
          Optional.of(Duration.ofMillis(12)));
      Optional<GateVerdict.Sample> baseline = unjudged || rest.isEmpty() ? Optional.empty()
          : Optional.of(new GateVerdict.Sample("not yet rolled", rest, 212L * rest.size(), 0,
              Optional.of(Duration.ofMillis(11))));
      String reason = unjudged ? "too few requests to judge: 7 on " + String.join(", ", names) + " (just rolled) in "
          + baked.toMillis() + " ms, fewer than the 100 required; passed unjudged"
          : "error rate " + (halts ? "5.00 %" : "0.00 %") + " (" + errors + " of " + requests + " requests answered"
          + " 5xx) on " + String.join(", ", names) + " (just rolled) is " + (halts ? "above" : "within")
          + " the maximum 1.00 %; baseline: " + baseline.map(Object::toString).orElse("none")
          + "; source haproxy unix:/run/haproxy/admin.sock backend app server {host}";
      gates.add(new GateVerdict(batch, halts ? GateVerdict.Result.HALTED : unjudged
          ? GateVerdict.Result.PASSED_UNJUDGED : GateVerdict.Result.PASSED, reason, candidate, baseline, gateStart,
          baked));
      batchStart = gateStart.plus(baked).plusSeconds(1);
      if (halts) {
        haltReason = "the gate after " + batch + " halted the rollout: " + reason;
        batchStart = gateStart.plus(baked).plusMillis(100);
      }
    }
    List<HostReport> back = new ArrayList<>();
    Instant at = batchStart;
    for (int i = reports.size() - 1; i >= 0; i--) {
      HostReport rolled = reports.get(i);
      if (rolled.outcome() != HostReport.Outcome.DONE) {
        continue;
      }
      List<StepReport> steps = new ArrayList<>();
      Instant from = at;
      at = step(steps, "shunt", Kind.SHUNT, at, 4, Result.SUCCEEDED, "shunted", 1);
      at = step(steps, "drain", Kind.DRAIN, at, 900, Result.SUCCEEDED, "server app/" + rolled.host() + " DRAIN", 1);
      at = step(steps, "rollback", Kind.COMMAND, at, 1800, Result.SUCCEEDED, "exit 0: deployed v41", 1);
      at = step(steps, "ready", Kind.READINESS, at, 600, Result.SUCCEEDED, "HTTP 200", 1);
      at = step(steps, "unshunt", Kind.UNSHUNT, at, 3, Result.SUCCEEDED, "in rotation", 1);
      back.add(new HostReport(rolled.host(), rolled.batch(), HostReport.Outcome.DONE, steps,
          Duration.between(from, at), ShuntStatus.inRotation(), ""));
    }
    return new RolloutReport("checkout-20261123T100000Z-9f8e", "checkout", RolloutReport.Outcome.HALTED, haltReason,
        START, at.plusMillis(20), 42, reports, List.of(), samples, gates,
        Optional.of(new RollbackReport(RollbackReport.Outcome.COMPLETED, back, List.of(), "")));
  }

  private static Instant step(List<StepReport> steps, String name, Kind kind, Instant at, long millis, Result result,
      String outcome, int attempts) {
    steps.add(new StepReport(name, result, Duration.ofMillis(millis), outcome, attempts, kind, at));
    return at.plusMillis(millis + 1);
  }
}
