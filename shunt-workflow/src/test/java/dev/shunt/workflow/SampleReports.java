package dev.shunt.workflow;

import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.StepDescription.Kind;
import dev.shunt.workflow.StepReport.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

  private static Instant step(List<StepReport> steps, String name, Kind kind, Instant at, long millis, Result result,
      String outcome, int attempts) {
    steps.add(new StepReport(name, result, Duration.ofMillis(millis), outcome, attempts, kind, at));
    return at.plusMillis(millis + 1);
  }
}
