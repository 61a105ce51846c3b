package dev.shunt.examples.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.httpserver.HttpServerHealth;
import dev.shunt.hazelcast.HazelcastStatusStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Benchmark 1, the cost of the health endpoint: requests per second of {@link HealthResponder},
 * backed by a {@link HazelcastStatusStore} on an embedded member of a two-member cluster, against
 * the same JDK {@code HttpServer} answering a fixed {@code 200} with the same headers and body on
 * another path; the same closed-loop load generator, rounds alternating A-B-B-A so that a drift in
 * the machine's speed falls on both alike. Also counts the Hazelcast map operations the checks
 * cost, from every member's local map statistics; a control shows that the count sees a remote
 * read.
 */
final class HealthEndpointBench {
  static final String NAME = "health";
  private static final int CONNECTIONS = 16;
  private static final int SERVER_THREADS = 4;
  private static final Duration WARM_UP = Duration.ofSeconds(3);
  private static final Duration ROUND = Duration.ofMillis(1500);
  private static final int ROUND_PAIRS = 10;
  private static final int CONTROL_READS = 1000;
  private static final double GOAL_RATIO = 0.95;
  private static final byte[] OK = "ok\n".getBytes(StandardCharsets.UTF_8);

  private HealthEndpointBench() {}

  static void run(Report report) throws Exception {
    report.title(NAME, "requests/s of the health responder (Hazelcast store) vs a fixed 200, same JDK HttpServer");
    InstanceKey key = InstanceKey.of("bench", "web-1");
    try (LoopbackCluster cluster = LoopbackCluster.start(2);
         HazelcastStatusStore store = HazelcastStatusStore.builder(cluster.member(0)).build()) {
      HealthResponder responder = HealthResponder.builder().store(store).key(key).path("/health").build();
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
      server.createContext("/", exchange -> fixed(exchange, 404)).getFilters().add(HttpServerHealth.filter(responder));
      server.createContext("/fixed", exchange -> fixed(exchange, 200));
      ExecutorService workers = Executors.newFixedThreadPool(SERVER_THREADS);
      server.setExecutor(workers);
      server.start();
      try {
        measure(report, cluster, store, key, new ClosedLoopLoad(server.getAddress(), CONNECTIONS));
      } finally {
        server.stop(0);
        workers.shutdown();
      }
    }
  }

  private static void measure(Report report, LoopbackCluster cluster, HazelcastStatusStore store, InstanceKey key,
      ClosedLoopLoad load) throws InterruptedException {
    report.line("JDK HttpServer (sun.net.httpserver.nodelay=%s), %d worker threads; %d keep-alive connections,"
        + " closed loop; warm-up %d s each, then %d rounds of %d ms each, A-B-B-A",
        System.getProperty("sun.net.httpserver.nodelay"), SERVER_THREADS, CONNECTIONS, WARM_UP.toSeconds(),
        2 * ROUND_PAIRS, ROUND.toMillis());
    load.run("/fixed", WARM_UP);
    load.run("/health", WARM_UP);
    String[] maps = {store.statusMap(), store.checksMap(), store.maintenanceMap()};
    List<ClosedLoopLoad.Result> baseline = new ArrayList<>();
    List<ClosedLoopLoad.Result> responder = new ArrayList<>();
    long operationsBefore = cluster.mapOperations(maps);
    long measuringSince = System.nanoTime();
    for (int pair = 0; pair < ROUND_PAIRS; pair++) {
      boolean baselineFirst = pair % 2 == 0;
      for (int i = 0; i < 2; i++) {
        boolean isBaseline = (i == 0) == baselineFirst;
        ClosedLoopLoad.Result result = load.run(isBaseline ? "/fixed" : "/health", ROUND);
        (isBaseline ? baseline : responder).add(result);
        report.line("round %d  %s", 2 * pair + i + 1, result);
      }
    }
    long operations = cluster.mapOperations(maps) - operationsBefore;
    // One checker (every connection comes from 127.0.0.1): its report is rewritten once per heartbeat.
    long heartbeats = (System.nanoTime() - measuringSince) / HealthResponder.HEARTBEAT.toNanos() + 1;

    double baselineRate = rate(baseline);
    double responderRate = rate(responder);
    long checks = responder.stream().mapToLong(ClosedLoopLoad.Result::answers).sum();
    long errors = baseline.stream().mapToLong(ClosedLoopLoad.Result::errors).sum()
        + responder.stream().mapToLong(ClosedLoopLoad.Result::errors).sum();
    report.line("baseline, fixed 200 on /fixed:        %,9.0f req/s", baselineRate);
    report.line("shunt responder on /health:           %,9.0f req/s (state %s)", responderRate, store.status(key).shunted()
        ? "shunted" : "in rotation");
    report.line("answers other than 200, broken connections: %d", errors);
    StringBuilder pairs = new StringBuilder();
    for (int pair = 0; pair < ROUND_PAIRS; pair++) {
      pairs.append(String.format(Locale.ROOT, " %.3f",
          responder.get(pair).perSecond() / baseline.get(pair).perSecond()));
    }
    report.line("ratio of each pair of rounds (how noisy the machine is):%s", pairs);

    long controlBefore = cluster.mapOperations(maps);
    for (int i = 0; i < CONTROL_READS; i++) {
      store.reports(key);
    }
    long control = cluster.mapOperations(maps) - controlBefore;
    report.line("control: %d store.reports() calls (one IMap.get each) were counted as %d map operations",
        CONTROL_READS, control);

    report.goal("responder/baseline throughput", Report.ratio(responderRate / baselineRate), ">= " + GOAL_RATIO,
        responderRate / baselineRate >= GOAL_RATIO && errors == 0);
    report.goal("Hazelcast map operations per check", String.format(Locale.ROOT, "%.6f (%d in %,d checks)",
        (double) operations / checks, operations, checks),
        "<= " + heartbeats + " in all (one report per checker per " + HealthResponder.HEARTBEAT.toSeconds() + " s)",
        operations <= heartbeats && control >= CONTROL_READS);
  }

  private static double rate(List<ClosedLoopLoad.Result> results) {
    long answers = results.stream().mapToLong(ClosedLoopLoad.Result::answers).sum();
    long nanos = results.stream().mapToLong(result -> result.elapsed().toNanos()).sum();
    return answers / (nanos / 1e9);
  }

  /** What the responder answers in rotation, headers and body alike, with {@code status}. */
  private static void fixed(HttpExchange exchange, int status) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(status, OK.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(OK);
      }
    }
  }
}
