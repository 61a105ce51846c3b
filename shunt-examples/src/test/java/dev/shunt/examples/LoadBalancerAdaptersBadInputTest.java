package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.workflow.lb.CaddyLoadBalancer;
import dev.shunt.workflow.lb.LoadBalancerException;
import dev.shunt.workflow.lb.NginxLoadBalancer;
import dev.shunt.workflow.lb.ServerState;
import dev.shunt.workflow.lb.VarnishLoadBalancer;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Varnish, nginx and Caddy adapters against the real load balancers, over backends that need
 * not run (nothing listens on their ports): each state they report, and each bad input a clear
 * {@link LoadBalancerException} naming the load balancer, the server and what to do, with nothing
 * left changed.
 */
class LoadBalancerAdaptersBadInputTest {

  private final List<HttpServer> servers = new ArrayList<>();

  @AfterEach
  void stopServers() {
    servers.forEach(server -> server.stop(0));
  }

  private static List<String> deadHosts(int count) throws Exception {
    return DemoFleet.freePorts(count).stream().map(port -> "127.0.0.1:" + port).toList();
  }

  /** {@code count} servers on 127.0.0.1 that answer every request 200: healthy to every probe. */
  private List<String> healthyHosts(int count) throws Exception {
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.createContext("/", exchange -> {
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
      });
      server.start();
      servers.add(server);
      hosts.add("127.0.0.1:" + server.getAddress().getPort());
    }
    return hosts;
  }

  @Test
  void varnishTakesABackendOutAndPutsItBack(@TempDir Path directory) throws Exception {
    Path varnishd = LoadBalancerRequirement.varnishd();
    try (Varnish varnish = Varnish.start(varnishd, Drills.freePort(), healthyHosts(2),
        new Varnish.Probe(Duration.ofMillis(200), 1, 1), directory)) {
      VarnishLoadBalancer lb = varnish.loadBalancer();
      assertThat(lb.state("demo1").inRotation()).as("demo1 before: %s", lb.state("demo1")).isTrue();

      lb.takeOut("demo1");
      ServerState out = lb.state("demo1");
      assertThat(out.drained()).as("%s", out).isTrue();
      assertThat(out.connections()).isZero();
      lb.takeOut("demo1");

      lb.putBack("demo1");
      Drills.await(Duration.ofSeconds(10), () -> "demo1 in rotation: " + lb.state("demo1"),
          () -> lb.state("demo1").inRotation());
    }
  }

  @Test
  void varnishNamesAnUnknownBackendAndAnUnreachableInstance(@TempDir Path directory) throws Exception {
    Path varnishd = LoadBalancerRequirement.varnishd();
    try (Varnish varnish = Varnish.startUnchecked(varnishd, Drills.freePort(), deadHosts(1),
        new Varnish.Probe(Duration.ofSeconds(5), 1, 1), directory)) {
      assertThatThrownBy(() -> varnish.loadBalancer().takeOut("web9"))
          .isInstanceOf(LoadBalancerException.class)
          .hasMessageContaining("no backend 'web9'").hasMessageContaining("[demo1");
    }
    VarnishLoadBalancer nowhere = VarnishLoadBalancer.builder().instance(directory.resolve("none").toString())
        .varnishadm(varnishd.resolveSibling("varnishadm").toFile().exists()
            ? varnishd.resolveSibling("varnishadm") : Path.of("varnishadm"))
        .build();
    assertThatThrownBy(() -> nowhere.takeOut("demo1"))
        .isInstanceOf(LoadBalancerException.class)
        .hasMessageContaining("cannot be reached").hasMessageContaining("is varnishd running");
  }

  @Test
  void nginxRefusesABrokenConfigurationAndRestoresTheUpstreamFile(@TempDir Path directory) throws Exception {
    Path nginx = LoadBalancerRequirement.nginx();
    List<String> hosts = deadHosts(2);
    try (Nginx proxy = Nginx.start(nginx, Drills.freePort(), hosts, directory)) {
      NginxLoadBalancer lb = proxy.loadBalancer();
      String upstream = Files.readString(proxy.upstreamFile());
      Files.writeString(proxy.config(), Files.readString(proxy.config()).replace("worker_connections", "worker_connectionz"));

      assertThatThrownBy(() -> lb.takeOut(hosts.get(0)))
          .isInstanceOf(LoadBalancerException.class)
          .hasMessageContaining("nginx -t rejects").hasMessageContaining("worker_connectionz")
          .hasMessageContaining("restored");
      assertThat(Files.readString(proxy.upstreamFile())).isEqualTo(upstream);
      assertThat(lb.state(hosts.get(0)).inRotation()).isTrue();
    }
  }

  @Test
  void nginxTakesAServerOutWithAReloadAndNamesAnUnknownOne(@TempDir Path directory) throws Exception {
    Path nginx = LoadBalancerRequirement.nginx();
    List<String> hosts = deadHosts(2);
    try (Nginx proxy = Nginx.start(nginx, Drills.freePort(), hosts, directory)) {
      NginxLoadBalancer lb = proxy.loadBalancer();
      List<Long> workersBefore = proxy.workerPids();

      lb.takeOut(hosts.get(0));
      assertThat(Files.readString(proxy.upstreamFile())).contains("server " + hosts.get(0) + " down;")
          .contains("server " + hosts.get(1) + ";");
      assertThat(proxy.workerPids()).as("workers after the reload").isNotEqualTo(workersBefore);
      Drills.await(Duration.ofSeconds(10), () -> "drained: " + lb.state(hosts.get(0)),
          () -> lb.state(hosts.get(0)).drained());

      lb.putBack(hosts.get(0));
      Drills.await(Duration.ofSeconds(10), () -> "in rotation: " + lb.state(hosts.get(0)),
          () -> lb.state(hosts.get(0)).inRotation());
      assertThat(Files.readString(proxy.upstreamFile())).isEqualTo(Nginx.upstreamServers(hosts));

      assertThatThrownBy(() -> lb.takeOut("10.9.9.9:80"))
          .isInstanceOf(LoadBalancerException.class)
          .hasMessageContaining("no server '10.9.9.9:80'").hasMessageContaining(hosts.get(0));
    }
    NginxLoadBalancer stopped = NginxLoadBalancer.builder().upstreamFile(directory.resolve("nginx/upstream-demo.conf"))
        .nginx(nginx).config(directory.resolve("nginx/nginx.conf")).pidFile(directory.resolve("nginx/nginx.pid"))
        .build();
    assertThatThrownBy(() -> stopped.takeOut(hosts.get(0)))
        .isInstanceOf(LoadBalancerException.class)
        .hasMessageContaining("pid");
  }

  @Test
  void caddyNamesAnUnknownUpstreamAndAnUnreachableAdminApi(@TempDir Path directory) throws Exception {
    Path caddy = LoadBalancerRequirement.caddy();
    List<String> hosts = deadHosts(2);
    try (Caddy proxy = Caddy.start(caddy, Drills.freePort(), hosts, Duration.ofSeconds(5), directory)) {
      CaddyLoadBalancer lb = proxy.loadBalancer();
      assertThat(lb.state(hosts.get(0)).inRotation()).isTrue();
      lb.takeOut(hosts.get(0));
      assertThat(lb.state(hosts.get(0)).drained()).isTrue();
      lb.putBack(hosts.get(0));
      assertThat(lb.state(hosts.get(0)).inRotation()).isTrue();

      assertThatThrownBy(() -> lb.takeOut("10.9.9.9:80"))
          .isInstanceOf(LoadBalancerException.class)
          .hasMessageContaining("no upstream '10.9.9.9:80'").hasMessageContaining(hosts.get(0));
    }
    CaddyLoadBalancer nowhere = CaddyLoadBalancer.builder().adminUrl("http://127.0.0.1:" + Drills.freePort()).build();
    assertThatThrownBy(() -> nowhere.state(hosts.get(0)))
        .isInstanceOf(LoadBalancerException.class)
        .hasMessageContaining("cannot be reached");
  }
}
