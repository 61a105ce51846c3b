package dev.shunt.examples.bench;

import dev.shunt.ShuntRequest;
import dev.shunt.Step;
import dev.shunt.examples.DemoFleet;
import dev.shunt.examples.Haproxy;
import dev.shunt.examples.LoadGenerator;
import dev.shunt.examples.PhaseTable;
import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Benchmark 4, rollout efficiency: a rolling restart of three demo backends behind a real
 * HAProxy under steady client traffic, with the demo's rollout ({@link DemoFleet#rollout()}).
 * Its total time is set against the sum, over hosts, of the work that cannot be skipped — drain,
 * restart and readiness, as the report measured them — and against the same rollout done the
 * Capistrano way of the seed recipe, in the same run: shunt, {@code sleep 10}, restart,
 * {@code wait_for_http} (a try at once, then every 6 s), unshunt, {@code wait: 5} between hosts.
 * The shunt rollout runs twice: as it is, each host waiting for the one before to be back in
 * rotation, and with {@link Rollout.Builder#overlapRotation}, which hides that wait behind the next
 * host's shunt and drain. Failed client requests are counted for every run.
 */
final class RolloutEfficiencyBench {
  static final String NAME = "rollout";
  private static final int BACKENDS = 3;
  private static final int REQUESTS_PER_SECOND = 200;
  private static final List<String> WORK = List.of("drain", "restart", "ready");
  private static final double GOAL_RATIO = 1.2;

  private RolloutEfficiencyBench() {}

  static void run(Report report) throws Exception {
    report.title(NAME, "rolling restart of 3 backends behind HAProxy: total vs drain + restart + readiness");
    Optional<DemoFleet> started = Bench.fleetBehindHaproxy(report, NAME, BACKENDS);
    if (started.isEmpty()) {
      return;
    }
    try (DemoFleet fleet = started.get()) {
      report.line("%d demo backends behind HAProxy (inter %d ms, fall %d, rise %d), %d client requests/s through"
          + " it", BACKENDS, Haproxy.INTER_MILLIS, Haproxy.FALL, Haproxy.RISE, REQUESTS_PER_SECOND);

      Rollout shunt = fleet.rollout().listener(RolloutListener.silent()).build();
      Measured ours = underLoad(fleet, shunt);
      double ratio = show(report, "shunt rollout", ours);
      long rotation = ours.report().hosts().stream().mapToLong(host -> host.timeIn("rotation").toMillis()).sum();
      long work = work(ours.report());
      report.line("of the rest, %d ms were the rotation waits (HAProxy's rise, before the next host may go);"
          + " total / (work + rotation) = %s", rotation,
          Report.ratio((double) ours.report().elapsed().toMillis() / (work + rotation)));

      Rollout overlapping = fleet.rollout().listener(RolloutListener.silent()).overlapRotation(true).build();
      Measured overlapped = underLoad(fleet, overlapping);
      double overlappedRatio = show(report, "shunt rollout with overlapRotation", overlapped);
      report.line("(with overlapRotation the next host shunts and drains during the rotation wait; its restart"
          + " waits until the host before is back in rotation)");

      Rollout capistrano = fleet.rollout().listener(RolloutListener.silent()).steps(capistranoSteps(fleet)).build();
      Measured theirs = underLoad(fleet, capistrano);
      long total = ours.report().elapsed().toMillis();
      long capistranoTotal = theirs.report().elapsed().toMillis();
      report.line("Capistrano way (shunt, sleep 10, restart, wait_for_http every 6 s, unshunt, wait 5 between"
          + " hosts): %d ms in all, %s", capistranoTotal, theirs.report().succeeded() ? "every host done" : "FAILED");
      report.line("client requests during it: %s", theirs.traffic());
      report.line("the shunt rollout took %.1f%% of the Capistrano way's time (%.1fx faster); with overlapRotation"
          + " %.1f%% (%.1fx faster)", 100.0 * total / capistranoTotal, (double) capistranoTotal / total,
          100.0 * overlapped.report().elapsed().toMillis() / capistranoTotal,
          (double) capistranoTotal / overlapped.report().elapsed().toMillis());

      report.line("shunt rollout, default (each host waits for the one before to be back in rotation):"
          + " total / (drain + restart + ready) = %s", Report.ratio(ratio));
      report.goal("total / (drain + restart + ready), overlapRotation", Report.ratio(overlappedRatio),
          "<= " + GOAL_RATIO, overlappedRatio <= GOAL_RATIO && overlapped.report().succeeded());
      report.goal("failed client requests, shunt rollout", Long.toString(ours.traffic().failed()), "0",
          ours.traffic().failed() == 0 && ours.report().succeeded());
      report.goal("failed client requests, shunt rollout with overlapRotation",
          Long.toString(overlapped.traffic().failed()), "0",
          overlapped.traffic().failed() == 0 && overlapped.report().succeeded());
    }
  }

  /**
   * Prints one rollout's time per phase and host, its total against drain + restart + readiness,
   * and the client traffic meanwhile.
   *
   * @return total / (drain + restart + readiness)
   */
  private static double show(Report report, String name, Measured measured) {
    report.line("%s, per host (ms):", name);
    report.line("  %-18s %-8s %s %9s %9s", "host", "outcome", PhaseTable.header(), "work", "total");
    for (HostReport host : measured.report().hosts()) {
      report.line("  %-18s %-8s %s %9d %9d", host.host(), host.outcome(), PhaseTable.row(host), work(host),
          host.elapsed().toMillis());
    }
    long total = measured.report().elapsed().toMillis();
    long work = work(measured.report());
    double ratio = (double) total / work;
    report.line("%s: %d ms in all%s; drain + restart + ready summed over hosts: %d ms; ratio %s", name, total,
        measured.report().succeeded() ? "" : " (" + measured.report().outcome() + ")", work, Report.ratio(ratio));
    report.line("client requests during it: %s", measured.traffic());
    return ratio;
  }

  private static long work(HostReport host) {
    return WORK.stream().mapToLong(step -> host.timeIn(step).toMillis()).sum();
  }

  private static long work(RolloutReport report) {
    return report.hosts().stream().mapToLong(RolloutEfficiencyBench::work).sum();
  }

  /** What one rollout did, and what the clients saw meanwhile. */
  private record Measured(RolloutReport report, LoadGenerator.Result traffic) {}

  private static Measured underLoad(DemoFleet fleet, Rollout rollout) {
    fleet.haproxy().orElseThrow().awaitAllUp(Duration.ofSeconds(30));
    LoadGenerator load = LoadGenerator.start(fleet.clientUrl(), REQUESTS_PER_SECOND, Duration.ofMinutes(3));
    RolloutReport report = rollout.run();
    return new Measured(report, load.stop());
  }

  /** The seed recipe's deploy task, over the demo fleet's restart. */
  private static List<Step> capistranoSteps(DemoFleet fleet) {
    String last = fleet.hosts().get(fleet.hosts().size() - 1);
    return List.of(
        ShuntStep.shunt(ShuntRequest.of("capistrano-style restart", "shunt-bench").withTtl(Duration.ofMinutes(5))),
        sleep("sleep 10", Duration.ofSeconds(10), null),
        fleet.restartStep(),
        // shunt_cache's wait_for_http: up to 10 tries 6 s apart, 10 s read timeout.
        AwaitHttpStep.builder().url("http://{host}/").interval(Duration.ofSeconds(6))
            .timeout(Duration.ofSeconds(60)).requestTimeout(Duration.ofSeconds(10)).build(),
        ShuntStep.unshunt(),
        // Capistrano's `in: :sequence, wait: 5`: 5 s between two hosts, none after the last.
        sleep("wait 5", Duration.ofSeconds(5), last));
  }

  private static Step sleep(String name, Duration duration, String except) {
    return Step.named(name, context -> {
      if (!context.host().equals(except)) {
        Thread.sleep(duration.toMillis());
      }
    });
  }

}
