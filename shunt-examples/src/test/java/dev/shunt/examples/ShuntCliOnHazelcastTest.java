package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.HazelcastClient;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.hazelcast.HazelcastCluster;
import dev.shunt.hazelcast.HazelcastStatusStore;
import dev.shunt.workflow.cli.ShuntCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The command line on a real Hazelcast cluster, through a {@code hazelcast://} store spec. */
class ShuntCliOnHazelcastTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(2);

  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");

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
    return HazelcastStatusStore.create(CLUSTER.member(0));
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

    assertThat(run.out()).isEqualTo("checkout/web-1: " + shunted + "\ncheckout: 1 shunted; maintenance off\n");
  }

  @Test
  void unshuntIsSeenByTheCluster() {
    memberStore().shunt(WEB_1, ShuntRequest.of("disk", "ops"));

    Run run = shunt(spec(), "unshunt", "web-1");

    assertThat(run.out()).isEqualTo("checkout/web-1: in rotation\n");
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
