package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.ShuntRequest;
import dev.shunt.Step;
import dev.shunt.StepFailedException;
import dev.shunt.workflow.FailurePolicy;
import dev.shunt.workflow.HaproxyRuntimeApi;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.PreflightFailedException;
import dev.shunt.workflow.PreflightProblem;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.StepReport;
import dev.shunt.workflow.lb.HaproxyLoadBalancer;
import dev.shunt.workflow.lb.LoadBalancer;
import dev.shunt.workflow.lb.LoadBalancerException;
import dev.shunt.workflow.lb.LoadBalancerStep;
import dev.shunt.workflow.lb.ServerState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HaproxyLoadBalancer} and {@link LoadBalancerStep} against a real HAProxy in front of two
 * demo backends ({@code inter 200}, {@code fall 3}, {@code rise 2}): what each command does to a
 * server in each state, and every bad input the issue names, before a rollout (pre-flight) and in
 * the middle of one (the host named and left in a known state). Each test leaves both backends
 * unshunted and UP.
 */
class HaproxyLoadBalancerBehindHaproxyTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @TempDir
  static Path directory;
  private static DemoFleet fleet;
  private static Haproxy haproxy;
  private static HaproxyLoadBalancer lb;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = DemoFleet.start(directory, 2, HaproxyRequirement.classpath(), Optional.of(HaproxyRequirement.haproxy()));
    haproxy = fleet.haproxy().orElseThrow();
    lb = HaproxyLoadBalancer.builder().runtimeApi(haproxy.runtimeApi()).backend(Haproxy.BACKEND).build();
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @AfterEach
  void backInRotation() throws InterruptedException {
    for (String host : fleet.hosts()) {
      fleet.store().unshunt(fleet.key(host));
      haproxy.runtimeApi().command("set server " + Haproxy.BACKEND + "/" + host + " state ready");
    }
    haproxy.awaitAllUp(DEADLINE);
    await(haproxy::serverSessions, sessions -> sessions.values().stream().allMatch(count -> count == 0));
  }

  private static String host() {
    return fleet.hosts().get(0);
  }

  private static String server(String host) {
    return Haproxy.BACKEND + "/" + host;
  }

  @Test
  void takeOutDrainsAnUpServerAndPutBackReturnsItToRotation() throws InterruptedException {
    lb.takeOut(host());
    ServerState out = lb.state(host());
    lb.putBack(host());
    ServerState back = await(() -> lb.state(host()), ServerState::inRotation);

    assertThat(out).isEqualTo(new ServerState(server(host()), "DRAIN with 0 sessions", true, false, 0));
    assertThat(back).isEqualTo(new ServerState(server(host()), "UP with 0 sessions", false, true, 0));
  }

  @Test
  void takeOutInMaintenanceModeSetsMaint() {
    HaproxyLoadBalancer maint = HaproxyLoadBalancer.builder().runtimeApi(haproxy.runtimeApi()).maintenance(true).build();

    maint.takeOut(server(host()));

    assertThat(haproxy.serverStates().get(host())).isEqualTo("MAINT");
    assertThat(maint.state(server(host())).drained()).isTrue();
  }

  @Test
  void takeOutLeavesAServerAlreadyInMaintenanceThere() {
    haproxy.runtimeApi().command("set server " + server(host()) + " state maint");

    lb.takeOut(host());

    assertThat(haproxy.serverStates().get(host())).as("a drain would have lifted the maintenance").isEqualTo("MAINT");
  }

  @Test
  void takeOutOfAServerDownByItsChecksIsDrainedAtOnce() throws InterruptedException {
    fleet.store().shunt(fleet.key(host()), ShuntRequest.of("test", "test"));
    await(haproxy::serverStates, states -> states.get(host()).startsWith("DOWN"));

    lb.takeOut(host());

    assertThat(lb.state(host())).isEqualTo(new ServerState(server(host()), "DOWN with 0 sessions", true, false, 0));
  }

  @Test
  void putBackOfAServerInRotationChangesNothing() {
    lb.putBack(host());

    assertThat(lb.state(host()).inRotation()).isTrue();
  }

  @Test
  void takeOutOverTcpWorksAsOverTheUnixSocket() {
    HaproxyLoadBalancer overTcp = HaproxyLoadBalancer.builder().runtimeApi(haproxy.runtimeApiOverTcp()).build();

    overTcp.takeOut(server(host()));

    assertThat(lb.state(host()).description()).isEqualTo("DRAIN with 0 sessions");
    assertThat(overTcp.name()).isEqualTo("haproxy tcp:127.0.0.1:" + haproxy.statsPort());
  }

  @Test
  void takeOutWaitsForALongRequestThenReportsTheServerDrained() throws Exception {
    CompletableFuture<HttpResponse<String>> slow = slowRequest(Duration.ofSeconds(5));
    String host = await(haproxy::serverSessions, map -> map.containsValue(1)).entrySet().stream()
        .filter(e -> e.getValue() == 1).findFirst().orElseThrow().getKey();

    HostReport report = run(host, LoadBalancerStep.takeOut().loadBalancer(lb).pollInterval(Duration.ofMillis(20))
        .timeout(DEADLINE).build());

    assertThat(report.outcome()).as(report.toString()).isEqualTo(HostReport.Outcome.DONE);
    assertThat(slow.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).statusCode()).isEqualTo(200);
    assertThat(report.steps().get(0).outcome()).matches("drained on demo/" + host.replace(".", "\\.")
        + ": DRAIN with 0 sessions after \\d+ ms");
    assertThat(report.steps().get(0).elapsed()).as("waited for the long request").isGreaterThan(Duration.ofMillis(500));
  }

  // ---- bad input: the load balancer answers an error, or not at all ----

  @Test
  void unknownServerIsAnErrorListingTheBackendsServers() {
    assertThatThrownBy(() -> lb.takeOut("web-9")).isInstanceOf(LoadBalancerException.class)
        .hasMessage("haproxy " + haproxy.runtimeApi() + ": backend 'demo' has no server 'web-9'; its servers: "
            + fleet.hosts() + ". Name the servers as the hosts, or give a server template such as 'app-{index}'");
  }

  @Test
  void unknownBackendIsAnErrorListingTheBackends() {
    assertThatThrownBy(() -> lb.state("checkout/" + host())).isInstanceOf(LoadBalancerException.class)
        .hasMessage("haproxy " + haproxy.runtimeApi() + " has no backend 'checkout' with servers; its backends: [demo]");
  }

  @Test
  void unreachableSocketIsAnErrorNamingIt() {
    HaproxyLoadBalancer nowhere = HaproxyLoadBalancer.builder()
        .runtimeApi(HaproxyRuntimeApi.unixSocket(directory.resolve("no-such.sock"))).backend("demo").build();

    assertThatThrownBy(() -> nowhere.takeOut(host())).isInstanceOf(LoadBalancerException.class)
        .hasMessageStartingWith("haproxy unix:" + directory.resolve("no-such.sock") + " cannot be asked about server demo/"
            + host() + ": HAProxy runtime API at unix:" + directory.resolve("no-such.sock") + " failed on 'show stat'")
        .hasMessageEndingWith("; is HAProxy running with 'stats socket' there?");
  }

  @Test
  void socketThatNeverAnswersTimesOutWithAClearMessage() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      HaproxyLoadBalancer mute = HaproxyLoadBalancer.builder().backend("demo").runtimeApi(
          HaproxyRuntimeApi.tcp("127.0.0.1", silent.getLocalPort()).withTimeout(Duration.ofMillis(300))).build();

      assertThatThrownBy(() -> mute.takeOut(host())).isInstanceOf(LoadBalancerException.class)
          .hasMessage("haproxy tcp:127.0.0.1:" + silent.getLocalPort() + " did not answer 'show stat' for server demo/"
              + host() + " within PT0.3S: is HAProxy overloaded, or is this not its stats socket?");
    }
  }

  @Test
  void commandRefusedBySocketWithoutAdminLevelIsAnError() {
    HaproxyLoadBalancer operator = HaproxyLoadBalancer.builder().runtimeApi(haproxy.runtimeApiAtOperatorLevel())
        .backend("demo").build();

    assertThatThrownBy(() -> operator.takeOut(host())).isInstanceOf(LoadBalancerException.class)
        .hasMessage("haproxy " + haproxy.runtimeApiAtOperatorLevel() + " refused 'set server demo/" + host()
            + " state drain': Permission denied (its stats socket needs 'level admin')");
    assertThat(haproxy.serverStates().get(host())).isEqualTo("UP");
  }

  // ---- bad input before a rollout: the pre-flight stops it before any host is touched ----

  @Test
  void preflightRefusesAnUnknownServerUnreachableSocketAndOperatorLevelBeforeTouchingAnyHost() {
    LoadBalancer nowhere = HaproxyLoadBalancer.builder()
        .runtimeApi(HaproxyRuntimeApi.unixSocket(directory.resolve("no-such.sock"))).backend("demo").build();
    LoadBalancer operator = HaproxyLoadBalancer.builder().runtimeApi(haproxy.runtimeApiAtOperatorLevel())
        .backend("demo").build();
    Rollout rollout = Rollout.builder().service(DemoBackend.SERVICE).hosts(fleet.hosts()).store(fleet.store())
        .listener(RolloutListener.silent())
        .step(LoadBalancerStep.takeOut().loadBalancer(lb).loadBalancer(lb, "web-{index}").loadBalancer(nowhere)
            .loadBalancer(operator).build())
        .step(LoadBalancerStep.putBack().loadBalancer(lb).build())
        .build();

    assertThatThrownBy(rollout::run).isInstanceOfSatisfying(PreflightFailedException.class, refused -> {
      assertThat(refused.problems()).allMatch(PreflightProblem::isError).hasSize(3 * fleet.hosts().size());
      assertThat(refused.problems().stream().filter(problem -> problem.host().equals(host())).map(PreflightProblem::message))
          .satisfiesExactly(
              unknown -> assertThat(unknown).startsWith("haproxy " + haproxy.runtimeApi()
                  + ": backend 'demo' has no server 'web-1'"),
              unreachable -> assertThat(unreachable).startsWith("haproxy unix:" + directory.resolve("no-such.sock")
                  + " cannot be asked about server demo/" + host()),
              level -> assertThat(level).isEqualTo("haproxy " + haproxy.runtimeApiAtOperatorLevel()
                  + " allows 'operator' commands only: 'set server' needs 'level admin' on its stats socket"
                  + " (e.g. stats socket /run/haproxy/admin.sock mode 600 level admin)"));
    });
    assertThat(haproxy.serverStates()).as("no server touched").allSatisfy((server, state) -> assertThat(state).isEqualTo("UP"));
  }

  @Test
  void preflightWarnsOfAServerOutOfRotationAlready() {
    haproxy.runtimeApi().command("set server " + server(host()) + " state maint");
    Rollout rollout = Rollout.builder().service(DemoBackend.SERVICE).hosts(List.of(host())).store(fleet.store())
        .listener(RolloutListener.silent()).step(LoadBalancerStep.takeOut().loadBalancer(lb).build()).build();

    assertThat(rollout.plan().preflight()).singleElement().asString().isEqualTo("WARNING " + host() + " [lb-take-out]: haproxy "
        + haproxy.runtimeApi() + ": server " + host() + " is out of rotation before the rollout (MAINT with 0 sessions);"
        + " the rollout will put it back after its restart");
  }

  // ---- bad input in the middle of a rollout: the host named and left in a known state ----

  @Test
  void takeOutRefusedByTheSecondLoadBalancerPutsTheServerBackOnTheFirst() {
    LoadBalancer operator = HaproxyLoadBalancer.builder().runtimeApi(haproxy.runtimeApiAtOperatorLevel())
        .backend("demo").build();

    HostReport report = runPastThePreflight(host(), LoadBalancerStep.takeOut().loadBalancer(lb).loadBalancer(operator).build());

    assertThat(report.outcome()).isEqualTo(HostReport.Outcome.FAILED);
    assertThat(report.steps().get(0).outcome()).isEqualTo("cannot take " + host() + " out: haproxy "
        + haproxy.runtimeApiAtOperatorLevel() + " refused 'set server demo/" + host() + " state drain': Permission denied"
        + " (its stats socket needs 'level admin'); put back in rotation on haproxy " + haproxy.runtimeApi());
    assertThat(haproxy.serverStates().get(host())).as("back in rotation, as before the step").isEqualTo("UP");
  }

  @Test
  void drainNotSeenInTimePutsTheServerBackAndFails() throws Exception {
    CompletableFuture<HttpResponse<String>> slow = slowRequest(Duration.ofSeconds(6));
    String host = await(haproxy::serverSessions, map -> map.containsValue(1)).entrySet().stream()
        .filter(e -> e.getValue() == 1).findFirst().orElseThrow().getKey();

    HostReport report = run(host, LoadBalancerStep.takeOut().loadBalancer(lb).timeout(Duration.ofMillis(300)).build());

    assertThat(report.outcome()).isEqualTo(HostReport.Outcome.FAILED);
    assertThat(report.steps().get(0).outcome()).isEqualTo(host + " was not drained within PT0.3S (demo/" + host
        + ": DRAIN with 1 sessions); put back in rotation on haproxy " + haproxy.runtimeApi());
    assertThat(haproxy.serverStates().get(host)).isEqualTo("UP");
    assertThat(slow.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void putBackThatFailsOnOneOfTwoLoadBalancersNamesTheHostAndWhereItIsLeftOut(@TempDir Path second) throws Exception {
    Haproxy other = Haproxy.start(Haproxy.executable().orElseThrow(), DemoFleet.freePorts(1).get(0), fleet.hosts(), second);
    HaproxyLoadBalancer lb2 = HaproxyLoadBalancer.builder().runtimeApi(other.runtimeApi()).backend("demo").build();
    try {
      other.awaitAllUp(DEADLINE);
      HostReport report = run(host(),
          LoadBalancerStep.takeOut().loadBalancer(lb).loadBalancer(lb2).build(),
          Step.named("second-haproxy-stops", context -> other.close()),
          LoadBalancerStep.putBack().loadBalancer(lb).loadBalancer(lb2).build());

      StepReport putBack = report.failedStep().orElseThrow();
      assertThat(report.outcome()).isEqualTo(HostReport.Outcome.FAILED);
      assertThat(putBack.step()).isEqualTo("lb-put-back");
      assertThat(putBack.outcome()).startsWith(host() + " is not back in rotation everywhere: in rotation on haproxy "
          + haproxy.runtimeApi() + "; LEFT OUT on 1: haproxy " + other.runtimeApi() + " cannot be asked about server demo/"
          + host());
      assertThat(haproxy.serverStates().get(host())).as("back on the HAProxy that answered").isEqualTo("UP");
    } finally {
      other.close();
    }
  }

  @Test
  void rolloutHaltsAtTheHostWhosePutBackFailedAndLeavesTheNextUntouched(@TempDir Path second) throws Exception {
    Haproxy other = Haproxy.start(Haproxy.executable().orElseThrow(), DemoFleet.freePorts(1).get(0), fleet.hosts(), second);
    HaproxyLoadBalancer lb2 = HaproxyLoadBalancer.builder().runtimeApi(other.runtimeApi()).backend("demo").build();
    try {
      other.awaitAllUp(DEADLINE);
      var report = Rollout.builder().service(DemoBackend.SERVICE).hosts(fleet.hosts()).store(fleet.store())
          .listener(RolloutListener.silent())
          .step(LoadBalancerStep.takeOut().loadBalancer(lb).loadBalancer(lb2).build())
          .step(Step.named("second-haproxy-stops", context -> other.close()))
          .step(LoadBalancerStep.putBack().loadBalancer(lb).loadBalancer(lb2).build())
          .build().run();

      assertThat(report.hosts()).extracting(HostReport::outcome)
          .containsExactly(HostReport.Outcome.FAILED, HostReport.Outcome.UNTOUCHED);
      assertThat(report.summary()).contains(host()).contains("LEFT OUT on 1");
      assertThat(haproxy.serverStates()).allSatisfy((server, state) -> assertThat(state).isEqualTo("UP"));
    } finally {
      other.close();
    }
  }

  // ---- a host that fails after its take-out: put back, or left out and reported ----

  /** A restart that fails, as one whose command exits 1. */
  private static final Step FAILING_RESTART = Step.named("restart", context -> {
    throw new StepFailedException("restart of " + context.host() + " failed: exit 1");
  });

  @Test
  void hostWhoseRestartFailsAfterItsTakeOutIsBackInRotationUnderTheUnshuntPolicy() throws InterruptedException {
    RolloutReport report = Rollout.builder().service(DemoBackend.SERVICE).hosts(fleet.hosts()).store(fleet.store())
        .listener(RolloutListener.silent()).onFailure(FailurePolicy.UNSHUNT)
        .step(ShuntStep.shunt(DemoFleet.SHUNT)).step(fleet.drainStep())
        .step(LoadBalancerStep.takeOut().loadBalancer(lb).build())
        .step(FAILING_RESTART)
        .step(ShuntStep.unshunt())
        .step(LoadBalancerStep.putBack().loadBalancer(lb).build())
        .build().run();

    HostReport failed = report.hosts().get(0);
    assertThat(failed.outcome()).isEqualTo(HostReport.Outcome.FAILED);
    assertThat(failed.failedStep().orElseThrow().step()).isEqualTo("restart");
    assertThat(failed.leftOut()).isEmpty();
    assertThat(report.hosts().get(1).outcome()).isEqualTo(HostReport.Outcome.UNTOUCHED);
    assertThat(report.summary()).contains("  " + host() + ": FAILED at restart (").contains("; in rotation\n");
    assertThat(fleet.store().status(fleet.key(host())).shunted()).isFalse();
    assertThat(await(() -> lb.state(host()), ServerState::inRotation).description())
        .as("HAProxy put it back, once its checks passed again").isEqualTo("UP with 0 sessions");
    assertThat(haproxy.serverStates().get(host())).isEqualTo("UP");
  }

  @Test
  void hostWhoseRestartFailsAfterItsTakeOutStaysOutAndIsReportedOutUnderTheKeepOutPolicy() {
    RolloutReport report = Rollout.builder().service(DemoBackend.SERVICE).hosts(fleet.hosts()).store(fleet.store())
        .listener(RolloutListener.silent()).onFailure(FailurePolicy.LEAVE_SHUNTED)
        .step(LoadBalancerStep.takeOut().loadBalancer(lb).build())
        .step(FAILING_RESTART)
        .step(LoadBalancerStep.putBack().loadBalancer(lb).build())
        .build().run();

    HostReport failed = report.hosts().get(0);
    String out = "haproxy " + haproxy.runtimeApi() + ": " + server(host()) + ": DRAIN with 0 sessions";
    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(failed.leftOut()).containsExactly(out);
    assertThat(failed.inRotation()).isFalse();
    assertThat(report.summary()).contains("  " + host() + ": FAILED at restart (").contains("; not shunted, LEFT OUT of"
        + " rotation on " + out + "\n");
    assertThat(haproxy.serverStates().get(host())).as("left out, as the policy says").isEqualTo("DRAIN");
    assertThat(haproxy.serverStates().get(fleet.hosts().get(1))).as("untouched").isEqualTo("UP");
  }

  @Test
  void cleanUpPutsBackInRotationAServerTheFailedRolloutLeftOut() throws InterruptedException {
    fleet.store().clearJournal(DemoBackend.SERVICE);
    Rollout rollout = Rollout.builder().service(DemoBackend.SERVICE).hosts(fleet.hosts()).store(fleet.store())
        .listener(RolloutListener.silent())
        .step(LoadBalancerStep.takeOut().loadBalancer(lb).build())
        .step(FAILING_RESTART)
        .step(LoadBalancerStep.putBack().loadBalancer(lb).build())
        .build();
    rollout.run();

    List<String> restored = rollout.cleanUp();

    assertThat(restored).containsExactly(host());
    assertThat(await(haproxy::serverStates, states -> states.get(host()).equals("UP"))).containsEntry(host(), "UP");
    assertThat(fleet.store().journal(DemoBackend.SERVICE)).isEmpty();
  }

  private static CompletableFuture<HttpResponse<String>> slowRequest(Duration duration) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + haproxy.port() + "/slow?ms="
        + duration.toMillis())).timeout(DEADLINE).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HostReport run(String host, Step... steps) {
    return Rollout.builder().service(DemoBackend.SERVICE).hosts(List.of(host)).store(fleet.store())
        .listener(RolloutListener.silent()).steps(List.of(steps)).build().run().hosts().get(0);
  }

  /** {@link #run}, without the step's pre-flight: as if the load balancer changed after it passed. */
  private static HostReport runPastThePreflight(String host, LoadBalancerStep step) {
    return run(host, Step.named(step.name(), step));
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
