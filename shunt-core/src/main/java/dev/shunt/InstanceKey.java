package dev.shunt;

import dev.shunt.internal.InstanceKeyRules;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One serving instance: a service running on a host. It is what a shunt applies to and what
 * every {@link StatusStore} is keyed by.
 *
 * <p>Both parts are names made of letters, digits and {@code . _ : -} (so that a key can be a
 * file name, a map key and a log token without escaping), and neither starts with {@code -}: a
 * host is substituted for {@code {host}} in commands such as {@code ssh {host} …}, where a name
 * like {@code -V} would be read as an option, so no substitution of a host ever yields an
 * argument that looks like one. A host that runs several instances of one service
 * tells them apart in the host part, e.g. {@code web-1:8081}.
 *
 * @param service the service name, e.g. {@code checkout}
 * @param host the host name, optionally with a port, e.g. {@code web-1} or {@code web-1:8081}
 */
public record InstanceKey(String service, String host) {
  /**
   * Checks both names.
   *
   * @param service the service name; not blank
   * @param host the host name, optionally with a port; not blank
   * @throws IllegalArgumentException naming the component, its value and the rule it breaks
   */
  public InstanceKey {
    InstanceKeyRules.requireServiceName(service);
    InstanceKeyRules.requireHostName(host);
  }

  /**
   * The key of {@code service} on {@code host}.
   *
   * @param service the service name, e.g. {@code checkout}
   * @param host the host name, optionally with a port, e.g. {@code web-1}
   * @return the key, immutable
   */
  public static InstanceKey of(String service, String host) {
    return new InstanceKey(service, host);
  }

  /**
   * The key of {@code service} on this machine, named by its host name (as the Ruby gem
   * {@code shunt_cache} names its keys).
   *
   * @param service the service name
   * @return the key of {@code service} on this host
   * @throws ShuntException if this machine's host name cannot be determined
   */
  public static InstanceKey local(String service) {
    try {
      return new InstanceKey(service, InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      throw new ShuntException("cannot determine this machine's host name for service " + service, e);
    }
  }

  /** {@code service/host}: the form used in logs, reports and map keys. */
  @Override
  public String toString() {
    return service + "/" + host;
  }
}
