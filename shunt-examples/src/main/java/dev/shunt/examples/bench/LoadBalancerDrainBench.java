package dev.shunt.examples.bench;

import dev.shunt.ShuntRequest;
import dev.shunt.Step;
import dev.shunt.examples.DemoBackend;
import dev.shunt.examples.DemoFleet;
import dev.shunt.examples.Haproxy;
import dev.shunt.examples.LoadGenerator;
import dev.shunt.workflow.AwaitCheckersStep;
import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.lb.HaproxyLoadBalancer;
import dev.shunt.workflow.lb.LoadBalancerStep;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Benchmark 6, the drain through HAProxy's runtime API against the drain through its health
 * checks, on the same five demo backends behind one real HAProxy, at HAProxy's default checks
 * ({@code inter 2s fall 3 rise 2}) and at {@code inter 200ms}, under 200 client requests/s:
 * <ul>
 *   <li>one host's drain, either way: from the shunt to the end of {@link AwaitCheckersStep#drain()}
 *       ({@code fall} "down" answers), against {@link LoadBalancerStep#takeOut()} ({@code set server
 *       … state drain} until {@code show stat} shows no session), as a ratio;
 *   <li>the whole rolling restart of the five hosts, either way: shunt, drain, restart, readiness,
 *       unshunt, rotation ({@code rise} "up" answers), against take-out, restart, readiness,
 *       put-back (until HAProxy says {@code UP}).
 * </ul>
 * Failed client requests are counted for every run.
 */
final class LoadBalancerDrainBench {
  static final String NAME = "lbdrain";
  private static final int BACKENDS = 5;
  private static final int REQUESTS_PER_SECOND = 200;

  private LoadBalancerDrainBench() {}

  /** One HAProxy check setting. */
  private record Checks(String label, int interMillis, int samples) {}

  static void run(Report report) throws Exception {
    report.title(NAME, "drain through HAProxy's runtime API vs through its health checks; a rollout of 5 hosts both ways");
    Optional<Path> executable = Haproxy.executable();
    if (executable.isEmpty()) {
      report.goal(NAME + " behind HAProxy", "not measured: haproxy is not installed (apt-get install haproxy)",
          "HAProxy present", false);
      return;
    }
    Path directory = Files.createTempDirectory("shunt-bench-" + NAME + "-");
    report.line("demo fleet's files (flags, logs, HAProxy config) in %s", directory);
    try (DemoFleet fleet = DemoFleet.start(directory, BACKENDS, System.getProperty("java.class.path"), Optional.empty())) {
      for (Checks checks : List.of(new Checks("HAProxy defaults, inter 2 s", 2000, 3),
          new Checks("inter 200 ms", 200, 10))) {
        Path own = Files.createDirectories(directory.resolve("haproxy-" + checks.interMillis()));
        try (Haproxy haproxy = start(executable.get(), fleet, checks.interMillis(), own)) {
          haproxy.awaitAllUp(Duration.ofSeconds(30));
          measure(report, fleet, haproxy, checks);
        }
      }
    }
  }

  private static Haproxy start(Path executable, DemoFleet fleet, int interMillis, Path directory) throws IOException {
    StringBuilder servers = new StringBuilder();
    for (String host : fleet.hosts()) {
      servers.append("  server ").append(host).append(' ').append(host).append(" check\n");
    }
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    return Haproxy.startWithConfig(executable, port, """
        %s
        frontend demo
          bind 127.0.0.1:%d
          default_backend demo

        backend demo
          balance roundrobin
          option httpchk GET /health
          default-server inter %d fall 3 rise 2
        %s""".formatted(Haproxy.DEFAULTS, port, interMillis, servers), directory);
  }

