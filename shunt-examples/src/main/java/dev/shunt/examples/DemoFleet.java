package dev.shunt.examples;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntException;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.StepContext;
import dev.shunt.workflow.AwaitCheckersStep;
import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.CommandStep;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.ShuntStep;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small fleet on this machine for the demo and the end-to-end tests: demo backends as separate
 * JVM processes on 127.0.0.1, each controlled by an init-style script ({@code backendctl.sh
 * start|stop|restart HOST}), their shunt status in flag files, and optionally a real HAProxy in
 * front of them.
 */
public final class DemoFleet implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(30);
  /** The shunt {@link #rollout()} makes: a lease of 5 minutes, so a forgotten one ends by itself. */
  public static final ShuntRequest SHUNT =
      ShuntRequest.of("demo rolling restart", "shunt-demo").withTtl(Duration.ofMinutes(5));

  private final Path directory;
  private final Path control;
  private final Path flags;
  private final List<String> hosts;
  private Haproxy haproxy;

  private DemoFleet(Path directory, Path control, Path flags, List<String> hosts) {
    this.directory = directory;
    this.control = control;
    this.flags = flags;
    this.hosts = hosts;
  }

  /**
   * Starts {@code backends} demo backends with {@code classpath} (which must hold shunt-core and
   * this module) in {@code directory}, and HAProxy in front of them when {@code haproxy} is given;
   * returns once every backend answers and, with HAProxy, every server is UP.
   */
  public static DemoFleet start(Path directory, int backends, String classpath, Optional<Path> haproxy)
      throws IOException {
    return start(directory, backends, classpath, haproxy, false);
  }

  /**
   * {@link #start(Path, int, String, Optional)}, with backends that drain themselves on SIGTERM
   * ({@code DemoBackend --graceful}) when {@code gracefulShutdown}.
   */
  public static DemoFleet start(Path directory, int backends, String classpath, Optional<Path> haproxy,
      boolean gracefulShutdown) throws IOException {
    return start(directory, backends, classpath, haproxy, gracefulShutdown ? "--graceful" : "");
  }

  /**
   * {@link #start(Path, int, String, Optional)}, with {@code backendOptions} on every backend's
   * command line: {@code --graceful}, {@code --abrupt} (exits on SIGTERM without finishing its
   * requests) or none.
   */
  public static DemoFleet start(Path directory, int backends, String classpath, Optional<Path> haproxy,
      String backendOptions) throws IOException {
    Path flags = Files.createDirectories(flagDirectory(directory));
    Path run = Files.createDirectories(directory.resolve("run"));
    Path control = writeControlScript(directory, classpath, flags, run, backendOptions);
    List<Integer> ports = freePorts(backends + 1);
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < backends; i++) {
      hosts.add("127.0.0.1:" + ports.get(i));
    }
    DemoFleet fleet = new DemoFleet(directory, control, flags, List.copyOf(hosts));
    try {
      for (String host : hosts) {
        fleet.control("start", host);
      }
      for (String host : hosts) {
        fleet.awaitServing(host, START_TIMEOUT);
      }
      if (haproxy.isPresent()) {
        fleet.haproxy = Haproxy.start(haproxy.get(), ports.get(backends), hosts, directory);
        fleet.haproxy.awaitAllUp(Duration.ofSeconds(10));
      }
      return fleet;
    } catch (IOException | RuntimeException e) {
      fleet.close();
      throw e;
    }
  }

  /**
   * The demo's rolling restart over this fleet, ready to build: shunt ({@link #SHUNT}), drain
   * (HAProxy's {@code fall} NACKs), restart with {@code backendctl.sh restart}, readiness on
   * {@code /}, unshunt, back in rotation (HAProxy's {@code rise}). Without HAProxy nobody checks
   * the health path, so the two waits end on their (short) timeout.
   */
  public Rollout.Builder rollout() {
    return rollout(directory, hosts, haproxy != null, SHUNT);
  }

  /**
   * {@link #rollout()} over the fleet that {@link #start} laid out in {@code directory}, shunting
   * each host with {@code shunt} (give it a time to live): for a deploy tool in another process
   * than the one that started the fleet, which knows only its directory and its hosts.
   *
   * @param behindHaproxy whether HAProxy checks the backends, so the drain and rotation waits
   *     can last until its checks are seen
   */
  public static Rollout.Builder rollout(Path directory, List<String> hosts, boolean behindHaproxy,
      ShuntRequest shunt) {
    return rollout(directory, hosts, checkerTimeout(behindHaproxy), shunt, Haproxy.FALL, Haproxy.RISE);
  }

  /**
   * {@link #rollout()} behind a load balancer other than {@link #haproxy()} whose health checks take
   * a server out after {@code fall} failed checks in a row and put it back after {@code rise}
   * passed ones: the drain waits for {@code fall} "down" answers, the rotation wait for
   * {@code rise} "up" answers.
   */
  public Rollout.Builder rollout(int fall, int rise) {
    return rollout(directory, hosts, checkerTimeout(true), SHUNT, fall, rise);
  }

  private static Rollout.Builder rollout(Path directory, List<String> hosts, Duration checkerTimeout,
      ShuntRequest shunt, int fall, int rise) {
    return Rollout.builder()
        .service(DemoBackend.SERVICE)
        .hosts(hosts)
        .store(StatusStore.flagFiles(flagDirectory(directory)))
        .steps(List.of(
            ShuntStep.shunt(shunt),
            drainStep(checkerTimeout, fall),
            restartStep(controlScript(directory)),
            readinessStep(),
            ShuntStep.unshunt(),
            rotationStep(checkerTimeout, rise)));
  }

  /** The rollout's readiness wait: until the restarted backend answers {@code /} (not the shunted health path). */
  public static AwaitHttpStep readinessStep() {
    return AwaitHttpStep.builder().url("http://{host}/")
        .interval(Duration.ofMillis(100)).timeout(Duration.ofSeconds(30)).build();
  }

  /** The rollout's drain: until HAProxy's checks were answered "down" {@code fall} times in a row. */
  public AwaitCheckersStep drainStep() {
    return drainStep(checkerTimeout(haproxy != null), Haproxy.FALL);
  }

  private static AwaitCheckersStep drainStep(Duration timeout, int fall) {
    return AwaitCheckersStep.drain().times(fall).timeout(timeout).build();
  }

  /** The rollout's restart: {@code backendctl.sh restart HOST}. */
  public CommandStep restartStep() {
    return restartStep(control);
  }

  private static CommandStep restartStep(Path control) {
    return CommandStep.builder().name("restart")
        .command("sh", control.toString(), "restart", "{host}")
        .timeout(Duration.ofSeconds(60)).build();
  }

  /**
   * A deploy of {@code version} as a rollout's restart (or rollback) step named {@code name}: writes
   * the version to the host's version file, then {@code backendctl.sh restart HOST}, which starts
   * the backend with it ({@link DemoBackend}'s {@code --version}).
   */
  public CommandStep deployStep(String name, String version) {
    if (!version.matches("[A-Za-z0-9.-]+")) {
      throw new IllegalArgumentException("version must be letters, digits, dots or dashes, was '" + version + "'");
    }
    return CommandStep.builder().name(name)
        .command("sh", "-c", "echo " + version + " > '" + directory.resolve("run") + "/{host}.version' && sh '"
            + control + "' restart {host}")
        .timeout(Duration.ofSeconds(60)).build();
  }

  /** The version a backend runs, as its answer to {@code /} says ({@code version V}). */
  public String version(String host) throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + "/")).timeout(Duration.ofSeconds(2))
        .build();
    try {
      String body = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
      java.util.regex.Matcher version = java.util.regex.Pattern.compile(", version ([^,]+),").matcher(body);
      if (!version.find()) {
        throw new IOException(host + " did not say its version: " + body);
      }
      return version.group(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The rollout's last step: until HAProxy's checks were answered "up" {@code rise} times in a row. */
  public AwaitCheckersStep rotationStep() {
    return rotationStep(checkerTimeout(haproxy != null), Haproxy.RISE);
  }

  private static AwaitCheckersStep rotationStep(Duration timeout, int rise) {
    return AwaitCheckersStep.rotation().times(rise).timeout(timeout).build();
  }

  private static Duration checkerTimeout(boolean behindHaproxy) {
    return behindHaproxy ? Duration.ofSeconds(10) : Duration.ofSeconds(1);
  }

  /**
   * Makes the next start or restart of every backend run "version" {@code options} (extra
   * {@link DemoBackend} options, e.g. {@code --errors-every=20}); an empty string goes back to the
   * plain backend. Backends running now are not touched: a rollout's restarts deploy it.
   */
  public void deploy(String options) throws IOException {
    Files.writeString(directory.resolve("run").resolve("version"), options);
  }

  /** The backends, {@code 127.0.0.1:port} each: their host names in the store and in HAProxy. */
  public List<String> hosts() {
    return hosts;
  }

  /** The store every backend reads its status from. */
  public StatusStore store() {
    return StatusStore.flagFiles(flags);
  }

  /** The directory of that store's flag files: {@code file:} and this path is its spec. */
  public Path flagDirectory() {
    return flags;
  }

  /** The flag directory of the fleet that {@link #start} laid out in {@code directory}. */
  public static Path flagDirectory(Path directory) {
    return directory.resolve("flags");
  }

  private static Path controlScript(Path directory) {
    return directory.resolve("backendctl.sh");
  }

  /** The fleet's directory: what {@link #rollout(Path, List, boolean, ShuntRequest)} needs to find it. */
  public Path directory() {
    return directory;
  }

  /** The key of a backend in the store. */
  public InstanceKey key(String host) {
    return InstanceKey.of(DemoBackend.SERVICE, host);
  }

  /** The init-style script: {@code sh backendctl.sh start|stop|restart HOST}. */
  public Path controlScript() {
    return control;
  }

  /** HAProxy, when the fleet runs behind it. */
  public Optional<Haproxy> haproxy() {
    return Optional.ofNullable(haproxy);
  }

  /** The URL clients use: HAProxy's frontend, or the first backend without HAProxy. */
  public URI clientUrl() {
    return URI.create("http://" + (haproxy == null ? hosts.get(0) : "127.0.0.1:" + haproxy.port()) + "/");
  }

  /** The process id of a backend's current process, from its pid file. */
  public long pid(String host) {
    try {
      return Long.parseLong(Files.readString(directory.resolve("run").resolve(host + ".pid")).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("no pid file for " + host, e);
    }
  }

  /** Every backend's current process id, in the order of {@link #hosts()}. */
  public Map<String, Long> pids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    hosts.forEach(host -> pids.put(host, pid(host)));
    return pids;
  }

  /**
   * Whether a process is running. A process that exited but was not reaped yet (a zombie, which
   * {@link ProcessHandle#isAlive()} still counts) is not: backends started in the background are
   * reaped by whatever adopts them, which in a container may be late or never.
   */
  public static boolean isRunning(long pid) {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (Files.isReadable(status)) {
      try {
        return Files.readAllLines(status).stream()
            .noneMatch(line -> line.startsWith("State:") && line.substring(6).trim().startsWith("Z"));
      } catch (IOException e) {
        return false;
      }
    }
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Runs {@code backendctl.sh action host} and waits for it, as a {@link CommandStep}: if it has
   * not finished within 30 seconds, it is killed with every process it started.
   */
  public void control(String action, String host) throws IOException {
    CommandStep script = CommandStep.builder().name("backendctl")
        .command("sh", control.toString(), action, host).timeout(CONTROL_TIMEOUT).build();
    ScriptContext context = new ScriptContext(InstanceKey.of("demo", host), flags, new CopyOnWriteArrayList<>());
    try {
      script.run(context);
    } catch (ShuntException e) {
      throw new IOException("backendctl.sh " + action + " " + host + " failed: " + e.getMessage()
          + "; it printed: " + String.join(" / ", context.lines()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running backendctl.sh " + action + " " + host, e);
    }
  }

  /** What {@link #control} needs to run its script as a step: it keeps the lines it printed. */
  private record ScriptContext(InstanceKey key, Path flags, List<String> lines) implements StepContext {
    @Override
    public StatusStore store() {
      return StatusStore.flagFiles(flags);
    }

    @Override
    public Clock clock() {
      return Clock.systemUTC();
    }

    @Override
    public void log(String line) {
      lines.add(line);
    }

    @Override
    public void outcome(String description) {}
  }

  /** Waits until a backend answers {@code /} with 200. */
  public void awaitServing(String host, Duration timeout) throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + "/"))
        .timeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      try {
        if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        if (Instant.now().isAfter(deadline)) {
          throw new IOException(host + " did not answer within " + timeout + "; see "
              + directory.resolve("run").resolve(host + ".log"), e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      Haproxy.sleep(Duration.ofMillis(50));
    }
  }

  /**
   * Stops every backend, all at once, then HAProxy: graceful backends drain through HAProxy's
   * checks, which they would otherwise wait for until their timeout.
   */
  @Override
  public void close() {
    List<Thread> stops = new ArrayList<>();
    for (String host : hosts) {
      Thread stop = new Thread(() -> {
        try {
          control("stop", host);
        } catch (IOException e) {
          System.err.println("could not stop " + host + ": " + e.getMessage());
        }
      }, "stop-" + host);
      stop.start();
      stops.add(stop);
    }
    for (Thread stop : stops) {
      try {
        stop.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (haproxy != null) {
      haproxy.close();
    }
  }

  private static Path writeControlScript(Path directory, String classpath, Path flags, Path run,
      String options) throws IOException {
    String template;
    try (InputStream in = DemoFleet.class.getResourceAsStream("backendctl.sh")) {
      if (in == null) {
        throw new IOException("backendctl.sh is missing from the class path");
      }
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path script = controlScript(directory);
    Files.writeString(script, template
        .replace("@JAVA@", java)
        .replace("@CLASSPATH@", classpath)
        .replace("@FLAGS@", flags.toString())
        .replace("@RUN@", run.toString())
        .replace("@OPTIONS@", options));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  /** {@code count} distinct free ports: all held open at once, so the system cannot hand one out twice. */
  static List<Integer> freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

}
