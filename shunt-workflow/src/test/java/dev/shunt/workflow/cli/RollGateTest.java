package dev.shunt.workflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.shunt.workflow.cli.CliFixture.Result;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code shunt roll --gate}: the plan shows the gate, the pre-flight reads its source, options go together. */
class RollGateTest {
  private static final String READY_URL = "http://127.0.0.1:8080/";

  @TempDir
  Path flags;

  private CliFixture cli;
  private HttpServer metrics;

  @BeforeEach
  void start() throws IOException {
    cli = CliFixture.on(CliFixture.Store.FLAG_FILES, flags);
    metrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    metrics.createContext("/metrics", exchange -> {
      byte[] body = "http_requests_total{code=\"200\"} 10\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    metrics.start();
  }

  @AfterEach
  void stop() {
    metrics.stop(0);
  }

  private Result plan(String... options) {
    return cli.runOnService(Stream.of(Stream.of("roll", "--plan", "--restart", "systemctl restart app",
        "--ready-url", READY_URL, "web-1", "web-2"), Stream.of(options)).flatMap(s -> s).toArray(String[]::new));
  }

  @Test
  void planShowsTheGateWithItsThresholds() {
    Result result = plan("--gate", "prometheus:http://127.0.0.1:" + metrics.getAddress().getPort() + "/metrics",
        "--gate-requests", "http_requests_total", "--gate-status-label", "code", "--gate-histogram", "none",
        "--max-error-rate", "0.5%", "--min-requests", "200", "--bake", "10s");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("Gate: metrics gate after each batch: prometheus http://127.0.0.1:",
        "bake PT10S (canary PT20S)", "halts above 0.50 % errors", "judges at least 200 requests a side");
  }

  @Test
  void aGateThatCannotReadItsSourceIsAPreflightError() {
    Result result = plan("--gate", "prometheus:http://127.0.0.1:" + metrics.getAddress().getPort() + "/none");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("[metrics-gate]: the metrics gate cannot read prometheus", "answered HTTP 404");
  }

  @Test
  void aThresholdTheGateRefusesIsAUsageErrorOfGate() {
    Result result = plan("--gate", "haproxy:/run/haproxy.sock", "--min-requests", "0");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --gate: minRequests must be >= 1, was 0\n");
  }

  @Test
  void gateOptionsGoWithGateAndPercentagesSaySo() {
    assertThat(plan("--bake", "5s").err()).contains("--bake goes with --gate");
    assertThat(plan("--gate", "haproxy:/run/haproxy.sock", "--max-error-rate", "1").err())
        .contains("--max-error-rate must be a percentage such as 1% or 0.5%, was '1'");
    assertThat(plan("--gate", "statsd:x").err()).contains("'statsd:x' is not one of haproxy:UNIXSOCKET");
  }
}
