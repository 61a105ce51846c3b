package dev.shunt.examples;

import dev.shunt.workflow.lb.VarnishLoadBalancer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Varnish (7.1, Debian's {@code varnish}), run as a child process ({@code varnishd -F}) on
 * 127.0.0.1 in front of the demo backends: one backend per host, each with a probe on
 * {@code /health} (the {@link Probe}'s interval, window and threshold), a round-robin director
 * over them, and {@code return (pass)} for every request, so that each one reaches a backend
 * (Varnish would otherwise serve the demo's answers from its cache, and no restart could fail a
 * request). Varnish retries no failed fetch unless the VCL says so, and this one does not. Its CLI
 * ({@code varnishadm -n WORKDIR}, also on a {@code -T} port with a secret file) and
 * {@code varnishstat} reach it through its working directory.
 */
public final class Varnish implements AutoCloseable {
  /**
   * A backend probe: every {@code interval}, a backend is healthy while at least
   * {@code threshold} of the last {@code window} probes passed. So from healthy it turns sick
   * after {@code window - threshold + 1} failed probes in a row, and from sick (a window of
   * failures) healthy after {@code threshold} passed ones.
   */
  public record Probe(Duration interval, int window, int threshold) {
    /** Failed probes in a row that make a healthy backend sick. */
    public int fall() {
      return window - threshold + 1;
    }

    /** Passed probes in a row that make a sick backend healthy again. */
    public int rise() {
      return threshold;
    }
  }

  private final LoadBalancerProcess process;
  private final int port;
  private final Path workDirectory;
  private final Path varnishadm;
  private final Path varnishstat;
  private final Map<String, String> backendNames;

  private Varnish(LoadBalancerProcess process, int port, Path workDirectory, Path varnishadm, Path varnishstat,
      Map<String, String> backendNames) {
    this.process = process;
    this.port = port;
    this.workDirectory = workDirectory;
    this.varnishadm = varnishadm;
    this.varnishstat = varnishstat;
    this.backendNames = backendNames;
  }

  /** The {@code varnishd} executable on the PATH (or in /usr/sbin), if installed. */
  public static Optional<Path> executable() {
    return LoadBalancerProcess.executable("varnishd");
  }

  /**
   * The VCL names of the backends: {@code demo1}, {@code demo2}… in the order of the hosts, which
   * the server template {@code demo{index}} gives (VCL names allow no {@code .} or {@code :}).
   */
  public static final String BACKEND_NAMES = "demo{index}";

  /**
   * Starts Varnish on {@code 127.0.0.1:port} balancing over {@code hosts} ({@code address:port}
   * each, backends named as {@link #BACKEND_NAMES} says), probing each with {@code probe}, with its files
   * in {@code directory}; returns once it accepts connections and every backend is healthy.
   */
  public static Varnish start(Path executable, int port, List<String> hosts, Probe probe, Path directory)
      throws IOException {
    Varnish varnish = startUnchecked(executable, port, hosts, probe, directory);
    try {
      varnish.awaitAllHealthy(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      varnish.close();
      throw e;
    }
    return varnish;
  }

  /**
   * {@link #start}, returning once it accepts connections, whether the backends are healthy or
   * not (its probe's {@code .initial} counts them healthy until the probes say otherwise).
   */
  public static Varnish startUnchecked(Path executable, int port, List<String> hosts, Probe probe, Path directory)
      throws IOException {
    Path home = Files.createDirectories(directory.resolve("varnish"));
    Path vcl = home.resolve("demo.vcl");
    Path secret = home.resolve("secret");
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    Files.writeString(secret, HexFormat.of().formatHex(random) + "\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Map<String, String> names = new LinkedHashMap<>();
    StringBuilder backends = new StringBuilder();
    StringBuilder director = new StringBuilder();
    for (int i = 0; i < hosts.size(); i++) {
      String host = hosts.get(i);
      String name = "demo" + (i + 1);
      names.put(host, name);
      int colon = host.lastIndexOf(':');
      backends.append("backend %s { .host = \"%s\"; .port = \"%s\"; .probe = health; }\n"
          .formatted(name, host.substring(0, colon), host.substring(colon + 1)));
      director.append("  lb.add_backend(").append(name).append(");\n");
    }
    Files.writeString(vcl, """
        vcl 4.1;
        import directors;

        probe health {
          .url = "/health";
          .interval = %dms;
          .timeout = 2s;
          .window = %d;
          .threshold = %d;
          .initial = %d;
        }

        %s
        sub vcl_init {
          new lb = directors.round_robin();
        %s}

        sub vcl_recv {
          set req.backend_hint = lb.backend();
          return (pass);
        }
        """.formatted(probe.interval().toMillis(), probe.window(), probe.threshold(), probe.threshold(),
        backends, director));
    Path workDirectory = home.resolve("work");
    int adminPort = DemoFleet.freePorts(1).get(0);
    Path bin = executable.getParent();
    // -j none: no privilege separation, so it runs alike as root and as any user, on files in a private directory.
    LoadBalancerProcess process = LoadBalancerProcess.start("varnishd",
        List.of(executable.toString(), "-F", "-j", "none", "-n", workDirectory.toString(),
            "-a", "127.0.0.1:" + port, "-T", "127.0.0.1:" + adminPort, "-S", secret.toString(),
            "-s", "malloc,32m", "-f", vcl.toString()),
        Map.of(), port, home.resolve("varnishd.log"));
    return new Varnish(process, port, workDirectory, sibling(bin, "varnishadm"), sibling(bin, "varnishstat"),
        Map.copyOf(names));
  }

  private static Path sibling(Path bin, String tool) {
    return LoadBalancerProcess.executable(tool).orElse(bin.resolve(tool));
  }

  /** The port clients send requests to. */
  public int port() {
    return port;
  }

  /** Its working directory ({@code -n}), which {@code varnishadm -n} and {@code varnishstat -n} take. */
  public Path workDirectory() {
    return workDirectory;
  }

  /** shunt's adapter for this Varnish: {@code varnishadm} and {@code varnishstat} with its working directory. */
  public VarnishLoadBalancer loadBalancer() {
    return VarnishLoadBalancer.builder()
        .instance(workDirectory.toString())
        .varnishadm(varnishadm)
        .varnishstat(varnishstat)
        .build();
  }

  /** The file varnishd logs to. */
  public Path log() {
    return process.log();
  }

  /** Each backend's health ({@code healthy} or {@code sick}), as {@code varnishadm backend.list} says, by host. */
  public Map<String, String> backendHealth() {
    List<String> lines = run(List.of(varnishadm.toString(), "-n", workDirectory.toString(), "backend.list"));
    Map<String, String> health = new LinkedHashMap<>();
    backendNames.forEach((host, name) -> lines.stream()
        .map(line -> line.trim().split("\\s+"))
        .filter(columns -> columns.length >= 4 && columns[0].endsWith("." + name))
        .findFirst()
        .ifPresent(columns -> health.put(host, columns[3])));
    return health;
  }

  /** Waits until every backend is healthy, or fails after {@code timeout}. */
  public void awaitAllHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, String> health = backendHealth();
    while (health.size() < backendNames.size() || !health.values().stream().allMatch("healthy"::equals)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("backends not all healthy within " + timeout + ": " + health);
      }
      Haproxy.sleep(Duration.ofMillis(50));
      health = backendHealth();
    }
  }

  private static List<String> run(List<String> command) {
    try {
      Process tool = new ProcessBuilder(command).redirectErrorStream(true).start();
      List<String> lines = new ArrayList<>(new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
          .lines().toList());
      if (!tool.waitFor(10, TimeUnit.SECONDS)) {
        tool.destroyForcibly();
      }
      return lines;
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
