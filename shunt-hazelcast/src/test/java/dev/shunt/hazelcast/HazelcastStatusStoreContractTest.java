package dev.shunt.hazelcast;

import dev.shunt.StatusStore;
import dev.shunt.testing.StatusStoreContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link StatusStore} contract that the stores in shunt-core keep, kept by the Hazelcast
 * store too: on the second of two members, so that most keys live on the other one.
 */
class HazelcastStatusStoreContractTest extends StatusStoreContract {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(2);

  @Override
  protected StatusStore newStore(Clock clock) {
    return HazelcastStatusStore.builder(CLUSTER.member(1)).clock(clock).build();
  }

  @AfterEach
  void closeStore() {
    ((HazelcastStatusStore) store).close();
  }
}
