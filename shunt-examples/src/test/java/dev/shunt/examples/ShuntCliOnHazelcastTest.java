package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.HazelcastClient;
import com.sun.net.httpserver.HttpServer;
import dev.shunt.DisruptionBudget;
import dev.shunt.InstanceKey;
import dev.shunt.LockGrant;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.hazelcast.HazelcastCluster;
import dev.shunt.hazelcast.HazelcastDeployLock;
import dev.shunt.hazelcast.HazelcastStatusStore;
import dev.shunt.workflow.cli.ShuntCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The command line on a real Hazelcast cluster, through a {@code hazelcast://} store spec. */
class ShuntCliOnHazelcastTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(2);

  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");
  /** A progress line of a step that succeeded; group 1 is its name. */
  private static final Pattern STEP_DONE = Pattern.compile("\\] (\\S+) ok in \\d+ ms");

  /** What one run returned and printed. */
  private record Run(int exit, String out, String err) {}

  private static String spec() {
    return "hazelcast://" + String.join(",", CLUSTER.memberAddresses()) + "?cluster=" + CLUSTER.clusterName();
  }

  private static Run shunt(String spec, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = Stream.concat(Stream.of("--store", spec, "--service", "checkout"), Stream.of(args))
        .toArray(String[]::new);
    int exit = ShuntCli.run(all, new PrintWriter(out), new PrintWriter(err));
    return new Run(exit, out.toString(), err.toString());
  }

  private static HazelcastStatusStore memberStore() {
    return HazelcastStatusStore.builder(CLUSTER.member(0)).build();
  }

  @Test
  void shuntIsSeenByTheCluster() {
    Run run = shunt(spec(), "shunt", "web-1", "--reason", "deploy", "--owner", "ci", "--ttl", "15m");

    ShuntStatus stored = memberStore().status(WEB_1);
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(stored.reason()).isEqualTo("deploy");
    assertThat(run.out()).isEqualTo("checkout/web-1: " + stored + "\n");
  }

  @Test
  void statusShowsAShuntMadeOnAMember() {
    ShuntStatus shunted = memberStore().shunt(WEB_1, ShuntRequest.of("disk", "ops"));

    Run run = shunt(spec(), "status", "web-1", "--json");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("{\"service\":\"checkout\",\"host\":\"web-1\",\"shunted\":true,\"reason\":\"disk\","
        + "\"owner\":\"ops\",\"since\":\"" + shunted.since() + "\",\"expiresAt\":null}\n");
  }

  @Test
  void statusOfTheServiceListsTheClustersShuntedHosts() {
    ShuntStatus shunted = memberStore().shunt(WEB_1, ShuntRequest.of("disk", "ops"));

    Run run = shunt(spec(), "status");

    assertThat(run.out()).isEqualTo("checkout/web-1: " + shunted + "\n"
        + "checkout: 1 shunted of 1 known host(s); no budget; maintenance off\n"
        + "checkout: deploy lock free\n");
  }

  @Test
  void staleDeployLockTakenOnAMemberIsShownAndReleasedFromTheCommandLine() {
    HazelcastDeployLock locks = HazelcastDeployLock.builder(CLUSTER.member(0)).build();
    LockGrant stale = locks.tryAcquire("checkout", "alice@ops-1", "rollout checkout-7", Duration.ofMinutes(10))
        .orElseThrow();
    String held = "held by 'alice@ops-1' (rollout checkout-7) until " + stale.expiresAt() + ", token " + stale.token();

    Run shown = shunt(spec(), "lock", "show");
    Run otherOwner = shunt(spec(), "lock", "release", "--owner", "bob@ops-2");
    Run released = shunt(spec(), "lock", "release", "--owner", "alice@ops-1");

    assertThat(shown.out()).isEqualTo("checkout: deploy lock " + held + "\n");
    assertThat(otherOwner.exit()).isEqualTo(ShuntCli.LOCK_HELD);
    assertThat(released.exit()).isZero();
    assertThat(released.out()).isEqualTo("checkout: released the deploy lock " + held + "\n");
    assertThat(locks.holder("checkout")).isEmpty();
    assertThat(locks.renew(stale, Duration.ofMinutes(10))).as("the stale holder's renewal").isFalse();
  }

  @Test
  void budgetSetOnTheCommandLineRefusesAShuntBeyondItClusterWide() {
    memberStore().shunt(WEB_1, ShuntRequest.of("disk", "ops"));

    Run set = shunt(spec(), "budget", "set", "1");
    Run refused = shunt(spec(), "shunt", "web-2");

    assertThat(set.out()).isEqualTo("checkout: budget 1; 1 of 1 known host(s) out: [web-1]\n");
    assertThat(memberStore().budget("checkout")).contains(DisruptionBudget.ofHosts(1));
    assertThat(refused.exit()).isEqualTo(ShuntCli.BUDGET_EXCEEDED);
    assertThat(refused.err()).startsWith("shunt: cannot shunt checkout/web-2: the disruption budget of checkout allows 1");
    assertThat(memberStore().status(InstanceKey.of("checkout", "web-2")).shunted()).isFalse();
  }

  @Test
  void unshuntIsSeenByTheCluster() {
    memberStore().shunt(WEB_1, ShuntRequest.of("disk", "ops"));

    Run run = shunt(spec(), "unshunt", "web-1");

    assertThat(run.out()).isEqualTo("checkout/web-1: in rotation\n");
    assertThat(memberStore().status(WEB_1).shunted()).isFalse();
  }

  @Test
  void rollIsRefusedWhileTheClusterHoldsTheDeployLockForSomeoneElse() {
    LockGrant held = HazelcastDeployLock.builder(CLUSTER.member(0)).build()
        .tryAcquire("checkout", "ops", "database migration", Duration.ofMinutes(10)).orElseThrow();

    // A readiness URL that resolves, so that the pre-flight passes and the deploy lock is what refuses.
    Run run = shunt(spec(), "roll", "web-1", "--restart", "true", "--ready-url", "http://127.0.0.1:9/");

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(ShuntCli.LOCK_HELD);
    assertThat(run.err()).startsWith("shunt: the deploy lock of checkout is held by 'ops' (database migration) until "
        + held.expiresAt() + ", token " + held.token() + "; nothing was done.");
    assertThat(memberStore().status(WEB_1).shunted()).isFalse();
  }

  @Test
  void rollHoldsTheClustersDeployLockWhileItRunsAndReleasesIt(@TempDir Path directory) throws Exception {
    HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    app.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    app.start();
    Path started = directory.resolve("started");
    Path go = directory.resolve("go");
    HazelcastDeployLock locks = HazelcastDeployLock.builder(CLUSTER.member(1)).build();
    try {
      String host = "127.0.0.1:" + app.getAddress().getPort();
      CompletableFuture<Run> roll = CompletableFuture.supplyAsync(() -> shunt(spec(), "roll", host, "--owner", "ci",
          "--restart", "touch '" + started + "'; i=0; while [ ! -e '" + go + "' ] && [ $i -lt 400 ]; do sleep 0.05;"
              + " i=$((i+1)); done", "--ready-url", "http://{host}/", "--drain-timeout", "50ms",
          "--rotation-timeout", "50ms"));
      for (int i = 0; i < 200 && !Files.exists(started); i++) {
        Thread.sleep(50);
      }
      Optional<LockGrant> holder = locks.holder("checkout");
      Files.createFile(go);
      Run run = roll.get(30, TimeUnit.SECONDS);

      assertThat(run.exit()).as(run.out() + run.err()).isZero();
      assertThat(holder).as("the lock while the restart ran").hasValueSatisfying(grant ->
          assertThat(grant.owner()).isEqualTo("ci"));
      assertThat(locks.holder("checkout")).as("the lock after the rollout").isEmpty();
    } finally {
      app.stop(0);
    }
  }

  @Test
  void rollWithClusterSafeWaitsForTheClusterBeforeTheRestartAndAfterReadiness() throws Exception {
    HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    app.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    app.start();
    try {
      String host = "127.0.0.1:" + app.getAddress().getPort();
      Run run = shunt(spec(), "roll", host, "--restart", "true", "--ready-url", "http://{host}/", "--drain-timeout",
          "50ms", "--rotation-timeout", "50ms", "--cluster-safe", "--cluster-safe-interval", "100ms");

      assertThat(run.exit()).as(run.out() + run.err()).isZero();
      assertThat(run.out().lines().map(STEP_DONE::matcher).filter(Matcher::find).map(done -> done.group(1)))
          .containsExactly("shunt", "drain", "cluster-safe", "restart", "ready", "cluster-rejoined", "unshunt", "rotation");
      assertThat(run.out()).containsPattern("cluster-safe ok in \\d+ ms: cluster safe, 2 members, after \\d+ ms\n")
          .containsPattern("cluster-rejoined ok in \\d+ ms: cluster safe, 2 members, after \\d+ ms\n");
    } finally {
      app.stop(0);
    }
  }

  @Test
  void planWithClusterSafeShowsBothGateStepsWithTheirTimeout() {
    Run run = shunt(spec(), "roll", "web-1", "--plan", "--restart", "true", "--ready-url", "http://127.0.0.1:9/",
        "--cluster-safe", "--cluster-safe-timeout", "2m", "--cluster-members", "2");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("  3. cluster-safe [GATE] timeout=PT2M waitsFor=all members, no migration,"
        + " backups in sync members=2 pollInterval=PT1S; rollout timeout none, effective PT2M;");
    assertThat(run.out()).contains("  6. cluster-rejoined [GATE] timeout=PT2M waitsFor=all members back, no"
        + " migration, backups in sync members=2 pollInterval=PT1S; rollout timeout none, effective PT2M;");
  }

  @Test
  void rollWithClusterSafeIsRefusedBeforeAnythingIsTouchedWhenMembersAreMissing() {
    Run run = shunt(spec(), "roll", "web-1", "--restart", "true", "--ready-url", "http://127.0.0.1:9/",
        "--cluster-safe", "--cluster-members", "3");

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(ShuntCli.USAGE);
    assertThat(run.err()).contains("nothing was touched", "shunt: pre-flight: ERROR web-1 [cluster-safe]: the Hazelcast"
        + " cluster has members missing: expected 3, saw 2 " + CLUSTER.memberAddresses() + " before anything was"
        + " restarted: bring the missing member back, or expect fewer\n");
    assertThat(memberStore().status(WEB_1).shunted()).isFalse();
  }

  @Test
  void eachRunShutsDownTheClientItOpened() {
    int clientsBefore = HazelcastClient.getAllHazelcastClients().size();

    shunt(spec(), "status", "web-1");

    assertThat(HazelcastClient.getAllHazelcastClients()).hasSize(clientsBefore);
  }

  @Test
  void clusterThatCannotBeReachedExitsThree() {
    String spec = "hazelcast://" + CLUSTER.memberAddresses().get(0) + "?cluster=not-this-one&connectTimeout=PT1S";

    Run run = shunt(spec, "shunt", "web-1");

    assertThat(run.exit()).isEqualTo(ShuntCli.STORE_UNAVAILABLE);
    assertThat(run.err()).startsWith("shunt: store unavailable (" + spec + "): cannot connect to the Hazelcast"
        + " cluster 'not-this-one' at [" + CLUSTER.memberAddresses().get(0) + "] within PT1S");
    assertThat(memberStore().status(WEB_1).shunted()).isFalse();
  }
}
