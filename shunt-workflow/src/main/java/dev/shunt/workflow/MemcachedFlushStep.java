package dev.shunt.workflow;

import dev.shunt.Step;
import dev.shunt.StepContext;
import dev.shunt.StepFailedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Empties memcached after a deploy, as the Capistrano recipe did: sends {@code flush_all} (or
 * {@code flush_all <delay>}) to each server and expects {@code OK}. {@code flush_all} empties the
 * whole server, for every application that uses it; an application-scoped clear needs a key
 * prefix or namespace instead.
 *
 * <p>Servers are {@code host} or {@code host:port} (port 11211 by default; {@code [address]:port}
 * for IPv6); {@code {host}} in them is replaced by the rollout's host, so {@code {host}:11211}
 * flushes a memcached beside each restarted host, and {@code cache-1:11211} a shared one. Every
 * server is tried; if one cannot be flushed (refused, timed out, closed, or an answer other than
 * {@code OK}) the step fails naming each such server and the servers that were flushed.
 *
 * <p>The delay is memcached's: the server empties itself that many whole seconds later. memcached
 * counts time on a clock that ticks once a second and, with CAS on (its default), flushes items
 * stored up to a second before the moment it computes, so the flush takes effect one to two
 * seconds <em>earlier</em> than the delay says: with memcached 1.6.18 a delay of 1 s flushed at
 * once, and delays of 2, 3 and 5 s after 0.6, 1.5 and 3.6 s.
 *
 * <p>It speaks memcached's text protocol over a plain socket: this one command is all it needs,
 * and a memcached client library (none is among shunt's dependencies) would bring connection
 * pools and serialisation for nothing.
 *
 * <p>Defaults: name {@code flush-cache}, no delay, connect timeout 2 s, read timeout 2 s (for
 * the answer). Immutable and thread-safe.
 */
public final class MemcachedFlushStep implements Step {
  /** memcached's port. */
  public static final int DEFAULT_PORT = 11211;
  /** memcached reads a larger delay as a point in time (seconds since 1970), not a delay. */
  private static final Duration MAX_DELAY = Duration.ofDays(30);
  /** Longer than any answer memcached gives to {@code flush_all}; a longer line is not memcached. */
  private static final int MAX_ANSWER_BYTES = 1024;

  private final String name;
  private final List<String> servers;
  private final Duration delay;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  private MemcachedFlushStep(Builder builder) {
    this.name = builder.name;
    this.servers = List.copyOf(builder.servers);
    this.delay = builder.delay;
    this.connectTimeout = builder.connectTimeout;
    this.readTimeout = builder.readTimeout;
  }

  /**
   * A builder; {@code servers} is required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void run(StepContext context) {
    String command = delay.isZero() ? "flush_all" : "flush_all " + delay.toSeconds();
    List<String> flushed = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Throwable firstCause = null;
    for (String template : servers) {
      HostAndPort server = HostAndPort.parse(template.replace("{host}", context.host()), DEFAULT_PORT);
      try {
        flush(server, command);
        flushed.add(server.toString());
        context.log("memcached " + server + ": " + command + " -> OK");
      } catch (IOException e) {
        failures.add("memcached " + server + " " + (e instanceof Failure ? e.getMessage() : "failed: " + e));
        // The I/O error itself (ConnectException, SocketTimeoutException…), for a retry policy to judge.
        firstCause = firstCause != null ? firstCause : e instanceof Failure ? e.getCause() : e;
      }
    }
    if (!failures.isEmpty()) {
      throw new StepFailedException("cannot " + command + ": " + String.join("; ", failures)
          + (flushed.isEmpty() ? "" : " (flushed: " + String.join(", ", flushed) + ")"), firstCause);
    }
    context.outcome((delay.isZero() ? "flushed " : "flush in " + delay.toSeconds() + " s scheduled on ")
        + flushed.size() + " memcached server(s): " + String.join(", ", flushed));
  }

  /** A failure this step described itself: its message completes "memcached host:port ...". */
  private static final class Failure extends IOException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }

    Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Sends {@code command} and reads its answer. */
  private void flush(HostAndPort server, String command) throws IOException {
    InetSocketAddress address = new InetSocketAddress(server.host(), server.port());
    if (address.isUnresolved()) {
      throw new Failure("cannot be reached: its host name does not resolve");
    }
    try (Socket socket = new Socket()) {
      try {
        socket.connect(address, millis(connectTimeout));
      } catch (SocketTimeoutException e) {
        throw new Failure("did not accept a connection within " + connectTimeout, e);
      } catch (IOException e) {
        throw new Failure("cannot be reached: " + e.getMessage(), e);
      }
      socket.setSoTimeout(millis(readTimeout));
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer;
      try {
        answer = readLine(socket.getInputStream());
      } catch (SocketTimeoutException e) {
        throw new Failure("did not answer '" + command + "' within " + readTimeout, e);
      }
      if (answer == null) {
        throw new Failure("closed the connection without answering '" + command + "'");
      }
      if (!answer.equals("OK")) {
        throw new Failure("answered '" + answer + "' to '" + command + "', expected 'OK'");
      }
    }
  }

  /** One line without its CRLF, or null when the server closed first. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
      }
      if (line.size() >= MAX_ANSWER_BYTES) {
        throw new Failure("answered more than " + MAX_ANSWER_BYTES + " bytes without a line end: not memcached");
      }
      line.write(b);
      previous = b;
    }
    return null;
  }

  /** A socket timeout: at least 1 ms (0 would mean none), at most what an int holds. */
  private static int millis(Duration timeout) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name + "(memcached " + servers + (delay.isZero() ? "" : ", delay=" + delay) + ")";
  }

  /**
   * Configures a {@link MemcachedFlushStep}. Not thread-safe. Each setter checks its value as it is given and throws
   * {@link IllegalArgumentException} naming the field, the value and the rule; {@link #build()}
   * checks what is missing and the fields that depend on each other.
   */
  public static final class Builder {
    private String name = "flush-cache";
    private List<String> servers;
    private Duration delay = Duration.ZERO;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration readTimeout = Duration.ofSeconds(2);

    private Builder() {}

    /**
     * The step's name in progress lines and reports.
     *
     * @param name the step's name; not blank
     * @return this builder
     */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was " + (name == null ? null : "'" + name + "'"));
      }
      this.name = name;
      return this;
    }

    /**
     * The memcached servers to flush, {@code host[:port]} each; {@code {host}} is replaced by
     * the rollout's host, e.g. {@code {host}:11211}.
     *
     * @param servers {@code host[:port]} each; at least one
     * @return this builder
     */
    public Builder servers(String... servers) {
      return servers(servers == null ? null : Arrays.asList(servers));
    }

    /**
     * The memcached servers to flush, as {@link #servers(String...)}.
     *
     * @param servers {@code host[:port]} each; at least one
     * @return this builder
     */
    public Builder servers(List<String> servers) {
      if (servers == null || servers.isEmpty() || servers.stream().anyMatch(Objects::isNull)) {
        throw new IllegalArgumentException("servers must name at least one server and no null, was " + servers);
      }
      for (String server : servers) {
        try {
          HostAndPort.parse(server.replace("{host}", "host.example"), DEFAULT_PORT);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("servers must be host or host:port each, was " + servers + ": "
              + e.getMessage(), e);
        }
        if (server.isBlank()) {
          throw new IllegalArgumentException("servers must not hold a blank server, was " + servers);
        }
      }
      this.servers = List.copyOf(servers);
      return this;
    }

    /**
     * How long memcached waits before it empties itself, in whole seconds; zero flushes at once.
     * See the class description for how early memcached acts on it.
     *
     * @param delay zero or whole seconds, up to the class's maximum
     * @return this builder
     */
    public Builder delay(Duration delay) {
      if (delay == null || delay.isNegative() || delay.getNano() != 0 || delay.compareTo(MAX_DELAY) > 0) {
        throw new IllegalArgumentException("delay must be zero or whole seconds up to " + MAX_DELAY
            + " (memcached counts in seconds and reads more as a date), was " + delay);
      }
      this.delay = delay;
      return this;
    }

    /**
     * How long connecting to one server may take.
     *
     * @param connectTimeout positive
     * @return this builder
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Durations.requirePositive("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * How long one server may take to answer.
     *
     * @param readTimeout positive
     * @return this builder
     */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = Durations.requirePositive("readTimeout", readTimeout);
      return this;
    }

    /**
     * Validates and builds the step.
     *
     * @return a new, immutable step
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public MemcachedFlushStep build() {
      if (servers == null) {
        throw new IllegalArgumentException("servers must name at least one server and no null, was null");
      }
      return new MemcachedFlushStep(this);
    }
  }
}
