package dev.shunt;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

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
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

  public InstanceKey {
    requireName("service", service);
    requireName("host", host);
  }

  /** The key of {@code service} on {@code host}. */
  public static InstanceKey of(String service, String host) {
    return new InstanceKey(service, host);
  }

  /**
   * The key of {@code service} on this machine, named by its host name (as the Ruby gem
   * {@code shunt_cache} names its keys).
   *
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

  /**
   * Checks that {@code service} is a valid service name, as keys require.
   *
   * @return {@code service}
   * @throws IllegalArgumentException naming the rule when it is not
   */
  public static String requireServiceName(String service) {
    requireName("service", service);
    return service;
  }

  /**
   * Checks that {@code host} is a valid host name, as keys require.
   *
   * @return {@code host}
   * @throws IllegalArgumentException naming the rule when it is not
   */
  public static String requireHostName(String host) {
    requireName("host", host);
    return host;
  }

  private static void requireName(String field, String value) {
    if (value == null || !NAME.matcher(value).matches() || value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException(field + " must be 1 to 200 of the characters"
          + " [A-Za-z0-9._:-], and not '.' or '..', was " + (value == null ? "null" : "'" + value + "'"));
    }
    if (value.startsWith("-")) {
      throw new IllegalArgumentException(field + " must not start with '-' (a command given it, as in"
          + " 'ssh {host}', would read it as an option), was '" + value + "'");
    }
  }
}
