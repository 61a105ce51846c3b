package dev.shunt.workflow.lb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import dev.shunt.workflow.PreflightContext;
import dev.shunt.workflow.PreflightProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Open-source nginx, which has no active health checks and no API: its upstream's servers are
 * listed in a file of their own, included by the configuration ({@code upstream web { include
 * /etc/nginx/upstream-web.conf; }}, one {@code server ADDRESS [parameters];} line each), and a
 * server is taken out by marking it {@code down} there and reloading nginx. It runs on the nginx
 * host (or wherever the deploy tool can write that file and signal nginx).
 *
 * <ul>
 *   <li>{@link #takeOut}: adds {@code down} to the server's line, checks the configuration
 *       ({@code nginx -t}), reloads ({@code nginx -s reload}) and returns once the master has
 *       started workers with the new configuration. A configuration that {@code nginx -t} rejects
 *       is not reloaded: the file is restored and the error says what nginx said. A server marked
 *       {@code down} already is left as it is, with no reload.
 *   <li>{@link #state}: drained when its line says {@code down} and no old worker is left: on a
 *       reload the old workers finish the requests they hold (the title of each reads
 *       {@code nginx: worker process is shutting down}) and exit; until then they may still send
 *       requests to the server. Connections are not counted ({@link ServerState#UNKNOWN}). In
 *       rotation when its line does not say {@code down} and no old worker is left.
 *   <li>{@link #putBack}: removes {@code down} and reloads, as above.
 * </ul>
 *
 * <p>Old workers also finish requests for other servers, and any reload starts a new
 * generation, so a drain waits for all of them: with long requests (downloads, websockets) set
 * {@code worker_shutdown_timeout} in nginx. Servers are named as in the file ({@code
 * 10.0.0.1:8080}). Writes to the file are atomic (a new file moved over it) and one at a time
 * within this object; two deploy tools must not edit it at once.
 *
 * <p>Defaults: {@code nginx} on the PATH, configuration {@code /etc/nginx/nginx.conf}, no prefix,
 * pid file {@code /run/nginx.pid} (Debian's), a reload seen within 10 s, each command given 10 s.
 * Immutable and thread-safe.
 */
public final class NginxLoadBalancer implements LoadBalancer {
  private static final Pattern SERVER_LINE = Pattern.compile("^(\\s*server\\s+)(\\S+?)((?:\\s+[^;#]*?)?)\\s*;(.*)$");
  private static final String OLD_WORKER = "worker process is shutting down";

  private final Path upstreamFile;
  private final Path nginx;
  private final Path config;
  private final Path prefix;
  private final Path pidFile;
  private final Duration reloadTimeout;
  private final Duration commandTimeout;
  private final Object fileLock = new Object();

  private NginxLoadBalancer(Builder builder) {
    this.upstreamFile = builder.upstreamFile;
    this.nginx = builder.nginx;
    this.config = builder.config;
    this.prefix = builder.prefix;
    this.pidFile = builder.pidFile;
    this.reloadTimeout = builder.reloadTimeout;
    this.commandTimeout = builder.commandTimeout;
  }

  /**
   * A builder; {@code upstreamFile} is required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "nginx " + upstreamFile;
  }

  @Override
  public void takeOut(String server) {
    mark(server, true);
  }

  @Override
  public void putBack(String server) {
    mark(server, false);
  }

  @Override
  public ServerState state(String server) {
    boolean down = isDown(read(), server);
    long master = masterPid();
    List<Long> old = workers(master, true);
    String workers = old.isEmpty() ? "no old worker left"
        : old.size() + " old worker(s) still finishing requests";
    return new ServerState(server, (down ? "down" : "up") + " in " + upstreamFile.getFileName() + ", " + workers,
        down && old.isEmpty(), !down && old.isEmpty(), ServerState.UNKNOWN);
  }

  /**
   * Also checks that the configuration passes {@code nginx -t} now (a reload would fail on it)
   * and that the upstream file can be written.
   */
  @Override
  public List<PreflightProblem> preflight(PreflightContext context, String step, String server) {
    List<PreflightProblem> problems = new ArrayList<>(LoadBalancer.super.preflight(context, step, server));
    if (problems.stream().anyMatch(PreflightProblem::isError)) {
      return problems;
    }
    if (!Files.isWritable(upstreamFile) || !Files.isWritable(upstreamFile.toAbsolutePath().getParent())) {
      problems.add(context.error(step, name() + ": cannot write " + upstreamFile + " (or create a file beside it)"));
    }
    try {
      LocalCommand test = nginx("-t");
      if (!test.succeeded()) {
        problems.add(context.error(step, name() + ": nginx -t rejects the configuration already, so no reload"
            + " would work: " + test.output()));
      }
    } catch (LoadBalancerException e) {
      problems.add(context.error(step, e.getMessage()));
    }
    return problems;
  }

  private void mark(String server, boolean down) {
    synchronized (fileLock) {
      List<String> lines = read();
      if (isDown(lines, server) == down) {
        return;
      }
      List<String> changed = new ArrayList<>(lines.size());
      for (String line : lines) {
        Matcher matcher = SERVER_LINE.matcher(line);
        if (matcher.matches() && matcher.group(2).equals(server)) {
          List<String> parameters = new ArrayList<>(Arrays.asList(matcher.group(3).trim().split("\\s+")));
          parameters.removeIf(p -> p.isEmpty() || p.equals("down"));
          if (down) {
            parameters.add("down");
          }
          line = matcher.group(1) + server + (parameters.isEmpty() ? "" : " " + String.join(" ", parameters)) + ";"
              + matcher.group(4);
        }
        changed.add(line);
      }
      long master = masterPid();
      Set<Long> before = Set.copyOf(workers(master, false));
      write(changed);
      LocalCommand test = nginx("-t");
      if (!test.succeeded()) {
        write(lines);
        throw new LoadBalancerException(name() + ": nginx -t rejects the configuration with server " + server
            + (down ? " marked down" : " back up") + ", so nginx was not reloaded and " + upstreamFile.getFileName()
            + " is restored: " + test.output());
      }
      LocalCommand reload = nginx("-s", "reload");
      if (!reload.succeeded()) {
        write(lines);
        throw new LoadBalancerException(name() + ": nginx -s reload failed (" + reload.output() + "); "
            + upstreamFile.getFileName() + " is restored, server " + server + " left as it was");
      }
      awaitNewWorkers(master, before, server, lines);
    }
  }

  /** Waits until the master runs a worker it did not run before the reload: it accepted the new configuration. */
  private void awaitNewWorkers(long master, Set<Long> before, String server, List<String> previous) {
    long deadline = System.nanoTime() + reloadTimeout.toNanos();
    while (workers(master, false).stream().allMatch(before::contains)) {
      if (System.nanoTime() > deadline) {
        write(previous);
        throw new LoadBalancerException(name() + ": nginx (master pid " + master + ") started no new worker within "
            + reloadTimeout + " of the reload for server " + server + "; " + upstreamFile.getFileName()
            + " is restored; see nginx's error log");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LoadBalancerException(name() + ": interrupted while waiting for nginx's reload", e);
      }
    }
  }

  private boolean isDown(List<String> lines, String server) {
    List<String> parameters = lines.stream()
        .map(SERVER_LINE::matcher)
        .filter(m -> m.matches() && m.group(2).equals(server))
        .map(m -> m.group(3).trim())
        .toList();
    if (parameters.isEmpty()) {
      throw new LoadBalancerException(name() + ": no server '" + server + "' in " + upstreamFile + "; its servers: "
          + servers(lines) + ". Name the servers as the hosts, or give a server template such as '{host}:8080'");
    }
    return parameters.stream().allMatch(p -> Arrays.asList(p.split("\\s+")).contains("down"));
  }

  private static List<String> servers(List<String> lines) {
    return lines.stream().map(SERVER_LINE::matcher).filter(Matcher::matches).map(m -> m.group(2)).toList();
  }

  private List<String> read() {
    try {
      return Files.readAllLines(upstreamFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new LoadBalancerException(name() + ": cannot read " + upstreamFile + ": " + e, e);
    }
  }

  private void write(List<String> lines) {
    try {
      Path next = upstreamFile.resolveSibling("." + upstreamFile.getFileName() + ".shunt");
      Files.write(next, lines, StandardCharsets.UTF_8);
      Files.move(next, upstreamFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new LoadBalancerException(name() + ": cannot write " + upstreamFile + ": " + e, e);
    }
  }

  private long masterPid() {
    String text;
    try {
      text = Files.readString(pidFile).strip();
    } catch (IOException e) {
      throw new LoadBalancerException(name() + ": cannot read nginx's pid file " + pidFile + " (" + e
          + "); is nginx running, with 'pid " + pidFile + "'?", e);
    }
    try {
      long pid = Long.parseLong(text);
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return pid;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new LoadBalancerException(name() + ": no nginx runs as pid '" + text + "' of " + pidFile);
  }

  /** The master's workers: only those finishing the requests of an earlier configuration when {@code oldOnly}. */
  private static List<Long> workers(long master, boolean oldOnly) {
    return ProcessHandle.of(master).stream()
        .flatMap(ProcessHandle::children)
        .filter(worker -> !oldOnly || title(worker.pid()).contains(OLD_WORKER))
        .map(ProcessHandle::pid)
        .toList();
  }

  /** A process's title, as nginx sets it ({@code nginx: worker process}); empty when it is gone. */
  private static String title(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private LocalCommand nginx(String... arguments) {
    List<String> command = new ArrayList<>(List.of(nginx.toString()));
    if (prefix != null) {
      command.addAll(List.of("-p", prefix + "/"));
    }
    command.addAll(List.of("-c", config.toString()));
    command.addAll(List.of(arguments));
    return LocalCommand.run(name(), command, commandTimeout);
  }

  @Override
  public String toString() {
    return name() + " (config " + config + ", pid file " + pidFile + ")";
  }

  /**
   * Configures a {@link NginxLoadBalancer}. Not thread-safe. Each setter checks its value as it is given and throws
   * {@link IllegalArgumentException} naming the field, the value and the rule; {@link #build()}
   * checks what is missing and the fields that depend on each other.
   */
  public static final class Builder {
    private Path upstreamFile;
    private Path nginx = Path.of("nginx");
    private Path config = Path.of("/etc/nginx/nginx.conf");
    private Path prefix;
    private Path pidFile = Path.of("/run/nginx.pid");
    private Duration reloadTimeout = Duration.ofSeconds(10);
    private Duration commandTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /**
     * The file the upstream includes, one {@code server ADDRESS [parameters];} per line. Required.
     *
     * @param upstreamFile the file's path
     * @return this builder
     */
    public Builder upstreamFile(Path upstreamFile) {
      if (upstreamFile == null) {
        throw new IllegalArgumentException("upstreamFile must be set, was null");
      }
      this.upstreamFile = upstreamFile;
      return this;
    }

    /**
     * The {@code nginx} executable. Default: {@code nginx}, found on the PATH.
     *
     * @param nginx the executable's path
     * @return this builder
     */
    public Builder nginx(Path nginx) {
      if (nginx == null) {
        throw new IllegalArgumentException("nginx must be set, was null");
      }
      this.nginx = nginx;
      return this;
    }

    /**
     * The main configuration, for {@code nginx -c}. Default: {@code /etc/nginx/nginx.conf}.
     *
     * @param config the configuration file's path
     * @return this builder
     */
    public Builder config(Path config) {
      if (config == null) {
        throw new IllegalArgumentException("config must be set, was null");
      }
      this.config = config;
      return this;
    }

    /**
     * The prefix nginx was started with ({@code nginx -p}), if any. Default: none.
     *
     * @param prefix the prefix, or null for none
     * @return this builder
     */
    public Builder prefix(Path prefix) {
      this.prefix = prefix;
      return this;
    }

    /**
     * The pid file of the master process, as the configuration's {@code pid} says. Default: {@code /run/nginx.pid}.
     *
     * @param pidFile the pid file's path
     * @return this builder
     */
    public Builder pidFile(Path pidFile) {
      if (pidFile == null) {
        throw new IllegalArgumentException("pidFile must be set, was null");
      }
      this.pidFile = pidFile;
      return this;
    }

    /**
     * How long a reload may take to start new workers before it counts as failed. Default: 10 s.
     *
     * @param reloadTimeout positive
     * @return this builder
     */
    public Builder reloadTimeout(Duration reloadTimeout) {
      requirePositive("reloadTimeout", reloadTimeout);
      this.reloadTimeout = reloadTimeout;
      return this;
    }

    /**
     * How long {@code nginx -t} and {@code nginx -s reload} may run. Default: 10 s.
     *
     * @param commandTimeout positive
     * @return this builder
     */
    public Builder commandTimeout(Duration commandTimeout) {
      requirePositive("commandTimeout", commandTimeout);
      this.commandTimeout = commandTimeout;
      return this;
    }

    /**
     * Validates and builds it.
     *
     * @return a new, immutable load balancer
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public NginxLoadBalancer build() {
      if (upstreamFile == null) {
        throw new IllegalArgumentException("upstreamFile must be set, was null");
      }
      return new NginxLoadBalancer(this);
    }

    private static void requirePositive(String field, Duration value) {
      if (value == null || value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(field + " must be positive, was " + value);
      }
    }
  }
}
