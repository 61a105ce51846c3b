package dev.shunt.workflow.cli;

import dev.shunt.workflow.HaproxyRuntimeApi;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/**
 * How {@code roll} knows a host is drained, from {@code --drain}: {@code checkers} (the health
 * checks the host's responder answered "down", as the store records them), or
 * {@code haproxy:UNIXSOCKET} / {@code haproxy:HOST:PORT} (HAProxy's runtime API reports the
 * server out of rotation with no session), or {@code lb} (no health-check shunt at all: the
 * {@code --lb} load balancers take the host out and report it drained).
 *
 * @param haproxy the runtime API to ask; null for the checkers and for {@code lb}
 * @param loadBalancersOnly whether {@code lb}
 */
record DrainMethod(HaproxyRuntimeApi haproxy, boolean loadBalancersOnly) {
  private static final String HAPROXY = "haproxy:";
  private static final Pattern HOST_PORT = Pattern.compile("(.+):(\\d{1,5})");

  /** Reads {@code checkers}, {@code haproxy:/run/haproxy/admin.sock}, {@code haproxy:127.0.0.1:9999} or {@code lb}. */
  static DrainMethod parse(String value) {
    if (value.equals("checkers")) {
      return new DrainMethod(null, false);
    }
    if (value.equals("lb")) {
      return new DrainMethod(null, true);
    }
    if (!value.startsWith(HAPROXY) || value.length() == HAPROXY.length()) {
      throw new TypeConversionException("'" + value + "' is not checkers, haproxy:UNIXSOCKET, haproxy:HOST:PORT or lb");
    }
    String address = value.substring(HAPROXY.length());
    Matcher tcp = HOST_PORT.matcher(address);
    try {
      return new DrainMethod(tcp.matches() && !address.startsWith("/")
          ? HaproxyRuntimeApi.tcp(tcp.group(1), Integer.parseInt(tcp.group(2)))
          : HaproxyRuntimeApi.unixSocket(Path.of(address)), false);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("'" + value + "': " + e.getMessage());
    }
  }

  /** Whether HAProxy's runtime API is asked, rather than the checkers' reports read. */
  boolean asksHaproxy() {
    return haproxy != null;
  }
}
