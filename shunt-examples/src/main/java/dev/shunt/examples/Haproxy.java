package dev.shunt.examples;

import dev.shunt.workflow.HaproxyRuntimeApi;
import dev.shunt.workflow.HaproxyServerStat;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A real HAProxy, run as a child process on 127.0.0.1 in front of the demo backends: HTTP health
 * checks on {@code /health} every {@code inter} ms, {@code fall} 3, {@code rise} 2, no retries
 * (a request sent to a stopped server fails rather than being retried), and its runtime API
 * (stats socket, {@code level admin}) on a UNIX socket and on TCP (and {@code level operator} on another UNIX socket), whose {@code show stat} tells each
 * server's state.
 */
public final class Haproxy implements AutoCloseable {
  /** Check interval, in milliseconds. */
  public static final int INTER_MILLIS = 200;
  /** Failed checks before a server is marked DOWN. */
  public static final int FALL = 3;
  /** Passed checks before a server is marked UP again. */
  public static final int RISE = 2;

  /**
   * The {@code defaults} section of every HAProxy the tests run. No retries: a request sent to a
   * stopped server fails instead of being retried, so a zero-failure rollout owes nothing to
   * HAProxy hiding errors. {@code timeout check} gives a health answer 2 s, as {@code inter 2s}
   * would in production: without it HAProxy allows a check only {@code inter} (200 ms here), and
   * on a loaded machine a freshly started backend's answer can come later, which HAProxy counts as
   * a failed check while the responder has sent, and counted, an "up".
   */
  public static final String DEFAULTS = """
      defaults
        mode http
        retries 0
        timeout connect 1s
        timeout client 10s
        timeout server 10s
        timeout check 2s
      """;

  /** The backend of {@link #start} that {@link #serverStates()} and {@link #serverWeights()} read. */
  public static final String BACKEND = "demo";

  private final Process process;
  private final int port;
  private final Path statsSocket;
  private final int statsPort;
  private final HaproxyRuntimeApi runtimeApi;
  private final HaproxyRuntimeApi runtimeApiOverTcp;
  private final HaproxyRuntimeApi runtimeApiAtOperatorLevel;
  private final Path log;

  private Haproxy(Process process, int port, Path statsSocket, int statsPort, Path log) {
    this.process = process;
    this.port = port;
    this.statsSocket = statsSocket;
    this.statsPort = statsPort;
    this.runtimeApi = HaproxyRuntimeApi.unixSocket(statsSocket);
    this.runtimeApiOverTcp = HaproxyRuntimeApi.tcp("127.0.0.1", statsPort);
    this.runtimeApiAtOperatorLevel = HaproxyRuntimeApi.unixSocket(operatorSocket(statsSocket));
    this.log = log;
  }

