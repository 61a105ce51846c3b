package dev.shunt.examples;

import dev.shunt.workflow.lb.NginxLoadBalancer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real nginx (1.22, Debian's {@code nginx}), run as a child process ({@code daemon off}, its
 * master and one worker) on 127.0.0.1 in front of the demo backends. Open-source nginx has no
 * active health checks: its upstream {@code demo} lists the backends in a file of its own,
 * {@link #upstreamFile()}, included by the configuration, where a server is taken out by marking
 * it {@code down} and reloading ({@code nginx -s reload}, or SIGHUP to the master). Requests reach
 * the backends over HTTP/1.1 keep-alive, and {@code proxy_next_upstream off}: a request sent to a
 * stopped backend fails (502) rather than being retried on another, so a zero-failure rollout
 * owes nothing to retries.
 */
public final class Nginx implements AutoCloseable {
  private final LoadBalancerProcess process;
  private final int port;
  private final Path config;
  private final Path upstreamFile;
  private final Path executable;

  private Nginx(LoadBalancerProcess process, int port, Path config, Path upstreamFile, Path executable) {
    this.process = process;
    this.executable = executable;
    this.port = port;
    this.config = config;
    this.upstreamFile = upstreamFile;
  }

  /** The {@code nginx} executable on the PATH (or in /usr/sbin), if installed. */
  public static Optional<Path> executable() {
    return LoadBalancerProcess.executable("nginx");
  }

  /** The lines of the upstream file that put each of {@code hosts} in rotation: {@code server HOST;} each. */
  public static String upstreamServers(List<String> hosts) {
    StringBuilder servers = new StringBuilder();
    hosts.forEach(host -> servers.append("server ").append(host).append(";\n"));
    return servers.toString();
  }

  /**
   * Starts nginx on {@code 127.0.0.1:port} balancing over {@code hosts} ({@code address:port}
   * each), with its files (configuration, upstream file, pid file, logs, temporary files) in
   * {@code directory}; returns once it accepts connections.
   */
  public static Nginx start(Path executable, int port, List<String> hosts, Path directory) throws IOException {
    Path prefix = Files.createDirectories(directory.resolve("nginx"));
    Files.createDirectories(prefix.resolve("logs"));
    Files.createDirectories(prefix.resolve("temp"));
    Path config = prefix.resolve("nginx.conf");
    Path upstreamFile = prefix.resolve("upstream-demo.conf");
    Files.writeString(upstreamFile, upstreamServers(hosts));
    // As root, nginx would run its workers as nobody, who cannot enter the test's private
    // directory; a worker of the same user as the master can.
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    Files.writeString(config, """
        %sworker_processes 1;
        pid %s;
        error_log %s notice;
        events {
          worker_connections 1024;
        }
        http {
          access_log off;
          client_body_temp_path temp/body;
          proxy_temp_path temp/proxy;
          fastcgi_temp_path temp/fastcgi;
          uwsgi_temp_path temp/uwsgi;
          scgi_temp_path temp/scgi;
          upstream demo {
            include %s;
            keepalive 32;
          }
          server {
            listen 127.0.0.1:%d;
            location / {
              proxy_pass http://demo;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_next_upstream off;
            }
          }
        }
        """.formatted(user, prefix.resolve("nginx.pid"), prefix.resolve("logs/error.log"), upstreamFile, port));
    LoadBalancerProcess process = LoadBalancerProcess.start("nginx",
        List.of(executable.toString(), "-p", prefix + "/", "-c", config.toString(), "-g", "daemon off;"),
        Map.of(), port, prefix.resolve("nginx.out"));
    return new Nginx(process, port, config, upstreamFile, executable);
  }

  /** The port clients send requests to. */
  public int port() {
    return port;
  }

  /** The main configuration file: {@code nginx -c} takes it. */
  public Path config() {
    return config;
  }

  /** The file the upstream {@code demo} includes: one {@code server HOST;} line per backend, {@code down} when out. */
  public Path upstreamFile() {
    return upstreamFile;
  }

  /** The process id of the master process. */
  public long masterPid() {
    return process.pid();
  }

  /** The process ids of the master's children: its workers, old ones that still finish requests included. */
  public List<Long> workerPids() {
    return ProcessHandle.of(process.pid()).stream().flatMap(ProcessHandle::children).map(ProcessHandle::pid).toList();
  }

  /**
   * shunt's adapter for this nginx: it marks servers {@code down} in {@link #upstreamFile()} and
   * reloads with this nginx's executable, prefix, configuration and pid file.
   */
  public NginxLoadBalancer loadBalancer() {
    return NginxLoadBalancer.builder()
        .upstreamFile(upstreamFile)
        .nginx(executable)
        .prefix(config.getParent())
        .config(config)
        .pidFile(pidFile())
        .build();
  }

  /** The pid file of the master process. */
  public Path pidFile() {
    return config.resolveSibling("nginx.pid");
  }

  /** The file nginx logs errors and reloads to. */
  public Path errorLog() {
    return config.resolveSibling("logs/error.log");
  }

  @Override
  public void close() {
    process.close();
  }
}
