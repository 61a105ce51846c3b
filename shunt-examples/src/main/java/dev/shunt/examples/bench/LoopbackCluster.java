package dev.shunt.examples.bench;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.LocalMapStats;
import dev.shunt.hazelcast.HazelcastStatusStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Real Hazelcast members in this JVM, configured for {@link HazelcastStatusStore}: a cluster
 * name of their own, TCP-IP join on 127.0.0.1 only (no multicast, no auto-detection), no phone
 * home, Hazelcast's log at warnings.
 */
final class LoopbackCluster implements AutoCloseable {
  private static final int FIRST_PORT = 6301;
  /** Held so that the level set on it is not lost when java.util.logging lets go of the logger. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  private final String name = "shunt-bench-" + UUID.randomUUID();
  private final List<HazelcastInstance> members = new ArrayList<>();

  private LoopbackCluster() {}

  /** Starts {@code size} members; returns once all have joined. */
  static LoopbackCluster start(int size) {
    HAZELCAST_LOG.setLevel(Level.WARNING);
    LoopbackCluster cluster = new LoopbackCluster();
    try {
      for (int i = 0; i < size; i++) {
        cluster.members.add(Hazelcast.newHazelcastInstance(cluster.memberConfig()));
      }
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  HazelcastInstance member(int index) {
    return members.get(index);
  }

  /**
   * Map operations counted so far by every member's local statistics of {@code maps}: gets,
   * puts, sets, removes and others (entry processors among them), on the entries each member owns.
   */
  long mapOperations(String... maps) {
    long operations = 0;
    for (HazelcastInstance member : members) {
      for (String map : maps) {
        LocalMapStats stats = member.getMap(map).getLocalMapStats();
        operations += stats.getGetOperationCount() + stats.getPutOperationCount() + stats.getSetOperationCount()
            + stats.getRemoveOperationCount() + stats.getOtherOperationCount();
      }
    }
    return operations;
  }

  private Config memberConfig() {
    Config config = HazelcastStatusStore.configure(new Config());
    config.setClusterName(name);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.socket.bind.any", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(FIRST_PORT).setPortAutoIncrement(true).setPortCount(100);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    members.forEach(member -> join.getTcpIpConfig()
        .addMember("127.0.0.1:" + member.getCluster().getLocalMember().getAddress().getPort()));
    return config;
  }

  /**
   * Shuts the members down, the newest first. Hazelcast's warnings are silenced meanwhile: the
   * members left behind warn about the ones already gone, which is no news here.
   */
  @Override
  public void close() {
    HAZELCAST_LOG.setLevel(Level.SEVERE);
    for (int i = members.size() - 1; i >= 0; i--) {
      members.get(i).shutdown();
    }
  }
}
