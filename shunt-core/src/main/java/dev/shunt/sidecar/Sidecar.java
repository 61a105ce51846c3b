package dev.shunt.sidecar;

import com.sun.net.httpserver.HttpServer;
import dev.shunt.AgentCheckResponder;
import dev.shunt.GracefulShutdown;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.StatusStore;
import dev.shunt.httpserver.HttpServerHealth;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A standalone health server for an application in any language: it answers the load
 * balancer's HTTP health checks (and, if asked, HAProxy's agent checks) for one instance, from
 * the flag-file store that the deploy tooling writes. The application itself needs no change.
 *
 * <pre>
 * java -Dsun.net.httpserver.nodelay=true -cp shunt-core.jar dev.shunt.sidecar.Sidecar \
 *     --flags /var/run/shunt --service checkout --listen 0.0.0.0:8081 [--agent 0.0.0.0:8082]
 * </pre>
 *
 * <p>Options (defaults in brackets): {@code --flags DIR} (required), {@code --service NAME}
 * (required), {@code --host NAME} [this machine's host name], {@code --listen ADDRESS:PORT}
 * [127.0.0.1:8081], {@code --path PATH} [/health], {@code --agent ADDRESS:PORT} [no agent],
 * {@code --shunted-status CODE} [503], {@code --nacks N} [3], {@code --healthcheck-timeout SECONDS}
 * [15], {@code --checker-header NAME} [none: every client is a checker] and
 * {@code --checker-secret-file PATH} [none]: only checks whose header carries {@code <name>:<secret>}
 * are recorded as checkers ({@link HealthResponder.Builder#checkerHeader}); the secret is read
 * from a file, not the command line, which {@code ps} shows to every user. On SIGTERM it answers every check "down" until the load balancer has taken the instance
 * out ({@link GracefulShutdown}), then exits: stop it before the application.
 *
 * <p><b>Slow clients.</b> Each request is read and answered on a thread of its own, up to 200
 * at once (connections beyond that are closed at once), so a client that sends half a request
 * and holds it delays no one else's check; the JDK server without an executor would read it on
 * its only dispatcher thread and answer no check at all meanwhile. {@link #main} also sets
 * {@code -Dsun.net.httpserver.maxReqTime=5}, unless it is set: the JDK server then closes a
 * connection whose request has not arrived whole within 5 s (checked every second), which frees
 * the threads that such clients hold.
 *
 * <p>Its threads are daemon threads named {@code shunt-sidecar-http-<port>-<n>}; {@link #close()}
 * stops them.
 */
public final class Sidecar implements AutoCloseable {
  /** The most requests read and answered at once, each on a thread of its own. */
  private static final int MAX_EXCHANGE_THREADS = 200;
  private static final Duration IDLE_THREAD_LIFETIME = Duration.ofMinutes(1);
  /** How long {@link #close()} waits for the answers under way, e.g. a check's record in the store. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
  /** The JDK server's longest time for a request to arrive, in seconds; read when its classes load. */
  private static final String MAX_REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";
  private static final String MAX_REQUEST_SECONDS = "5";
  private static final Set<String> OPTIONS = Set.of("--flags", "--service", "--host", "--listen", "--path",
      "--agent", "--shunted-status", "--nacks", "--healthcheck-timeout", "--checker-header", "--checker-secret-file");
  /** The longest secret file read: a secret is at most 256 characters. */
  private static final int MAX_SECRET_FILE_BYTES = 1024;

  private final HealthResponder responder;
  private final HttpServer server;
  private final ThreadPoolExecutor exchanges;
  private final AgentCheckResponder agent;

  private Sidecar(HealthResponder responder, HttpServer server, ThreadPoolExecutor exchanges,
      AgentCheckResponder agent) {
    this.responder = responder;
    this.server = server;
    this.exchanges = exchanges;
    this.agent = agent;
  }

  /**
   * Runs a sidecar until the JVM stops, draining it at shutdown; exits with 2 on a bad option, 1 if it cannot listen.
   *
   * @param args the options, e.g. {@code --flags /var/run/shunt --service checkout}
   */
  public static void main(String[] args) {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    if (System.getProperty(MAX_REQUEST_TIME_PROPERTY) == null) {
      System.setProperty(MAX_REQUEST_TIME_PROPERTY, MAX_REQUEST_SECONDS);
    }
    Sidecar sidecar;
    try {
      sidecar = start(args);
    } catch (IllegalArgumentException e) {
      System.err.println("shunt sidecar: " + e.getMessage());
      System.err.println("usage: Sidecar --flags DIR --service NAME [--host NAME] [--listen ADDRESS:PORT]"
          + " [--path PATH] [--agent ADDRESS:PORT] [--shunted-status CODE] [--nacks N] [--healthcheck-timeout SECONDS]"
          + " [--checker-header NAME [--checker-secret-file PATH]]");
      System.exit(2);
      return;
    } catch (UncheckedIOException e) {
      System.err.println("shunt sidecar: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println("shunt sidecar for " + sidecar.responder.key() + ": health on " + sidecar.httpAddress()
        + sidecar.responder.path() + (sidecar.agent == null ? "" : ", agent check on port " + sidecar.agent.port()));
    GracefulShutdown.builder().responder(sidecar.responder).stopServer(sidecar::close).build().installOnShutdown();
  }

  /**
   * Starts a sidecar from command-line arguments.
   *
   * @param args the options, as for {@link #main}
   * @return the running sidecar
   * @throws IllegalArgumentException naming the option, its value and the rule it breaks
   * @throws UncheckedIOException if it cannot listen on the {@code --listen} address
   */
  public static Sidecar start(String... args) {
    Map<String, String> options = parse(args);
    String service = required(options, "--service");
    String host = options.containsKey("--host") ? options.get("--host") : localHostName();
    HealthResponder responder;
    String secret = options.containsKey("--checker-secret-file") ? secret(options.get("--checker-secret-file")) : null;
    try {
      responder = HealthResponder.builder()
          .checkerHeader(options.get("--checker-header"))
          .checkerSecret(secret)
          .store(StatusStore.flagFiles(Path.of(required(options, "--flags"))))
          .key(InstanceKey.of(service, host))
          .path(options.getOrDefault("--path", "/health"))
          .shuntedStatus(integer(options, "--shunted-status", 503))
          .nacksBeforeShutdown(integer(options, "--nacks", 3))
          .healthcheckTimeout(Duration.ofSeconds(integer(options, "--healthcheck-timeout", 15)))
          .build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid option: " + e.getMessage(), e);
    }
    InetSocketAddress listen = address(options, "--listen", "127.0.0.1:8081");
    // Parsed before the health server starts, so that a bad agent address leaves nothing listening.
    InetSocketAddress agentAddress = options.containsKey("--agent") ? address(options, "--agent", null) : null;
    HttpServer server;
    try {
      server = HttpServer.create(listen, 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + listen.getHostString() + ":" + listen.getPort()
          + " (--listen): " + e.getMessage(), e);
    }
    ThreadPoolExecutor exchanges = exchangeThreads(server.getAddress().getPort());
    server.setExecutor(exchanges);
    server.createContext("/", HttpServerHealth.handler(responder));
    server.start();
    AgentCheckResponder agent = null;
    if (agentAddress != null) {
      try {
        agent = AgentCheckResponder.builder().responder(responder)
            .bindAddress(agentAddress.getAddress()).port(agentAddress.getPort()).build().start();
      } catch (RuntimeException e) {
        server.stop(0);
        exchanges.shutdownNow();
        throw e;
      }
    }
    return new Sidecar(responder, server, exchanges, agent);
  }

  /**
   * A thread per request, so that a client that holds half a request holds only its own thread;
   * none waits in a queue behind such a client. When all are busy the JDK server closes the
   * connection (it catches the rejection), which a load balancer counts as a failed check but
   * which blocks nothing.
   */
  private static ThreadPoolExecutor exchangeThreads(int port) {
    AtomicInteger threads = new AtomicInteger();
    return new ThreadPoolExecutor(0, MAX_EXCHANGE_THREADS, IDLE_THREAD_LIFETIME.toMillis(), TimeUnit.MILLISECONDS,
        new SynchronousQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "shunt-sidecar-http-" + port + "-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * The responder the sidecar answers with.
   *
   * @return the responder
   */
  public HealthResponder responder() {
    return responder;
  }

  /**
   * The address the HTTP health server listens on.
   *
   * @return the listening address, with the port actually bound
   */
  public InetSocketAddress httpAddress() {
    return server.getAddress();
  }

  /**
   * The agent-check port, or -1 without an agent.
   *
   * @return the port, or -1
   */
  public int agentPort() {
    return agent == null ? -1 : agent.port();
  }

  /**
   * Stops both servers and their threads, waiting up to 5 s for checks being answered to be
   * recorded.
   */
  @Override
  public void close() {
    // Closes every connection, so a thread blocked reading a half-sent request returns at once.
    server.stop(0);
    exchanges.shutdown();
    try {
      if (!exchanges.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        exchanges.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchanges.shutdownNow();
    }
    if (agent != null) {
      agent.close();
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    List<String> list = List.of(args);
    for (int i = 0; i < list.size(); i += 2) {
      String option = list.get(i);
      if (!OPTIONS.contains(option)) {
        throw new IllegalArgumentException("unknown option '" + option + "'");
      }
      if (i + 1 >= list.size()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      options.put(option, list.get(i + 1));
    }
    return options;
  }

  /** The secret in {@code file}, without the line break that editors and {@code echo} add. */
  private static String secret(String file) {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      byte[] bytes = in.readNBytes(MAX_SECRET_FILE_BYTES + 1);
      if (bytes.length > MAX_SECRET_FILE_BYTES) {
        throw new IllegalArgumentException("--checker-secret-file must hold one secret of at most 256 characters, "
            + file + " is longer than " + MAX_SECRET_FILE_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8).strip();
    } catch (IOException | InvalidPathException e) {
      throw new IllegalArgumentException("--checker-secret-file cannot be read: " + e.getMessage(), e);
    }
  }

  private static String required(Map<String, String> options, String option) {
    String value = options.get(option);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(option + " is required");
    }
    return value;
  }

  private static int integer(Map<String, String> options, String option, int fallback) {
    String value = options.get(option);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number, was '" + value + "'");
    }
  }

  private static InetSocketAddress address(Map<String, String> options, String option, String fallback) {
    String value = options.getOrDefault(option, fallback);
    int colon = value.lastIndexOf(':');
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (colon < 1 || port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(InetAddress.getByName(value.substring(0, colon).replaceAll("^\\[|\\]$", "")), port);
    } catch (NumberFormatException | UnknownHostException e) {
      throw new IllegalArgumentException(option + " must be ADDRESS:PORT with a port from 0 to 65535, was '"
          + value + "'");
    }
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--host is required: this machine's host name is unknown");
    }
  }
}
