package dev.shunt.examples.bench;

import dev.shunt.ShuntRequest;
import dev.shunt.examples.DemoFleet;
import dev.shunt.examples.Haproxy;
import dev.shunt.workflow.AwaitCheckersStep;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.ShuntStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark 3, drain precision: behind a real HAProxy ({@code inter} {@value Haproxy#INTER_MILLIS}
 * ms, {@code fall} {@value Haproxy#FALL}) in front of three demo backends, a shunt followed by
 * the demo rollout's {@link AwaitCheckersStep#drain() drain} step, timed from the start of the
 * shunt to the end of the drain, over several trials started at random moments of HAProxy's
 * check cycle. The baseline is {@code fall × inter}, the least time in which a load balancer can
 * take a server out; the seed recipe's fixed {@code sleep 10} is printed beside it. Meanwhile a
 * watcher reads HAProxy's stats socket every few milliseconds, to show when HAProxy itself
 * marked the server DOWN: the drain must not end before.
 */
final class DrainPrecisionBench {
  static final String NAME = "drain";
  private static final int TRIALS = 20;
  private static final long WATCH_MILLIS = 5;
  private static final long FIXED_SLEEP_NANOS = Duration.ofSeconds(10).toNanos();

  private DrainPrecisionBench() {}

  static void run(Report report) throws Exception {
    report.title(NAME, "shunt -> end of the drain step, behind HAProxy, vs fall x inter");
    Optional<DemoFleet> started = Bench.fleetBehindHaproxy(report, NAME, 3);
    if (started.isEmpty()) {
      return;
    }
    try (DemoFleet fleet = started.get()) {
      Haproxy haproxy = fleet.haproxy().orElseThrow();
      long inter = Duration.ofMillis(Haproxy.INTER_MILLIS).toNanos();
      long least = Haproxy.FALL * inter;
      report.line("HAProxy inter %d ms, fall %d, rise %d; 3 demo backends; %d trials, each after the server is"
          + " UP again and a random pause of 0 to 1 inter", Haproxy.INTER_MILLIS, Haproxy.FALL, Haproxy.RISE, TRIALS);
      long[] drains = new long[TRIALS];
      long[] downs = new long[TRIALS];
      List<String> fallbacks = new ArrayList<>();
      ShuntRequest request = ShuntRequest.of("drain benchmark", "shunt-bench").withTtl(Duration.ofMinutes(5));
      for (int trial = 0; trial < TRIALS; trial++) {
        String host = fleet.hosts().get(trial % fleet.hosts().size());
        Rollout drain = fleet.rollout().hosts(List.of(host)).listener(RolloutListener.silent())
            .steps(List.of(ShuntStep.shunt(request), fleet.drainStep())).build();
        AtomicLong downAt = new AtomicLong();
        long start = System.nanoTime();
        Thread watcher = watchForDown(haproxy, host, downAt);
        HostReport result = drain.run().hosts().get(0);
        drains[trial] = System.nanoTime() - start;
        watcher.join(10_000);
        downs[trial] = downAt.get() - start;
        String outcome = result.steps().get(result.steps().size() - 1).outcome();
        if (result.outcome() != HostReport.Outcome.DONE || !outcome.contains("answered down")) {
          fallbacks.add(host + ": " + outcome);
        }
        fleet.store().unshunt(fleet.key(host));
        haproxy.awaitAllUp(Duration.ofSeconds(10));
        Thread.sleep(ThreadLocalRandom.current().nextLong(Haproxy.INTER_MILLIS));
      }
      long[] margins = new long[TRIALS];
      for (int i = 0; i < TRIALS; i++) {
        margins[i] = drains[i] - downs[i];
      }
      Percentiles drain = new Percentiles(drains);
      Percentiles down = new Percentiles(downs);
      Percentiles margin = new Percentiles(margins);
      report.line("shunt -> drain step ended:           %s", drain.summary());
      report.line("shunt -> HAProxy shows it DOWN:      %s (stats read every %d ms)", down.summary(), WATCH_MILLIS);
      report.line("drain end minus HAProxy's DOWN:      %s", margin.summary());
      report.line("baseline fall x inter = %s; ratio p50 %s, max %s", Report.millis(least),
          Report.ratio((double) drain.at(50) / least), Report.ratio((double) drain.max() / least));
      report.line("the seed recipe's fixed sleep 10 = %s: the drain took %.1f%% of it at p50, %.1f%% at worst",
          Report.millis(FIXED_SLEEP_NANOS), 100.0 * drain.at(50) / FIXED_SLEEP_NANOS,
          100.0 * drain.max() / FIXED_SLEEP_NANOS);
      report.line("drains that ended on their timeout instead of the checkers: %d %s", fallbacks.size(), fallbacks);
      report.goal("slowest drain", Report.millis(drain.max()), "<= fall x inter + inter = "
          + Report.millis(least + inter), drain.max() <= least + inter && fallbacks.isEmpty());
      report.goal("drain end minus HAProxy's DOWN, smallest", Report.millis(margin.min()),
          ">= 0 ms, less the " + WATCH_MILLIS + " ms between two reads of the stats",
          margin.min() >= -Duration.ofMillis(WATCH_MILLIS).toNanos());
    }
  }

  /** Reads HAProxy's state of {@code host} until it is DOWN, and sets {@code downAt} then. */
  private static Thread watchForDown(Haproxy haproxy, String host, AtomicLong downAt) {
    Thread watcher = new Thread(() -> {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        if (haproxy.serverStates().getOrDefault(host, "").startsWith("DOWN")) {
          downAt.set(System.nanoTime());
          return;
        }
        try {
          Thread.sleep(WATCH_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "haproxy-watcher");
    watcher.setDaemon(true);
    watcher.start();
    return watcher;
  }
}
