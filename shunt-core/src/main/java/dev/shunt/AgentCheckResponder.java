package dev.shunt;

import dev.shunt.internal.ThrottledWarning;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Answers HAProxy's {@code agent-check} from a {@link HealthResponder}: a small TCP server that,
 * for every connection, writes one line of agent words and closes it.
 *
 * <pre>{@code
 * AgentCheckResponder agent = AgentCheckResponder.builder()
 *     .responder(health)                                // the app's HealthResponder
 *     .bindAddress(InetAddress.getByName("10.0.0.1"))   // where the load balancers reach it
 *     .port(8081)
 *     .build()
 *     .start();
 * }</pre>
 *
 * and in {@code haproxy.cfg}:
 *
 * <pre>
 * backend web
 *   server web1 10.0.0.1:8080 check agent-check agent-port 8081 agent-inter 1s
 * </pre>
 *
 * <p><b>What it answers</b>, from {@link HealthResponder#state()}, read afresh for every
 * connection:
 * <ul>
 *   <li>{@link HealthState#IN_ROTATION}: {@code ready up 100%} (the percentage from
 *       {@link Builder#weight(IntSupplier)}). All three words are needed: {@code up} alone does
 *       not lift a drain, {@code ready} alone does not lift a {@code down}, and the weight undoes
 *       an earlier lower one.</li>
 *   <li>{@link HealthState#SHUNTED}: {@code drain}. The instance keeps running, so HAProxy may
 *       finish what it has there: it sends no new load-balanced traffic, keeps the sessions it
 *       has, and still sends clients that are persistent to this server (e.g. by a
 *       {@code cookie}).</li>
 *   <li>{@link HealthState#SHUTTING_DOWN}: {@code down}, not {@code drain}: the process is about
 *       to stop, so it must get no new request at all, and a drained server still gets the
 *       persistent clients' requests, which would then fail when it stops. {@code down} sends
 *       those elsewhere (unless the backend sets {@code option persist}) and, like
 *       {@code drain}, lets requests in flight finish (unless the server sets
 *       {@code on-marked-down shutdown-sessions}). It also says what the {@code 503} of the HTTP
 *       health check says.</li>
 *   <li>{@link HealthState#SICK}: {@code down}.</li>
 * </ul>
 * HAProxy applies {@code drain} and {@code down} at the first such answer, not after
 * {@code fall} of them. The word {@code maint} is not answered: {@link HealthState} has no
 * maintenance state of an instance.
 *
 * <p><b>Reports.</b> Every answer is recorded through the {@link HealthResponder}, like its own
 * answers to HTTP checks, once the checker has hung up (or {@code answerTimeout} passed): as a
 * {@link CheckerReport} of checker {@code agent:<checker's IP address>} that
 * {@linkplain CheckerReport#appliesAtOnce() applies at once}, with the requests in flight. So a
 * drain or rotation wait ({@code AwaitCheckersStep}) ends at the first {@code drain} or
 * {@code ready} answer, and {@link HealthResponder#startShutdown()} counts this checker as done after
 * one {@code down}, with the agent check alone (and a TCP check) as with an HTTP check.
 *
 * <p><b>Things to know about HAProxy.</b> Give the server a {@code check} as well: HAProxy counts
 * an agent it cannot reach as no error, so the agent alone never notices a dead process, and a
 * server with only an agent shows {@code no check} in its stats instead of {@code UP}. While the
 * instance is in rotation the agent answers {@code ready} at every {@code agent-inter}, which
 * undoes a drain or maintenance set through HAProxy's runtime API ({@code set server … state
 * drain}) within one interval: take instances out through the {@link StatusStore} instead. A
 * percentage is of the server's configured {@code weight} (default 1, of which 50% rounds to 0:
 * no traffic at all), so set {@code weight 100} on the server line when answering percentages
 * below 100.
 *
 * <p><b>Defaults.</b> {@code bindAddress}, {@code port} and {@code responder} have none: an agent
 * on the loopback address would be unreachable from a load balancer on another host, and HAProxy
 * counts an unreachable agent as no error, so a wrong default would make every shunt silently
 * ineffective. Weight 100%; {@code answerTimeout} 1 s; {@code maxConnectionsPerAddress} 8.
 *
 * <p><b>Clients that hold connections.</b> A connection is answered at once but then holds a
 * thread until the checker hangs up, for at most {@code answerTimeout}, so that the answer is
 * read before the connection closes. One client address may hold at most
 * {@code maxConnectionsPerAddress} connections; its connections past that are closed unanswered.
 * There are four threads more than that, so one address that opens connections and never hangs
 * up cannot delay the checks of another: the load balancer's checks are answered at once. Many
 * addresses together can: past a few hundred connections waiting for a thread, new ones are
 * closed unanswered, whoever sent them. A connection closed unanswered is logged as a warning,
 * at most once a minute, with the number closed since the last warning.
 *
 * <p><b>Thread-safety.</b> Configured once by its builder; thread-safe. {@link #start()} and
 * {@link #close()} may be called from any thread; the responder and the weight supplier are
 * called on this responder's daemon threads, once per agent check.
 */
public final class AgentCheckResponder implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AgentCheckResponder.class.getName());
  /** Threads beyond the ones a single address may hold, free for everyone else's checks. */
  private static final int SPARE_WORKERS = 4;
  private static final int QUEUED_CONNECTIONS = 256;
  private static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 8;
  private static final Duration IDLE_WORKER_LIFETIME = Duration.ofMinutes(1);
  private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);
  private static final int BACKLOG = 128;
  private static final int FULL_WEIGHT = 100;
  private static final Duration ACCEPT_FAILURE_PAUSE = Duration.ofMillis(100);
  private static final String AGENT_CHECKER_PREFIX = "agent:";

  private final HealthResponder responder;
  private final InetAddress bindAddress;
  private final int configuredPort;
  private final IntSupplier weight;
  private final Duration answerTimeout;
  private final int maxConnectionsPerAddress;

  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  /** Connections open per client address, being answered or waiting; no entry for none. */
  private final ConcurrentHashMap<InetAddress, Integer> openPerAddress = new ConcurrentHashMap<>();
  private final ThrottledWarning closedUnanswered;
  private final ThrottledWarning acceptFailed;
  /** The last weight problem logged, so that a steady bad value is logged once, not every check. */
  private volatile String lastWeightProblem;

  // Lifecycle, guarded by this.
  private boolean closed;
  private ServerSocket server;
  private Thread acceptor;
  private ThreadPoolExecutor workers;

  private AgentCheckResponder(Builder builder) {
    this.responder = builder.responder;
    this.bindAddress = builder.bindAddress;
    this.configuredPort = builder.port;
    this.weight = builder.weight;
    this.answerTimeout = builder.answerTimeout;
    this.maxConnectionsPerAddress = builder.maxConnectionsPerAddress;
    this.closedUnanswered = new ThrottledWarning(LOG, WARNING_INTERVAL, responder::now);
    this.acceptFailed = new ThrottledWarning(LOG, WARNING_INTERVAL, responder::now);
  }

  /**
   * A builder; {@code responder}, {@code bindAddress} and {@code port} are required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this responder's configuration, to derive a variant.
   *
   * @return a new builder with this responder's settings
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Starts listening and answering, on daemon threads.
   *
   * @return this responder
   * @throws ShuntException if the address cannot be bound (e.g. the port is taken)
   * @throws IllegalStateException if it was started or closed before
   */
  public synchronized AgentCheckResponder start() {
    if (closed) {
      throw new IllegalStateException("this AgentCheckResponder is closed; build a new one");
    }
    if (server != null) {
      throw new IllegalStateException("this AgentCheckResponder was started already, on port " + port());
    }
    InetSocketAddress address = new InetSocketAddress(bindAddress, configuredPort);
    ServerSocket socket = null;
    try {
      socket = new ServerSocket();
      // A restarted instance must get its agent port back while the old connections linger.
      socket.setReuseAddress(true);
      socket.bind(address, BACKLOG);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new ShuntException("cannot listen for HAProxy agent checks on " + address + ": " + e.getMessage(), e);
    }
    server = socket;
    int port = socket.getLocalPort();
    AtomicInteger threads = new AtomicInteger();
    int workerCount = maxConnectionsPerAddress + SPARE_WORKERS;
    workers = new ThreadPoolExecutor(workerCount, workerCount, IDLE_WORKER_LIFETIME.toMillis(), TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUED_CONNECTIONS), runnable -> daemon(runnable,
            "shunt-agent-check-" + port + "-" + threads.incrementAndGet()));
    workers.allowCoreThreadTimeOut(true);
    acceptor = daemon(this::acceptConnections, "shunt-agent-check-" + port + "-accept");
    acceptor.start();
    LOG.log(Level.INFO, "answering HAProxy agent checks for " + responder.key() + " on "
        + socket.getLocalSocketAddress());
    return this;
  }

  /**
   * The port it listens on: the configured one, or the one the system chose for port 0.
   *
   * @return the listening port, from 1 to 65535
   * @throws IllegalStateException before {@link #start()}
   */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("port() is known once start() has bound it; configured: " + configuredPort);
    }
    return server.getLocalPort();
  }

  /**
   * Stops listening, closes the connections being answered and stops the threads, waiting at
   * most {@code answerTimeout} for them. Does nothing the second time.
   */
  @Override
  public void close() {
    ServerSocket socket;
    Thread accepting;
    ThreadPoolExecutor answering;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      socket = server;
      accepting = acceptor;
      answering = workers;
    }
    if (socket == null) {
      return;
    }
    closeQuietly(socket);
    answering.shutdown();
    connections.forEach(AgentCheckResponder::closeQuietly);
    try {
      long deadline = System.nanoTime() + answerTimeout.toNanos();
      accepting.join(Math.max(1, answerTimeout.toMillis()));  // join(0) would wait forever
      if (!answering.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        answering.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answering.shutdownNow();
    }
  }

  private void acceptConnections() {
    ServerSocket socket;
    ThreadPoolExecutor answering;
    synchronized (this) {
      socket = server;
      answering = workers;
    }
    while (!socket.isClosed()) {
      Socket connection;
      try {
        connection = socket.accept();
      } catch (IOException e) {
        if (!socket.isClosed()) {
          // E.g. out of file descriptors: pause rather than spin on a failure that persists.
          acceptFailed.warn("cannot accept an agent check on port " + socket.getLocalPort() + ": " + e);
          pause();
        }
        continue;
      }
      InetAddress client = connection.getInetAddress();
      int open = openPerAddress.merge(client, 1, Integer::sum);
      if (open > maxConnectionsPerAddress) {
        closedUnanswered.warn("closed an agent check from " + client.getHostAddress() + " on port "
            + socket.getLocalPort() + " unanswered: that address has " + maxConnectionsPerAddress
            + " connections open already, the most maxConnectionsPerAddress allows");
        closeUnanswered(connection);
        continue;
      }
      connections.add(connection);
      try {
        answering.execute(() -> answer(connection));
      } catch (RejectedExecutionException e) {
        if (!socket.isClosed()) {  // else close() is under way: nothing to report
          closedUnanswered.warn("closed an agent check from " + client.getHostAddress() + " on port "
              + socket.getLocalPort() + " unanswered: " + QUEUED_CONNECTIONS + " are waiting for a thread already");
        }
        connections.remove(connection);
        closeUnanswered(connection);
      }
    }
  }

  private void closeUnanswered(Socket connection) {
    closeQuietly(connection);
    connectionEnded(connection);
  }

  private void connectionEnded(Socket connection) {
    openPerAddress.computeIfPresent(connection.getInetAddress(), (address, open) -> open == 1 ? null : open - 1);
  }

  private void answer(Socket connection) {
    long deadline = System.nanoTime() + answerTimeout.toNanos();
    try (connection) {
      Instant now = responder.now();
      HealthState state = responder.stateAt(now);
      byte[] line = (words(state) + "\n").getBytes(StandardCharsets.US_ASCII);
      // A few bytes on a fresh connection fit in the kernel's send buffer at once, so this
      // write never waits for the checker; only the wait for its hang-up below can.
      OutputStream out = connection.getOutputStream();
      out.write(line);
      out.flush();
      connection.shutdownOutput();
      try {
        awaitHangUp(connection, deadline);
      } catch (IOException e) {
        // A checker may reset the connection once it has read the answer: it was sent all the same.
        LOG.log(Level.DEBUG, "agent check from " + connection.getRemoteSocketAddress() + " hung up with " + e);
      }
      // Recorded once the checker hung up, i.e. read it: a shutdown may then let the process stop.
      responder.agentCheckAnswered(checkerId(connection), state, now);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "agent check from " + connection.getRemoteSocketAddress() + " ended early: " + e);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot answer an agent check for " + responder.key() + ": " + e, e);
    } finally {
      connections.remove(connection);
      connectionEnded(connection);
    }
  }

  /**
   * Reads and drops what the checker sends (HAProxy's {@code agent-send}) until it hangs up:
   * closing with unread input would reset the connection, and a reset may destroy the answer
   * before the checker has read it.
   */
  private static void awaitHangUp(Socket connection, long deadline) throws IOException {
    InputStream in = connection.getInputStream();
    byte[] ignored = new byte[256];
    while (true) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return;
      }
      connection.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
      try {
        if (in.read(ignored) < 0) {
          return;
        }
      } catch (SocketTimeoutException e) {
        return;
      }
    }
  }

  /**
   * The checker the answer is reported to: {@code agent:} and its IP address, apart from the
   * same load balancer's HTTP health check, which HAProxy counts on its own.
   */
  private static String checkerId(Socket connection) {
    return AGENT_CHECKER_PREFIX + connection.getInetAddress().getHostAddress();
  }

  /** The agent words for {@code state}, without the line end. */
  private String words(HealthState state) {
    // No default branch on purpose: a new state (such as a maintenance state of an instance,
    // answered "maint", which only "ready" lifts again) must be mapped here before it compiles.
    return switch (state) {
      case IN_ROTATION -> "ready up " + weightPercent() + "%";
      case SHUNTED -> "drain";
      case SHUTTING_DOWN, SICK -> "down";
    };
  }

  private int weightPercent() {
    int percent;
    try {
      percent = weight.getAsInt();
    } catch (RuntimeException e) {
      weightProblem("the weight supplier threw " + e);
      return FULL_WEIGHT;
    }
    if (percent < 0 || percent > FULL_WEIGHT) {
      weightProblem("the weight supplier returned " + percent + ", which is not from 0 to 100");
      return FULL_WEIGHT;
    }
    lastWeightProblem = null;
    return percent;
  }

  private void weightProblem(String problem) {
    if (!problem.equals(lastWeightProblem)) {
      lastWeightProblem = problem;
      LOG.log(Level.WARNING, "agent check of " + responder.key() + ": " + problem + "; answering "
          + FULL_WEIGHT + "% (logged once until the value changes)");
    }
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  private static void pause() {
    try {
      Thread.sleep(ACCEPT_FAILURE_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "closing " + closeable + " failed: " + e);
    }
  }

  @Override
  public synchronized String toString() {
    String address = server != null ? String.valueOf(server.getLocalSocketAddress())
        : bindAddress + ":" + configuredPort;
    return "AgentCheckResponder{" + responder.key() + " on " + address + ", answerTimeout=" + answerTimeout
        + ", maxConnectionsPerAddress=" + maxConnectionsPerAddress
        + (closed ? ", closed" : server != null ? ", started" : "") + "}";
  }

  /**
   * Configures an {@link AgentCheckResponder}. Not thread-safe; {@link #build()} validates every
   * field and returns a responder that is not started yet.
   */
  public static final class Builder {
    private HealthResponder responder;
    private InetAddress bindAddress;
    private Integer port;
    private IntSupplier weight = () -> FULL_WEIGHT;
    private Duration answerTimeout = Duration.ofSeconds(1);
    private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;

    private Builder() {}

    private Builder(AgentCheckResponder agent) {
      responder = agent.responder;
      bindAddress = agent.bindAddress;
      port = agent.configuredPort;
      weight = agent.weight;
      answerTimeout = agent.answerTimeout;
      maxConnectionsPerAddress = agent.maxConnectionsPerAddress;
    }

    /**
     * Decides every answer, through {@link HealthResponder#state()}. Required.
     *
     * @param responder the responder whose state every answer reports; not null
     * @return this builder
     */
    public Builder responder(HealthResponder responder) {
      this.responder = responder;
      return this;
    }

    /**
     * The local address to listen on: one the load balancers can reach, e.g. this host's address
     * on their network, or {@code 0.0.0.0} for every interface. Required, with no default: see
     * the class documentation.
     *
     * @param bindAddress the local address to listen on; not null
     * @return this builder
     */
    public Builder bindAddress(InetAddress bindAddress) {
      this.bindAddress = bindAddress;
      return this;
    }

    /**
     * The port to listen on, HAProxy's {@code agent-port}: from 1 to 65535, or 0 for any free
     * port (tests; read it from {@link AgentCheckResponder#port()}). Required.
     *
     * @param port from 1 to 65535, or 0 for any free port
     * @return this builder
     */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * The percentage of the server's configured HAProxy {@code weight} to announce while in
     * rotation, asked at every agent check: from 0 to 100 (0 takes no new load-balanced traffic,
     * like a drain). A value out of range, or a supplier that throws, is logged and answered as
     * 100. Keep it quick. Default: always 100.
     *
     * @param weight supplies the percentage announced, from 0 to 100; not null
     * @return this builder
     */
    public Builder weight(IntSupplier weight) {
      this.weight = weight;
      return this;
    }

    /**
     * The longest time one connection may take: writing the answer and waiting for the checker
     * to hang up after reading it. A checker that takes longer is cut off; the answer has been
     * sent by then. Positive; default 1 s. Also the longest {@link AgentCheckResponder#close()}
     * waits for the threads.
     *
     * @param answerTimeout the longest one connection may take; positive
     * @return this builder
     */
    public Builder answerTimeout(Duration answerTimeout) {
      this.answerTimeout = answerTimeout;
      return this;
    }

    /**
     * The most connections one client address may have open at once, being answered or waiting
     * for a thread; its connections past that are closed unanswered (and logged, at most once a
     * minute). A load balancer checks one server over one connection at a time, so a few are
     * plenty even for a server listed in several backends; the cap keeps one client that opens
     * connections and never hangs up from delaying anyone else's checks. From 1 to 256;
     * default 8. Each allowed connection
     * may hold a thread, so the responder has up to this many threads plus four.
     *
     * @param maxConnectionsPerAddress from 1 to 256
     * @return this builder
     */
    public Builder maxConnectionsPerAddress(int maxConnectionsPerAddress) {
      this.maxConnectionsPerAddress = maxConnectionsPerAddress;
      return this;
    }

    /**
     * Validates the configuration and builds the responder, which {@link AgentCheckResponder#start()}
     * then starts.
     *
     * @return a responder, not yet started
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public AgentCheckResponder build() {
      if (responder == null) {
        throw new IllegalArgumentException("responder must be set, was null");
      }
      if (bindAddress == null) {
        throw new IllegalArgumentException("bindAddress must be set, was null: the address HAProxy"
            + " connects to (0.0.0.0 for every interface)");
      }
      if (port == null || port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be from 1 to 65535 (or 0 for any free port), was " + port);
      }
      if (weight == null) {
        throw new IllegalArgumentException("weight must be set, was null");
      }
      if (answerTimeout == null || answerTimeout.isNegative() || answerTimeout.isZero()) {
        throw new IllegalArgumentException("answerTimeout must be positive, was " + answerTimeout);
      }
      if (maxConnectionsPerAddress < 1 || maxConnectionsPerAddress > QUEUED_CONNECTIONS) {
        throw new IllegalArgumentException("maxConnectionsPerAddress must be from 1 to " + QUEUED_CONNECTIONS
            + ", was " + maxConnectionsPerAddress);
      }
      return new AgentCheckResponder(this);
    }
  }
}
