package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.CheckerReport;
import dev.shunt.DeployLock;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.internal.CheckerReportRules;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout's pre-flight: every problem its steps find on every host, before anything is touched;
 * errors refuse the rollout ({@link PreflightFailedException}), warnings are shown as it starts, a
 * strict pre-flight refuses on warnings too, and the plan shows the same findings.
 */
class RolloutPreflightTest {
  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir
  static Path serverDir;

  @TempDir
  Path dir;

  private static TestSshServer ssh;
  private final StatusStore store = StatusStore.inMemory();
  private final RecordingListener listener = new RecordingListener();
  private ServerSocketChannel fakeHaproxy;
  private Thread fakeHaproxyThread;

  @BeforeAll
  static void startSsh() throws Exception {
    ssh = TestSshServer.start(serverDir, Files.writeString(serverDir.resolve("authorized_keys"), ""));
  }

  @AfterAll
  static void stopSsh() throws IOException {
    if (ssh != null) {
      ssh.close();
    }
  }

  @AfterEach
  void stopFakeHaproxy() throws Exception {
    if (fakeHaproxy != null) {
      fakeHaproxy.close();
      fakeHaproxyThread.join(2000);
    }
  }

  /** The rollout's clock: fixed at {@link #NOW} for exact messages; a test whose drain waits runs on the system clock. */
  private Clock clock = CLOCK;

  private Rollout.Builder rollout(List<String> hosts, Step... steps) {
    return Rollout.builder().service("checkout").hosts(hosts).store(store).clock(clock).listener(listener)
        .steps(List.of(steps));
  }

  private void checked(String host, Instant at, int inFlight) {
    store.report(InstanceKey.of("checkout", host), new CheckerReport("10.0.0.9", false, 1, at, inFlight));
  }

  private static Step noop() {
    return Step.named("noop", context -> { });
  }

  // --- health checks seen lately (AwaitCheckersStep) ---

  @Test
  void hostNoLoadBalancerCheckedIsAWarningAndTheRolloutGoesOn() {
    clock = Clock.systemUTC();
    checked("127.0.0.1", Instant.now().minusSeconds(10), 0);

    RolloutReport report = rollout(List.of("127.0.0.1", "localhost"),
        AwaitCheckersStep.drain().timeout(Duration.ofMillis(50)).build()).build().run();

    assertThat(report.succeeded()).isTrue();
    assertThat(listener.plan().preflight()).singleElement().satisfies(problem -> {
      assertThat(problem.severity()).isEqualTo(PreflightProblem.Severity.WARNING);
      assertThat(problem.host()).isEqualTo("localhost");
      assertThat(problem.step()).isEqualTo("drain");
      assertThat(problem.message()).startsWith("no load balancer has checked its health responder in the last PT2M"
          + " (no check recorded in the store), so the waits on its health checks would only be fixed waits");
    });
  }

  @Test
  void checkOlderThanTheWindowIsAWarningNamingIt() {
    checked("127.0.0.1", NOW.minus(Duration.ofMinutes(3)), 0);

    RolloutPlan plan = rollout(List.of("127.0.0.1"), AwaitCheckersStep.rotation().build()).build().plan();

    assertThat(plan.preflight()).singleElement().asString()
        .startsWith("WARNING 127.0.0.1 [rotation]: no load balancer has checked its health responder in the last PT2M"
            + " (last check 2026-12-02T09:57:00Z by 10.0.0.9)");
  }

  @Test
  void strictPreflightRefusesOnAWarningAndTouchesNothing() {
    DeployLock lock = DeployLock.inMemory();
    Rollout rollout = rollout(List.of("127.0.0.1"), ShuntStep.shunt(ShuntRequest.of("deploy", "ci")),
        AwaitCheckersStep.drain().build()).deployLock(lock).strictPreflight(true).build();

    assertThatThrownBy(rollout::run).isInstanceOfSatisfying(PreflightFailedException.class, refused -> {
      assertThat(refused.problems()).singleElement().satisfies(problem -> assertThat(problem.isError()).isTrue());
      assertThat(refused.getMessage()).startsWith("pre-flight of the rollout of checkout found 1 error(s); nothing was"
          + " touched:\nERROR 127.0.0.1 [drain]: no load balancer has checked");
    });
    assertThat(store.status(InstanceKey.of("checkout", "127.0.0.1")).shunted()).isFalse();
    assertThat(store.hosts("checkout")).isEmpty();
    assertThat(lock.holder("checkout")).isEmpty();
    assertThat(listener.plan()).isNull();
  }

