package dev.shunt.workflow.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.workflow.internal.PrometheusText;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus text reader, on what Prometheus' own Java client writes and on the format's
 * corners: escapes, infinities, timestamps, malformed lines named by number.
 */
class PrometheusTextTest {

  @Test
  void readsWhatPrometheusOwnClientWrites() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter requests = Counter.builder().name("http_requests_total").labelNames("code", "uri").register(registry);
    Histogram latency = Histogram.builder().name("http_request_duration_seconds")
        .classicUpperBounds(0.01, 0.1).register(registry);
    requests.labelValues("200", "/").inc(97);
    requests.labelValues("500", "/a \"quoted\" \\ path").inc(3);
    latency.observe(0.005);
    latency.observe(0.05);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());

    var samples = PrometheusText.parse(out.toString(StandardCharsets.UTF_8));

    assertThat(samples).contains(
        new PrometheusText.Sample("http_requests_total", Map.of("code", "200", "uri", "/"), 97),
        new PrometheusText.Sample("http_requests_total", Map.of("code", "500", "uri", "/a \"quoted\" \\ path"), 3),
        new PrometheusText.Sample("http_request_duration_seconds_bucket", Map.of("le", "0.01"), 1),
        new PrometheusText.Sample("http_request_duration_seconds_bucket", Map.of("le", "+Inf"), 2));
  }

  @Test
  void skipsCommentsTimestampsAndExemplarsAndReadsInfinities() throws Exception {
    String text = """
        # HELP x_total A counter.
        # TYPE x_total counter
        x_total{a="1",} 12 1700000000000
        y  -Inf
        z{b="line\\nbreak"} NaN
        w 1.5e3 # {trace_id="abc"} 1.0
        # EOF
        """;

    var samples = PrometheusText.parse(text);

    assertThat(samples).hasSize(4);
    assertThat(samples.get(0)).isEqualTo(new PrometheusText.Sample("x_total", Map.of("a", "1"), 12));
    assertThat(samples.get(1).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(samples.get(2).labels()).containsEntry("b", "line\nbreak");
    assertThat(samples.get(2).value()).isNaN();
    assertThat(samples.get(3).value()).isEqualTo(1500);
  }

  @Test
  void aMalformedLineIsAnErrorNamingItsNumber() {
    assertThatThrownBy(() -> PrometheusText.parse("ok 1\nbad{a=\"1\" 2\n"))
        .isInstanceOf(PrometheusText.ParseException.class)
        .hasMessageContaining("line 2").hasMessageContaining("expected ',' or '}' after label a");
    assertThatThrownBy(() -> PrometheusText.parse("x Infinity"))
        .hasMessageContaining("'Infinity' is not a number");
    assertThatThrownBy(() -> PrometheusText.parse("<html>"))
        .hasMessageContaining("expected a metric name");
  }

  @Test
  void aHistogramGivesItsQuantileAsHistogramQuantileDoes() {
    LatencyHistogram histogram = new LatencyHistogram(new double[] {0.1, 0.2, Double.POSITIVE_INFINITY},
        new long[] {50, 100, 100});

    assertThat(histogram.quantile(0.5)).isEqualTo(0.1);
    assertThat(histogram.quantile(0.75)).isCloseTo(0.15, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(histogram.minus(new LatencyHistogram(new double[] {0.1, 0.2, Double.POSITIVE_INFINITY},
        new long[] {50, 60, 60})).count()).isEqualTo(40);
  }
}
