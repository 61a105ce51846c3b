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
 * server out of rotation with no session).
 *
 * @param haproxy the runtime API to ask; null for the checkers
 */
record DrainMethod(HaproxyRuntimeApi haproxy) {
  private static final String HAPROXY = "haproxy:";
  private static final Pattern HOST_PORT = Pattern.compile("(.+):(\\d{1,5})");

  /** Reads {@code checkers}, {@code haproxy:/run/haproxy/admin.sock} or {@code haproxy:127.0.0.1:9999}. */
  static DrainMethod parse(String value) {
    if (value.equals("checkers")) {
      return new DrainMethod(null);
    }
    if (!value.startsWith(HAPROXY) || value.length() == HAPROXY.length()) {
      throw new TypeConversionException("'" + value + "' is not checkers, haproxy:UNIXSOCKET or haproxy:HOST:PORT");
    }
    String address = value.substring(HAPROXY.length());
    Matcher tcp = HOST_PORT.matcher(address);
    try {
      return new DrainMethod(tcp.matches() && !address.startsWith("/")
          ? HaproxyRuntimeApi.tcp(tcp.group(1), Integer.parseInt(tcp.group(2)))
          : HaproxyRuntimeApi.unixSocket(Path.of(address)));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("'" + value + "': " + e.getMessage());
    }
  }

  /** Whether HAProxy's runtime API is asked, rather than the checkers' reports read. */
  boolean asksHaproxy() {
    return haproxy != null;
  }
}
