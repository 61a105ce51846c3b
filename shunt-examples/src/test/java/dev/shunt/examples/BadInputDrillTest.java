package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.InvalidConfigurationException;
import com.sun.net.httpserver.HttpServer;
import dev.shunt.AgentCheckResponder;
import dev.shunt.GracefulShutdown;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.MaintenanceFlag;
import dev.shunt.MaintenanceResponder;
import dev.shunt.StatusStore;
import dev.shunt.hazelcast.HazelcastStatusStore;
import dev.shunt.httpserver.HttpServerHealth;
import dev.shunt.httpserver.HttpServerMaintenance;
import dev.shunt.internal.FlagFileStatusStore;
import dev.shunt.sidecar.Sidecar;
import dev.shunt.testing.CapturedLog;
import dev.shunt.workflow.AwaitCheckersStep;
import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.CommandStep;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.SshCommandStep;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The drill "bad configuration and bad input" of issue 6: values a user can get wrong, and what
 * they see. Each table row gives the input and the exact error (type and message) or the exact
 * answer; {@code docs/RELIABILITY.md} lists every row. Cases that other tests already cover
 * (the {@code *BuilderTest}s, {@code SshCommandStepTest}, {@code FlagFileStatusStoreTest},
 * {@code FlagFileMaintenanceTest}, {@code SidecarTest}, and steps run on an unknown host in
 * shunt-workflow's {@code StepOnUnknownHostTest}) are not repeated here.
 */
class BadInputDrillTest {
  private static final String NAME_RULE =
      " must be 1 to 200 of the characters [A-Za-z0-9._:-], and not '.' or '..', was ";

  /**
   * A value refused where it is given, with the exact exception type and message (or the start of
   * it, when the rest is not ours to fix).
   */
  record Refusal(String input, ThrowingCallable given, Class<? extends Throwable> type, String message,
      boolean wholeMessage) {
    Refusal(String input, ThrowingCallable given, Class<? extends Throwable> type, String message) {
      this(input, given, type, message, true);
    }

    @Override
    public String toString() {
      return input;
    }
  }

  /**
   * A flag directory the refused sidecars never create (they fail before writing): not {@code /tmp},
   * which every user may write, so the store refuses it.
   */
  private static final String SIDECAR_FLAGS = "target/bad-input-drill-flags";

  static Stream<Refusal> refusals() {
    return Stream.of(
        new Refusal("Rollout hosts [web-1, ..]", () -> rollout().hosts(List.of("web-1", "..")).build(),
            IllegalArgumentException.class, "host" + NAME_RULE + "'..'"),
        new Refusal("Rollout service '   '", () -> rollout().service("   ").build(),
            IllegalArgumentException.class, "service" + NAME_RULE + "'   '"),
        new Refusal("InstanceKey host 'web-1\\n'", () -> InstanceKey.of("checkout", "web-1\n"),
            IllegalArgumentException.class, "host" + NAME_RULE + "'web-1\n'"),
        new Refusal("AwaitCheckersStep times -3", () -> AwaitCheckersStep.drain().times(-3).build(),
            IllegalArgumentException.class, "times must be >= 1, was -3"),
        new Refusal("AwaitCheckersStep pollInterval -50 ms",
            () -> AwaitCheckersStep.rotation().pollInterval(Duration.ofMillis(-50)).build(),
            IllegalArgumentException.class, "pollInterval must be a positive duration, was PT-0.05S"),
        new Refusal("AwaitHttpStep url http://{host}:99999/", () -> AwaitHttpStep.builder().url("http://{host}:99999/"),
            IllegalArgumentException.class, "url must be an http or https URL, was 'http://{host}:99999/'"),
        new Refusal("AwaitHttpStep url {host}:8080/ready (no scheme)",
            () -> AwaitHttpStep.builder().url("{host}:8080/ready"),
            IllegalArgumentException.class, "url must be an http or https URL, was '{host}:8080/ready'"),
        new Refusal("AwaitHttpStep url http:// (no host)", () -> AwaitHttpStep.builder().url("http://"),
            IllegalArgumentException.class, "url must be an http or https URL, was 'http://'"),
        new Refusal("AwaitHttpStep requestTimeout -1 s",
            () -> AwaitHttpStep.builder().url("http://{host}/").requestTimeout(Duration.ofSeconds(-1)).build(),
            IllegalArgumentException.class, "requestTimeout must be a positive duration, was PT-1S"),
        new Refusal("CommandStep timeout -1 min",
            () -> CommandStep.builder().command("true").timeout(Duration.ofMinutes(-1)).build(),
            IllegalArgumentException.class, "timeout must be a positive duration, was PT-1M"),
        new Refusal("SshCommandStep user '  '", () -> ssh().user("  ").build(),
            IllegalArgumentException.class, "user must not be blank, was '  '"),
        new Refusal("SshCommandStep connectTimeout -1 ms", () -> ssh().connectTimeout(Duration.ofMillis(-1)).build(),
            IllegalArgumentException.class, "connectTimeout must be a positive duration, was PT-0.001S"),
        new Refusal("HealthResponder pathPrefix 'health'", () -> health().pathPrefix("health").build(),
            IllegalArgumentException.class, "pathPrefix must start with '/', was 'health'"),
        new Refusal("AgentCheckResponder answerTimeout -5 s",
            () -> AgentCheckResponder.builder().responder(health().build()).bindAddress(InetAddress.getLoopbackAddress())
                .port(0).answerTimeout(Duration.ofSeconds(-5)).build(),
            IllegalArgumentException.class, "answerTimeout must be positive, was PT-5S"),
        new Refusal("GracefulShutdown nackTimeout -1 s",
            () -> GracefulShutdown.builder().responder(health().build()).stopServer(() -> {})
                .nackTimeout(Duration.ofSeconds(-1)).build(),
            IllegalArgumentException.class, "nackTimeout must be positive, was PT-1S"),
        new Refusal("MaintenanceResponder trustedProxies 10.0.0.0/-1",
            () -> MaintenanceResponder.builder().store(StatusStore.inMemory()).service("checkout")
                .healthResponder(health().build()).trustedProxies("10.0.0.0/-1").build(),
            IllegalArgumentException.class, "trustedProxies must hold IP addresses or CIDR blocks, was '10.0.0.0/-1':"
                + " the prefix length must be from 0 to 32 for an IPv4 address"),
        new Refusal("MaintenanceFlag allowedClients 2001:db8::/129",
            () -> MaintenanceFlag.of("upgrade", "ops", java.time.Instant.EPOCH).withAllowedClients("2001:db8::/129"),
            IllegalArgumentException.class, "allowedClients must hold IP addresses or CIDR blocks, was '2001:db8::/129':"
                + " the prefix length must be from 0 to 128 for an IPv6 address"),
        new Refusal("MaintenanceFlag allowedClients 300.1.2.3",
            () -> MaintenanceFlag.of("upgrade", "ops", java.time.Instant.EPOCH).withAllowedClients("300.1.2.3"),
            IllegalArgumentException.class, "allowedClients must hold IP addresses or CIDR blocks, was '300.1.2.3':"
                + " not a literal IPv4 or IPv6 address, optionally with a /prefix (e.g. 10.0.0.1, 10.0.0.0/8, 2001:db8::/32)"),
        new Refusal("HazelcastStatusStore.configure twice on one Config",
            () -> HazelcastStatusStore.configure(HazelcastStatusStore.configure(new Config())),
            InvalidConfigurationException.class, "Duplicate serializer registrations are found for the type name"
                + " 'shunt.InstanceKey'. Make sure only one Compact serializer is registered for the same type name.",
            false),
        new Refusal("sidecar --nacks three", () -> Sidecar.start(sidecar("--nacks", "three")),
            IllegalArgumentException.class, "invalid option: --nacks must be a whole number, was 'three'"),
        new Refusal("sidecar --healthcheck-timeout -5", () -> Sidecar.start(sidecar("--healthcheck-timeout", "-5")),
            IllegalArgumentException.class, "invalid option: healthcheckTimeout must be positive, was PT-5S"),
        new Refusal("sidecar --service ..", () -> Sidecar.start("--flags", SIDECAR_FLAGS, "--host", "web-1", "--service", ".."),
            IllegalArgumentException.class, "invalid option: service" + NAME_RULE + "'..'"),
        new Refusal("sidecar --agent nowhere", () -> Sidecar.start(sidecar("--agent", "nowhere")),
            IllegalArgumentException.class, "--agent must be ADDRESS:PORT with a port from 0 to 65535, was 'nowhere'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void badValueIsRefusedNamingTheFieldAndTheValue(Refusal refusal) {
    var thrown = assertThatThrownBy(refusal.given()).isExactlyInstanceOf(refusal.type());
    if (refusal.wholeMessage()) {
      thrown.hasMessage(refusal.message());
    } else {
      thrown.hasMessageStartingWith(refusal.message());
    }
  }

  // ---- Malformed and oversized requests on the health path: a real JDK HttpServer ----

  private static HttpServer healthServer;
  private static Path flags;

  @BeforeAll
  static void startHealthServer(@TempDir Path directory) throws IOException {
    flags = directory;
    StatusStore store = StatusStore.flagFiles(flags);
    HealthResponder health = HealthResponder.builder().store(store).key(InstanceKey.of("checkout", "web-1")).build();
    MaintenanceResponder maintenance = MaintenanceResponder.builder().store(store).service("checkout")
        .healthResponder(health).build();
    healthServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    healthServer.createContext("/", exchange -> {
      byte[] body = "app\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (exchange; OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }).getFilters().addAll(List.of(HttpServerHealth.filter(health), HttpServerMaintenance.filter(maintenance)));
    healthServer.start();
  }

  @AfterAll
  static void stopHealthServer() {
    healthServer.stop(0);
  }

  /**
   * A raw request to the health path and what the client gets: the status line, or
   * {@code closed} when the server hung up without an answer.
   */
  record RawRequest(String input, String request, String expected) {
    @Override
    public String toString() {
      return input;
    }
  }

  static Stream<RawRequest> rawRequests() {
    String check = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    return Stream.of(
        new RawRequest("64 KB header", check + "X-Padding: " + "x".repeat(64 * 1024) + "\r\n\r\n",
            "HTTP/1.1 200 OK"),
        new RawRequest("64 KB X-Forwarded-For", check + "X-Forwarded-For: " + "1.2.3.4, ".repeat(7000) + "\r\n\r\n",
            "HTTP/1.1 200 OK"),
        new RawRequest("1 MB header (over the JDK's 380 KB limit)",
            check + "X-Padding: " + "x".repeat(1024 * 1024) + "\r\n\r\n", "closed"),
        new RawRequest("500 headers (over the JDK's limit of 200)", check + headers(500) + "\r\n", "closed"),
        new RawRequest("1 MB query string", "GET /health?" + "q".repeat(1024 * 1024)
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", "closed"),
        new RawRequest("garbage request line", "GARBAGE\r\n\r\n", "HTTP/1.1 400 Bad Request"),
        new RawRequest("header line without a colon", check + "no colon here\r\n\r\n", "HTTP/1.1 400 Bad Request"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rawRequests")
  void badRequestIsAnsweredOrRefusedAndTheNextCheckIsAnsweredOk(RawRequest row) throws IOException {
    assertThat(send(row.request())).as("what the client of '%s' got", row.input()).startsWith(row.expected());
    assertThat(send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
        .as("the next health check").startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nok\n");
  }

  /**
   * A flag file with garbage in it; what the health path and the application answer; and how
   * what is logged about it starts (nothing when null).
   */
  record CorruptFlag(String input, String file, byte[] content, String health, String app, String logged) {
    @Override
    public String toString() {
      return input;
    }
  }

  static Stream<CorruptFlag> corruptFlags() {
    byte[] everyByte = new byte[4096];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }
    return Stream.of(
        new CorruptFlag("binary .shunt flag", "checkout/web-1.shunt", everyByte, "503", "200", null),
        new CorruptFlag("'\\uZZZZ' in a .shunt flag", "checkout/web-1.shunt", bytes("reason=\\uZZZZ\n"), "503", "200",
            "shunt flag %s is malformed, treating it as a shunt with no details:"
                + " java.lang.IllegalArgumentException: Malformed \\uxxxx encoding."),
        new CorruptFlag("binary maintenance.txt", "checkout/maintenance.txt", everyByte, "200", "503",
            "maintenance flag %s has an unknown entry '"),
        new CorruptFlag("'until=someday' in maintenance.txt", "checkout/maintenance.txt",
            bytes("reason=upgrade\nuntil=someday\n"), "200", "503",
            "maintenance flag %s has a malformed 'until' (someday), ignoring it"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptFlags")
  void corruptFlagFileNeverBreaksARequest(CorruptFlag row) throws IOException {
    Path file = flags.resolve(row.file());
    Files.createDirectories(file.getParent());
    Files.write(file, row.content());
    try (CapturedLog log = CapturedLog.of(FlagFileStatusStore.class)) {
      List<String> loggedAtFirst = null;
      for (int i = 0; i < 3; i++) {
        assertThat(send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
            .as("health check %d with %s", i, row.input()).startsWith("HTTP/1.1 " + row.health());
        assertThat(send("GET /cart HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
            .as("application request %d with %s", i, row.input()).startsWith("HTTP/1.1 " + row.app());
        loggedAtFirst = loggedAtFirst == null ? log.messages() : loggedAtFirst;
      }
      assertThat(log.messages()).as("logged at the first read only").isEqualTo(loggedAtFirst);
      if (row.logged() == null) {
        assertThat(log.messages()).isEmpty();
      } else {
        assertThat(log.messages()).isNotEmpty().allSatisfy(message -> assertThat(message)
            .startsWith(row.logged().formatted(file))
            .as("control characters escaped").doesNotContainPattern("\\p{Cntrl}"));
      }
    } finally {
      Files.delete(file);
    }
  }

  private static String send(String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), healthServer.getAddress().getPort())) {
      socket.setSoTimeout(5000);
      try {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
      } catch (IOException refusedWhileWriting) {
        return "closed";
      }
      try (InputStream in = socket.getInputStream()) {
        String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        return answer.isEmpty() ? "closed" : answer;
      } catch (IOException reset) {
        return "closed";
      }
    }
  }

  private static String headers(int count) {
    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < count; i++) {
      headers.append("X-Header-").append(i).append(": ").append(i).append("\r\n");
    }
    return headers.toString();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static Rollout.Builder rollout() {
    return Rollout.builder().service("checkout").hosts(List.of("web-1")).store(StatusStore.inMemory())
        .steps(List.of(ShuntStep.unshunt()));
  }

  private static SshCommandStep.Builder ssh() {
    return SshCommandStep.builder().user("deploy").password("secret").insecureAcceptAnyHostKey()
        .command("sudo systemctl restart app");
  }

  private static HealthResponder.Builder health() {
    return HealthResponder.builder().store(StatusStore.inMemory()).key(InstanceKey.of("checkout", "web-1"));
  }

  /** Sidecar arguments that are valid but for {@code option value}, which goes last and wins. */
  private static String[] sidecar(String option, String value) {
    return new String[] {"--flags", SIDECAR_FLAGS, "--service", "checkout", "--host", "web-1", "--listen", "127.0.0.1:0",
        option, value};
  }
}
