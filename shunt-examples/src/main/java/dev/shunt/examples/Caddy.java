package dev.shunt.examples;

import dev.shunt.workflow.lb.CaddyLoadBalancer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Caddy (2.6, Debian's {@code caddy}), run as a child process on 127.0.0.1 in front of the
 * demo backends, configured as a user would from its documentation: {@code reverse_proxy} over the
 * backends, round robin, active health checks on {@code health_uri /health} every
 * {@code health_interval}. Caddy 2.6 takes an upstream out after one failed check and puts it back
 * after one passed check ({@code health_fails}/{@code health_passes} came later). No
 * {@code lb_try_duration}: Caddy's default, which retries nothing, so a request sent to a stopped
 * backend fails (502) rather than being retried on another, and a zero-failure rollout owes
 * nothing to retries. Its admin API listens on a port of its own on 127.0.0.1.
 */
public final class Caddy implements AutoCloseable {
  private static final Pattern UPSTREAM =
      Pattern.compile("\\{\"address\":\"([^\"]+)\",\"num_requests\":(\\d+),\"fails\":(\\d+)}");

  private final LoadBalancerProcess process;
  private final int port;
  private final int adminPort;
  private final Path caddyfile;

  private Caddy(LoadBalancerProcess process, int port, int adminPort, Path caddyfile) {
    this.process = process;
    this.port = port;
    this.adminPort = adminPort;
    this.caddyfile = caddyfile;
  }

  /** The {@code caddy} executable on the PATH (or in /usr/sbin), if installed. */
  public static Optional<Path> executable() {
    return LoadBalancerProcess.executable("caddy");
  }

  /**
   * Starts Caddy on {@code 127.0.0.1:port} proxying to {@code hosts} ({@code address:port} each),
   * checking each on {@code /health} every {@code healthInterval}, with its files (Caddyfile,
   * log, the config it autosaves) in {@code directory}; returns once it accepts connections.
   */
  public static Caddy start(Path executable, int port, List<String> hosts, Duration healthInterval, Path directory)
      throws IOException {
    int adminPort = DemoFleet.freePorts(1).get(0);
    Path home = Files.createDirectories(directory.resolve("caddy"));
    Path caddyfile = home.resolve("Caddyfile");
    Files.writeString(caddyfile, """
        {
        	admin 127.0.0.1:%d
        	auto_https off
        	storage file_system %s
        }
        http://127.0.0.1:%d {
        	reverse_proxy %s {
        		lb_policy round_robin
        		health_uri /health
        		health_interval %dms
        	}
        }
        """.formatted(adminPort, home.resolve("data"), port, String.join(" ", hosts), healthInterval.toMillis()));
    // Caddy autosaves its config under XDG_CONFIG_HOME and keeps state under XDG_DATA_HOME: both here.
    LoadBalancerProcess process = LoadBalancerProcess.start("caddy",
        List.of(executable.toString(), "run", "--config", caddyfile.toString(), "--adapter", "caddyfile"),
        Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve("config").toString(),
            "XDG_DATA_HOME", home.resolve("data").toString()),
        port, home.resolve("caddy.log"));
    return new Caddy(process, port, adminPort, caddyfile);
  }

  /** The port clients send requests to. */
  public int port() {
    return port;
  }

  /** The port of the admin API on 127.0.0.1. */
  public int adminPort() {
    return adminPort;
  }

  /** The Caddyfile it runs. */
  public Path caddyfile() {
    return caddyfile;
  }

  /** shunt's adapter for this Caddy, on its admin API. */
  public CaddyLoadBalancer loadBalancer() {
    return CaddyLoadBalancer.builder().adminUrl("http://127.0.0.1:" + adminPort).build();
  }

  /** The file Caddy logs to. */
  public Path log() {
    return process.log();
  }

  /**
   * Each upstream's requests in progress ({@code num_requests}), as the admin API's
   * {@code GET /reverse_proxy/upstreams} reports them, by address.
   */
  public Map<String, Integer> upstreamRequests() throws IOException {
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + adminPort + "/reverse_proxy/upstreams")).timeout(Duration.ofSeconds(2)).build();
    String body;
    try {
      body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    Map<String, Integer> requests = new LinkedHashMap<>();
    Matcher upstream = UPSTREAM.matcher(body);
    while (upstream.find()) {
      requests.put(upstream.group(1), Integer.parseInt(upstream.group(2)));
    }
    return requests;
  }

  @Override
  public void close() {
    process.close();
  }
}
