package dev.shunt.examples.bench;

import dev.shunt.examples.DemoFleet;
import dev.shunt.examples.Haproxy;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the benchmarks named on the command line and prints their figures:
 *
 * <pre>
 * ./mvnw -q -DskipTests package exec:exec -pl shunt-examples -am -Dbench=health
 * </pre>
 *
 * <p>Names: {@code health}, {@code propagation}, {@code drain}, {@code rollout}, {@code engine},
 * {@code gate}, {@code lbdrain}, {@code errorgate}, or {@code all}.
 * Each benchmark prints its figures, a baseline measured in the same run, the ratio, and its goals
 * with PASS or MISS; at the end, the goals missed. Exits 0 when every benchmark ran (whether or
 * not its goals were met), 1 when one could not run, 2 on a bad name.
 */
public final class Bench {
  /** A benchmark: prints into the report. */
  @FunctionalInterface
  private interface Benchmark {
    void run(Report report) throws Exception;
  }

  private static final Map<String, Benchmark> BENCHMARKS = new LinkedHashMap<>();

  static {
    BENCHMARKS.put(HealthEndpointBench.NAME, HealthEndpointBench::run);
    BENCHMARKS.put(PropagationBench.NAME, PropagationBench::run);
    BENCHMARKS.put(DrainPrecisionBench.NAME, DrainPrecisionBench::run);
    BENCHMARKS.put(RolloutEfficiencyBench.NAME, RolloutEfficiencyBench::run);
    BENCHMARKS.put(EngineBench.NAME, EngineBench::run);
    BENCHMARKS.put(ClusterSafetyGateBench.NAME, ClusterSafetyGateBench::run);
    BENCHMARKS.put(LoadBalancerDrainBench.NAME, LoadBalancerDrainBench::run);
    BENCHMARKS.put(ErrorGateBench.NAME, ErrorGateBench::run);
  }

  private Bench() {}

  /**
   * Starts {@code backends} demo backends behind HAProxy in a new directory under the system's
   * temporary one, or says in the report that benchmark {@code name} cannot run without HAProxy.
   */
  static Optional<DemoFleet> fleetBehindHaproxy(Report report, String name, int backends) throws IOException {
    Optional<Path> haproxy = Haproxy.executable();
    if (haproxy.isEmpty()) {
      report.goal(name + " behind HAProxy", "not measured: haproxy is not installed (apt-get install haproxy)",
          "HAProxy present", false);
      return Optional.empty();
    }
    Path directory = Files.createTempDirectory("shunt-bench-" + name + "-");
    report.line("demo fleet's files (flags, logs, HAProxy config) in %s", directory);
    return Optional.of(DemoFleet.start(directory, backends, System.getProperty("java.class.path"), haproxy));
  }

  public static void main(String[] args) {
    List<String> names = new ArrayList<>();
    for (String arg : args) {
      for (String name : arg.split(",")) {
        if (name.equals("all")) {
          names.addAll(BENCHMARKS.keySet());
        } else if (BENCHMARKS.containsKey(name)) {
          names.add(name);
        } else {
          System.err.println("unknown benchmark '" + name + "'; choose from " + BENCHMARKS.keySet() + " or all");
          System.exit(2);
        }
      }
    }
    if (names.isEmpty()) {
      System.err.println("name a benchmark: " + BENCHMARKS.keySet() + " or all (-Dbench=NAME)");
      System.exit(2);
    }
    System.out.printf(Locale.ROOT, "shunt benchmarks %s on %d cores, Java %s, load average %.2f at start%n", names,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Report report = new Report(System.out);
    boolean failed = false;
    for (String name : names) {
      long start = System.nanoTime();
      try {
        BENCHMARKS.get(name).run(report);
      } catch (Exception e) {
        failed = true;
        System.out.println("   ERROR " + name + " could not run: " + e);
        e.printStackTrace(System.out);
      }
      report.line("(%s took %d s)", name, (System.nanoTime() - start) / 1_000_000_000L);
    }
    System.out.println();
    List<String> missed = report.missed();
    System.out.println(missed.isEmpty() ? "every goal met" : "goals missed: " + missed);
    System.exit(failed ? 1 : 0);
  }
}
