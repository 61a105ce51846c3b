package dev.shunt.workflow.cli;

import dev.shunt.workflow.HaproxyRuntimeApi;
import dev.shunt.workflow.gate.HaproxyMetricsSource;
import dev.shunt.workflow.gate.MetricsSource;
import dev.shunt.workflow.gate.PrometheusMetricsSource;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/**
 * One {@code roll --gate} value: where the metrics gate reads its counters:
 * {@code haproxy:/run/haproxy/admin.sock}, {@code haproxy:tcp://127.0.0.1:9999} or
 * {@code haproxy:127.0.0.1:9999} (HAProxy's runtime API, any level), or
 * {@code prometheus:http://{host}:9100/metrics} (each host's Prometheus endpoint).
 *
 * @param kind {@code haproxy} or {@code prometheus}
 * @param address what follows {@code kind:}
 */
record GateSpec(String kind, String address) {
  private static final Pattern HOST_PORT = Pattern.compile("(.+):(\\d{1,5})");
  static final String KINDS = "haproxy:UNIXSOCKET, haproxy:tcp://HOST:PORT, prometheus:URL";

  /** Reads a {@code --gate} value, checking its form now. */
  static GateSpec parse(String value) {
    int colon = value.indexOf(':');
    GateSpec spec = new GateSpec(colon < 0 ? value : value.substring(0, colon), colon < 0 ? "" : value.substring(colon + 1));
    if (spec.address.isEmpty() || !(spec.kind.equals("haproxy") || spec.kind.equals("prometheus"))) {
      throw new TypeConversionException("'" + value + "' is not one of " + KINDS);
    }
    try {
      spec.source(null, null, null, null, null);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("'" + value + "': " + e.getMessage());
    }
    return spec;
  }

  /**
   * The source: for HAProxy, servers named by {@code server} (default {@code {host}}) in
   * {@code backend}; for Prometheus, the counter, status label and histogram when given.
   */
  MetricsSource source(String backend, String server, String requests, String statusLabel, String histogram) {
    if (kind.equals("haproxy")) {
      HaproxyMetricsSource.Builder source = HaproxyMetricsSource.builder().runtimeApi(haproxyApi())
          .backend(backend == null ? "backend" : backend);
      if (server != null) {
        source.server(server);
      }
      return source.build();
    }
    PrometheusMetricsSource.Builder source = PrometheusMetricsSource.builder().url(address);
    if (requests != null) {
      source.requests(requests);
    }
    if (statusLabel != null) {
      source.statusLabel(statusLabel);
    }
    if (histogram != null) {
      source.histogram(histogram.equals("none") ? null : histogram);
    }
    return source.build();
  }

  boolean haproxy() {
    return kind.equals("haproxy");
  }

  private HaproxyRuntimeApi haproxyApi() {
    String rest = address.startsWith("tcp://") ? address.substring(6) : address;
    var tcp = HOST_PORT.matcher(rest);
    if (address.startsWith("tcp://") && !tcp.matches()) {
      throw new IllegalArgumentException("tcp:// needs HOST:PORT, was '" + address + "'");
    }
    return tcp.matches() && !rest.startsWith("/") ? HaproxyRuntimeApi.tcp(tcp.group(1), Integer.parseInt(tcp.group(2)))
        : HaproxyRuntimeApi.unixSocket(java.nio.file.Path.of(address.startsWith("unix:") ? address.substring(5) : address));
  }

  @Override
  public String toString() {
    return kind + ":" + address;
  }
}
