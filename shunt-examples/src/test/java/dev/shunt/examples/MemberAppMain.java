package dev.shunt.examples;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.sun.net.httpserver.HttpServer;
import dev.shunt.GracefulShutdown;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.httpserver.HttpServerHealth;
import dev.shunt.hazelcast.HazelcastShutdown;
import dev.shunt.hazelcast.HazelcastStatusStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * An app that is a Hazelcast member, wired as the README says: Hazelcast's own shutdown hook off,
 * the member {@link GracefulShutdown}'s last phase. Joins the cluster named by its arguments,
 * prints {@code ready} and waits for its SIGTERM. No load balancer checks it, so the drain ends
 * after a short health-check timeout.
 *
 * <p>Arguments: {@code CLUSTER_NAME MEMBER_ADDRESS...}
 */
public final class MemberAppMain {
  private MemberAppMain() {}

  public static void main(String[] args) throws Exception {
    Config config = HazelcastShutdown.configure(HazelcastStatusStore.configure(new Config()));
    config.setClusterName(args[0]);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "none");
    config.getNetworkConfig().setPort(5901).setPortAutoIncrement(true).setPortCount(100)
        .getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (int i = 1; i < args.length; i++) {
      join.getTcpIpConfig().addMember(args[i]);
    }
    HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
    HealthResponder health = HealthResponder.builder()
        .store(HazelcastStatusStore.builder(hz).build())
        .key(InstanceKey.of("member-app", "child"))
        .healthcheckTimeout(Duration.ofMillis(200))
        .build();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", exchange -> exchange.close()).getFilters().add(HttpServerHealth.filter(health));
    server.start();
    GracefulShutdown.builder()
        .responder(health)
        .stopServer(() -> server.stop(0))
        .then(HazelcastShutdown.member(hz))
        .build()
        .installOnShutdown();
    System.out.println("ready");
    Thread.sleep(Long.MAX_VALUE);
  }
}
