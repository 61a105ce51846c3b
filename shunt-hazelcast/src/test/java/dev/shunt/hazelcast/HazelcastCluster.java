package dev.shunt.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real Hazelcast members in this JVM for one test class, registered as a static
 * {@code @RegisterExtension} field: started before the class (a cluster name of its own, TCP-IP
 * join on 127.0.0.1 from port {@value #FIRST_PORT} up, no multicast, no auto-detection, no phone
 * home, log warnings only, expired entries swept every second rather than every five), emptied
 * after each test, shut down after the class. A test may {@link #terminate} a member or
 * {@link #startMember start} one more; the extension then empties and shuts down the members
 * still running.
 *
 * <p>Java serialization of any {@code dev.shunt} class is refused on members and clients, so a
 * test fails if anything of ours would travel any other way than Compact.
 *
 * <p>Shared with other modules' tests through this module's test jar.
 */
public final class HazelcastCluster implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private static final int FIRST_PORT = 5901;
  /** Held so that the level set on it is not lost when java.util.logging lets go of the logger. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  static {
    HAZELCAST_LOG.setLevel(Level.WARNING);
  }

  private final int memberCount;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private boolean shuntSerializers = true;
  private final List<HazelcastInstance> members = new ArrayList<>();
  private final List<HazelcastInstance> clients = new ArrayList<>();
  private String clusterName;

  private HazelcastCluster(int memberCount) {
    this.memberCount = memberCount;
  }

  /** A cluster of {@code memberCount} members. */
  public static HazelcastCluster withMembers(int memberCount) {
    return new HazelcastCluster(memberCount);
  }

  /** Members started with this Hazelcast property too (e.g. a smaller partition count); before the class starts. */
  public HazelcastCluster withProperty(String name, String value) {
    properties.put(name, value);
    return this;
  }

  /**
   * Members started from a {@code Config} not passed through {@code HazelcastStatusStore.configure}:
   * as if shunt-hazelcast were not on their class path.
   */
  public HazelcastCluster withoutShuntSerializers() {
    shuntSerializers = false;
    return this;
  }

  /** Starts one more member, which joins the cluster; returns once it has joined. Shut down after the class. */
  public HazelcastInstance startMember() {
    HazelcastInstance member = Hazelcast.newHazelcastInstance(memberConfig());
    members.add(member);
    return member;
  }

  /** Member {@code index} (from 0). */
  public HazelcastInstance member(int index) {
    return members.get(index);
  }

  /** The cluster's name, unique to the test class. */
  public String clusterName() {
    return clusterName;
  }

  /** {@code 127.0.0.1:port} of every running member, in the order they started. */
  public List<String> memberAddresses() {
    return running().stream().map(HazelcastCluster::address).toList();
  }

  /**
   * Kills member {@code index} abruptly, as a crash would: no goodbye to the others, no handing
   * over of its partitions. Returns once every other member has seen it go.
   */
  public void terminate(int index) throws InterruptedException {
    HazelcastInstance dying = members.get(index);
    dying.getLifecycleService().terminate();
    int left = running().size();
    Poll.until(Duration.ofSeconds(30), "the other members see member " + index + " go",
        () -> running().stream().allMatch(member -> member.getCluster().getMembers().size() == left));
  }

  /**
   * Starts one more member of this cluster, its configuration first passed to {@code adjust}
   * (e.g. {@code HazelcastShutdown::configure}); it is shut down after the class if still running.
   */
  public HazelcastInstance startMember(Consumer<Config> adjust) {
    Config config = memberConfig();
    adjust.accept(config);
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    members.add(member);
    return member;
  }

  /** A new client of this cluster, configured with {@link HazelcastStatusStore#configure(ClientConfig)}. */
  public HazelcastInstance newClient() {
    return newClient(HazelcastStatusStore.configure(new ClientConfig()));
  }

  /** A new client of this cluster that was not passed through {@code HazelcastStatusStore.configure}. */
  HazelcastInstance newUnconfiguredClient() {
    return newClient(new ClientConfig());
  }

  private HazelcastInstance newClient(ClientConfig config) {
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.logging.type", "jdk");
    refuseJavaSerializationOfShuntClasses(config.getSerializationConfig());
    config.getNetworkConfig().addAddress(memberAddresses().toArray(String[]::new));
    config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(10_000);
    HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
    clients.add(client);
    return client;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    clusterName = context.getRequiredTestClass().getSimpleName() + "-" + UUID.randomUUID();
    for (int i = 0; i < memberCount; i++) {
      members.add(Hazelcast.newHazelcastInstance(memberConfig()));
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (DistributedObject object : running().get(0).getDistributedObjects()) {
      if (object instanceof IMap<?, ?> map) {
        map.clear();
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    clients.forEach(HazelcastInstance::shutdown);
    // The newest member first: the others then see it leave rather than suspect it dead.
    List<HazelcastInstance> running = running();
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).shutdown();
    }
  }

  /** The members not terminated, in the order they started. */
  private List<HazelcastInstance> running() {
    return members.stream().filter(member -> member.getLifecycleService().isRunning()).toList();
  }

  private Config memberConfig() {
    Config config = shuntSerializers ? HazelcastStatusStore.configure(new Config()) : new Config();
    config.setClusterName(clusterName);
    properties.forEach(config::setProperty);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // So that a lapsed lease's expired event comes within about a second (default: 5 s).
    config.setProperty("hazelcast.internal.map.expiration.task.period.seconds", "1");
    refuseJavaSerializationOfShuntClasses(config.getSerializationConfig());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(FIRST_PORT).setPortAutoIncrement(true).setPortCount(100);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    running().forEach(member -> join.getTcpIpConfig().addMember(address(member)));
    if (members.isEmpty()) {
      join.getTcpIpConfig().addMember("127.0.0.1");
    }
    return config;
  }

  private static void refuseJavaSerializationOfShuntClasses(SerializationConfig config) {
    JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
    filter.getBlacklist().addPrefixes("dev.shunt.");
    config.setJavaSerializationFilterConfig(filter);
  }

  private static String address(HazelcastInstance member) {
    return "127.0.0.1:" + member.getCluster().getLocalMember().getAddress().getPort();
  }
}
