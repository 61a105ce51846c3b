package dev.shunt.examples.bench;

import dev.shunt.examples.DemoFleet;
import dev.shunt.examples.Haproxy;
import dev.shunt.examples.LoadGenerator;
import dev.shunt.workflow.HaproxyServerStat;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.gate.HaproxyMetricsSource;
import dev.shunt.workflow.gate.MetricsGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metrics gate behind HAProxy, 3 demo backends, 250 requests per second: (1) the time from the
 * first 5xx HAProxy counts on the canary of a version that fails 5 % of its requests to the
 * rollout's halt; (2) what the gate adds to a good rollout: the same rollout with and without it.
 */
final class ErrorGateBench {
  static final String NAME = "errorgate";
  private static final int ROUNDS = 3;
  private static final Duration BAKE = Duration.ofSeconds(2);

  private ErrorGateBench() {}

  static void run(Report report) throws Exception {
    report.title(NAME, "metrics gate: first bad answer to halt; what the gate adds to a good rollout");
    Optional<DemoFleet> started = Bench.fleetBehindHaproxy(report, NAME, 3);
    if (started.isEmpty()) {
      return;
    }
    try (DemoFleet fleet = started.get()) {
      Haproxy haproxy = fleet.haproxy().orElseThrow();
      LoadGenerator load = LoadGenerator.start(fleet.clientUrl(), 250, Duration.ofMinutes(10));
      MetricsGate gate = MetricsGate.builder()
          .source(HaproxyMetricsSource.builder().runtimeApi(haproxy.runtimeApi()).backend(Haproxy.BACKEND).build())
          .bake(BAKE).canaryBake(BAKE).checkInterval(Duration.ofMillis(250)).minRequests(100).build();
      String canary = fleet.hosts().get(0);
      List<Long> toHalt = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        fleet.deploy("--errors-every=20");
        AtomicLong halted = new AtomicLong();
        long base = errors(haproxy, canary);
        FirstError watcher = new FirstError(haproxy, canary, base);
        watcher.start();
        RolloutReport halt = fleet.rollout().canary(1).gate(gate).listener(new RolloutListener() {
          @Override
          public void halting(String reason) {
            halted.set(System.nanoTime());
          }
        }).build().run();
        watcher.interrupt();
        watcher.join();
        long millis = (halted.get() - watcher.first) / 1_000_000;
        toHalt.add(millis);
        report.line("round %d: %s; first 5xx on the canary to halt: %d ms; %s", round + 1, halt.outcome(), millis,
            halt.gates().isEmpty() ? "" : halt.gates().get(0).candidate());
        fleet.deploy("");
        // Back to the good version through a rollout of the canary alone: shunted and drained, no request lost.
        RolloutReport back = fleet.rollout().hosts(List.of(canary)).listener(RolloutListener.silent()).build().run();
        if (!back.succeeded()) {
          throw new IllegalStateException("the canary did not go back to the good version: " + back.summary());
        }
      }
      long without = timed(fleet, null);
      long with = timed(fleet, gate);
      LoadGenerator.Result traffic = load.stop();
      long worst = toHalt.stream().mapToLong(Long::longValue).max().orElse(-1);
      report.line("good rollout of 3 hosts (canary 1): %d ms without the gate, %d ms with it (bake %s after each of"
          + " 3 batches = %d ms)", without, with, BAKE, 3 * BAKE.toMillis());
      report.line("client traffic: %s (every failure should be a 500 of the bad version)", traffic);
      report.goal("first 5xx to halt (worst of " + toHalt.size() + ")", worst + " ms", "<= 2,000 ms",
          worst >= 0 && worst <= 2000);
      long added = with - without - 3 * BAKE.toMillis();
      report.goal("what the gate adds to a good rollout beyond its bakes, per batch", added / 3 + " ms",
          "<= 1,000 ms", added / 3 <= 1000);
    }
  }

  /** A thread that notes when HAProxy's 5xx count of {@code server} first grows past {@code base}. */
  private static final class FirstError extends Thread {
    private final Haproxy haproxy;
    private final String server;
    private final long base;
    volatile long first;

    FirstError(Haproxy haproxy, String server, long base) {
      super("errorgate-watch");
      this.haproxy = haproxy;
      this.server = server;
      this.base = base;
      setDaemon(true);
    }

    @Override
    public void run() {
      while (!isInterrupted() && first == 0) {
        if (errors(haproxy, server) > base) {
          first = System.nanoTime();
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private static long errors(Haproxy haproxy, String server) {
    String stat = haproxy.runtimeApi().command("show stat");
    String[] lines = stat.split("\n");
    List<String> header = List.of(lines[0].substring(2).split(","));
    int column = header.indexOf("hrsp_5xx");
    for (String line : lines) {
      String[] fields = line.split(",");
      if (fields.length > column && fields[0].equals(Haproxy.BACKEND) && fields[1].equals(server)) {
        return Long.parseLong(fields[column]);
      }
    }
    throw new IllegalStateException("no server " + server + " in " + haproxy.runtimeApi().servers().stream()
        .map(HaproxyServerStat::name).toList());
  }

  private static long timed(DemoFleet fleet, MetricsGate gate) {
    long start = System.nanoTime();
    RolloutReport report = fleet.rollout().canary(1).gate(gate).listener(RolloutListener.silent()).build().run();
    if (!report.succeeded()) {
      throw new IllegalStateException("the good rollout did not succeed: " + report.summary());
    }
    return (System.nanoTime() - start) / 1_000_000;
  }
}
