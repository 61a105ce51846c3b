package dev.shunt.workflow.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.workflow.HaproxyRuntimeApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  private static Arguments bad(String call, ThrowingCallable setter, String message) {
    return Arguments.of(call, setter, message);
  }

  /** Each setter's bad values, on a fresh builder, with the message that names the field, the value and the rule. */
  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("source(null)", () -> MetricsGate.builder().source(null), "source must be set, was null"),
        bad("bake(0)", () -> MetricsGate.builder().bake(Duration.ZERO), "bake must be positive, was PT0S"),
        bad("bake(null)", () -> MetricsGate.builder().bake(null), "bake must be positive, was null"),
        bad("canaryBake(-1 s)", () -> MetricsGate.builder().canaryBake(Duration.ofSeconds(-1)), "canaryBake must be positive, was PT-1S"),
        bad("checkInterval(0)", () -> MetricsGate.builder().checkInterval(Duration.ZERO), "checkInterval must be positive, was PT0S"),
        bad("maxExtension(-1 s)", () -> MetricsGate.builder().maxExtension(Duration.ofSeconds(-1)),
            "maxExtension must be zero or positive, was PT-1S"),
        bad("minRequests(0)", () -> MetricsGate.builder().minRequests(0), "minRequests must be >= 1, was 0"),
        bad("maxErrorRate(1.5)", () -> MetricsGate.builder().maxErrorRate(1.5), "maxErrorRate must be from 0 to below 1, was 1.5"),
        bad("maxErrorRate(-0.1)", () -> MetricsGate.builder().maxErrorRate(-0.1), "maxErrorRate must be from 0 to below 1, was -0.1"),
        bad("maxErrorRatio(0.5)", () -> MetricsGate.builder().maxErrorRatio(0.5), "maxErrorRatio must be >= 1, was 0.5"),
        bad("maxLatencyRatio(0.5)", () -> MetricsGate.builder().maxLatencyRatio(0.5), "maxLatencyRatio must be >= 1, was 0.5"),
        bad("latencyPercentile(1)", () -> MetricsGate.builder().latencyPercentile(1),
            "latencyPercentile must be between 0 and 1 exclusive, was 1.0"),
        bad("latencyPercentile(0)", () -> MetricsGate.builder().latencyPercentile(0),
            "latencyPercentile must be between 0 and 1 exclusive, was 0.0"),
        bad("tooFewRequests(null)", () -> MetricsGate.builder().tooFewRequests(null), "tooFewRequests must be set, was null"),
        bad("HaproxyMetricsSource runtimeApi(null)", () -> HaproxyMetricsSource.builder().runtimeApi(null),
            "runtimeApi must be set, was null"),
        bad("HaproxyMetricsSource backend(\"a/b\")", () -> HaproxyMetricsSource.builder().backend("a/b"),
            "backend must be a name without '/' or spaces, was 'a/b'"),
        bad("HaproxyMetricsSource server(\"\")", () -> HaproxyMetricsSource.builder().server(""), "server must not be blank, was ''"),
        bad("PrometheusMetricsSource url(null)", () -> PrometheusMetricsSource.builder().url(null),
            "url must be an http or https URL (with {host} or {index}), was null"),
        bad("PrometheusMetricsSource url(ftp)", () -> PrometheusMetricsSource.builder().url("ftp://{host}/metrics"),
            "url must be an http or https URL (with {host} or {index}), was 'ftp://{host}/metrics'"),
        bad("PrometheusMetricsSource requests(\"a-b\")", () -> PrometheusMetricsSource.builder().requests("a-b"),
            "requests must be a Prometheus metric name, was 'a-b'"),
        bad("PrometheusMetricsSource statusLabel(null)", () -> PrometheusMetricsSource.builder().statusLabel(null),
            "statusLabel must be a Prometheus label name, was null"),
        bad("PrometheusMetricsSource statusLabel(\"a:b\")", () -> PrometheusMetricsSource.builder().statusLabel("a:b"),
            "statusLabel must be a Prometheus label name, was 'a:b'"),
        bad("PrometheusMetricsSource histogram(\"1x\")", () -> PrometheusMetricsSource.builder().histogram("1x"),
            "histogram must be a Prometheus metric name, was '1x'"),
        bad("PrometheusMetricsSource timeout(0)", () -> PrometheusMetricsSource.builder().timeout(Duration.ZERO),
            "timeout must be positive, was PT0S"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void setterRejectsABadValueAsItIsGiven(String call, ThrowingCallable setter, String message) {
    assertThatIllegalArgumentException().isThrownBy(setter).withMessage(message);
  }
}