  private static void measure(Report report, DemoFleet fleet, Haproxy haproxy, Checks checks) {
    HaproxyLoadBalancer lb = HaproxyLoadBalancer.builder().runtimeApi(haproxy.runtimeApi()).backend(Haproxy.BACKEND).build();
    Duration checkerTimeout = Duration.ofMillis(checks.interMillis() * 10L + 5000);
    LoadGenerator load = LoadGenerator.start(URI.create("http://127.0.0.1:" + haproxy.port() + "/"),
        REQUESTS_PER_SECOND, Duration.ofMinutes(10));
    List<Long> byChecks = new ArrayList<>();
    List<Long> byApi = new ArrayList<>();
    for (int i = 0; i < checks.samples(); i++) {
      String host = fleet.hosts().get(i % fleet.hosts().size());
      RolloutReport checked = rollout(fleet, host,
          ShuntStep.shunt(ShuntRequest.of("bench", "shunt-bench").withTtl(Duration.ofMinutes(5))),
          AwaitCheckersStep.drain().times(Haproxy.FALL).timeout(checkerTimeout).failOnTimeout(true).build(),
          ShuntStep.unshunt(),
          AwaitCheckersStep.rotation().times(Haproxy.RISE).timeout(checkerTimeout).failOnTimeout(true).build());
      HostReport one = checked.hosts().get(0);
      byChecks.add(one.timeIn("shunt").toMillis() + one.timeIn("drain").toMillis());
      haproxy.awaitAllUp(Duration.ofSeconds(30));
      RolloutReport api = rollout(fleet, host, LoadBalancerStep.takeOut().loadBalancer(lb).build(),
          LoadBalancerStep.putBack().loadBalancer(lb).build());
      byApi.add(api.hosts().get(0).timeIn("lb-take-out").toMillis());
      haproxy.awaitAllUp(Duration.ofSeconds(30));
    }
    LoadGenerator.Result drains = load.stop();
    long checksMedian = median(byChecks);
    long apiMedian = median(byApi);
    report.line("%s (fall 3 x inter = %d ms), %d drains each way under %d requests/s:", checks.label(),
        3 * checks.interMillis(), checks.samples(), REQUESTS_PER_SECOND);
    report.line("  through the health checks (shunt until fall \"down\" answers): p50 %d ms, max %d ms %s", checksMedian,
        max(byChecks), byChecks);
    report.line("  through the runtime API (set server state drain until 0 sessions): p50 %d ms, max %d ms %s",
        apiMedian, max(byApi), byApi);
    report.line("  ratio health checks / API (p50): %s; client requests meanwhile: %s",
        Report.ratio((double) checksMedian / Math.max(1, apiMedian)), drains);
    report.goal("API drain faster than the health-check drain, " + checks.label(),
        apiMedian + " ms vs " + checksMedian + " ms", "API < checks", apiMedian < checksMedian);

    Rollout viaChecks = Rollout.builder().service(DemoBackend.SERVICE).hosts(fleet.hosts()).store(fleet.store())
        .listener(RolloutListener.silent())
        .steps(List.of(ShuntStep.shunt(ShuntRequest.of("bench", "shunt-bench").withTtl(Duration.ofMinutes(5))),
            AwaitCheckersStep.drain().times(Haproxy.FALL).timeout(checkerTimeout).build(),
            fleet.restartStep(), ready(), ShuntStep.unshunt(),
            AwaitCheckersStep.rotation().times(Haproxy.RISE).timeout(checkerTimeout).build()))
        .build();
    Rollout viaApi = Rollout.builder().service(DemoBackend.SERVICE).hosts(fleet.hosts()).store(fleet.store())
        .listener(RolloutListener.silent())
        .steps(List.of(LoadBalancerStep.takeOut().loadBalancer(lb).build(), fleet.restartStep(), ready(),
            LoadBalancerStep.putBack().loadBalancer(lb).timeout(checkerTimeout).build()))
        .build();
    Measured checked = underLoad(haproxy, viaChecks);
    Measured api = underLoad(haproxy, viaApi);
    report.line("  rollout of %d hosts through the health checks: %d ms (%s); clients: %s", BACKENDS,
        checked.report().elapsed().toMillis(), checked.report().outcome(), checked.traffic());
    report.line("  rollout of %d hosts through the runtime API:   %d ms (%s); clients: %s", BACKENDS,
        api.report().elapsed().toMillis(), api.report().outcome(), api.traffic());
    report.line("  ratio health checks / API: %s", Report.ratio(
        (double) checked.report().elapsed().toMillis() / api.report().elapsed().toMillis()));
    report.goal("failed client requests, both rollouts, " + checks.label(),
        checked.traffic().failed() + " + " + api.traffic().failed(), "0",
        checked.traffic().failed() + api.traffic().failed() == 0 && checked.report().succeeded()
            && api.report().succeeded());
  }

  private static AwaitHttpStep ready() {
    return AwaitHttpStep.builder().url("http://{host}/").interval(Duration.ofMillis(100)).timeout(Duration.ofSeconds(30))
        .build();
  }

  private static RolloutReport rollout(DemoFleet fleet, String host, Step... steps) {
    RolloutReport report = Rollout.builder().service(DemoBackend.SERVICE).hosts(List.of(host)).store(fleet.store())
        .listener(RolloutListener.silent()).steps(List.of(steps)).build().run();
    if (!report.succeeded()) {
      throw new IllegalStateException("a drain of " + host + " failed: " + report.summary());
    }
    return report;
  }

  private record Measured(RolloutReport report, LoadGenerator.Result traffic) {}

  private static Measured underLoad(Haproxy haproxy, Rollout rollout) {
    haproxy.awaitAllUp(Duration.ofSeconds(30));
    LoadGenerator load = LoadGenerator.start(URI.create("http://127.0.0.1:" + haproxy.port() + "/"),
        REQUESTS_PER_SECOND, Duration.ofMinutes(5));
    RolloutReport report = rollout.run();
    return new Measured(report, load.stop());
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static long max(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElse(0);
  }
}
