package dev.shunt.workflow.lb;

import dev.shunt.ShuntException;
import dev.shunt.ShuntTimeoutException;
import dev.shunt.workflow.HaproxyRuntimeApi;
import dev.shunt.workflow.HaproxyServerStat;
import dev.shunt.workflow.PreflightContext;
import dev.shunt.workflow.PreflightProblem;
import java.util.List;
import java.util.Locale;

/**
 * HAProxy, driven through its runtime API ({@link HaproxyRuntimeApi}, a UNIX socket or TCP; the
 * socket needs {@code level admin}):
 * <ul>
 *   <li>{@link #takeOut}: {@code set server BACKEND/SERVER state drain} (or {@code maint},
 *       {@link Builder#maintenance(boolean)}). A server already in {@code MAINT} is left as it is,
 *       so a drain never lifts a maintenance; one that is {@code DOWN} by its health checks is
 *       marked too and counts as out at once.
 *   <li>{@link #state}: {@code show stat}: drained when the server is {@code DRAIN}, {@code MAINT},
 *       {@code DOWN} or {@code NOLB} (any variant) with no current session ({@code scur} 0); in
 *       rotation when it is {@code UP} (also {@code UP 1/3}, still up with a failed check) or
 *       {@code no check}.
 *   <li>{@link #putBack}: {@code set server BACKEND/SERVER state ready}, which lifts drain and
 *       maintenance alike. A server with health checks is in rotation once they pass.
 *   <li>{@link #preflight}: the server exists ({@code show stat}), the socket allows
 *       {@code set server} ({@code show cli level} says {@code admin}), and a warning when the
 *       server is out of rotation already.
 * </ul>
 *
 * <p><b>Drain or maintenance.</b> In {@code DRAIN}, HAProxy sends the server no new load-balanced
 * request but still sends it the requests that persistence (a stickiness cookie or table) ties to
 * it, and keeps checking it; under sticky traffic the sessions may never reach 0. {@code MAINT}
 * sends it nothing new at all and stops its checks. Neither cuts the sessions in progress.
 *
 * <p><b>Servers</b> are named {@code BACKEND/SERVER}, or {@code SERVER} alone in the
 * {@link Builder#backend(String) default backend}. Errors are {@link LoadBalancerException}s that
 * name this HAProxy, the server and what to do: the socket cannot be reached or did not answer
 * within its timeout ({@link HaproxyRuntimeApi#withTimeout}, 5 s by default), no such backend or
 * server (listing those HAProxy has), a command HAProxy refused (with its answer, e.g.
 * {@code Permission denied}).
 *
 * <p>Default: no default backend, drain (not maintenance). Immutable and thread-safe.
 */
public final class HaproxyLoadBalancer implements LoadBalancer {
  private final HaproxyRuntimeApi runtimeApi;
  private final String backend;
  private final boolean maintenance;

  private HaproxyLoadBalancer(Builder builder) {
    this.runtimeApi = builder.runtimeApi;
    this.backend = builder.backend;
    this.maintenance = builder.maintenance;
  }

  /**
   * A builder; {@code runtimeApi} is required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The runtime API it talks to.
   *
   * @return the runtime API given to the builder
   */
  public HaproxyRuntimeApi runtimeApi() {
    return runtimeApi;
  }

  @Override
  public String name() {
    return "haproxy " + runtimeApi;
  }

  @Override
  public void takeOut(String server) {
    HaproxyServerStat stat = find(server);
    if (stat.status().startsWith("MAINT")) {
      return;
    }
    set(stat, maintenance ? "maint" : "drain");
  }

  @Override
  public void putBack(String server) {
    set(find(server), "ready");
  }

  @Override
  public ServerState state(String server) {
    HaproxyServerStat stat = find(server);
    boolean inRotation = stat.status().startsWith("UP") || stat.status().equals("no check");
    return new ServerState(stat.name(), stat.status() + " with " + stat.sessions() + " sessions",
        stat.outOfRotation() && stat.sessions() == 0, inRotation, stat.sessions());
  }

  /** Also asks {@code show cli level}: an error unless the socket allows {@code set server}. */
  @Override
  public List<PreflightProblem> preflight(PreflightContext context, String step, String server) {
    List<PreflightProblem> problems = new java.util.ArrayList<>(LoadBalancer.super.preflight(context, step, server));
    if (problems.stream().anyMatch(PreflightProblem::isError)) {
      return problems;
    }
    String level = ask("show cli level", server).strip().toLowerCase(Locale.ROOT);
    if (level.equals("operator") || level.equals("user")) {
      problems.add(context.error(step, name() + " allows '" + level + "' commands only: 'set server' needs"
          + " 'level admin' on its stats socket (e.g. stats socket /run/haproxy/admin.sock mode 600 level admin)"));
    }
    return problems;
  }

