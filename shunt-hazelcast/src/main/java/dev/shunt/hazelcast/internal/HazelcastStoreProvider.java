package dev.shunt.hazelcast.internal;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.shunt.OpenedStore;
import dev.shunt.StatusStoreProvider;
import dev.shunt.StoreException;
import dev.shunt.hazelcast.ClusterSafety;
import dev.shunt.hazelcast.HazelcastDeployLock;
import dev.shunt.hazelcast.HazelcastStatusStore;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code hazelcast://} scheme of {@link dev.shunt.StatusStores}: a {@link HazelcastStatusStore}
 * on a new Hazelcast client of a running cluster,
 * {@code hazelcast://HOST[:PORT][,HOST[:PORT]…][?cluster=NAME][&connectTimeout=ISO-8601]}.
 *
 * <p>{@code cluster} defaults to Hazelcast's default cluster name {@code dev}; {@code connectTimeout}
 * (e.g. {@code PT30S}) to 10 s: opening fails with a {@link StoreException} when no member answers
 * in that time, not retryable (the client tried for that long already, and a wrong address or
 * cluster name does not heal). A port defaults to Hazelcast's (5701 and the next two). Its deploy lock is a
 * {@link HazelcastDeployLock} on the same client, its cluster gate a {@link ClusterSafety} on it,
 * with its defaults. Closing the opened store closes the store and
 * shuts the client down.
 */
public final class HazelcastStoreProvider implements StatusStoreProvider {
  private static final String PREFIX = "hazelcast://";
  private static final String EXAMPLE = "hazelcast://10.0.0.1:5701,10.0.0.2:5701?cluster=shunt";
  private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final String DEFAULT_CLUSTER = "dev";
  private static final Pattern ADDRESS = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(?::(\\d{1,5}))?");

  /** A client spec, parsed. */
  private record ClientSpec(List<String> addresses, String cluster, Duration connectTimeout) {}

  @Override
  public String scheme() {
    return "hazelcast";
  }

  @Override
  public String example() {
    return EXAMPLE;
  }

  @Override
  public OpenedStore open(String spec) {
    ClientSpec client = parse(spec);
    ClientConfig config = HazelcastStatusStore.configure(new ClientConfig());
    config.setClusterName(client.cluster());
    config.getNetworkConfig().addAddress(client.addresses().toArray(String[]::new));
    config.getConnectionStrategyConfig().getConnectionRetryConfig()
        .setClusterConnectTimeoutMillis(client.connectTimeout().toMillis());
    HazelcastInstance hazelcast;
    try {
      hazelcast = HazelcastClient.newHazelcastClient(config);
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to the Hazelcast cluster '" + client.cluster() + "' at "
          + client.addresses() + " within " + client.connectTimeout() + " (store spec '" + spec + "'): "
          + e.getMessage(), e, false);
    }
    try {
      HazelcastStatusStore store = HazelcastStatusStore.builder(hazelcast).build();
      return OpenedStore.of(store, HazelcastDeployLock.builder(hazelcast).build(), () -> {
        try {
          store.close();
        } finally {
          hazelcast.shutdown();
        }
      }).withClusterGate(ClusterSafety.builder(hazelcast).build());
    } catch (RuntimeException e) {
      hazelcast.shutdown();
      throw e;
    }
  }

  private ClientSpec parse(String spec) {
    if (!spec.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
      throw malformed(spec, "it must start with " + PREFIX);
    }
    String rest = spec.substring(PREFIX.length());
    int question = rest.indexOf('?');
    String hosts = question < 0 ? rest : rest.substring(0, question);
    List<String> addresses = new ArrayList<>();
    for (String address : hosts.split(",", -1)) {
      Matcher matcher = ADDRESS.matcher(address);
      if (!matcher.matches()) {
        throw malformed(spec, "'" + address + "' is not HOST or HOST:PORT");
      }
      if (matcher.group(2) != null) {
        int port = Integer.parseInt(matcher.group(2));
        if (port < 1 || port > 65535) {
          throw malformed(spec, "port " + port + " of '" + address + "' is not from 1 to 65535");
        }
      }
      addresses.add(address);
    }
    String cluster = DEFAULT_CLUSTER;
    Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    for (String parameter : question < 0 ? new String[0] : rest.substring(question + 1).split("&", -1)) {
      int equals = parameter.indexOf('=');
      String name = equals < 0 ? parameter : parameter.substring(0, equals);
      String value = equals < 0 ? "" : URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
      switch (name) {
        case "cluster" -> {
          if (value.isBlank()) {
            throw malformed(spec, "cluster must name a cluster, was '" + value + "'");
          }
          cluster = value;
        }
        case "connectTimeout" -> connectTimeout = positiveDuration(spec, value);
        default -> throw malformed(spec, "unknown parameter '" + name + "'; known: cluster, connectTimeout");
      }
    }
    return new ClientSpec(List.copyOf(addresses), cluster, connectTimeout);
  }

  private static Duration positiveDuration(String spec, String value) {
    try {
      Duration duration = Duration.parse(value);
      if (!duration.isNegative() && !duration.isZero()) {
        return duration;
      }
    } catch (DateTimeParseException e) {
      // reported below, with the rule
    }
    throw malformed(spec, "connectTimeout must be a positive ISO-8601 duration such as PT30S, was '" + value + "'");
  }

  private static IllegalArgumentException malformed(String spec, String problem) {
    return new IllegalArgumentException("store spec '" + spec + "' is malformed: " + problem
        + " (e.g. " + EXAMPLE + ")");
  }
}
