package dev.shunt.examples;

import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo rolling restart, on embedded defaults: three demo backends as separate processes,
 * HAProxy in front of them when it is installed, steady client traffic through it, and a
 * rolling restart of every backend with shunt, drain, restart, readiness and unshunt. Prints
 * per-host progress and a summary, and writes the rollout's HTML report ({@code report.html} in its
 * directory, whose path it prints); exits 0 when every host was restarted and no client request
 * failed.
 *
 * <p>Run it from the repository root with {@code ./mvnw -q -DskipTests package exec:exec}.
 */
public final class Demo {
  private static final int BACKENDS = 3;
  private static final int REQUESTS_PER_SECOND = 200;

  private Demo() {}

  public static void main(String[] args) throws Exception {
    Path directory = Files.createTempDirectory("shunt-demo-");
    Optional<Path> haproxy = Haproxy.executable();
    System.out.println("shunt demo: rolling restart of " + BACKENDS + " backends; files in " + directory);
    if (haproxy.isEmpty()) {
      System.out.println("HAProxy is not installed: the rollout runs without a load balancer, and the drain"
          + " and rotation waits end on their timeouts. With HAProxy (apt-get install haproxy) the demo"
          + " puts it in front of the backends and sends client traffic through it.");
    }
    try (DemoFleet fleet = DemoFleet.start(directory, BACKENDS, System.getProperty("java.class.path"), haproxy)) {
      Map<String, Long> pidsBefore = fleet.pids();
      fleet.haproxy().ifPresent(proxy -> System.out.println("HAProxy on 127.0.0.1:" + proxy.port()
          + " (checks GET /health every " + Haproxy.INTER_MILLIS + " ms, fall " + Haproxy.FALL
          + ", rise " + Haproxy.RISE + "); sending " + REQUESTS_PER_SECOND + " requests/s through it"));
      LoadGenerator load = haproxy.isPresent()
          ? LoadGenerator.start(fleet.clientUrl(), REQUESTS_PER_SECOND, Duration.ofMinutes(5))
          : null;

      RolloutReport report = fleet.rollout().listener(RolloutListener.console(System.out)).build().run();
      LoadGenerator.Result traffic = load == null ? null : load.stop();

      System.out.println();
      System.out.printf("%-18s %-8s %s (ms)%n", "host", "outcome", PhaseTable.header());
      for (HostReport host : report.hosts()) {
        System.out.printf("%-18s %-8s %s   pid %d -> %d%n", host.host(), host.outcome(), PhaseTable.row(host),
            pidsBefore.get(host.host()), fleet.pid(host.host()));
      }
      long restarted = fleet.hosts().stream().filter(host -> fleet.pid(host) != pidsBefore.get(host)).count();
      System.out.println("hosts restarted: " + restarted + " of " + fleet.hosts().size()
          + "; rollout took " + report.elapsed().toMillis() + " ms");
      System.out.println("client requests: " + (traffic == null ? "none sent (no HAProxy)" : traffic));
      Path page = Files.writeString(directory.resolve("report.html"), report.toHtml());
      System.out.println("HTML report: " + page.toUri());
      boolean ok = report.succeeded() && restarted == fleet.hosts().size() && (traffic == null || traffic.failed() == 0);
      System.out.println(ok ? "OK: every backend restarted, no client request failed" : "FAILED: see above");
      if (!ok) {
        System.exit(1);
      }
    }
  }
}
