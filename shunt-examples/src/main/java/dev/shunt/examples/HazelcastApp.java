package dev.shunt.examples;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shunt.GracefulShutdown;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.ShutdownPhase;
import dev.shunt.hazelcast.HazelcastShutdown;
import dev.shunt.hazelcast.HazelcastStatusStore;
import dev.shunt.httpserver.HttpServerHealth;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An application that is a Hazelcast member, for the drill and the benchmark of rolling restarts
 * of such apps ({@link HazelcastAppFleet}): its member holds shunt's statuses (a
 * {@link HazelcastStatusStore} on it) and the application's own map {@value #DATA_MAP} (backup
 * count 1, Hazelcast's default, set explicitly), over {@value #PARTITIONS} partitions; a JDK
 * {@code HttpServer} answers {@code /} and {@code /health}, the latter through shunt's health
 * responder.
 *
 * <pre>
 * java -cp CLASSPATH dev.shunt.examples.HazelcastApp 127.0.0.1:8081 MEMBER_PORT MEMBER_PORT,... CLUSTER_NAME
 * </pre>
 *
 * <p>It starts its member (TCP-IP join on 127.0.0.1 to the given member ports), then its HTTP
 * server: once {@code /} answers, the member has joined. On SIGTERM it runs shunt's
 * {@link GracefulShutdown} (NACKs until HAProxy has seen them, requests in flight, server), whose
 * last phase shuts its member down gracefully ({@link HazelcastShutdown#member}: its partitions
 * migrate to the others first); Hazelcast's own shutdown hook is off ({@link
 * HazelcastShutdown#configure}), so the two do not race.
 *
 * <p>It prints, for the drill and the benchmark to read: {@code listening}, each migration
 * process its member hears of ({@code migration started …}, {@code migration finished …} with
 * Hazelcast's own figures), each member that joins or leaves, each partition of its maps that
 * lost every copy ({@code entries lost …}), and the shutdown.
 */
public final class HazelcastApp {
  /** The service name of every such app. */
  public static final String SERVICE = "orders";
  /** The application's map. */
  public static final String DATA_MAP = "app.orders";
  /** How long a graceful member shutdown may migrate before Hazelcast gives up and leaves anyway. */
  private static final int GRACEFUL_MAX_WAIT_SECONDS = 120;
  /**
   * Partitions of the cluster (Hazelcast's default: 271). On a small machine a migration's time
   * grows with the partitions more than with the bytes: with 1021 the migrations after a member
   * leaves or joins last as long as a larger data set's would (see docs/RELIABILITY.md).
   */
  public static final int PARTITIONS = 1021;
  /** Held so that the level set on it is not lost when java.util.logging lets go of the logger. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  private HazelcastApp() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: HazelcastApp <address:port> <member-port> <member-port,...> <cluster-name>");
      System.exit(2);
    }
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HAZELCAST_LOG.setLevel(Level.WARNING);
    String host = args[0];
    int httpPort = Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
    long pid = ProcessHandle.current().pid();

    HazelcastInstance member = Hazelcast.newHazelcastInstance(
        memberConfig(Integer.parseInt(args[1]), List.of(args[2].split(",")), args[3]));
    member.getPartitionService().addMigrationListener(new MigrationPrinter());
    member.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        print("member added: " + event.getMember().getAddress() + ", " + event.getMembers().size() + " members");
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        print("member removed: " + event.getMember().getAddress() + ", " + event.getMembers().size() + " members");
      }
    });
    HazelcastStatusStore store = HazelcastStatusStore.builder(member).build();
    // Fired when a partition lost every copy of a map's entries (more copies than its backup count).
    for (String map : List.of(DATA_MAP, store.statusMap(), store.journalMap())) {
      member.getMap(map).addPartitionLostListener(event -> print("entries lost: map " + map + ", partition "
          + event.getPartitionId()));
    }

    HealthResponder responder = HealthResponder.builder().store(store).key(InstanceKey.of(SERVICE, host))
        .path("/health").build();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 128);
    ExecutorService workers = Executors.newFixedThreadPool(16);
    server.setExecutor(workers);
    server.createContext("/", exchange -> serve(exchange, host)).getFilters()
        .add(HttpServerHealth.filter(responder));
    server.start();

    // On SIGTERM: NACKs, requests in flight, the server, the store's listeners, and the member last.
    GracefulShutdown.builder().responder(responder)
        .stopServer(() -> {
          server.stop(0);
          workers.shutdown();
        })
        .then(ShutdownPhase.of("status store", Duration.ofSeconds(10), store))
        .then(HazelcastShutdown.member(member))
        .build()
        .installOnShutdown();
    print("listening on " + host + ", pid " + pid + ", member " + member.getCluster().getLocalMember().getAddress()
        + " of " + member.getCluster().getMembers().size());
  }

  /** The member's configuration: shunt's serializers, the app's map, a fixed port, Hazelcast's hook off. */
  static Config memberConfig(int port, List<String> memberPorts, String clusterName) {
    Config config = HazelcastStatusStore.configure(new Config());
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // GracefulShutdown shuts the member down, after the server; Hazelcast's own hook would race it.
    HazelcastShutdown.configure(config);
    config.setProperty("hazelcast.graceful.shutdown.max.wait", Integer.toString(GRACEFUL_MAX_WAIT_SECONDS));
    config.setProperty("hazelcast.partition.count", Integer.toString(PARTITIONS));
    config.getMapConfig(DATA_MAP).setBackupCount(1).setAsyncBackupCount(0);
    NetworkConfig network = config.getNetworkConfig();
    // Reuse: the restarted member binds the port its predecessor left a moment ago.
    network.setPort(port).setPortAutoIncrement(false).setReuseAddress(true);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    memberPorts.forEach(memberPort -> join.getTcpIpConfig().addMember("127.0.0.1:" + memberPort));
    return config;
  }

  /**
   * Answers {@code /}. It does not read the application's map: while a killed member's partitions
   * are taken over, such a read waits for the cluster, whatever the rollout does (see
   * docs/RELIABILITY.md), and the drill counts what a rollout decides, where requests go.
   */
  private static void serve(HttpExchange exchange, String host) throws IOException {
    try (exchange) {
      byte[] body = ("ok from " + host + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void print(String line) {
    System.out.println(System.currentTimeMillis() + " " + line);
  }

  /** Prints each migration process with the figures Hazelcast gives for it. */
  private static final class MigrationPrinter implements MigrationListener {
    @Override
    public void migrationStarted(MigrationState state) {
      print("migration started: at " + state.getStartTime() + ", planned " + state.getPlannedMigrations());
    }

    @Override
    public void migrationFinished(MigrationState state) {
      print("migration finished: started at " + state.getStartTime() + ", planned " + state.getPlannedMigrations()
          + ", completed " + state.getCompletedMigrations() + ", remaining " + state.getRemainingMigrations()
          + ", elapsed " + state.getTotalElapsedTime() + " ms, wall "
          + (System.currentTimeMillis() - state.getStartTime()) + " ms");
    }

    @Override
    public void replicaMigrationCompleted(ReplicaMigrationEvent event) {}

    @Override
    public void replicaMigrationFailed(ReplicaMigrationEvent event) {}
  }
}
