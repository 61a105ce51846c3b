package dev.shunt.workflow.cli;

import dev.shunt.workflow.HaproxyRuntimeApi;
import dev.shunt.workflow.lb.CaddyLoadBalancer;
import dev.shunt.workflow.lb.HaproxyLoadBalancer;
import dev.shunt.workflow.lb.LoadBalancer;
import dev.shunt.workflow.lb.NginxLoadBalancer;
import dev.shunt.workflow.lb.VarnishLoadBalancer;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/**
 * One {@code roll --lb} value: which load balancer, and where its API is:
 * {@code haproxy:/run/haproxy/admin.sock} (a UNIX socket), {@code haproxy:tcp://127.0.0.1:9999}
 * or {@code haproxy:127.0.0.1:9999} (TCP); {@code varnish:INSTANCE} (varnishd's {@code -n}, a name
 * or a directory, for {@code varnishadm} and {@code varnishstat} on this machine);
 * {@code nginx:/etc/nginx/upstream-web.conf} (the upstream's included file, with Debian's
 * {@code /etc/nginx/nginx.conf} and {@code /run/nginx.pid}, or others given after it:
 * {@code nginx:FILE,config=PATH,pid=PATH,prefix=PATH,nginx=PATH}); {@code caddy:http://localhost:2019}
 * or {@code caddy:localhost:2019} (the admin API).
 *
 * @param kind the load balancer's kind, e.g. {@code haproxy}
 * @param address where its API is, as given after {@code kind:}
 */
record LoadBalancerSpec(String kind, String address) {
  private static final Pattern HOST_PORT = Pattern.compile("(.+):(\\d{1,5})");
  static final String KINDS = "haproxy:UNIXSOCKET, haproxy:tcp://HOST:PORT, varnish:INSTANCE, nginx:UPSTREAMFILE,"
      + " caddy:http://HOST:PORT";
  private static final String NGINX_OPTIONS = "config=PATH (nginx -c; default /etc/nginx/nginx.conf), pid=PATH"
      + " (the master's pid file; default /run/nginx.pid), prefix=PATH (nginx -p; default none), nginx=PATH (the"
      + " executable; default nginx on the PATH)";

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
      case "nginx" -> nginx();
      case "caddy" -> CaddyLoadBalancer.builder()
          .adminUrl(address.startsWith("http://") || address.startsWith("https://") ? address : "http://" + address)
          .build();
      default -> throw new IllegalArgumentException("'" + kind + "' is not a load balancer shunt drives; one of "
          + KINDS);
    };
  }

  /** {@code FILE[,config=PATH][,pid=PATH][,prefix=PATH][,nginx=PATH]}: each option at most once, none unknown. */
  private NginxLoadBalancer nginx() {
    String[] parts = address.split(",", -1);
    NginxLoadBalancer.Builder nginx = NginxLoadBalancer.builder().upstreamFile(path("the upstream file", parts[0]));
    Set<String> given = new HashSet<>();
    for (int i = 1; i < parts.length; i++) {
      int equals = parts[i].indexOf('=');
      String option = equals < 0 ? parts[i] : parts[i].substring(0, equals);
      if (equals < 0 || !Set.of("config", "pid", "prefix", "nginx").contains(option)) {
        throw new IllegalArgumentException((equals < 0 ? "'" + parts[i] + "' is not an option=PATH"
            : "unknown option '" + option + "'") + "; nginx takes " + NGINX_OPTIONS);
      }
      if (!given.add(option)) {
        throw new IllegalArgumentException("option '" + option + "' is given twice");
      }
      Path path = path(option, parts[i].substring(equals + 1));
      switch (option) {
        case "config" -> nginx.config(path);
        case "pid" -> nginx.pidFile(path);
        case "prefix" -> nginx.prefix(path);
        default -> nginx.nginx(path);
      }
    }
    return nginx.build();
  }

  private static Path path(String what, String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must be a path, was empty");
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(what + " must be a path, was '" + value + "': " + e.getReason());
    }
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
