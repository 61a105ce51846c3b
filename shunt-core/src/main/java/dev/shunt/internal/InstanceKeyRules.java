package dev.shunt.internal;

import dev.shunt.InstanceKey;
import java.util.regex.Pattern;

/**
 * What the service and host names of an {@link InstanceKey} must be, for the stores, locks and
 * commands that take a service or a host on its own: letters, digits and {@code . _ : -}, 1 to
 * 200 of them, not {@code .} or {@code ..}, not starting with {@code -}.
 */
public final class InstanceKeyRules {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

  private InstanceKeyRules() {}

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