  @Test
  void responderThatDoesNotCountRequestsInFlightIsAWarningNamingTheWaysToWaitForThem() {
    checked("127.0.0.1", NOW.minusSeconds(5), CheckerReportRules.IN_FLIGHT_UNKNOWN);

    RolloutPlan plan = rollout(List.of("127.0.0.1"), AwaitCheckersStep.drain().build()).build().plan();

    assertThat(plan.preflight()).singleElement().asString()
        .startsWith("WARNING 127.0.0.1 [drain]: requests in flight at the restart are not waited for: its responder"
            + " does not count them")
        .contains("--drain haproxy:", "AwaitHaproxyDrainStep", "graceful stop");
    assertThat(plan.toText()).contains("Pre-flight: 0 error(s), 1 warning(s)\n  WARNING 127.0.0.1 [drain]: requests"
        + " in flight at the restart are not waited for");
  }

  @Test
  void responderThatCountsRequestsInFlightAndWasCheckedLatelyIsNoProblem() {
    checked("127.0.0.1", NOW.minusSeconds(5), 0);

    RolloutPlan plan = rollout(List.of("127.0.0.1"), AwaitCheckersStep.drain().build(),
        AwaitCheckersStep.rotation().build()).build().plan();

    assertThat(plan.preflight()).isEmpty();
    assertThat(plan.toText()).contains("Pre-flight: no problem found\n");
  }

  @Test
  void drainThatIgnoresRequestsInFlightDoesNotWarnAboutTheirCount() {
    checked("127.0.0.1", NOW.minusSeconds(5), CheckerReportRules.IN_FLIGHT_UNKNOWN);

    assertThat(rollout(List.of("127.0.0.1"), AwaitCheckersStep.drain().inFlight(InFlightWait.IGNORED).build())
        .build().plan().preflight()).isEmpty();
  }

  @Test
  void drainAndRotationStepsWarnOnceAboutAHostNobodyChecked() {
    assertThat(rollout(List.of("127.0.0.1"), AwaitCheckersStep.drain().build(), AwaitCheckersStep.rotation().build())
        .build().plan().preflight()).hasSize(1);
  }

  // --- readiness URL (AwaitHttpStep) ---

  @Test
  void readinessUrlThatIsNotAUrlForTheHostIsAnError() {
    AwaitHttpStep ready = AwaitHttpStep.builder().url(host -> host.equals("localhost") ? "http://" + host + "/"
        : "ftp://" + host + "/").build();

    assertThatThrownBy(() -> rollout(List.of("127.0.0.1", "localhost"), ready).build().run())
        .isInstanceOfSatisfying(PreflightFailedException.class, refused -> assertThat(refused.problems())
            .singleElement().asString().isEqualTo("ERROR 127.0.0.1 [ready]: its URL for the host, 'ftp://127.0.0.1/',"
                + " is not a valid http or https URL: check the URL template and the host name"));
  }

  @Test
  void hostNamesThatDoNotResolveAreEachAnErrorAndNoStepRuns() {
    AtomicInteger runs = new AtomicInteger();
    Step counted = Step.named("count", context -> runs.incrementAndGet());

    assertThatThrownBy(() -> rollout(List.of("no-such-host-1.invalid", "localhost", "no-such-host-2.invalid"), counted,
        AwaitHttpStep.builder().url("http://{host}:8080/").build()).build().run())
        .isInstanceOfSatisfying(PreflightFailedException.class, refused -> {
          assertThat(refused.problems()).extracting(PreflightProblem::host)
              .containsExactly("no-such-host-1.invalid", "no-such-host-2.invalid");
          assertThat(refused.problems()).allSatisfy(problem -> assertThat(problem.message())
              .contains("host name '" + problem.host() + "' does not resolve", "check the host list"));
        });
    assertThat(runs).hasValue(0);
  }

  @Test
  void resumedRolloutChecksOnlyTheHostsItWillWorkOn() {
    store.writeJournal("checkout", new dev.shunt.JournalEntry("run-1", "no-such-host.invalid",
        dev.shunt.JournalEntry.State.DONE, NOW, ""));

    RolloutPlan plan = rollout(List.of("no-such-host.invalid", "localhost"),
        AwaitHttpStep.builder().url("http://{host}:8080/").build()).resume(true).build().plan();

    assertThat(plan.preflight()).isEmpty();
  }

