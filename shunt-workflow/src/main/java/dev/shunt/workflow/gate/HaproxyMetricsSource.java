package dev.shunt.workflow.gate;

import dev.shunt.ShuntException;
import dev.shunt.workflow.HaproxyRuntimeApi;
import dev.shunt.workflow.lb.ServerTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each host's counters from HAProxy's own statistics ({@code show stat} on its runtime API, any
 * socket level): no change to the application. Per server:
 * <ul>
 *   <li>requests: the responses it sent, {@code hrsp_1xx} + … + {@code hrsp_5xx} +
 *       {@code hrsp_other} (health checks are not counted there);
 *   <li>errors: {@code hrsp_5xx};
 *   <li>latency: {@code rtime}, HAProxy's average response time over the server's last 1024
 *       responses, which the gate judges only on a window of at least 1024 responses per side
 *       (shorter, and the average still holds answers of the old version). HAProxy keeps no
 *       histogram: for a p99, use {@link PrometheusMetricsSource}.
 * </ul>
 * HAProxy keeps its counters when a server restarts, so they only grow. One {@code show stat}
 * reads every host at once.
 *
 * <p>Servers are named by a {@link ServerTemplate} ({@code {host}} by default), {@code SERVER} in
 * the {@link Builder#backend default backend} or {@code BACKEND/SERVER}. Immutable and thread-safe.
 */
public final class HaproxyMetricsSource implements MetricsSource {
  /** The responses HAProxy's {@code rtime} averages over. */
  public static final int RTIME_WINDOW = 1024;
  private static final List<String> RESPONSE_COLUMNS =
      List.of("hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other");

  private final HaproxyRuntimeApi runtimeApi;
  private final String backend;
  private final ServerTemplate server;

  private HaproxyMetricsSource(Builder builder) {
    this.runtimeApi = builder.runtimeApi;
    this.backend = builder.backend;
    this.server = builder.server;
  }

  /**
   * A builder; {@code runtimeApi} is required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "haproxy " + runtimeApi + (backend == null ? "" : " backend " + backend) + " server " + server;
  }

  @Override
  public MetricsSnapshot read(Host host) {
    return read(List.of(host)).get(host.name());
  }

  @Override
  public Map<String, MetricsSnapshot> read(List<Host> hosts) {
    Map<String, Map<String, String>> rows = servers();
    Map<String, MetricsSnapshot> snapshots = new LinkedHashMap<>();
    for (Host host : hosts) {
      String name = serverOf(host);
      Map<String, String> row = rows.get(name);
      if (row == null) {
        throw new MetricsException(name() + " has no server " + name + " for host " + host.name() + "; its servers: "
            + rows.keySet() + ". Name the servers as the hosts, or give a server template such as 'app-{index}'");
      }
      try {
        long responses = 0;
        for (String column : RESPONSE_COLUMNS) {
          responses += number(row.get(column));
        }
        long rtime = number(row.get("rtime"));
        snapshots.put(host.name(), new MetricsSnapshot(responses, number(row.get("hrsp_5xx")), Optional.empty(),
            Optional.of(Duration.ofMillis(rtime)), RTIME_WINDOW));
      } catch (NumberFormatException e) {
        throw new MetricsException(name() + " answered 'show stat' with counters of " + name + " that are not numbers: "
            + row, e);
      }
    }
    return snapshots;
  }

  private String serverOf(Host host) {
    String name = server.apply(host.name(), host.index());
    return name.contains("/") ? name : backend + "/" + name;
  }

  /** Every server's row, by {@code BACKEND/SERVER}. */
  private Map<String, Map<String, String>> servers() {
    String answer;
    try {
      answer = runtimeApi.command("show stat");
    } catch (ShuntException e) {
      throw new MetricsException(name() + " cannot be read: " + e.getMessage()
          + "; is HAProxy running with 'stats socket' there?", e);
    }
    String[] lines = answer.split("\n");
    if (!lines[0].startsWith("# ")) {
      throw new MetricsException(name() + " answered 'show stat' with '" + lines[0].strip()
          + "' instead of its stats CSV");
    }
    List<String> header = csv(lines[0].substring(2));
    for (String column : List.of("pxname", "svname", "hrsp_5xx", "rtime")) {
      if (!header.contains(column)) {
        throw new MetricsException(name() + " answered 'show stat' without a '" + column + "' column: is the backend"
            + " in 'mode http'? HAProxy counts responses by status only there");
      }
    }
    Map<String, Map<String, String>> rows = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      List<String> fields = csv(lines[i]);
      if (fields.size() < header.size()) {
        continue;
      }
      Map<String, String> row = new HashMap<>();
      for (int column = 0; column < header.size(); column++) {
        row.put(header.get(column), fields.get(column));
      }
      String svname = row.get("svname");
      if (!svname.equals("FRONTEND") && !svname.equals("BACKEND")) {
        rows.put(row.get("pxname") + "/" + svname, row);
      }
    }
    return rows;
  }

  /** One CSV line as HAProxy writes it: a field with a comma or a quote is quoted, its quotes doubled. */
  static List<String> csv(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  private static long number(String field) {
    return field == null || field.isEmpty() ? 0 : Long.parseLong(field);
  }

  @Override
  public String toString() {
    return name();
  }

  /**
   * Configures a {@link HaproxyMetricsSource}. Not thread-safe. Each setter checks its value as it is given and throws
   * {@link IllegalArgumentException} naming the field, the value and the rule; {@link #build()}
   * checks what is missing and the fields that depend on each other.
   */
  public static final class Builder {
    private HaproxyRuntimeApi runtimeApi;
    private String backend;
    private ServerTemplate server = ServerTemplate.HOST;

    private Builder() {}

    /**
     * The runtime API of the HAProxy in front of the hosts; any level reads {@code show stat}. Required.
     *
     * @param runtimeApi the HAProxy's runtime API, at any level
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
     * The backend of servers named without one. Default: none (the template must give {@code BACKEND/SERVER}).
     *
     * @param backend the backend's name, or null for none
     * @return this builder
     */
    public Builder backend(String backend) {
      if (backend != null && (backend.isBlank() || backend.contains("/")
          || backend.chars().anyMatch(Character::isWhitespace))) {
        throw new IllegalArgumentException("backend must be a name without '/' or spaces, was '" + backend + "'");
      }
      this.backend = backend;
      return this;
    }

    /**
     * Each host's server: {@code {host}}, {@code {index}}, e.g. {@code app-{index}}. Default: {@code {host}}.
     *
     * @param template the server's name, with {@code {host}} and {@code {index}} replaced
     * @return this builder
     */
    public Builder server(String template) {
      this.server = ServerTemplate.of(template);
      return this;
    }

    /**
     * Validates and builds it.
     *
     * @return a new, immutable source
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public HaproxyMetricsSource build() {
      if (runtimeApi == null) {
        throw new IllegalArgumentException("runtimeApi must be set, was null");
      }
      if (backend == null && !server.template().contains("/")) {
        throw new IllegalArgumentException("backend must be set when server '" + server
            + "' names no BACKEND/SERVER, was null");
      }
      return new HaproxyMetricsSource(this);
    }
  }
}
