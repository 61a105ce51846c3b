package dev.shunt.workflow;

/**
 * A host as a rollout names it, split into the name to connect to and the port. Understands
 * {@code web-1}, {@code web-1:2222}, {@code [2001:db8::1]:2222} and a bare IPv6 address such as
 * {@code 2001:db8::1} (which has no port: its colons belong to the address).
 */
record HostAndPort(String host, int port) {

  /**
   * Splits {@code host}; {@code defaultPort} is used when it names no port.
   *
   * @throws IllegalArgumentException if the port it names is not a number from 1 to 65535, or a
   *     bracketed address is not closed
   */
  static HostAndPort parse(String host, int defaultPort) {
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("host '" + host + "' opens '[' but does not close it");
      }
      String rest = host.substring(close + 1);
      if (rest.isEmpty()) {
        return new HostAndPort(host.substring(1, close), defaultPort);
      }
      if (!rest.startsWith(":")) {
        throw new IllegalArgumentException("host '" + host + "' must be [address] or [address]:port");
      }
      return new HostAndPort(host.substring(1, close), port(host, rest.substring(1)));
    }
    int colon = host.indexOf(':');
    if (colon < 0 || colon != host.lastIndexOf(':')) {
      return new HostAndPort(host, defaultPort);
    }
    return new HostAndPort(host.substring(0, colon), port(host, host.substring(colon + 1)));
  }

  private static int port(String host, String text) {
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("host '" + host + "' names port '" + text + "', which is not from 1 to 65535");
    }
    return port;
  }

  /** {@code host:port}, with an IPv6 address in brackets. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