  // --- SSH host keys and names (SshCommandStep) ---

  private SshCommandStep.Builder sshStep() {
    return SshCommandStep.builder().user(TestSshServer.USER).password(TestSshServer.PASSWORD).port(ssh.port())
        .command("true");
  }

  @Test
  void sshHostWhoseKeyIsNotKnownIsAnErrorSayingHowToAddIt() throws Exception {
    Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");

    RolloutPlan plan = rollout(List.of("127.0.0.1"), sshStep().knownHosts(knownHosts).build()).build().plan();

    assertThat(plan.preflightErrors()).singleElement().asString().isEqualTo("ERROR 127.0.0.1 [ssh]: SSH host keys: "
        + knownHosts + " has no key for [127.0.0.1]:" + ssh.port() + ", so the connection would be refused. Check the"
        + " key's fingerprint with the host's owner, then add it: ssh-keyscan -p " + ssh.port() + " 127.0.0.1 >> "
        + knownHosts);
  }

  @Test
  void sshKnownHostsFileThatDoesNotExistIsAnError() {
    Path missing = dir.resolve("no_known_hosts");

    assertThat(rollout(List.of("127.0.0.1"), sshStep().knownHosts(missing).build()).build().plan().preflightErrors())
        .singleElement().asString().contains(missing + " does not exist");
  }

  @Test
  void sshHostWhoseKeyIsKnownIsNoProblemAndTheRestartRuns() throws Exception {
    Path knownHosts = ssh.writeKnownHosts(dir.resolve("known_hosts"), ssh.hostKey());

    RolloutReport report = rollout(List.of("127.0.0.1"), sshStep().knownHosts(knownHosts).build()).build().run();

    assertThat(listener.plan().preflight()).isEmpty();
    assertThat(report.succeeded()).as(report.summary()).isTrue();
  }

  @Test
  void sshWithHostKeyCheckingTurnedOffChecksNoKey() {
    assertThat(rollout(List.of("127.0.0.1"), sshStep().insecureAcceptAnyHostKey().build()).build().plan().preflight())
        .isEmpty();
  }

  @Test
  void sshHostNameThatDoesNotResolveIsAnError() throws Exception {
    Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "no-such-host.invalid "
        + PublicKeyEntry.toString(ssh.hostKey()) + "\n");

