package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.ShuntRequest;
import dev.shunt.Step;
import dev.shunt.workflow.AwaitHaproxyDrainStep;
import dev.shunt.workflow.HaproxyServerStat;
import dev.shunt.workflow.PreflightFailedException;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.StepReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link AwaitHaproxyDrainStep} and the runtime API client against a real HAProxy in front of two
 * demo backends (separate JVM processes, shunt status in flag files, {@code inter 200}, {@code fall 3}).
 * Each test leaves both backends unshunted and UP again.
 *
 * <p>Under {@code CI=true} a missing {@code haproxy} fails these tests; elsewhere they are skipped
 * with a message saying how to install it.
 */
class AwaitHaproxyDrainBehindHaproxyTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final String SERVER = "server " + Haproxy.BACKEND + "/";
  /** Longer than HAProxy takes to mark a shunted server DOWN ({@code fall 3 × inter 200 ms}), with room to spare. */
  private static final Duration SLOW = Duration.ofSeconds(5);

  @TempDir
  static Path directory;
  private static DemoFleet fleet;
  private static Haproxy haproxy;

  private final List<String> logged = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = DemoFleet.start(directory, 2, HaproxyRequirement.classpath(), Optional.of(HaproxyRequirement.haproxy()));
    haproxy = fleet.haproxy().orElseThrow();
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @AfterEach
  void backInRotationWithNothingInFlight() throws InterruptedException {
    for (String host : fleet.hosts()) {
      fleet.store().unshunt(fleet.key(host));
      haproxy.runtimeApi().command("set server " + Haproxy.BACKEND + "/" + host + " state ready");
    }
    haproxy.awaitAllUp(DEADLINE);
    await(haproxy::serverSessions, sessions -> sessions.values().stream().allMatch(count -> count == 0));
  }

  private AwaitHaproxyDrainStep.Builder drain() {
    return AwaitHaproxyDrainStep.builder().runtimeApi(haproxy.runtimeApi()).backend(Haproxy.BACKEND)
        .pollInterval(Duration.ofMillis(20)).timeout(DEADLINE).failOnTimeout(true);
  }

  /** Runs {@code step} on {@code host} as a rollout does, keeping what it logged. */
  private StepReport run(AwaitHaproxyDrainStep step, String host) {
    return run((Step) step, host);
  }

  /**
   * Runs {@code step} on {@code host} as a rollout does, but without the step's pre-flight: as if
   * HAProxy had been reloaded with other servers after the rollout's pre-flight passed, so the
   * step meets the problem only when it runs.
   */
  private StepReport runPastThePreflight(AwaitHaproxyDrainStep step, String host) {
    return run(Step.named(step.name(), step), host);
  }

  private StepReport run(Step step, String host) {
    RolloutReport report = Rollout.builder()
        .service(DemoBackend.SERVICE).hosts(List.of(host)).store(fleet.store()).steps(List.of(step))
        .listener(new RolloutListener() {
          @Override
          public void log(String logHost, String line) {
            logged.add(line);
          }
        })
        .build().run();
    return report.hosts().get(0).steps().get(0);
  }

  @Test
  void endsOnceHaproxySaysTheShuntedServerIsDownWithNoSessions() throws Exception {
    String host = fleet.hosts().get(0);
    // The shunt comes once the step has seen the server UP, however long the rollout took to reach
    // it: the step must see HAProxy take it DOWN.
    CompletableFuture<StepReport> draining = CompletableFuture.supplyAsync(() -> run(drain().build(), host));
    await(() -> logged, lines -> !lines.isEmpty());
    fleet.store().shunt(fleet.key(host), ShuntRequest.of("drain test", "test"));

    StepReport drained = draining.get(DEADLINE.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
    System.out.println("haproxy-drain after a shunt: " + drained.outcome());

    assertThat(drained.succeeded()).as(drained.outcome()).isTrue();
    assertThat(drained.outcome()).matches("server demo/" + host.replace(".", "\\.") + " DOWN with 0 sessions after \\d+ ms");
    assertThat(haproxy.serverStates().get(host)).as("HAProxy's view after the step").startsWith("DOWN");
    assertThat(logged).as("what the step saw, in order").first().asString().startsWith("HAProxy: " + SERVER + host + " UP");
  }

  @Test
  void waitsWhileTheDownServerStillServesALongRequest() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    long sentAt = System.nanoTime();
    CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + haproxy.port() + "/slow?ms=" + SLOW.toMillis()))
            .timeout(DEADLINE).build(), HttpResponse.BodyHandlers.ofString());
    Map<String, Integer> sessions = await(haproxy::serverSessions, map -> map.containsValue(1));
    String host = sessions.entrySet().stream().filter(e -> e.getValue() == 1).findFirst().orElseThrow().getKey();
    fleet.store().shunt(fleet.key(host), ShuntRequest.of("drain test", "test"));
    CompletableFuture<Long> drainedAt = CompletableFuture.supplyAsync(() -> {
      StepReport report = run(drain().build(), host);
      System.out.println("haproxy-drain with a " + SLOW.toMillis() + " ms request in flight: " + report.outcome());
      assertThat(report.succeeded()).as(report.outcome()).isTrue();
      assertThat(report.outcome()).startsWith(SERVER + host + " DOWN with 0 sessions after");
      return System.nanoTime();
    });

    await(() -> haproxy.runtimeApi().servers().stream().filter(s -> s.server().equals(host)).findFirst().orElseThrow(),
        server -> server.status().startsWith("DOWN"));
    assertThat(haproxy.serverSessions().get(host)).as("sessions once DOWN").isEqualTo(1);
    assertThat(drainedAt).as("the step while HAProxy says DOWN but serves the long request").isNotDone();

    // The backend answers no sooner than SLOW after the request was sent: the drain cannot have ended before.
    assertThat(Duration.ofNanos(drainedAt.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS) - sentAt))
        .as("from sending the long request to the end of the drain").isGreaterThanOrEqualTo(SLOW);
    assertThat(slow.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).statusCode()).isEqualTo(200);
    assertThat(logged).contains("HAProxy: " + SERVER + host + " DOWN with 1 sessions");
  }

  @ParameterizedTest(name = "state {0} is reported as {1}")
  @CsvSource({"drain, DRAIN", "maint, MAINT"})
  void endsOnAStateSetThroughTheRuntimeApi(String state, String status) {
    String host = fleet.hosts().get(1);

    String answer = haproxy.runtimeApi().command("set server " + Haproxy.BACKEND + "/" + host + " state " + state);
    StepReport drained = run(drain().build(), host);

    assertThat(answer).isBlank();
    assertThat(drained.outcome()).startsWith(SERVER + host + " " + status + " with 0 sessions after");
  }

  @Test
  void failsAfterTheTimeoutWhileTheServerStaysUp() {
    String host = fleet.hosts().get(0);

    StepReport report = run(drain().timeout(Duration.ofMillis(300)).build(), host);

    assertThat(report.succeeded()).isFalse();
    assertThat(report.outcome()).isEqualTo("HAProxy did not report the server out of rotation with 0 sessions"
        + " within PT0.3S (" + SERVER + host + " UP with 0 sessions)");
  }

  @Test
  void goesOnAfterTheTimeoutByDefault() {
    String host = fleet.hosts().get(0);

    StepReport report = run(drain().timeout(Duration.ofMillis(300)).failOnTimeout(false).build(), host);

    assertThat(report.succeeded()).isTrue();
    assertThat(report.outcome()).isEqualTo("timeout fallback after 300 ms (" + SERVER + host + " UP with 0 sessions)");
  }

  @Test
  void unknownServerFailsListingTheBackendsServers() {
    StepReport report = runPastThePreflight(drain().server("web-9").build(), fleet.hosts().get(0));

    assertThat(report.succeeded()).isFalse();
    assertThat(report.outcome()).isEqualTo("backend 'demo' of HAProxy at " + haproxy.runtimeApi()
        + " has no server 'web-9'; its servers: " + fleet.hosts());
  }

  @Test
  void unknownBackendFailsListingTheBackends() {
    StepReport report = runPastThePreflight(drain().backend("checkout").build(), fleet.hosts().get(0));

    assertThat(report.succeeded()).isFalse();
    assertThat(report.outcome()).isEqualTo("HAProxy at " + haproxy.runtimeApi()
        + " has no backend 'checkout' with servers; its backends: [demo]");
  }

  @Test
  void preflightFindsAnUnknownServerBeforeAnyHostIsShunted() {
    List<String> hosts = List.of(fleet.hosts().get(0), "127.0.0.1:9");
    Rollout rollout = Rollout.builder().service(DemoBackend.SERVICE).hosts(hosts).store(fleet.store())
        .listener(RolloutListener.silent())
        .steps(List.of(ShuntStep.shunt(DemoFleet.SHUNT), drain().build(), ShuntStep.unshunt())).build();

    assertThatThrownBy(rollout::run).isInstanceOfSatisfying(PreflightFailedException.class,
        refused -> assertThat(refused.problems()).singleElement().asString().isEqualTo("ERROR 127.0.0.1:9"
            + " [haproxy-drain]: backend 'demo' of HAProxy at " + haproxy.runtimeApi() + " has no server '127.0.0.1:9';"
            + " its servers: " + fleet.hosts() + ". Name the servers as the hosts, or map the host to its server name"
            + " with server(\"app-{index}\") (shunt roll --haproxy-server)"));
    assertThat(fleet.store().status(fleet.key(hosts.get(0))).shunted()).isFalse();
  }

  @Test
  void preflightFindsEveryServerOfTheBackendByItsTemplate() {
    List<String> hosts = fleet.hosts().stream().map(host -> host.replace("127.0.0.1:", "port-")).toList();
    Rollout rollout = Rollout.builder().service(DemoBackend.SERVICE).hosts(hosts).store(fleet.store())
        .listener(RolloutListener.silent())
        .steps(List.of(drain().server(host -> host.replace("port-", "127.0.0.1:")).build())).build();

    assertThat(rollout.plan().preflightErrors()).isEmpty();
  }

  @Test
  void runtimeApiOverTcpSeesWhatTheUnixSocketSees() {
    List<HaproxyServerStat> overUnixSocket = haproxy.runtimeApi().servers();
    List<HaproxyServerStat> overTcp = haproxy.runtimeApiOverTcp().servers();

    assertThat(overTcp).isEqualTo(overUnixSocket);
    assertThat(overTcp).extracting(HaproxyServerStat::name)
        .containsExactlyElementsOf(fleet.hosts().stream().map(host -> "demo/" + host).toList());
    assertThat(overTcp).allSatisfy(server -> assertThat(server.status()).isEqualTo("UP"));
  }

  /** Polls {@code value} until it satisfies {@code done}, for at most {@link #DEADLINE}. */
  private static <T> T await(Supplier<T> value, Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    T last = value.get();
    while (!done.test(last) && System.nanoTime() < deadline) {
      Thread.sleep(10);
      last = value.get();
    }
    assertThat(done.test(last)).as("within %s: %s; HAProxy: %s", DEADLINE, last, haproxy.runtimeApi().servers()).isTrue();
    return last;
  }
}
