package dev.shunt.workflow.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.workflow.HaproxyRuntimeApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configuration rules of {@link MetricsGate} and its sources. */
class MetricsGateBuilderTest {
  private static final MetricsSource SOURCE = new FakeFleet(1, FakeFleet.Version.GOOD, FakeFleet.Version.GOOD, List.of());

  @Test
  void defaultsAreAThirtySecondBakeOnePercentAndAHundredRequests() {
    MetricsGate gate = MetricsGate.builder().source(SOURCE).build();

    assertThat(gate.bake()).isEqualTo(Duration.ofSeconds(30));
    assertThat(gate.canaryBake()).isEqualTo(Duration.ofMinutes(1));
    assertThat(gate.maxExtension()).isEqualTo(Duration.ofSeconds(30));
    assertThat(gate.maxErrorRate()).isEqualTo(0.01);
    assertThat(gate.minRequests()).isEqualTo(100);
    assertThat(gate.maxLatencyRatio()).isNull();
    assertThat(gate.tooFewRequests()).isEqualTo(MetricsGate.TooFewRequests.PASS);
    assertThat(gate.toBuilder().build().describe()).isEqualTo(gate.describe());
  }

  @Test
  void badSettingsNameFieldValueAndRule() {
    assertThatThrownBy(() -> MetricsGate.builder().build()).hasMessage("source must be set, was null");
    assertThatThrownBy(() -> MetricsGate.builder().source(SOURCE).bake(Duration.ZERO).build())
        .hasMessage("bake must be positive, was PT0S");
    assertThatThrownBy(() -> MetricsGate.builder().source(SOURCE).maxErrorRate(1.5).build())
        .hasMessage("maxErrorRate must be from 0 to below 1, was 1.5");
    assertThatThrownBy(() -> MetricsGate.builder().source(SOURCE).minRequests(0).build())
        .hasMessage("minRequests must be >= 1, was 0");
    assertThatThrownBy(() -> MetricsGate.builder().source(SOURCE).maxLatencyRatio(0.5).build())
        .hasMessage("maxLatencyRatio must be >= 1, was 0.5");
    assertThatThrownBy(() -> MetricsGate.builder().source(SOURCE).latencyPercentile(1).build())
        .hasMessage("latencyPercentile must be between 0 and 1 exclusive, was 1.0");
  }

  @Test
  void sourcesCheckTheirSettings() {
    HaproxyRuntimeApi api = HaproxyRuntimeApi.unixSocket(Path.of("/run/haproxy.sock"));
    assertThatThrownBy(() -> HaproxyMetricsSource.builder().runtimeApi(api).build())
        .hasMessage("backend must be set when server '{host}' names no BACKEND/SERVER, was null");
    assertThat(HaproxyMetricsSource.builder().runtimeApi(api).server("web/app-{index}").build().name())
        .isEqualTo("haproxy unix:/run/haproxy.sock server web/app-{index}");
    assertThatThrownBy(() -> PrometheusMetricsSource.builder().url("ftp://{host}/metrics").build())
        .hasMessage("url must be an http or https URL (with {host} or {index}), was 'ftp://{host}/metrics'");
    assertThatThrownBy(() -> PrometheusMetricsSource.builder().url("http://{host}/metrics").statusLabel("a-b").build())
        .hasMessage("statusLabel must be a Prometheus label name, was 'a-b'");
  }

  @Test
  void haproxyCsvKeepsQuotedCommasInOneField() {
    assertThat(HaproxyMetricsSource.csv("a,\"b, \"\"c\"\"\",,d")).containsExactly("a", "b, \"c\"", "", "d");
  }
}
