package dev.shunt.examples.bench;

import dev.shunt.examples.HazelcastAppFleet;
import dev.shunt.examples.HazelcastAppFleet.DataCheck;
import dev.shunt.examples.HazelcastAppFleet.Migration;
import dev.shunt.examples.HazelcastAppFleet.Stop;
import dev.shunt.examples.Haproxy;
import dev.shunt.examples.LoadGenerator;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.StepReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Benchmark 6, the cluster-safety gate: what waiting for Hazelcast's safety costs a rolling
 * restart of apps that are Hazelcast members, set against the migrations Hazelcast reports for
 * the same restarts. Three {@code HazelcastApp} JVMs (512 MB heaps), an application map of
 * 100,000 entries of 2 KB (backup count 1), behind a real HAProxy under 200 client requests per
 * second; a gated rollout with SIGTERM (graceful member shutdown), then one with SIGKILL. Per
 * host: the time in the gate's two steps (before the restart, after readiness), and the
 * migration processes Hazelcast's {@code MigrationListener} reported from the restart's start to
 * the gate's end (their number, Hazelcast's own elapsed time, and from their start until their end
 * was heard); how long after the last migration's end the gate let the rollout go on.
 * The gate is shunt-hazelcast's {@code ClusterSafety}, asking every 100 ms through a client.
 */
final class ClusterSafetyGateBench {
  static final String NAME = "gate";
  private static final int APPS = 3;
  private static final int ENTRIES = 100_000;
  private static final int VALUE_BYTES = 2048;
  private static final int REQUESTS_PER_SECOND = 200;
  /** The gate polls every 100 ms, and a poll is a call to a member: it may end up to this after the migration. */
  private static final long GOAL_OVERSHOOT_MILLIS = 1_000;

  private ClusterSafetyGateBench() {}

  static void run(Report report) throws Exception {
    report.title(NAME, "time the cluster-safety gate adds per host vs the migrations Hazelcast reports");
    Optional<Path> haproxy = Haproxy.executable();
    if (haproxy.isEmpty()) {
      report.goal(NAME + " behind HAProxy", "not measured: haproxy is not installed (apt-get install haproxy)",
          "HAProxy present", false);
      return;
    }
    Path directory = Files.createTempDirectory("shunt-bench-" + NAME + "-");
    report.line("apps' output and HAProxy's files in %s", directory);
    try (HazelcastAppFleet fleet = HazelcastAppFleet.start(directory, APPS, System.getProperty("java.class.path"),
        haproxy.get())) {
      fleet.fill(ENTRIES, VALUE_BYTES);
      report.line("%d member apps (%s), %,d entries of %d bytes, backup count 1; HAProxy (inter %d ms, fall %d,"
          + " rise %d), %d client requests/s", APPS, HazelcastAppFleet.HEAP, ENTRIES, VALUE_BYTES,
          Haproxy.INTER_MILLIS, Haproxy.FALL, Haproxy.RISE, REQUESTS_PER_SECOND);
      long worstOvershoot = Long.MIN_VALUE;
      long failed = 0;
      boolean completed = true;
      for (Stop how : List.of(Stop.SIGTERM, Stop.SIGKILL)) {
        Times times = new Times();
        LoadGenerator load = LoadGenerator.start(fleet.clientUrl(), REQUESTS_PER_SECOND, Duration.ofMinutes(5));
        RolloutReport rolled = fleet.rollout(how, true).listener(times).build().run();
        LoadGenerator.Result traffic = load.stop();
        failed += traffic.failed();
        completed &= rolled.succeeded();
        report.line("");
        report.line("gated rollout, each restart a %s: %d ms in all, %s; client requests: %s", how,
            rolled.elapsed().toMillis(), rolled.succeeded() ? "completed" : rolled.outcome(), traffic);
        report.line("  %-16s %8s %8s %8s %8s %8s | %10s %12s %10s %10s", "host (ms)", "restart", "ready", "gate:bef",
            "gate:aft", "gate", "migrations", "hz elapsed", "hz wall", "gate-end");
        List<Migration> migrations = fleet.migrations();
        long gateSum = 0;
        long wallSum = 0;
        for (HostReport host : rolled.hosts()) {
          long from = times.start(host.host(), "restart");
          long to = times.end(host.host(), "cluster-rejoined");
          List<Migration> mine = migrations.stream()
              .filter(m -> m.startMillis() >= from && m.startMillis() <= to).toList();
          long elapsed = mine.stream().mapToLong(Migration::elapsedMillis).sum();
          long wall = mine.stream().mapToLong(Migration::wallMillis).sum();
          long overshoot = mine.isEmpty() ? 0 : to - mine.get(mine.size() - 1).finishMillis();
          worstOvershoot = Math.max(worstOvershoot, overshoot);
          long gate = host.timeIn("cluster-safe").plus(host.timeIn("cluster-rejoined")).toMillis();
          gateSum += gate;
          wallSum += wall;
          report.line("  %-16s %8d %8d %8d %8d %8d | %10d %12d %10d %+10d", host.host(),
              host.timeIn("restart").toMillis(), host.timeIn("ready").toMillis(),
              host.timeIn("cluster-safe").toMillis(), host.timeIn("cluster-rejoined").toMillis(), gate,
              mine.size(), elapsed, wall, overshoot);
        }
        report.line("  the gate added %d ms over %d hosts (%.1f%% of the rollout); Hazelcast's migrations for"
            + " those restarts ran %d ms from start to end", gateSum, rolled.hosts().size(),
            100.0 * gateSum / rolled.elapsed().toMillis(), wallSum);
      }
      DataCheck after = fleet.check();
      report.line("");
      report.line("the map after both rollouts: %s (expected %s)", after, fleet.expected());
      report.goal("entries lost or changed, gated rollouts", Integer.toString(ENTRIES - after.entries()
          + after.wrongValues()), "0", after.equals(fleet.expected()));
      report.goal("failed client requests, gated rollouts", Long.toString(failed), "0", failed == 0 && completed);
      report.goal("gate end after the end of the last migration Hazelcast reported, worst host",
          worstOvershoot + " ms", "<= " + GOAL_OVERSHOOT_MILLIS + " ms", worstOvershoot <= GOAL_OVERSHOOT_MILLIS);
    }
  }

  /** When each step of each host started and ended (epoch milliseconds). */
  private static final class Times implements RolloutListener {
    private final Map<String, Long> starts = new HashMap<>();
    private final Map<String, Long> ends = new HashMap<>();

    @Override
    public synchronized void stepStarted(String host, String step) {
      starts.put(host + " " + step, System.currentTimeMillis());
    }

    @Override
    public synchronized void stepFinished(String host, StepReport step) {
      ends.put(host + " " + step.step(), System.currentTimeMillis());
    }

    synchronized long start(String host, String step) {
      return starts.get(host + " " + step);
    }

    synchronized long end(String host, String step) {
      return ends.get(host + " " + step);
    }
  }
}
