package dev.shunt.workflow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Name lookups for the pre-flight of steps that connect to a host. */
final class HostNames {
  private HostNames() {}

  /**
   * Why {@code name} does not resolve, or empty when it does (an IP address always does).
   * Uses the JVM's resolver and its cache, as the connection later will.
   */
  static Optional<String> unresolved(String name) {
    try {
      InetAddress.getAllByName(name);
      return Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.of("host name '" + name + "' does not resolve (" + e.getMessage() + "): check the host list"
          + " and this machine's DNS or /etc/hosts");
    } catch (SecurityException e) {
      return Optional.of("host name '" + name + "' may not be looked up here: " + e.getMessage());
    }
  }
}
