package dev.shunt.workflow.lb;

import dev.shunt.ShuntTimeoutException;
import dev.shunt.StepContext;
import dev.shunt.StepDescription;
import dev.shunt.StepFailedException;
import dev.shunt.workflow.PreflightCheck;
import dev.shunt.workflow.PreflightContext;
import dev.shunt.workflow.PreflightProblem;
import dev.shunt.workflow.UndoableStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Takes a host out of every {@link LoadBalancer} in front of it and waits until each reports it
 * drained ({@link #takeOut()}), or puts it back in each and waits until each reports it in
 * rotation ({@link #putBack()}). Put a take-out before the restart and a put-back after the
 * readiness wait; beside or instead of the health-check shunt ({@link dev.shunt.workflow.ShuntStep}),
 * which stays the default as it needs no credentials:
 *
 * <pre>{@code
 * LoadBalancer lb1 = HaproxyLoadBalancer.builder().runtimeApi(HaproxyRuntimeApi.unixSocket(sock1)).backend("web").build();
 * LoadBalancer lb2 = HaproxyLoadBalancer.builder().runtimeApi(HaproxyRuntimeApi.tcp("lb-2", 9999)).backend("web").build();
 * rollout.step(LoadBalancerStep.takeOut().loadBalancer(lb1).loadBalancer(lb2).build())
 *     .step(restart).step(readiness)
 *     .step(LoadBalancerStep.putBack().loadBalancer(lb1).loadBalancer(lb2).build());
 * }</pre>
 *
 * <p><b>Server names.</b> Each load balancer names the host's server by a {@link ServerTemplate}:
 * the step's {@link Builder#server(String)} (default {@code {host}}), or one of its own given with
 * {@link Builder#loadBalancer(LoadBalancer, String)}.
 *
 * <p><b>Take-out.</b> Takes the server out of every load balancer, in the order given, then polls
 * them all until every one reports it {@linkplain ServerState#drained() drained}. It fails, and
 * first puts the server back in every load balancer it had taken it out of, so that the host (not
 * restarted yet) is left in rotation everywhere, when a load balancer cannot be reached or refuses,
 * when the drain is not seen within the timeout (unless {@link Builder#failOnTimeout(boolean)
 * failOnTimeout(false)}: then it goes on, as a fixed wait would, and says so), and when it is
 * interrupted (the rollout's time limit, {@code cancelNow()}). Its pre-flight asks every load
 * balancer about the host's server ({@link LoadBalancer#preflight}) before the rollout touches any
 * host.
 *
 * <p><b>Put-back.</b> Puts the server back in every load balancer, going on past one that fails,
 * then polls until every load balancer that accepted reports it
 * {@linkplain ServerState#inRotation() in rotation}. If any load balancer failed or did not show
 * it in rotation within the timeout, the step fails with a message that names the host, where it
 * is back in rotation and where it is left out, and why; a rollout then halts (by default) with the
 * host in that reported state.
 *
 * <p><b>When the host fails later.</b> A take-out is an {@link UndoableStep}: when the host fails
 * after it (its restart, say), a rollout whose failure policy puts the host back
 * ({@link dev.shunt.workflow.FailurePolicy#UNSHUNT}) puts the server back in every load balancer
 * ({@link #undo}) and reports any that refused; one that leaves the host out reports every load
 * balancer that still has it out ({@link #stillInPlace}), and so does {@link
 * dev.shunt.workflow.Rollout#cleanUp()} before it puts the server back. A put-back leaves nothing to undo.
 *
 * <p>Every poll that reads a server's connections (HAProxy's sessions, Varnish's connections in use)
 * puts them into the rollout's report as the series {@code NAME SERVER connections}
 * ({@link StepContext#measure}).
 *
 * <p>Defaults: name {@code lb-take-out} or {@code lb-put-back}, server {@code {host}}, timeout 60 s,
 * poll every 100 ms, fail on timeout. Immutable and thread-safe.
 */
public final class LoadBalancerStep implements UndoableStep, PreflightCheck {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final boolean takeOut;
  private final String name;
  private final List<Target> targets;
  private final Duration timeout;
  private final Duration pollInterval;
  private final boolean failOnTimeout;

  private LoadBalancerStep(Builder builder, List<Target> targets) {
    this.takeOut = builder.takeOut;
    this.name = builder.name;
    this.targets = targets;
    this.timeout = builder.timeout;
    this.pollInterval = builder.pollInterval;
    this.failOnTimeout = builder.failOnTimeout;
  }

  /**
   * A builder of the step that takes the host out of its load balancers and waits for the drain.
   *
   * @return a new builder with the defaults
   */
  public static Builder takeOut() {
    return new Builder(true);
  }

  /**
   * A builder of the step that puts the host back in its load balancers and waits until it is in rotation.
   *
   * @return a new builder with the defaults
   */
  public static Builder putBack() {
    return new Builder(false);
  }

  @Override
  public void run(StepContext context) throws InterruptedException {
    List<String> servers = new ArrayList<>();
    for (Target target : targets) {
      try {
        servers.add(target.template.apply(context.host(), context.hostIndex()));
      } catch (IllegalArgumentException e) {
        throw new StepFailedException(e.getMessage());
      }
    }
    if (takeOut) {
      runTakeOut(context, servers);
    } else {
      runPutBack(context, servers);
    }
  }

  private void runTakeOut(StepContext context, List<String> servers) throws InterruptedException {
    List<Integer> takenOut = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      LoadBalancer lb = targets.get(i).loadBalancer;
      try {
        lb.takeOut(servers.get(i));
        takenOut.add(i);
        context.log(lb.name() + ": took server " + servers.get(i) + " out");
      } catch (RuntimeException e) {
        throw new StepFailedException("cannot take " + context.host() + " out: " + e.getMessage()
            + restore(context, servers, takenOut), e);
      }
    }
    Instant start = context.clock().instant();
    List<ServerState> states;
    try {
      states = await(context, servers, takenOut, ServerState::drained);
    } catch (InterruptedException e) {
      context.log("interrupted while waiting for the drain" + restore(context, servers, takenOut));
      throw e;
    } catch (RuntimeException e) {
      throw new StepFailedException("cannot see " + context.host() + " drained: " + e.getMessage()
          + restore(context, servers, takenOut), e);
    }
    long millis = Duration.between(start, context.clock().instant()).toMillis();
    if (states.stream().allMatch(ServerState::drained)) {
      context.outcome("drained on " + describe(states) + " after " + millis + " ms");
    } else if (failOnTimeout) {
      throw new ShuntTimeoutException(context.host() + " was not drained within " + timeout + " (" + describe(states)
          + ")" + restore(context, servers, takenOut), timeout);
    } else {
      context.log("not drained within " + timeout + " (" + describe(states) + "); going on as after a fixed wait");
      context.outcome("timeout fallback after " + millis + " ms (" + describe(states) + ")");
    }
  }

  /** Puts the server back where it was taken out; says how that went, for the failure's message. */
  private String restore(StepContext context, List<String> servers, List<Integer> takenOut) {
    if (takenOut.isEmpty()) {
      return "; it was taken out of no load balancer";
    }
    // An interrupt (the rollout's time limit) must not keep the server out: put it back first.
    boolean interrupted = Thread.interrupted();
    List<String> back = new ArrayList<>();
    List<String> left = new ArrayList<>();
    for (int i : takenOut) {
      LoadBalancer lb = targets.get(i).loadBalancer;
      try {
        lb.putBack(servers.get(i));
        back.add(lb.name());
      } catch (RuntimeException e) {
        left.add(lb.name() + " (" + e.getMessage() + ")");
      }
    }
    String said = (back.isEmpty() ? "" : "; put back in rotation on " + String.join(", ", back))
        + (left.isEmpty() ? "" : "; LEFT OUT of rotation on " + String.join(", ", left));
    context.log(said.substring(2));
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return said;
  }

  private void runPutBack(StepContext context, List<String> servers) throws InterruptedException {
    List<Integer> accepted = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      LoadBalancer lb = targets.get(i).loadBalancer;
      try {
        lb.putBack(servers.get(i));
        accepted.add(i);
        context.log(lb.name() + ": put server " + servers.get(i) + " back");
      } catch (RuntimeException e) {
        failures.add(e.getMessage());
        context.log(e.getMessage());
      }
    }
    Instant start = context.clock().instant();
    List<ServerState> states = accepted.isEmpty() ? List.of()
        : await(context, servers, accepted, ServerState::inRotation);
    long millis = Duration.between(start, context.clock().instant()).toMillis();
    List<String> inRotation = new ArrayList<>();
    List<String> leftOut = new ArrayList<>(failures);
    for (int k = 0; k < accepted.size(); k++) {
      ServerState state = states.get(k);
      String lbName = targets.get(accepted.get(k)).loadBalancer.name();
      if (state.inRotation()) {
        inRotation.add(lbName);
      } else {
        leftOut.add(lbName + ": not in rotation within " + timeout + " (" + state + ")");
      }
    }
    if (leftOut.isEmpty()) {
      context.outcome("in rotation on " + describe(states) + " after " + millis + " ms");
      return;
    }
    throw new StepFailedException(context.host() + " is not back in rotation everywhere: "
        + (inRotation.isEmpty() ? "in rotation on no load balancer" : "in rotation on " + String.join(", ", inRotation))
        + "; LEFT OUT on " + leftOut.size() + ": " + String.join("; ", leftOut));
  }

  /**
   * Polls the load balancers at {@code indexes} until each shows {@code condition} or the timeout
   * passes; the states last seen, in the order of {@code indexes}.
   */
  private List<ServerState> await(StepContext context, List<String> servers, List<Integer> indexes,
      Predicate<ServerState> condition) throws InterruptedException {
    Instant deadline = context.clock().instant().plus(timeout);
    List<String> seen = new ArrayList<>();
    while (true) {
      List<ServerState> states = new ArrayList<>();
      for (int i : indexes) {
        states.add(stateOf(i, servers.get(i)));
      }
      for (int k = 0; k < states.size(); k++) {
        ServerState state = states.get(k);
        if (state.connections() != ServerState.UNKNOWN) {
          context.measure(targets.get(indexes.get(k)).loadBalancer.name() + " " + state.server() + " connections",
              state.connections());
        }
        String now = state.toString();
        if (seen.size() <= k) {
          seen.add(null);
        }
        if (!now.equals(seen.get(k))) {
          context.log(targets.get(indexes.get(k)).loadBalancer.name() + ": server " + now);
          seen.set(k, now);
        }
      }
      Instant at = context.clock().instant();
      if (states.stream().allMatch(condition) || !at.isBefore(deadline)) {
        return states;
      }
      Thread.sleep(Math.max(1, Math.min(pollInterval.toMillis(), Duration.between(at, deadline).toMillis())));
    }
  }


  /**
   * The server's state on load balancer {@code index}. For a take-out a failure ends the step (and
   * puts the server back); for a put-back it counts as not in rotation yet, so that a load balancer
   * that stops answering for a moment is asked again until the timeout.
   */
  private ServerState stateOf(int index, String server) {
    try {
      return targets.get(index).loadBalancer.state(server);
    } catch (LoadBalancerException e) {
      if (takeOut) {
        throw e;
      }
      return new ServerState(server, "unknown: " + e.getMessage(), false, false, ServerState.UNKNOWN);
    }
  }

  private String describe(List<ServerState> states) {
    return states.stream().map(ServerState::toString).collect(Collectors.joining(", "));
  }

  /**
   * For a take-out: puts the host's server back in every load balancer ({@link LoadBalancer#putBack},
   * idempotent), going on past one that fails. Waits for nothing: a load balancer that checks the
   * server puts it back in rotation once its checks pass. A put-back has nothing to undo.
   *
   * @return each load balancer that failed, with the server and why
   */
  @Override
  public List<String> undo(StepContext context) {
    if (!takeOut) {
      return List.of();
    }
    List<String> failures = new ArrayList<>();
    for (Target target : targets) {
      LoadBalancer lb = target.loadBalancer;
      String server = null;
      try {
        server = target.template.apply(context.host(), context.hostIndex());
        lb.putBack(server);
        context.log(lb.name() + ": put server " + server + " back (undoing " + name + ")");
      } catch (RuntimeException e) {
        String failure = lb.name() + (server == null ? "" : " server " + server) + ": " + e.getMessage();
        context.log("cannot undo " + name + " on " + failure);
        failures.add(failure);
      }
    }
    return failures;
  }

  /**
   * For a take-out: every load balancer that does not report the host's server in rotation, with
   * what it says ({@code haproxy unix:/run/haproxy/admin.sock: web/web-1: DRAIN with 0 sessions}),
   * or why it cannot be asked. A put-back leaves nothing in place.
   */
  @Override
  public List<String> stillInPlace(StepContext context) {
    if (!takeOut) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Target target : targets) {
      LoadBalancer lb = target.loadBalancer;
      String server = null;
      try {
        server = target.template.apply(context.host(), context.hostIndex());
        ServerState state = lb.state(server);
        if (!state.inRotation()) {
          out.add(lb.name() + ": " + state);
        }
      } catch (RuntimeException e) {
        out.add(lb.name() + (server == null ? "" : " server " + server) + ": cannot be asked: " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * For a take-out: asks every load balancer about the host's server ({@link LoadBalancer#preflight}).
   * A put-back checks nothing, as it follows a take-out that checked the same.
   */
  @Override
  public List<PreflightProblem> preflight(PreflightContext context) {
    if (!takeOut) {
      return List.of();
    }
    List<PreflightProblem> problems = new ArrayList<>();
    for (Target target : targets) {
      String server;
      try {
        server = target.template.apply(context.host(), context.hostIndex());
      } catch (IllegalArgumentException e) {
        problems.add(context.error(name, e.getMessage()));
        continue;
      }
      try {
        problems.addAll(target.loadBalancer.preflight(context, name, server));
      } catch (RuntimeException e) {
        problems.add(context.error(name, target.loadBalancer.name() + ": cannot check server " + server + ": " + e));
      }
    }
    return problems;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public StepDescription describe() {
    return StepDescription.of(name, takeOut ? StepDescription.Kind.DRAIN : StepDescription.Kind.ROTATION)
        .withTimeout(timeout).with("loadBalancers", targets).with("pollInterval", pollInterval)
        .with("afterTimeout", takeOut && !failOnTimeout ? "go on" : "fail");
  }

  @Override
  public String toString() {
    return name + "(" + targets + ", timeout=" + timeout + (takeOut && !failOnTimeout ? ", go on after timeout" : "")
        + ")";
  }

  /** A load balancer and the template of its server names. */
  private record Target(LoadBalancer loadBalancer, ServerTemplate template) {
    @Override
    public String toString() {
      return loadBalancer.name() + " server " + template;
    }
  }

  /**
   * Configures a {@link LoadBalancerStep}. Not thread-safe. Each setter checks its value as it is given and throws
   * {@link IllegalArgumentException} naming the field, the value and the rule; {@link #build()}
   * checks what is missing and the fields that depend on each other.
   */
  public static final class Builder {
    private final boolean takeOut;
    private String name;
    private final List<LoadBalancer> loadBalancers = new ArrayList<>();
    private final List<String> templates = new ArrayList<>();
    private String server = "{host}";
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration pollInterval = Duration.ofMillis(100);
    private boolean failOnTimeout = true;

    private Builder(boolean takeOut) {
      this.takeOut = takeOut;
      this.name = takeOut ? "lb-take-out" : "lb-put-back";
    }

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
     * Adds a load balancer, whose servers are named by {@link #server(String)}. At least one is required.
     *
     * @param loadBalancer the load balancer to add
     * @return this builder
     */
    public Builder loadBalancer(LoadBalancer loadBalancer) {
      requireLoadBalancer(loadBalancer);
      loadBalancers.add(loadBalancer);
      templates.add(null);
      return this;
    }

    /**
     * Adds a load balancer whose servers are named by {@code serverTemplate} ({@link ServerTemplate}).
     *
     * @param loadBalancer the load balancer to add
     * @param serverTemplate its server's name, with {@code {host}} and {@code {index}} replaced
     * @return this builder
     */
    public Builder loadBalancer(LoadBalancer loadBalancer, String serverTemplate) {
      requireLoadBalancer(loadBalancer);
      if (serverTemplate == null) {
        throw new IllegalArgumentException("serverTemplate must be set, was null");
      }
      new ServerTemplate(serverTemplate);
      loadBalancers.add(loadBalancer);
      templates.add(serverTemplate);
      return this;
    }

    /**
     * The load balancers, each with the servers named by {@link #server(String)}; replaces those added before.
     *
     * @param loadBalancers at least one load balancer
     * @return this builder
     */
    public Builder loadBalancers(List<? extends LoadBalancer> loadBalancers) {
      if (loadBalancers == null || loadBalancers.isEmpty() || loadBalancers.stream().anyMatch(Objects::isNull)) {
        throw new IllegalArgumentException("loadBalancers must be at least one and no null, was " + loadBalancers);
      }
      this.loadBalancers.clear();
      this.templates.clear();
      loadBalancers.forEach(this::loadBalancer);
      return this;
    }

    /**
     * How the load balancers added without a template of their own name the host's server ({@link ServerTemplate}). Default: {@code {host}}.
     *
     * @param template the server's name, with {@code {host}} and {@code {index}} replaced
     * @return this builder
     */
    public Builder server(String template) {
      new ServerTemplate(template);
      this.server = template;
      return this;
    }

    /**
     * How long to wait for the drain (more than the longest request) or for the rotation (more
     * than the load balancer's {@code rise × inter} if it checks the server again). Default: 60 s.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      requirePositive("timeout", timeout);
      this.timeout = timeout;
      return this;
    }

    /**
     * How often to ask the load balancers. Default: 100 ms.
     *
     * @param pollInterval positive
     * @return this builder
     */
    public Builder pollInterval(Duration pollInterval) {
      requirePositive("pollInterval", pollInterval);
      this.pollInterval = pollInterval;
      return this;
    }

    /**
     * For a take-out: whether to fail (putting the server back) rather than go on to the restart
     * when the drain is not seen within the timeout. Default: true, as going on would cut the
     * requests still in progress. A put-back always fails on its timeout.
     *
     * @param failOnTimeout true to fail, false to go on
     * @return this builder
     */
    public Builder failOnTimeout(boolean failOnTimeout) {
      if (!takeOut && !failOnTimeout) {
        throw new IllegalArgumentException("failOnTimeout must be true for a put-back, was false: a host must not"
            + " be left out of rotation unreported");
      }
      this.failOnTimeout = failOnTimeout;
      return this;
    }

    /**
     * Validates and builds the step.
     *
     * @return a new, immutable step
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public LoadBalancerStep build() {
      if (loadBalancers.isEmpty()) {
        throw new IllegalArgumentException("loadBalancers must be at least one and no null, was " + loadBalancers);
      }
      ServerTemplate shared = new ServerTemplate(server);
      List<Target> targets = new ArrayList<>();
      for (int i = 0; i < loadBalancers.size(); i++) {
        targets.add(new Target(loadBalancers.get(i), templates.get(i) == null ? shared : new ServerTemplate(templates.get(i))));
      }
      return new LoadBalancerStep(this, List.copyOf(targets));
    }

    private void requireLoadBalancer(LoadBalancer loadBalancer) {
      if (loadBalancer == null) {
        List<LoadBalancer> given = new ArrayList<>(loadBalancers);
        given.add(null);
        throw new IllegalArgumentException("loadBalancers must be at least one and no null, was " + given);
      }
    }

    private static void requirePositive(String field, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(field + " must be a positive duration, was " + value);
      }
    }
  }
}
