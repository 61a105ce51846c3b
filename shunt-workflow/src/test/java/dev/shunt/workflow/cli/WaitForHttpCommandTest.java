package dev.shunt.workflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.cli.CliFixture.Result;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code shunt wait-for-http}: the gem's {@code wait_for_http}. */
class WaitForHttpCommandTest {
  @StartStop
  private final MockWebServer server = new MockWebServer();

  @TempDir
  Path directory;

  private Result waitFor(String... options) {
    String[] args = new String[options.length + 2];
    args[0] = "wait-for-http";
    args[1] = server.url("/").toString();
    System.arraycopy(options, 0, args, 2, options.length);
    return CliFixture.on(CliFixture.Store.IN_MEMORY, directory).run(args);
  }

  private void answer(int... codes) {
    for (int code : codes) {
      server.enqueue(new MockResponse.Builder().code(code).build());
    }
  }

  @Test
  void upAtOnceExitsZeroAndSaysHow() {
    answer(200);

    Result result = waitFor();

    assertThat(result.exit()).isZero();
    assertThat(result.out()).startsWith("HTTP 200 from " + server.url("/") + " after 1 attempt(s), ");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void notYetUpIsRetriedUntilItAnswersInRange() {
    answer(503, 503, 302);

    Result result = waitFor("--interval", "10ms");

    assertThat(result.exit()).isZero();
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(result.out()).startsWith("HTTP 302 from ").contains("after 3 attempt(s)");
  }

  @Test
  void neverUpWithinTheTriesExitsOneWithTheGemsMessage() {
    answer(503, 503, 503, 200);

    Result result = waitFor("--tries", "3", "--interval", "10ms");

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(result.err()).isEqualTo("error checking: " + server.url("/") + " - never returned with status within"
        + " 200..399\nshunt: " + server.url("/") + " never returned a status within 200..399 in 3 attempt(s) (last:"
        + " HTTP 503)\n");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void expectedStatusesAreTheOnesGiven() {
    answer(302, 204);

    Result result = waitFor("--expect", "200-299", "--interval", "10ms");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).startsWith("HTTP 204");
  }

  @Test
  void answerSlowerThanTheReadTimeoutIsRetried() {
    // A read timeout of 1 s leaves the second, healthy answer time to come on a busy CPU.
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(5, TimeUnit.SECONDS).build());
    answer(200);

    Result result = waitFor("--read-timeout", "1s", "--interval", "10ms");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("after 2 attempt(s)");
  }

  @Test
  void connectionRefusedIsRetriedThenReported() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/";

    Result result = CliFixture.on(CliFixture.Store.IN_MEMORY, directory)
        .run("wait-for-http", url, "--tries", "2", "--interval", "10ms");

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(result.err()).startsWith("error checking: " + url + " - never returned with status within 200..399\n")
        .contains("in 2 attempt(s) (last: ConnectException");
  }

  @Test
  void hostHeaderIsSent() throws Exception {
    answer(200);

    waitFor("--host-header", "www.example.com");

    assertThat(server.takeRequest().getHeaders().get("Host")).isEqualTo("www.example.com");
  }

  @Test
  void defaultsAreTheGems() {
    Result result = waitFor("--help");

    assertThat(result.out()).contains("Default: 200-399.", "Requests before giving up. Default: 10.",
        "Default: 6s.", "How long one request may take. Default: 10s.");
  }

  @Test
  void helpShowsOnlyItsOwnOptions() {
    Result result = waitFor("--help");

    assertThat(result.out()).contains("--expect=STATUSES", "--tries=N", "--interval=DURATION",
        "--read-timeout=DURATION", "--host-header=HOST", "--help")
        .doesNotContain("--store", "--service");
  }

  @Test
  void storeAndServiceAfterTheCommandAreUnknownOptions() {
    Result result = waitFor("--service", "checkout");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: Unknown options: '--service', 'checkout'\n");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void storeAndServiceBeforeTheCommandAreStillTaken() {
    answer(200);

    Result result = CliFixture.on(CliFixture.Store.IN_MEMORY, directory)
        .run("--store", "memory:", "--service", "checkout", "wait-for-http", server.url("/").toString());

    assertThat(result.exit()).isZero();
  }

  @Test
  void urlThatIsNoHttpUrlIsAUsageError() {
    Result result = CliFixture.on(CliFixture.Store.IN_MEMORY, directory).run("wait-for-http", "ftp://example.com/");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: url must be an http or https URL, was 'ftp://example.com/'\n"
        + "Try 'shunt wait-for-http --help' for usage.");
  }

  @Test
  void zeroTriesIsAUsageError() {
    Result result = waitFor("--tries", "0");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --tries must be >= 1, was 0\n");
    assertThat(server.getRequestCount()).isZero();
  }
}