  private void set(HaproxyServerStat stat, String state) {
    String command = "set server " + stat.name() + " state " + state;
    String answer = ask(command, stat.name()).strip();
    if (!answer.isEmpty()) {
      throw new LoadBalancerException(name() + " refused '" + command + "': " + answer
          + (answer.toLowerCase(Locale.ROOT).contains("permission denied")
              ? " (its stats socket needs 'level admin')" : ""));
    }
  }

  private String ask(String command, String server) {
    try {
      return runtimeApi.command(command);
    } catch (ShuntTimeoutException e) {
      throw new LoadBalancerException(name() + " did not answer '" + command + "' for server " + server + " within "
          + e.timeout() + ": is HAProxy overloaded, or is this not its stats socket?", e);
    } catch (ShuntException e) {
      throw new LoadBalancerException(name() + " cannot be asked about server " + server + ": " + e.getMessage()
          + "; is HAProxy running with 'stats socket' there?", e);
    }
  }

  private HaproxyServerStat find(String server) {
    int slash = server.indexOf('/');
    String inBackend = slash < 0 ? backend : server.substring(0, slash);
    String name = slash < 0 ? server : server.substring(slash + 1);
    if (inBackend == null || inBackend.isEmpty() || name.isEmpty()) {
      throw new LoadBalancerException(name() + ": server '" + server + "' must be BACKEND/SERVER, or SERVER with a"
          + " default backend set");
    }
    List<HaproxyServerStat> servers;
    try {
      servers = runtimeApi.servers();
    } catch (ShuntTimeoutException e) {
      throw new LoadBalancerException(name() + " did not answer 'show stat' for server " + inBackend + "/" + name
          + " within " + e.timeout() + ": is HAProxy overloaded, or is this not its stats socket?", e);
    } catch (ShuntException e) {
      throw new LoadBalancerException(name() + " cannot be asked about server " + inBackend + "/" + name + ": "
          + e.getMessage() + "; is HAProxy running with 'stats socket' there?", e);
    }
    List<HaproxyServerStat> ofBackend = servers.stream().filter(s -> s.backend().equals(inBackend)).toList();
    if (ofBackend.isEmpty()) {
      throw new LoadBalancerException(name() + " has no backend '" + inBackend + "' with servers; its backends: "
          + servers.stream().map(HaproxyServerStat::backend).distinct().toList());
    }
    return ofBackend.stream().filter(s -> s.server().equals(name)).findFirst()
        .orElseThrow(() -> new LoadBalancerException(name() + ": backend '" + inBackend + "' has no server '" + name
            + "'; its servers: " + ofBackend.stream().map(HaproxyServerStat::server).toList()
            + ". Name the servers as the hosts, or give a server template such as 'app-{index}'"));
  }

  @Override
  public String toString() {
    return name() + (backend == null ? "" : " backend " + backend) + (maintenance ? " (maint)" : "");
  }

  /**
   * Configures an {@link HaproxyLoadBalancer}. Not thread-safe. Each setter checks its value as it is given and throws
   * {@link IllegalArgumentException} naming the field, the value and the rule; {@link #build()}
   * checks what is missing and the fields that depend on each other.
   */
  public static final class Builder {
    private HaproxyRuntimeApi runtimeApi;
    private String backend;
    private boolean maintenance;

    private Builder() {}

    /**
     * The runtime API of the HAProxy, with {@code level admin}. Required.
     *
     * @param runtimeApi the HAProxy's runtime API, at {@code level admin}
     * @return this builder
     */
    public Builder runtimeApi(HaproxyRuntimeApi runtimeApi) {
      if (runtimeApi == null) {
        throw new IllegalArgumentException("runtimeApi must be set, was null");
      }
      this.runtimeApi = runtimeApi;
      return this;
    }

    /**
     * The backend of servers named without one ({@code web-1} rather than {@code web/web-1}). Default: none.
     *
     * @param backend the backend's name, or null for none
     * @return this builder
     */
    public Builder backend(String backend) {
      if (backend != null && (backend.isBlank() || backend.contains("/") || backend.chars().anyMatch(Character::isWhitespace))) {
        throw new IllegalArgumentException("backend must be a name without '/' or spaces, was '" + backend + "'");
      }
      this.backend = backend;
      return this;
    }

    /**
     * Whether to take servers out with {@code state maint} rather than {@code state drain}: no
     * request at all, persistent (sticky) ones included, and no health checks meanwhile.
     * Default: false, drain.
     *
     * @param maintenance true for {@code maint}, false for {@code drain}
     * @return this builder
     */
    public Builder maintenance(boolean maintenance) {
      this.maintenance = maintenance;
      return this;
    }

    /**
     * Validates and builds it.
     *
     * @return a new, immutable load balancer
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public HaproxyLoadBalancer build() {
      if (runtimeApi == null) {
        throw new IllegalArgumentException("runtimeApi must be set, was null");
      }
      return new HaproxyLoadBalancer(this);
    }
  }
}
