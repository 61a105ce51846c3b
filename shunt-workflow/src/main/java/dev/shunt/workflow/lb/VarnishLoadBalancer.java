package dev.shunt.workflow.lb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Varnish, driven through its CLI ({@code varnishadm}) and its counters ({@code varnishstat}) on
 * the Varnish host:
 * <ul>
 *   <li>{@link #takeOut}: {@code backend.set_health NAME sick}: Varnish sends the backend no new
 *       fetch, whatever its probe says.
 *   <li>{@link #state}: {@code backend.list NAME}: out when its admin health is {@code sick}, or
 *       its probe finds it sick; drained when it is out and the gauge {@code VBE.*.NAME.conn}
 *       (connections in use for fetches, summed over every loaded VCL) is 0. In rotation when it
 *       is healthy and not forced sick.
 *   <li>{@link #putBack}: {@code backend.set_health NAME auto}: its probe decides again (a
 *       backend with a probe is in rotation once the probe finds it healthy).
 * </ul>
 *
 * <p>Servers are the VCL's backend names ({@code web1}), in the active VCL. Errors are
 * {@link LoadBalancerException}s: {@code varnishadm} cannot reach varnishd ("Could not get hold
 * of varnishd"), the backend does not exist (listing those that do), or Varnish refused.
 *
 * <p>Defaults: {@code varnishadm} and {@code varnishstat} on the PATH, the default instance (no
 * {@code -n}), each command given 10 s. Immutable and thread-safe.
 */
public final class VarnishLoadBalancer implements LoadBalancer {
  private final String instance;
  private final Path varnishadm;
  private final Path varnishstat;
  private final Duration commandTimeout;

  private VarnishLoadBalancer(Builder builder) {
    this.instance = builder.instance;
    this.varnishadm = builder.varnishadm;
    this.varnishstat = builder.varnishstat;
    this.commandTimeout = builder.commandTimeout;
  }

  /**
   * A builder.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "varnish" + (instance == null ? "" : " -n " + instance);
  }

  @Override
  public void takeOut(String server) {
    setHealth(server, "sick");
  }

  @Override
  public void putBack(String server) {
    setHealth(server, "auto");
  }

  @Override
  public ServerState state(String server) {
    String[] columns = row(server);
    String admin = columns[1];
    String health = columns[columns.length >= 4 ? 3 : 2];
    boolean out = admin.equals("sick") || health.equals("sick");
    int connections = connections(server);
    String description = "admin " + admin + ", " + health + ", " + connections + " connection(s) in use";
    return new ServerState(server, description, out && connections == 0, !out && health.equals("healthy"),
        connections);
  }

  private void setHealth(String server, String health) {
    row(server);
    LocalCommand result = varnishadm("backend.set_health", server, health);
    if (!result.succeeded()) {
      throw new LoadBalancerException(name() + " refused 'backend.set_health " + server + " " + health + "': "
          + result.output());
    }
  }

  /** The {@code backend.list} row of {@code server} in the active VCL, split in columns. */
  private String[] row(String server) {
    LocalCommand list = varnishadm("backend.list");
    List<String[]> rows = new ArrayList<>();
    for (String line : list.output().lines().skip(1).toList()) {
      String[] columns = line.trim().split("\\s+");
      if (columns.length >= 3 && columns[0].contains(".")) {
        rows.add(columns);
      }
    }
    return rows.stream()
        .filter(columns -> columns[0].substring(columns[0].indexOf('.') + 1).equals(server))
        .findFirst()
        .orElseThrow(() -> new LoadBalancerException(name() + " has no backend '" + server + "'; its backends: "
            + rows.stream().map(columns -> columns[0].substring(columns[0].indexOf('.') + 1)).distinct().toList()
            + ". Name the backends as the hosts, or give a server template such as 'web{index}'"));
  }

  /** The backend's connections in use, summed over every VCL that has it. */
  private int connections(String server) {
    List<String> command = new ArrayList<>(List.of(varnishstat.toString()));
    if (instance != null) {
      command.addAll(List.of("-n", instance));
    }
    command.addAll(List.of("-1", "-f", "VBE.*." + server + ".conn"));
    LocalCommand stat = LocalCommand.run(name(), command, commandTimeout);
    if (!stat.succeeded()) {
      throw new LoadBalancerException(name() + ": varnishstat cannot read the counters: " + stat.output());
    }
    int connections = 0;
    for (String line : stat.output().lines().toList()) {
      String[] columns = line.trim().split("\\s+");
      if (columns.length >= 2 && columns[0].endsWith("." + server + ".conn")) {
        try {
          connections += Integer.parseInt(columns[1]);
        } catch (NumberFormatException e) {
          throw new LoadBalancerException(name() + ": varnishstat said '" + line + "'; expected a count");
        }
      }
    }
    return connections;
  }

  private LocalCommand varnishadm(String... arguments) {
    if (instance != null && instance.startsWith("/") && !Files.isDirectory(Path.of(instance))) {
      // varnishadm would wait its whole timeout for a varnishd that never started there.
      throw new LoadBalancerException(name() + " cannot be reached: no varnishd working directory " + instance
          + "; is varnishd running with -n " + instance + "?");
    }
    List<String> command = new ArrayList<>(List.of(varnishadm.toString()));
    if (instance != null) {
      command.addAll(List.of("-n", instance));
    }
    command.addAll(List.of("-t", Long.toString(Math.max(1, commandTimeout.toSeconds()))));
    command.addAll(List.of(arguments));
    LocalCommand result = LocalCommand.run(name(), command, commandTimeout.plusSeconds(1));
    if (!result.succeeded() && arguments[0].equals("backend.list")) {
      throw new LoadBalancerException(name() + " cannot be reached: varnishadm said '" + result.output()
          + "' (exit status " + result.exitStatus() + "); is varnishd running"
          + (instance == null ? " as the default instance (else give its -n)?" : " with -n " + instance + "?"));
    }
    return result;
  }

  @Override
  public String toString() {
    return name();
  }

  /**
   * Configures a {@link VarnishLoadBalancer}. Not thread-safe. Each setter checks its value as it is given and throws
   * {@link IllegalArgumentException} naming the field, the value and the rule; {@link #build()}
   * checks what is missing and the fields that depend on each other.
   */
  public static final class Builder {
    private String instance;
    private Path varnishadm = Path.of("varnishadm");
    private Path varnishstat = Path.of("varnishstat");
    private Duration commandTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /**
     * The instance, as varnishd's {@code -n} names it (a name or its working directory). Default: the default instance.
     *
     * @param instance the instance's name or directory
     * @return this builder
     */
    public Builder instance(String instance) {
      if (instance != null && instance.isBlank()) {
        throw new IllegalArgumentException("instance must not be blank, was '" + instance + "'");
      }
      this.instance = instance;
      return this;
    }

    /**
     * The {@code varnishadm} executable. Default: {@code varnishadm}, found on the PATH.
     *
     * @param varnishadm the executable's path
     * @return this builder
     */
    public Builder varnishadm(Path varnishadm) {
      if (varnishadm == null) {
        throw new IllegalArgumentException("varnishadm must be set, was null");
      }
      this.varnishadm = varnishadm;
      return this;
    }

    /**
     * The {@code varnishstat} executable. Default: {@code varnishstat}, found on the PATH.
     *
     * @param varnishstat the executable's path
     * @return this builder
     */
    public Builder varnishstat(Path varnishstat) {
      if (varnishstat == null) {
        throw new IllegalArgumentException("varnishstat must be set, was null");
      }
      this.varnishstat = varnishstat;
      return this;
    }

    /**
     * How long each {@code varnishadm} or {@code varnishstat} may run. Default: 10 s.
     *
     * @param commandTimeout positive
     * @return this builder
     */
    public Builder commandTimeout(Duration commandTimeout) {
      if (commandTimeout == null || commandTimeout.isZero() || commandTimeout.isNegative()) {
        throw new IllegalArgumentException("commandTimeout must be positive, was " + commandTimeout);
      }
      this.commandTimeout = commandTimeout;
      return this;
    }

    /**
     * Builds it; every setting was checked as it was given.
     *
     * @return a new, immutable load balancer
     */
    public VarnishLoadBalancer build() {
      return new VarnishLoadBalancer(this);
    }
  }
}
