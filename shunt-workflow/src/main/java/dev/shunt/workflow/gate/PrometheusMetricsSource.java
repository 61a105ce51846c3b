package dev.shunt.workflow.gate;

import dev.shunt.workflow.RetryPolicy;
import dev.shunt.workflow.Secrets;
import dev.shunt.workflow.internal.PrometheusText;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Each host's counters from the application's own Prometheus endpoint, in the text exposition
 * format: one {@code GET} per host of a URL template ({@code {host}}, {@code {index}}), e.g.
 * {@code http://{host}:8080/actuator/prometheus}.
 * <ul>
 *   <li>requests: the sum of every sample of the {@link Builder#requests requests counter}
 *       (default {@code http_server_requests_seconds_count}, Micrometer's, as Spring Boot exposes
 *       it);
 *   <li>errors: the sum of those whose {@link Builder#statusLabel status label} (default
 *       {@code status}) starts with {@code 5} ({@code 500}, {@code 503}, {@code 5xx});
 *   <li>latency: the {@link Builder#histogram histogram} whose {@code <name>_bucket} samples
 *       (default {@code http_server_requests_seconds}) are summed by {@code le} over every other
 *       label; when the endpoint has none, latency is not measured (Micrometer publishes buckets
 *       only with {@code percentiles-histogram} on).
 * </ul>
 * Requests the application counts but that are not traffic (its health checks, answered 503 while
 * shunted) count too, unless the application leaves them out of the counter: point the counter at
 * application traffic. A restarted application starts its counters from zero; the gate's window
 * starts after the restart.
 *
 * <p>Default timeout: 5 s per request. Immutable and thread-safe.
 */
public final class PrometheusMetricsSource implements MetricsSource {
  private static final String ACCEPT = "text/plain;version=0.0.4;q=1.0, */*;q=0.1";

  private final String url;
  private final String requests;
  private final String statusLabel;
  private final String histogram;
  private final Duration timeout;
  private final OkHttpClient client;

  private PrometheusMetricsSource(Builder builder) {
    this.url = builder.url;
    this.requests = builder.requests;
    this.statusLabel = builder.statusLabel;
    this.histogram = builder.histogram;
    this.timeout = builder.timeout;
    this.client = new OkHttpClient.Builder().followRedirects(false).retryOnConnectionFailure(false).build();
  }

  /**
   * A builder; {@code url} is required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "prometheus " + Secrets.maskUrlCredentials(url) + " (" + requests + " by " + statusLabel
        + (histogram == null ? "" : ", " + histogram + "_bucket") + ")";
  }

  @Override
  public MetricsSnapshot read(Host host) {
    String target = url.replace("{host}", host.name()).replace("{index}", Integer.toString(host.index()));
    String shown = Secrets.maskUrlCredentials(target);
    HttpUrl parsed = HttpUrl.parse(target);
    if (parsed == null) {
      throw new MetricsException("prometheus: " + shown + " (host " + host.name() + ") is not an http(s) URL");
    }
    String body;
    // A fresh connection per read: a kept-alive one to a host the rollout just restarted is dead,
    // and a gate that halts on a read failure must not fail on a stale pooled socket.
    Call call = client.newCall(new Request.Builder().url(parsed).header("Accept", ACCEPT)
        .header("Connection", "close").build());
    call.timeout().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    try (Response response = call.execute()) {
      if (response.code() != 200) {
        throw new MetricsException("prometheus: " + shown + " answered HTTP " + response.code() + " for host "
            + host.name() + ", not its metrics");
      }
      body = response.body().string();
    } catch (IOException e) {
      throw new MetricsException("prometheus: " + shown + " cannot be read for host " + host.name() + ": " + e, e,
          RetryPolicy.isTransient(e));
    }
    try {
      return snapshot(PrometheusText.parse(body), shown, host);
    } catch (PrometheusText.ParseException e) {
      throw new MetricsException("prometheus: " + shown + " answered something that is not the Prometheus text"
          + " format, at " + e.getMessage(), e);
    }
  }

  private MetricsSnapshot snapshot(List<PrometheusText.Sample> samples, String shown, Host host) {
    long total = 0;
    long errors = 0;
    boolean found = false;
    TreeMap<Double, Long> buckets = new TreeMap<>();
    String bucket = histogram + "_bucket";
    for (PrometheusText.Sample sample : samples) {
      if (sample.name().equals(requests)) {
        found = true;
        long count = Math.round(sample.value());
        total += count;
        if (sample.labels().getOrDefault(statusLabel, "").startsWith("5")) {
          errors += count;
        }
      } else if (histogram != null && sample.name().equals(bucket) && sample.labels().containsKey("le")) {
        double le;
        try {
          le = PrometheusText.number(sample.labels().get("le"));
        } catch (PrometheusText.ParseException e) {
          throw new MetricsException("prometheus: " + shown + " has a " + bucket + " whose le is not a number: "
              + sample.labels());
        }
        buckets.merge(le, Math.round(sample.value()), Long::sum);
      }
    }
    if (!found) {
      throw new MetricsException("prometheus: " + shown + " (host " + host.name() + ") has no " + requests
          + " samples: name the application's request counter (e.g. http_requests_total)");
    }
    Optional<LatencyHistogram> latency = Optional.empty();
    if (!buckets.isEmpty()) {
      latency = Optional.of(new LatencyHistogram(buckets.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
          buckets.values().stream().mapToLong(Long::longValue).toArray()));
    }
    return new MetricsSnapshot(total, errors, latency, Optional.empty(), 0);
  }

  @Override
  public String toString() {
    return name();
  }

  /**
   * Configures a {@link PrometheusMetricsSource}. Not thread-safe. Each setter checks its value as it is given and throws
   * {@link IllegalArgumentException} naming the field, the value and the rule; {@link #build()}
   * checks what is missing and the fields that depend on each other.
   */
  public static final class Builder {
    private String url;
    private String requests = "http_server_requests_seconds_count";
    private String statusLabel = "status";
    private String histogram = "http_server_requests_seconds";
    private Duration timeout = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * Each host's metrics URL: {@code {host}} and {@code {index}} are replaced. Required.
     *
     * @param url the URL, with {@code {host}} and {@code {index}} replaced
     * @return this builder
     */
    public Builder url(String url) {
      if (url == null || HttpUrl.parse(url.replace("{host}", "host").replace("{index}", "1")) == null) {
        throw new IllegalArgumentException("url must be an http or https URL (with {host} or {index}), was "
            + (url == null ? null : "'" + Secrets.maskUrlCredentials(url) + "'"));
      }
      this.url = url;
      return this;
    }

    /**
     * The counter of requests, labelled by status: the exact sample name, e.g.
     * {@code http_requests_total}. Default: {@code http_server_requests_seconds_count} (Micrometer).
     *
     * @param name the sample name
     * @return this builder
     */
    public Builder requests(String name) {
      requireName("requests", name, true);
      this.requests = name;
      return this;
    }

    /**
     * The label of {@link #requests} holding the HTTP status, e.g. {@code code}. Default: {@code status}.
     *
     * @param label the label's name
     * @return this builder
     */
    public Builder statusLabel(String label) {
      requireName("statusLabel", label, false);
      this.statusLabel = label;
      return this;
    }

    /**
     * The latency histogram's name, without {@code _bucket}, e.g. {@code http_request_duration_seconds};
     * null for none. Default: {@code http_server_requests_seconds} (Micrometer).
     *
     * @param name the histogram's name, or null for none
     * @return this builder
     */
    public Builder histogram(String name) {
      if (name != null) {
        requireName("histogram", name, true);
      }
      this.histogram = name;
      return this;
    }

    /**
     * The limit of one request. Default: 5 s.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Validates and builds it.
     *
     * @return a new, immutable source
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public PrometheusMetricsSource build() {
      if (url == null) {
        throw new IllegalArgumentException("url must be an http or https URL (with {host} or {index}), was null");
      }
      return new PrometheusMetricsSource(this);
    }

    private static void requireName(String field, String name, boolean metric) {
      if (name == null || !name.matches(metric ? "[a-zA-Z_:][a-zA-Z0-9_:]*" : "[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw new IllegalArgumentException(field + " must be a Prometheus " + (metric ? "metric" : "label")
            + " name, was " + (name == null ? null : "'" + name + "'"));
      }
    }
  }
}
