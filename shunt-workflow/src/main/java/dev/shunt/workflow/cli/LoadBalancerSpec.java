package dev.shunt.workflow.cli;

import dev.shunt.workflow.HaproxyRuntimeApi;
import dev.shunt.workflow.lb.CaddyLoadBalancer;
import dev.shunt.workflow.lb.HaproxyLoadBalancer;
import dev.shunt.workflow.lb.LoadBalancer;
import dev.shunt.workflow.lb.NginxLoadBalancer;
import dev.shunt.workflow.lb.VarnishLoadBalancer;
import java.net.URI;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/**
 * One {@code roll --lb} value: which load balancer, and where its API is:
 * {@code haproxy:/run/haproxy/admin.sock} (a UNIX socket), {@code haproxy:tcp://127.0.0.1:9999}
 * or {@code haproxy:127.0.0.1:9999} (TCP); {@code varnish:INSTANCE} (varnishd's {@code -n}, a name
 * or a directory, for {@code varnishadm} and {@code varnishstat} on this machine);
 * {@code nginx:/etc/nginx/upstream-web.conf} (the upstream's included file, with Debian's
 * {@code /etc/nginx/nginx.conf} and {@code /run/nginx.pid}); {@code caddy:http://localhost:2019}
 * or {@code caddy:localhost:2019} (the admin API).
 *
 * @param kind the load balancer's kind, e.g. {@code haproxy}
 * @param address where its API is, as given after {@code kind:}
 */
record LoadBalancerSpec(String kind, String address) {
  private static final Pattern HOST_PORT = Pattern.compile("(.+):(\\d{1,5})");
  static final String KINDS = "haproxy:UNIXSOCKET, haproxy:tcp://HOST:PORT, varnish:INSTANCE, nginx:UPSTREAMFILE,"
      + " caddy:http://HOST:PORT";

  /** Reads a {@code --lb} value, checking its form now. */
  static LoadBalancerSpec parse(String value) {
    int colon = value.indexOf(':');
    String kind = colon < 0 ? value : value.substring(0, colon);
    String address = colon < 0 ? "" : value.substring(colon + 1);
    if (address.isEmpty()) {
      throw new TypeConversionException("'" + value + "' is not one of " + KINDS);
    }
    LoadBalancerSpec spec = new LoadBalancerSpec(kind, address);
    try {
      spec.loadBalancer(null, false);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("'" + value + "': " + e.getMessage());
    }
    return spec;
  }

  /**
   * The load balancer: for HAProxy, servers named without a backend are in {@code backend}, and
   * taken out with {@code state maint} when {@code maintenance}.
   *
   * @throws IllegalArgumentException if the kind is unknown or the address malformed
   */
  LoadBalancer loadBalancer(String backend, boolean maintenance) {
    return switch (kind) {
      case "haproxy" -> HaproxyLoadBalancer.builder().runtimeApi(haproxyApi()).backend(backend)
          .maintenance(maintenance).build();
      case "varnish" -> VarnishLoadBalancer.builder().instance(address).build();
      case "nginx" -> NginxLoadBalancer.builder().upstreamFile(Path.of(address)).build();
      case "caddy" -> CaddyLoadBalancer.builder()
          .adminUrl(address.startsWith("http://") || address.startsWith("https://") ? address : "http://" + address)
          .build();
      default -> throw new IllegalArgumentException("'" + kind + "' is not a load balancer shunt drives; one of "
          + KINDS);
    };
  }

  private HaproxyRuntimeApi haproxyApi() {
    if (address.startsWith("tcp://")) {
      URI uri = URI.create(address);
      if (uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException("tcp:// needs HOST:PORT, was '" + address + "'");
      }
      return HaproxyRuntimeApi.tcp(uri.getHost(), uri.getPort());
    }
    Matcher tcp = HOST_PORT.matcher(address);
    return tcp.matches() && !address.startsWith("/") ? HaproxyRuntimeApi.tcp(tcp.group(1), Integer.parseInt(tcp.group(2)))
        : HaproxyRuntimeApi.unixSocket(Path.of(address.startsWith("unix:") ? address.substring(5) : address));
  }

  /**
   * Whether it can take a server out by itself: Caddy cannot (its adapter confirms a drain the
   * health-check shunt made), so it goes only beside the health-check drain, not with {@code --drain lb}.
   */
  boolean takesOutByItself() {
    return !kind.equals("caddy");
  }

  @Override
  public String toString() {
    return kind + ":" + address;
  }
}
