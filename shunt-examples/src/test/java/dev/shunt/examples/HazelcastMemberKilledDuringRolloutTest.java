package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cluster.Member;
import com.hazelcast.map.IMap;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.hazelcast.HazelcastCluster;
import dev.shunt.hazelcast.HazelcastStatusStore;
import dev.shunt.hazelcast.internal.MapKey;
import dev.shunt.hazelcast.internal.ServiceLedger;
import dev.shunt.httpserver.HttpServerHealth;
import dev.shunt.workflow.AwaitCheckersStep;
import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RetryPolicy;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.StepOptions;
import dev.shunt.workflow.StepReport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault drill: a Hazelcast member killed during a rollout. Five real members in this JVM; three
 * backends, also in this JVM (a JDK {@code HttpServer} each, with the health responder on a
 * {@link HazelcastStatusStore} of members 0, 1 and 2), behind a real HAProxy under steady client
 * traffic; the rollout runs through a store on a Hazelcast client, with retries on its steps.
 * Members 3 and 4 serve no backend; each test terminates one of them — a crash: no goodbye, no
 * handing over of its entries — in the middle of the rollout, after statuses of another service
 * were written, some of them with their primary copy on that member.
 *
 * <p>Under {@code CI=true} a missing {@code haproxy} fails the tests; elsewhere they are skipped.
 */
