package dev.shunt.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.InstanceKey;
import dev.shunt.StatusStore;
import dev.shunt.internal.CheckerReportRules;
import dev.shunt.testing.HalfSentRequests;
import dev.shunt.testing.HalfSentRequests.Answer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar answers health and agent checks for an application it knows nothing of, from flag files. */
class SidecarTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  /**
   * The bound the issue sets ("a health check still answered within 100 ms" while clients hold
   * half-sent requests), measured from connecting to reading the status line. A stalled server
   * answers no check at all; the measuring client itself waits up to 10 s.
   */
  private static final Duration ISSUE_BOUND = Duration.ofMillis(100);

  @TempDir
  Path flags;
  private Sidecar sidecar;

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.close();
    }
  }

  private Sidecar start(String... extra) {
    String[] base = {"--flags", flags.toString(), "--service", "legacy", "--host", "web-1", "--listen", "127.0.0.1:0"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    sidecar = Sidecar.start(args);
    return sidecar;
  }

  private int health() throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + sidecar.httpAddress().getPort() + "/health");
    return CLIENT.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private String agentLine() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", sidecar.agentPort()); InputStream in = socket.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  private void touchFlag() throws IOException {
    Files.createDirectories(flags.resolve("legacy"));
    Files.createFile(flags.resolve("legacy").resolve("web-1.shunt"));
  }

  @Test
  void answersUpWhileNoFlagExists() throws Exception {
    start();

    assertThat(health()).isEqualTo(200);
  }

  @Test
  void answersDownOnceAFlagIsTouchedByHand() throws Exception {
    start();
    touchFlag();

    assertThat(health()).isEqualTo(503);
  }

  @Test
  void reportsItsRequestsInFlightAsUnknownForItDoesNotSeeTheApplicationsRequests() throws Exception {
    start();
    touchFlag();

    assertThat(health()).isEqualTo(503);

    // The report is written right after the answer was sent: look until it is there.
    StatusStore store = StatusStore.flagFiles(flags);
    InstanceKey key = InstanceKey.of("legacy", "web-1");
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (store.reports(key).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(store.reports(key))
        .singleElement().satisfies(report -> assertThat(report.inFlight()).isEqualTo(CheckerReportRules.IN_FLIGHT_UNKNOWN));
  }

  @Test
  void answersTheConfiguredShuntedStatus() throws Exception {
    start("--shunted-status", "404");
    touchFlag();

    assertThat(health()).isEqualTo(404);
  }

  @Test
  void answersAgentChecksFromTheSameFlag() throws Exception {
    start("--agent", "127.0.0.1:0");
    assertThat(agentLine()).isEqualTo("ready up 100%\n");

    touchFlag();

    assertThat(agentLine()).isEqualTo("drain\n");
  }

  @Test
  void withACheckerHeaderAndSecretOnlyChecksThatCarryThemAreRecorded() throws Exception {
    Path secret = Files.writeString(flags.resolve("checker.secret"), "Xq3vN8sLk2Pw9TzR4mYb\n");
    start("--checker-header", "X-Checker", "--checker-secret-file", secret.toString());
    touchFlag();
    URI uri = URI.create("http://127.0.0.1:" + sidecar.httpAddress().getPort() + "/health");

    assertThat(health()).isEqualTo(503);
    for (int i = 0; i < 2; i++) {
      assertThat(CLIENT.send(HttpRequest.newBuilder(uri).header("X-Checker", "lb-1:Xq3vN8sLk2Pw9TzR4mYb").build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(503);
    }

    StatusStore store = StatusStore.flagFiles(flags);
    InstanceKey key = InstanceKey.of("legacy", "web-1");
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (store.reports(key).stream().noneMatch(report -> report.consecutive() == 2) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(store.reports(key)).singleElement().satisfies(report -> {
      assertThat(report.checker()).isEqualTo("lb-1");
      assertThat(report.consecutive()).isEqualTo(2);
    });
  }

  @Test
  void unreadableCheckerSecretFileIsRefusedNamingTheOption() {
    assertThatThrownBy(() -> start("--checker-header", "X-Checker", "--checker-secret-file",
        flags.resolve("no-such-file").toString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--checker-secret-file cannot be read: ");
  }

  @Test
  void unknownOptionIsRefusedByName() {
    assertThatThrownBy(() -> Sidecar.start("--flgas", "/tmp"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown option '--flgas'");
  }

  @Test
  void missingServiceIsRefused() {
    assertThatThrownBy(() -> Sidecar.start("--flags", "/tmp"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("--service is required");
  }

  @Test
  void malformedListenAddressIsRefusedNamingTheValue() {
    assertThatThrownBy(() -> Sidecar.start("--flags", flags.toString(), "--service", "x", "--host", "h", "--listen", "8081"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--listen must be ADDRESS:PORT with a port from 0 to 65535, was '8081'");
  }

  @Test
  void invalidResponderOptionIsRefusedWithTheRespondersMessage() {
    assertThatThrownBy(() -> Sidecar.start("--flags", flags.toString(), "--service", "x", "--host", "h", "--nacks", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid option: nacksBeforeShutdown must be >= 1, was 0");
  }

  @Test
  void listenAddressInUseIsRefusedNamingTheAddressAndTheCause() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String listen = "127.0.0.1:" + taken.getLocalPort();

      assertThatThrownBy(() -> Sidecar.start("--flags", flags.toString(), "--service", "legacy", "--host", "web-1",
          "--listen", listen))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessage("cannot listen on " + listen + " (--listen): Address already in use");
    }
  }

  @Test
  void badAgentAddressLeavesNoHealthServerListening() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }

    assertThatThrownBy(() -> Sidecar.start("--flags", flags.toString(), "--service", "legacy", "--host", "web-1",
        "--listen", "127.0.0.1:" + port, "--agent", "nowhere"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--agent must be ADDRESS:PORT with a port from 0 to 65535, was 'nowhere'");
    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).as("the --listen port is free again").isEqualTo(port);
    }
  }

  @Test
  void checkIsAnsweredWhileOneClientHoldsAHalfSentRequest() {
    InetSocketAddress address = startWarmedUp();

    try (HalfSentRequests held = HalfSentRequests.hold(address, 1)) {
      assertAnsweredPromptly(address);
    }
  }

  @Test
  void checkIsAnsweredWhileFiftyClientsHoldHalfSentRequests() {
    InetSocketAddress address = startWarmedUp();

    try (HalfSentRequests held = HalfSentRequests.hold(address, 50)) {
      assertAnsweredPromptly(address);
    }
  }

  /** Starts the sidecar and checks once, so that the measured checks time the server, not class loading. */
  private InetSocketAddress startWarmedUp() {
    start();
    InetSocketAddress address = sidecar.httpAddress();
    assertThat(HalfSentRequests.check(address, "/health").status()).isEqualTo(200);
    return address;
  }

  private static void assertAnsweredPromptly(InetSocketAddress address) {
    // Answered at all (within 10 s) first: the server has by then taken up the half-sent
    // requests, which reached it before this check's connection did.
    assertThat(HalfSentRequests.check(address, "/health").status()).isEqualTo(200);

    Answer answer = HalfSentRequests.fastestOfThree(address, "/health");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.took()).as("the time to answer a check (the issue's bound)").isLessThan(ISSUE_BOUND);
  }

  @Test
  void closeStopsTheThreadsThatHalfSentRequestsHeld() throws Exception {
    InetSocketAddress address = startWarmedUp();
    String prefix = "shunt-sidecar-http-" + address.getPort() + "-";
    try (HalfSentRequests held = HalfSentRequests.hold(address, 3)) {
      assertThat(HalfSentRequests.check(address, "/health").status()).isEqualTo(200);
      assertThat(liveThreads(prefix)).as("threads reading or answering requests").isGreaterThanOrEqualTo(3);

      sidecar.close();

      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (liveThreads(prefix) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(liveThreads(prefix)).as("threads alive 5 s after close()").isZero();
    }
  }

  private static long liveThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith(prefix) && thread.isAlive()).count();
  }
}