    assertThat(rollout(List.of("no-such-host.invalid:22"), sshStep().knownHosts(knownHosts).build()).build().plan()
        .preflightErrors()).singleElement().asString()
        .startsWith("ERROR no-such-host.invalid:22 [ssh]: SSH: host name 'no-such-host.invalid' does not resolve");
  }

  // --- HAProxy knows each host's server (AwaitHaproxyDrainStep) ---

  /** A runtime API that answers every {@code show stat} with HAProxy 2.6's captured CSV: backend demo, servers a and b. */
  private HaproxyRuntimeApi fakeHaproxy() throws IOException {
    return fakeHaproxy(csv -> csv);
  }

  /** {@link #fakeHaproxy()}, answering the captured CSV as {@code edit} changes it. */
  private HaproxyRuntimeApi fakeHaproxy(java.util.function.UnaryOperator<String> edit) throws IOException {
    String csv;
    try (InputStream in = RolloutPreflightTest.class.getResourceAsStream("haproxy-2.6-show-stat.csv")) {
      csv = edit.apply(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    fakeHaproxy = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    ServerSocketChannel server = fakeHaproxy;
    fakeHaproxyThread = new Thread(() -> {
      for (int served = 0; served < 100 && server.isOpen(); served++) {
        try (SocketChannel client = server.accept()) {
          ByteBuffer buffer = ByteBuffer.allocate(1024);
          while (buffer.position() == 0 || buffer.get(buffer.position() - 1) != '\n') {
            if (client.read(buffer) < 0) {
              break;
            }
          }
          client.write(ByteBuffer.wrap(csv.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
          return;
        }
      }
    }, "fake-haproxy");
    fakeHaproxyThread.start();
    return HaproxyRuntimeApi.tcp("127.0.0.1", ((InetSocketAddress) server.getLocalAddress()).getPort());
  }

  @Test
  void haproxyServerThatDoesNotExistIsAnErrorBeforeAnyShunt() throws Exception {
    HaproxyRuntimeApi api = fakeHaproxy();
    Rollout rollout = rollout(List.of("a", "c"), ShuntStep.shunt(ShuntRequest.of("deploy", "ci")),
        AwaitHaproxyDrainStep.builder().runtimeApi(api).backend("demo").build()).build();

    assertThatThrownBy(rollout::run).isInstanceOfSatisfying(PreflightFailedException.class,
        refused -> assertThat(refused.problems()).singleElement().asString().isEqualTo("ERROR c [haproxy-drain]:"
            + " backend 'demo' of HAProxy at " + api + " has no server 'c'; its servers: [a, b]. Name the servers as"
            + " the hosts, or map the host to its server name with server(\"app-{index}\") (shunt roll"
            + " --haproxy-server)"));
    assertThat(store.status(InstanceKey.of("checkout", "a")).shunted()).isFalse();
  }

  @Test
  void haproxyBackendThatDoesNotExistIsAnErrorOnEveryHost() throws Exception {
    HaproxyRuntimeApi api = fakeHaproxy();

    assertThat(rollout(List.of("a", "b"), AwaitHaproxyDrainStep.builder().runtimeApi(api).backend("web").build())
        .build().plan().preflightErrors()).extracting(PreflightProblem::host, PreflightProblem::message)
        .allSatisfy(problem -> assertThat(problem.toList().get(1).toString())
            .startsWith("HAProxy at " + api + " has no backend 'web' with servers; its backends: [demo]"))
        .hasSize(2);
  }

  @Test
  void haproxyServerTemplateMapsEachHostByItsPositionInTheHostList() throws Exception {
    HaproxyRuntimeApi api = fakeHaproxy(csv -> csv.replace("\ndemo,a,", "\ndemo,app-1,")
        .replace("\ndemo,b,", "\ndemo,app-2,"));
    AwaitHaproxyDrainStep drain = AwaitHaproxyDrainStep.builder().runtimeApi(api).backend("demo")
        .server("app-{index}").build();
    Step mapped = Step.named("mapped", context -> { });

    assertThat(rollout(List.of("web-1.example", "web-2.example", "web-3.example"), drain, mapped).build().plan()
        .preflightErrors()).singleElement().asString()
        .isEqualTo("ERROR web-3.example [haproxy-drain]: backend 'demo' of HAProxy at " + api + " has no server"
            + " 'app-3'; its servers: [app-1, app-2]");
  }

  @Test
  void haproxyThatCannotBeReachedIsAnError() throws Exception {
    HaproxyRuntimeApi api = HaproxyRuntimeApi.unixSocket(dir.resolve("no.sock"));

    assertThat(rollout(List.of("a"), AwaitHaproxyDrainStep.builder().runtimeApi(api).backend("demo").build())
        .build().plan().preflightErrors()).singleElement().asString()
        .startsWith("ERROR a [haproxy-drain]: cannot read the state of server demo/a: HAProxy runtime API at " + api);
  }

  // --- the SPI ---

  @Test
  void checkThatThrowsIsAnErrorOfItsStep() {
    class Broken implements Step, PreflightCheck {
      @Override
      public void run(dev.shunt.StepContext context) { }

      @Override
      public String name() {
        return "broken";
      }

      @Override
      public List<PreflightProblem> preflight(PreflightContext context) {
        throw new IllegalStateException("boom");
      }
    }

    assertThat(rollout(List.of("a"), new Broken()).build().plan().preflightErrors()).singleElement().asString()
        .isEqualTo("ERROR a [broken]: its pre-flight check failed: java.lang.IllegalStateException: boom");
  }

  @Test
  void checksGetEachHostWithItsPositionInTheRolloutsHostList() {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    class Recording implements Step, PreflightCheck {
      @Override
      public void run(dev.shunt.StepContext context) {
        seen.add("run " + context.host() + " #" + context.hostIndex());
      }

      @Override
      public List<PreflightProblem> preflight(PreflightContext context) {
        seen.add("check " + context.host() + " #" + context.hostIndex());
        return List.of();
      }
    }

    rollout(List.of("a", "b"), new Recording(), noop()).build().run();

    assertThat(seen).containsExactly("check a #1", "check b #2", "run a #1", "run b #2");
  }
}