@Tag("drill") // long: run by .ci/run through -Pdrills, not by ./mvnw install
class HazelcastMemberKilledDuringRolloutTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(5);

  private static final int BACKENDS = 3;
  private static final int REQUESTS_PER_SECOND = 200;
  private static final RetryPolicy RETRY = RetryPolicy.builder().maxAttempts(5)
      .initialWait(Duration.ofMillis(200)).maxWait(Duration.ofSeconds(2)).build();
  private static final MaintenanceFlag MAINTENANCE = MaintenanceFlag.of("ledger migration", "ops",
      Instant.parse("2026-11-23T08:00:00Z"));

  private static Path haproxyExecutable;

  private final List<Backend> backends = new ArrayList<>();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private Haproxy haproxy;
  private LoadGenerator.Result traffic;

  @BeforeAll
  static void findHaproxy() {
    haproxyExecutable = HaproxyRequirement.haproxy();
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    backends.forEach(Backend::close);
  }

  /**
   * The member that holds the primary copy of the service's entry, which every shunt and unshunt
   * of the service updates, dies as the second host's drain starts.
   */
  @Test
  void memberDyingDuringADrainCostsNoRequestAndNoStatus(@TempDir Path directory) throws Exception {
    int dying = 3;
    String service = firstOwnedBy(dying, name -> name);
    List<String> hosts = startFleet(service, directory);
    Map<InstanceKey, ShuntStatus> billing = shuntAnotherService(dying);
    Killer killer = new Killer(hosts.get(1), "drain", () -> CLUSTER.terminate(dying));

    RolloutReport report = rollUnderLoad(service, hosts, killer);

    assertThat(CLUSTER.member(dying).getLifecycleService().isRunning()).isFalse();
    assertNothingLost(report, service, hosts, billing);
  }

  /**
   * The worst moment: the second host's shunt is in flight on the member that owns its status
   * when that member dies. Hazelcast's client does not send such a write again by itself; the
   * store reports it as retryable, and the step's retry policy makes it again.
   */
  @Test
  void shuntCutOffByAMemberDyingIsMadeAgainAndTheRolloutGoesOn(@TempDir Path directory) throws Exception {
    int dying = 4;
    List<Integer> ports = DemoFleet.freePorts(BACKENDS + 1);
    String second = "127.0.0.1:" + ports.get(1);
    String service = firstOwnedBy(dying, name -> MapKey.of(InstanceKey.of(name, second)));
    List<String> hosts = startFleet(service, directory, ports);
    Map<InstanceKey, ShuntStatus> billing = shuntAnotherService(dying);
    MapKey status = MapKey.of(InstanceKey.of(service, second));
    IMap<MapKey, ShuntStatus> statuses = CLUSTER.member(0).getMap(HazelcastStatusStore.DEFAULT_STATUS_MAP);
    IMap<String, ServiceLedger> services = CLUSTER.member(0).getMap(HazelcastStatusStore.DEFAULT_SERVICES_MAP);
    // The shunt's entry processor waits for this lock on the member that owns the entry, until that member dies.
    statuses.lock(status);
    Killer killer = new Killer(second, "shunt", () -> {
      await("the shunt of " + second + " took its place in the budget, before its status write",
          () -> Optional.ofNullable(services.get(service)).filter(ledger -> ledger.out().containsKey(second))
              .isPresent());
      Thread.sleep(300);
      CLUSTER.terminate(dying);
      statuses.forceUnlock(status);
    });

    RolloutReport report = rollUnderLoad(service, hosts, killer);

    assertThat(report.hosts().get(1).steps().get(0)).satisfies(shunt -> {
      assertThat(shunt.step()).isEqualTo("shunt");
      assertThat(shunt.attempts()).as("attempts of the shunt cut off by the member's death").isEqualTo(2);
    });
    assertNothingLost(report, service, hosts, billing);
  }

  /**
   * The first of {@code checkout-0}, {@code checkout-1}… whose key (made by {@code key}) has its
   * primary copy on member {@code index}.
   */
  private static String firstOwnedBy(int index, Function<String, Object> key) {
    Member member = CLUSTER.member(index).getCluster().getLocalMember();
    return IntStream.range(0, 1000).mapToObj(i -> "checkout-" + i)
        .filter(name -> ownerOf(key.apply(name)).equals(member)).findFirst().orElseThrow();
  }

  private static Member ownerOf(Object key) {
    return CLUSTER.member(0).getPartitionService().getPartition(key).getOwner();
  }

  private List<String> startFleet(String service, Path directory) throws IOException {
    return startFleet(service, directory, DemoFleet.freePorts(BACKENDS + 1));
  }

  /** Starts the backends on the first ports, HAProxy in front of them on the last; returns their hosts. */
  private List<String> startFleet(String service, Path directory, List<Integer> ports) throws IOException {
    for (int i = 0; i < BACKENDS; i++) {
      HazelcastStatusStore memberStore = closeLater(HazelcastStatusStore.builder(CLUSTER.member(i)).build());
      Backend backend = new Backend(service, "127.0.0.1:" + ports.get(i), memberStore);
      backends.add(backend);
      backend.start();
    }
    List<String> hosts = backends.stream().map(backend -> backend.host).toList();
    haproxy = closeLater(Haproxy.start(haproxyExecutable, ports.get(BACKENDS), hosts, directory));
    haproxy.awaitAllUp(Duration.ofSeconds(10));
    return hosts;
  }

  /**
   * Shunts 50 hosts of {@code billing} and puts it in maintenance, through member 0; some of the
   * shunts have their primary copy on the member {@code dying}.
   */
  private Map<InstanceKey, ShuntStatus> shuntAnotherService(int dying) {
    HazelcastStatusStore store = closeLater(HazelcastStatusStore.builder(CLUSTER.member(0)).build());
    Map<InstanceKey, ShuntStatus> billing = new LinkedHashMap<>();
    for (int i = 1; i <= 50; i++) {
      InstanceKey key = InstanceKey.of("billing", "b-" + i);
      billing.put(key, store.shunt(key, ShuntRequest.of("disk swap", "ops")));
    }
    store.startMaintenance("billing", MAINTENANCE);
    Member member = CLUSTER.member(dying).getCluster().getLocalMember();
    assertThat(billing.keySet()).as("statuses whose primary copy is on the member that dies")
        .anyMatch(key -> ownerOf(MapKey.of(key)).equals(member));
    return billing;
  }

  /** The usual rollout through a client's store, with retries, under client traffic through HAProxy. */
  private RolloutReport rollUnderLoad(String service, List<String> hosts, Killer killer) throws InterruptedException {
    HazelcastStatusStore store = closeLater(HazelcastStatusStore.builder(CLUSTER.newClient()).build());
    Rollout rollout = Rollout.builder()
        .service(service)
        .hosts(hosts)
        .store(store)
        .stepDefaults(StepOptions.none().withRetry(RETRY))
        .listener(killer)
        .steps(List.of(
            ShuntStep.shunt(ShuntRequest.of("drill: a member dies", "shunt-drill").withTtl(Duration.ofMinutes(2))),
            AwaitCheckersStep.drain().times(Haproxy.FALL).timeout(Duration.ofSeconds(30)).build(),
            Step.named("restart", context -> backend(context.host()).restart()),
            AwaitHttpStep.builder().url("http://{host}/").interval(Duration.ofMillis(100))
                .timeout(Duration.ofSeconds(30)).build(),
            ShuntStep.unshunt(),
            AwaitCheckersStep.rotation().times(Haproxy.RISE).timeout(Duration.ofSeconds(30)).build()))
        .build();
    LoadGenerator load = LoadGenerator.start(URI.create("http://127.0.0.1:" + haproxy.port() + "/"),
        REQUESTS_PER_SECOND, Duration.ofMinutes(2));
    RollingRestartBehindHaproxyTest.awaitRequests(load, 100);
    RolloutReport report = rollout.run();
    killer.awaitKilled();
    traffic = load.stop();
    System.out.println(report.summary());
    System.out.println("client traffic: " + traffic + "; step attempts: " + attempts(report));
    assertThat(killer.killedDuring(report)).as("the member was killed during the rollout").isTrue();
    return report;
  }

  /** The rollout completed, every host restarted once, no request failed, the other service's statuses are whole. */
  private void assertNothingLost(RolloutReport report, String service, List<String> hosts,
      Map<InstanceKey, ShuntStatus> billing) {
    assertThat(report.succeeded()).as(report.summary()).isTrue();
    assertThat(report.hosts(HostReport.Outcome.DONE)).containsExactlyElementsOf(hosts);
    assertThat(backends).allSatisfy(backend -> assertThat(backend.restarts).as(backend.host).hasValue(1));
    assertThat(traffic.failed()).as("failed client requests: %s", traffic).isZero();
    assertThat(haproxy.serverStates()).containsOnlyKeys(hosts).allSatisfy((server, state) ->
        assertThat(state).as(server).isEqualTo("UP"));
    try (HazelcastStatusStore after = HazelcastStatusStore.builder(CLUSTER.newClient()).build()) {
      assertThat(after.shuntedInstances("billing")).as("shunts made before the member died").isEqualTo(billing);
      assertThat(after.maintenance("billing")).as("maintenance flag set before the member died")
          .isEqualTo(Optional.of(MAINTENANCE));
      assertThat(after.shuntedInstances(service)).as("the rollout's hosts are back in rotation").isEmpty();
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  private Backend backend(String host) {
    return backends.stream().filter(backend -> backend.host.equals(host)).findFirst().orElseThrow();
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    closing.add(resource);
    return resource;
  }

  private static Map<String, List<Integer>> attempts(RolloutReport report) {
    Map<String, List<Integer>> attempts = new LinkedHashMap<>();
    report.hosts().forEach(host -> attempts.put(host.host(),
        host.steps().stream().map(StepReport::attempts).toList()));
    return attempts;
  }

  /** What kills the member; may wait for the right moment first. */
  @FunctionalInterface
  private interface Kill {
    void run() throws Exception;
  }

  /** Runs a {@link Kill}, on a thread of its own, when a step starts on a host; forwards progress to the console. */
  private static final class Killer implements RolloutListener {
    private final RolloutListener console = RolloutListener.console(System.out);
    private final String host;
    private final String step;
    private final Kill kill;
    private final AtomicReference<Instant> killedAt = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Thread thread;

    Killer(String host, String step, Kill kill) {
      this.host = host;
      this.step = step;
      this.kill = kill;
    }

    @Override
    public void stepStarted(String host, String step) {
      console.stepStarted(host, step);
      if (host.equals(this.host) && step.equals(this.step) && thread == null) {
        thread = new Thread(() -> {
          try {
            kill.run();
            killedAt.set(Instant.now());
            System.out.println("the member is gone for the others");
          } catch (Throwable e) {
            failure.set(e);
          }
        }, "kill-member");
        thread.start();
      }
    }

    @Override
    public void stepRetrying(String host, String step, int failedAttempt, Throwable error, Duration wait) {
      console.stepRetrying(host, step, failedAttempt, error, wait);
    }

    @Override
    public void stepFinished(String host, StepReport step) {
      console.stepFinished(host, step);
    }

    @Override
    public void log(String host, String line) {
      console.log(host, line);
    }

    @Override
    public void halting(String reason) {
      console.halting(reason);
    }

    void awaitKilled() throws InterruptedException {
      assertThat(thread).as("the kill was triggered").isNotNull();
      thread.join(Duration.ofSeconds(60).toMillis());
      assertThat(thread.isAlive()).as("the kill is over").isFalse();
      assertThat(failure.get()).as("the kill failed").isNull();
    }

    boolean killedDuring(RolloutReport report) {
      Instant at = killedAt.get();
      return at != null && at.isAfter(report.start()) && at.isBefore(report.end());
    }
  }

  /**
   * A backend in this JVM: a JDK {@code HttpServer} on a fixed port, answering {@code /} with its
   * name, behind a health responder on a Hazelcast member's store. A restart stops the server
   * (letting requests in flight finish) and starts a new one, with a new responder, on the same port.
   */
  private static final class Backend {
    final String host;
    final AtomicInteger restarts = new AtomicInteger();
    private final String service;
    private final StatusStore store;
    private HttpServer server;
    private ExecutorService handlers;

    Backend(String service, String host, StatusStore store) {
      this.service = service;
      this.host = host;
      this.store = store;
    }

    synchronized void start() throws IOException {
      HealthResponder health = HealthResponder.builder().store(store).key(InstanceKey.of(service, host)).build();
      int port = Integer.parseInt(host.substring(host.indexOf(':') + 1));
      handlers = Executors.newFixedThreadPool(8);
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
      server.setExecutor(handlers);
      server.createContext("/", this::serve).getFilters().add(HttpServerHealth.filter(health));
      server.start();
    }

    synchronized void restart() throws IOException {
      stop(1);
      start();
      restarts.incrementAndGet();
    }

    private void serve(HttpExchange exchange) throws IOException {
      try (exchange) {
        byte[] body = ("ok from " + host + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }

    private void stop(int graceSeconds) {
      server.stop(graceSeconds);
      handlers.shutdown();
    }

    synchronized void close() {
      if (server != null) {
        stop(0);
      }
    }
  }
}
