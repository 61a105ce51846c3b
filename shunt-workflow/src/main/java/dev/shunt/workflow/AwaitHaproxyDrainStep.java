package dev.shunt.workflow;

import dev.shunt.ShuntException;
import dev.shunt.Step;
import dev.shunt.StepContext;
import dev.shunt.StepDescription;
import dev.shunt.StepFailedException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Waits until HAProxy itself says a host is drained: its server is out of rotation
 * ({@code DOWN}, {@code MAINT}, {@code DRAIN} or {@code NOLB}, in any variant such as
 * {@code DOWN (agent)}) <em>and</em> serves no session any more ({@code scur} 0), as the runtime
 * API's {@code show stat} reports. Where {@link AwaitCheckersStep#drain()} infers the drain from
 * the health checks the host answered, this step asks the load balancer, and also waits for the
 * requests HAProxy is still sending to the server (a DOWN server keeps the sessions it has).
 *
 * <p>The server is found by backend name and server name; the server name defaults to the
 * rollout's host ({@code {host}}), as in {@code server web-1 10.0.0.1:8080 check}; a template
 * such as {@code app-{index}} names it by the host's position in the rollout's hosts, from 1. An
 * unknown backend or server fails the step at once, listing what HAProxy has. A runtime API that
 * cannot be reached fails it too. The rollout's pre-flight ({@link PreflightCheck}) asks HAProxy
 * the same before anything is touched, so such a mismatch stops the rollout before the first
 * shunt.
 *
 * <p>If the server is not drained within {@code timeout}, the step by default goes on, as a
 * fixed wait would, and says so in its outcome; {@link Builder#failOnTimeout(boolean)} makes it
 * fail instead. With several load balancers, add one step per HAProxy: each waits for its own.
 * A server in {@code DRAIN} still takes sessions that persistence (a stickiness cookie or table)
 * sends to it; this step sees one moment with none. Each poll's session count goes into the
 * rollout's report as the series {@code haproxy BACKEND/SERVER sessions} ({@link StepContext#measure}).
 *
 * <p>Defaults: name {@code haproxy-drain}, server {@code {host}}, timeout 30 s, poll every
 * 100 ms, go on after the timeout. Immutable and thread-safe.
 */
public final class AwaitHaproxyDrainStep implements Step, PreflightCheck {
  private final String name;
  private final HaproxyRuntimeApi runtimeApi;
  private final String backend;
  private final BiFunction<String, Integer, String> server;
  private final String serverDescription;
  private final Duration timeout;
  private final Duration pollInterval;
  private final boolean failOnTimeout;

  private AwaitHaproxyDrainStep(Builder builder) {
    this.name = builder.name;
    this.runtimeApi = builder.runtimeApi;
    this.backend = builder.backend;
    this.server = builder.server;
    this.serverDescription = builder.serverDescription;
    this.timeout = builder.timeout;
    this.pollInterval = builder.pollInterval;
    this.failOnTimeout = builder.failOnTimeout;
  }

  /**
   * A builder; {@code runtimeApi} and {@code backend} are required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void run(StepContext context) throws InterruptedException {
    String serverName = serverName(context.host(), context.hostIndex());
    Instant start = context.clock().instant();
    Instant deadline = start.plus(timeout);
    String seen = null;
    while (true) {
      HaproxyServerStat stat = find(serverName);
      String now = stat.status() + " with " + stat.sessions() + " sessions";
      context.measure("haproxy " + stat.name() + " sessions", stat.sessions());
      if (!now.equals(seen)) {
        context.log("HAProxy: server " + stat.name() + " " + now);
        seen = now;
      }
      Instant at = context.clock().instant();
      if (stat.outOfRotation() && stat.sessions() == 0) {
        context.outcome("server " + stat.name() + " " + now + " after " + Duration.between(start, at).toMillis() + " ms");
        return;
      }
      if (!at.isBefore(deadline)) {
        WaitTimeout.handle(context, failOnTimeout, timeout,
            "HAProxy did not report the server out of rotation with 0 sessions within " + timeout,
            "server " + stat.name() + " " + now);
        return;
      }
      Thread.sleep(Math.max(1, Math.min(pollInterval.toMillis(), Duration.between(at, deadline).toMillis())));
    }
  }

  private String serverName(String host, int hostIndex) {
    if (hostIndex < 1 && serverDescription.contains("{index}")) {
      throw new StepFailedException("server '" + serverDescription + "' names the host by its position in the"
          + " rollout's hosts, which the engine running this step does not give");
    }
    return Objects.requireNonNull(server.apply(host, hostIndex), "server name");
  }

  /** Asks HAProxy whether the backend and the host's server exist: an error if not, or if HAProxy cannot be asked. */
  @Override
  public List<PreflightProblem> preflight(PreflightContext context) {
    String serverName = server.apply(context.host(), context.hostIndex());
    try {
      find(serverName);
      return List.of();
    } catch (StepFailedException e) {
      return List.of(context.error(name, e.getMessage() + (serverDescription.equals("{host}")
          ? ". Name the servers as the hosts, or map the host to its server name with server(\"app-{index}\")"
              + " (shunt roll --haproxy-server)" : "")));
    }
  }

  private HaproxyServerStat find(String serverName) {
    List<HaproxyServerStat> servers;
    try {
      servers = runtimeApi.servers();
    } catch (ShuntException e) {
      throw new StepFailedException("cannot read the state of server " + backend + "/" + serverName + ": "
          + e.getMessage(), e);
    }
    List<HaproxyServerStat> inBackend = servers.stream().filter(s -> s.backend().equals(backend)).toList();
    if (inBackend.isEmpty()) {
      throw new StepFailedException("HAProxy at " + runtimeApi + " has no backend '" + backend
          + "' with servers; its backends: " + servers.stream().map(HaproxyServerStat::backend).distinct().toList());
    }
    return inBackend.stream().filter(s -> s.server().equals(serverName)).findFirst()
        .orElseThrow(() -> new StepFailedException("backend '" + backend + "' of HAProxy at " + runtimeApi
            + " has no server '" + serverName + "'; its servers: "
            + inBackend.stream().map(HaproxyServerStat::server).toList()));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public StepDescription describe() {
    return StepDescription.of(name, StepDescription.Kind.DRAIN).withTimeout(timeout)
        .with("runtimeApi", runtimeApi).with("server", backend + "/" + serverDescription)
        .with("pollInterval", pollInterval).with("afterTimeout", failOnTimeout ? "fail" : "go on");
  }

  @Override
  public String toString() {
    return name + "(" + runtimeApi + ", server " + backend + "/" + serverDescription + ", timeout=" + timeout
        + (failOnTimeout ? ", failOnTimeout" : "") + ")";
  }

  /**
   * Configures an {@link AwaitHaproxyDrainStep}. Not thread-safe. Each setter checks its value as it is given and throws
   * {@link IllegalArgumentException} naming the field, the value and the rule; {@link #build()}
   * checks what is missing and the fields that depend on each other.
   */
  public static final class Builder {
    private String name = "haproxy-drain";
    private HaproxyRuntimeApi runtimeApi;
    private String backend;
    private BiFunction<String, Integer, String> server = (host, index) -> host;
    private String serverDescription = "{host}";
    private Duration timeout = Duration.ofSeconds(30);
    private Duration pollInterval = Duration.ofMillis(100);
    private boolean failOnTimeout;

    private Builder() {}

    /**
     * The step's name in progress lines and reports.
     *
     * @param name the step's name; not blank
     * @return this builder
     */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was " + (name == null ? null : "'" + name + "'"));
      }
      this.name = name;
      return this;
    }

    /**
     * The HAProxy to ask. Required.
     *
     * @param runtimeApi the HAProxy runtime API; not null
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
     * The backend the hosts are servers of. Required.
     *
     * @param backend the backend's name; not blank
     * @return this builder
     */
    public Builder backend(String backend) {
      if (backend == null || backend.isBlank()) {
        throw new IllegalArgumentException("backend must not be blank, was " + (backend == null ? null : "'" + backend + "'"));
      }
      this.backend = backend;
      return this;
    }

    /**
     * The server's name in the backend: {@code {host}} in it is replaced by the host, e.g.
     * {@code {host}-http}, and {@code {index}} by the host's position in the rollout's hosts, from
     * 1, e.g. {@code app-{index}} for hosts rolled in the order of HAProxy's {@code app-1},
     * {@code app-2}… Default: {@code {host}}.
     *
     * @param template the server name, with {@code {host}} and {@code {index}} replaced
     * @return this builder
     */
    public Builder server(String template) {
      if (template == null || template.isBlank()) {
        throw new IllegalArgumentException("server must not be blank, was " + (template == null ? null : "'" + template + "'"));
      }
      String rest = template.replace("{host}", "").replace("{index}", "");
      if (rest.contains("{") || rest.contains("}")) {
        throw new IllegalArgumentException("server must hold no placeholder but {host} and {index}, was '" + template + "'");
      }
      this.server = (host, index) -> template.replace("{host}", host).replace("{index}", Integer.toString(index));
      this.serverDescription = template;
      return this;
    }

    /**
     * The server's name in the backend for a host, computed (e.g. the host name without its domain).
     *
     * @param server gives the server's name for a host; not null
     * @return this builder
     */
    public Builder server(Function<String, String> server) {
      if (server == null) {
        throw new IllegalArgumentException("server must be set, was null");
      }
      this.server = (host, index) -> server.apply(host);
      this.serverDescription = "<computed from the host>";
      return this;
    }

    /**
     * How long to wait; more than HAProxy's {@code fall × inter} plus the longest request.
     *
     * @param timeout the longest wait; positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Durations.requirePositive("timeout", timeout);
      return this;
    }

    /**
     * How often to ask HAProxy.
     *
     * @param pollInterval the time between two questions; positive
     * @return this builder
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = Durations.requirePositive("pollInterval", pollInterval);
      return this;
    }

    /**
     * Whether to fail (rather than go on) when the server is not drained within the timeout.
     *
     * @param failOnTimeout true to fail, false to go on
     * @return this builder
     */
    public Builder failOnTimeout(boolean failOnTimeout) {
      this.failOnTimeout = failOnTimeout;
      return this;
    }

    /**
     * Validates and builds the step.
     *
     * @return a new, immutable step
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public AwaitHaproxyDrainStep build() {
      if (runtimeApi == null) {
        throw new IllegalArgumentException("runtimeApi must be set, was null");
      }
      if (backend == null) {
        throw new IllegalArgumentException("backend must not be blank, was null");
      }
      return new AwaitHaproxyDrainStep(this);
    }
  }
}
