package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import dev.shunt.InstanceKey;
import dev.shunt.OpenedStore;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStores;
import dev.shunt.StoreException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code hazelcast://} specs open a store on a new client of a running cluster. */
class HazelcastStoreProviderTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(2);

  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");

  private static String spec() {
    return "hazelcast://" + String.join(",", CLUSTER.memberAddresses()) + "?cluster=" + CLUSTER.clusterName();
  }

  @Test
  void specOpensAStoreOnAClientOfTheCluster() {
    try (OpenedStore opened = StatusStores.open(spec())) {
      opened.store().shunt(WEB_1, ShuntRequest.of("deploy", "cli"));

      assertThat(opened.store()).isInstanceOf(HazelcastStatusStore.class);
      assertThat(HazelcastStatusStore.builder(CLUSTER.member(1)).build().status(WEB_1).reason()).isEqualTo("deploy");
    }
  }

  @Test
  void specOffersTheClusterSafetyGateOfItsClient() throws Exception {
    try (OpenedStore opened = StatusStores.open(spec())) {
      GateContext context = GateContext.forHost("web-1");

      opened.clusterGate().orElseThrow().beforeRestart().run(context);

      assertThat(opened.clusterGate().orElseThrow()).isInstanceOf(ClusterSafety.class);
      assertThat(context.outcome()).matches("cluster safe, " + CLUSTER.memberAddresses().size() + " members, after \\d+ ms");
    }
  }

  @Test
  void specOffersADeployLockOnTheCluster() {
    try (OpenedStore opened = StatusStores.open(spec())) {
      opened.deployLock().orElseThrow().tryAcquire("checkout", "ci", "deploy", Duration.ofMinutes(1)).orElseThrow();

      assertThat(opened.deployLock().orElseThrow()).isInstanceOf(HazelcastDeployLock.class);
      assertThat(HazelcastDeployLock.builder(CLUSTER.member(1)).build().holder("checkout")).hasValueSatisfying(grant ->
          assertThat(grant.owner()).isEqualTo("ci"));
    }
  }

  @Test
  void closingTheOpenedStoreShutsItsClientDown() {
    Set<HazelcastInstance> before = new HashSet<>(HazelcastClient.getAllHazelcastClients());
    OpenedStore opened = StatusStores.open(spec());
    Set<HazelcastInstance> opening = new HashSet<>(HazelcastClient.getAllHazelcastClients());
    opening.removeAll(before);
    assertThat(opening).hasSize(1);
    HazelcastInstance client = opening.iterator().next();

    opened.close();

    assertThat(client.getLifecycleService().isRunning()).isFalse();
  }

  @Test
  void specWithOneMemberFindsTheCluster() {
    try (OpenedStore opened = StatusStores.open("hazelcast://" + CLUSTER.memberAddresses().get(0)
        + "?cluster=" + CLUSTER.clusterName())) {
      opened.store().shunt(WEB_1, ShuntRequest.of("deploy", "cli"));

      assertThat(HazelcastStatusStore.builder(CLUSTER.member(1)).build().status(WEB_1).shunted()).isTrue();
    }
  }

  @Test
  void clusterThatDoesNotAnswerFailsWithinTheConnectTimeout() {
    String spec = "hazelcast://" + CLUSTER.memberAddresses().get(0) + "?cluster=no-such-cluster&connectTimeout=PT1S";

    assertThatThrownBy(() -> StatusStores.open(spec))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot connect to the Hazelcast cluster 'no-such-cluster' at ["
            + CLUSTER.memberAddresses().get(0) + "] within PT1S (store spec '" + spec + "'): ")
        .satisfies(e -> assertThat(((StoreException) e).retryable())
            .as("retryable: a wrong cluster name does not heal, and the client tried for PT1S").isFalse());
  }

  @Test
  void unknownSchemeListsHazelcastAmongTheKnownOnes() {
    assertThatThrownBy(() -> StatusStores.open("hz://127.0.0.1"))
        .hasMessageContaining("hazelcast: (e.g. hazelcast://10.0.0.1:5701,10.0.0.2:5701?cluster=shunt)");
  }

  @Test
  void specWithoutSlashesIsMalformed() {
    assertThatThrownBy(() -> StatusStores.open("hazelcast:127.0.0.1:5701"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("store spec 'hazelcast:127.0.0.1:5701' is malformed: it must start with hazelcast://"
            + " (e.g. hazelcast://10.0.0.1:5701,10.0.0.2:5701?cluster=shunt)");
  }

  @Test
  void specWithoutAddressIsMalformed() {
    assertThatThrownBy(() -> StatusStores.open("hazelcast://?cluster=dev"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("store spec 'hazelcast://?cluster=dev' is malformed: '' is not HOST or HOST:PORT");
  }

  @Test
  void specWithAPortOutOfRangeIsMalformed() {
    assertThatThrownBy(() -> StatusStores.open("hazelcast://10.0.0.1:70000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("store spec 'hazelcast://10.0.0.1:70000' is malformed: port 70000 of"
            + " '10.0.0.1:70000' is not from 1 to 65535");
  }

  @Test
  void specWithAnUnknownParameterIsMalformed() {
    assertThatThrownBy(() -> StatusStores.open("hazelcast://10.0.0.1?clutser=shunt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("store spec 'hazelcast://10.0.0.1?clutser=shunt' is malformed: unknown parameter"
            + " 'clutser'; known: cluster, connectTimeout");
  }

  @Test
  void specWithANonIsoConnectTimeoutIsMalformed() {
    assertThatThrownBy(() -> StatusStores.open("hazelcast://10.0.0.1?connectTimeout=10s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("store spec 'hazelcast://10.0.0.1?connectTimeout=10s' is malformed: connectTimeout"
            + " must be a positive ISO-8601 duration such as PT30S, was '10s'");
  }
}