  /** The {@code haproxy} executable on the PATH (or in /usr/sbin), if installed. */
  public static Optional<Path> executable() {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin";
    return Arrays.stream(path.split(":"))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, "haproxy"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * Starts HAProxy on {@code 127.0.0.1:port} balancing over {@code hosts} ({@code address:port}
   * each, which also name the servers), with its files in {@code directory}; returns once it
   * accepts connections.
   */
  public static Haproxy start(Path executable, int port, List<String> hosts, Path directory) throws IOException {
    StringBuilder servers = new StringBuilder();
    for (String host : hosts) {
      servers.append("  server ").append(host).append(' ').append(host).append(" check\n");
    }
    return startWithConfig(executable, port, """
        %s
        frontend demo
          bind 127.0.0.1:%d
          default_backend demo

        backend demo
          balance roundrobin
          option httpchk GET /health
          default-server inter %d fall %d rise %d
        %s""".formatted(DEFAULTS, port, INTER_MILLIS, FALL, RISE, servers), directory);
  }

  /** The port clients send requests to. */
  public int port() {
    return port;
  }

  /** The runtime API on its UNIX stats socket. */
  public HaproxyRuntimeApi runtimeApi() {
    return runtimeApi;
  }

  /** The runtime API on its TCP stats socket. */
  public HaproxyRuntimeApi runtimeApiOverTcp() {
    return runtimeApiOverTcp;
  }

  /**
   * The runtime API on a third stats socket, at {@code level operator}: it reads {@code show stat}
   * but refuses {@code set server} ({@code Permission denied}).
   */
  public HaproxyRuntimeApi runtimeApiAtOperatorLevel() {
    return runtimeApiAtOperatorLevel;
  }

  private static Path operatorSocket(Path statsSocket) {
    return statsSocket.resolveSibling("haproxy-operator.sock");
  }

  /** The UNIX stats socket of {@link #runtimeApi()}. */
  public Path statsSocket() {
    return statsSocket;
  }

  /** The port on 127.0.0.1 of {@link #runtimeApiOverTcp()}. */
  public int statsPort() {
    return statsPort;
  }

  /** Each server's state as {@code show stat} reports it ({@code UP}, {@code DOWN}, {@code MAINT}…). */
  public Map<String, String> serverStates() {
    return byServer(HaproxyServerStat::status);
  }

  /**
   * Each server's state once no health check is changing it: a state such as {@code UP 1/3} (UP,
   * with one failed check of the three that would take it down) or {@code DOWN 1/2} is a
   * transition, and {@code show stat} reads it for as long as the checks take to settle. Waits at
   * most {@code timeout}, then returns the states as they are.
   */
  public Map<String, String> settledServerStates(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    Map<String, String> states = serverStates();
    while (states.values().stream().anyMatch(state -> state.contains("/")) && Instant.now().isBefore(deadline)) {
      sleep(Duration.ofMillis(50));
      states = serverStates();
    }
    return states;
  }

  /** Each server's current sessions ({@code scur}): requests HAProxy is having it serve. */
  public Map<String, Integer> serverSessions() {
    return byServer(HaproxyServerStat::sessions);
  }

  private <T> Map<String, T> byServer(Function<HaproxyServerStat, T> value) {
    Map<String, T> values = new LinkedHashMap<>();
    for (HaproxyServerStat server : runtimeApi.servers()) {
      if (server.backend().equals(BACKEND)) {
        values.put(server.server(), value.apply(server));
      }
    }
    return values;
  }

  /** Waits until every server is {@code UP}, or fails after {@code timeout}. */
  public void awaitAllUp(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (!serverStates().values().stream().allMatch(state -> state.equals("UP"))) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("servers not all UP within " + timeout + ": " + serverStates());
      }
      sleep(Duration.ofMillis(50));
    }
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return Files.exists(statsSocket);
    } catch (IOException e) {
      return false;
    }
  }

  /** The file HAProxy logs to. */
  public Path log() {
    return log;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /**
   * Starts HAProxy with {@code proxies} as its configuration after a {@code global} section that
   * opens the stats sockets (UNIX and TCP on a free port), with its files in {@code directory};
   * returns once it accepts connections. {@code proxies} holds the {@code defaults},
   * {@code frontend} and {@code backend} sections; its frontend binds {@code 127.0.0.1:port}, and
   * its backend is named {@value #BACKEND} for {@link #serverStates()} and {@link #serverWeights()}.
   */
  public static Haproxy startWithConfig(Path executable, int port, String proxies, Path directory)
      throws IOException {
    Path statsSocket = directory.resolve("haproxy.sock");
    Path config = directory.resolve("haproxy.cfg");
    Path log = directory.resolve("haproxy.log");
    int statsPort = DemoFleet.freePorts(1).get(0);
    Files.writeString(config, """
        global
          maxconn 2000
          stats socket %s mode 600 level admin
          stats socket ipv4@127.0.0.1:%d level admin
          stats socket %s mode 600 level operator

        %s""".formatted(statsSocket, statsPort, operatorSocket(statsSocket), proxies));
    Process process = new ProcessBuilder(executable.toString(), "-db", "-f", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    Haproxy haproxy = new Haproxy(process, port, statsSocket, statsPort, log);
    Instant deadline = Instant.now().plusSeconds(10);
    while (!haproxy.accepts()) {
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        haproxy.close();
        throw new IOException("haproxy did not start; its log " + log + " says: " + Files.readString(log));
      }
      sleep(Duration.ofMillis(50));
    }
    return haproxy;
  }

  /**
   * Each server's effective weight as {@code show stat} reports it: its configured
   * {@code weight} scaled by the percentage an agent answered last. A drain leaves it as it is.
   */
  public Map<String, Integer> serverWeights() {
    return byServer(HaproxyServerStat::weight);
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
