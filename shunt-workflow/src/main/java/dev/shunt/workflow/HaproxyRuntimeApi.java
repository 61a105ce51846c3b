package dev.shunt.workflow;

import dev.shunt.ShuntTimeoutException;
import dev.shunt.workflow.lb.LoadBalancerException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A client of HAProxy's runtime API (its "stats socket"), over a UNIX socket
 * ({@code stats socket /run/haproxy/admin.sock}) or TCP ({@code stats socket ipv4@127.0.0.1:9999}).
 * Sends one command per connection, as HAProxy's non-interactive mode expects, and reads the
 * answer until HAProxy closes the connection.
 *
 * <p>{@link #servers()} reads {@code show stat}, which any socket level allows; commands that
 * change state ({@code set server …}) need {@code level admin}.
 *
 * <p>Default timeout: 5 s for connecting, sending and reading the whole answer together.
 * Immutable and thread-safe: each command opens its own connection.
 */
public final class HaproxyRuntimeApi {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final Path socketPath;
  private final String host;
  private final int port;
  private final Duration timeout;

  private HaproxyRuntimeApi(Path socketPath, String host, int port, Duration timeout) {
    this.socketPath = socketPath;
    this.host = host;
    this.port = port;
    this.timeout = timeout;
  }

  /**
   * The API on the UNIX socket at {@code path}.
   *
   * @param path the socket's path
   * @return the API, with the default timeout
   */
  public static HaproxyRuntimeApi unixSocket(Path path) {
    Objects.requireNonNull(path, "path");
    return new HaproxyRuntimeApi(path, null, 0, DEFAULT_TIMEOUT);
  }

  /**
   * The API on TCP at {@code host:port}; the host name is resolved on each command.
   *
   * @param host the host name or address
   * @param port the TCP port, from 1 to 65535
   * @return the API, with the default timeout
   */
  public static HaproxyRuntimeApi tcp(String host, int port) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank, was " + (host == null ? null : "'" + host + "'"));
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be from 1 to 65535, was " + port);
    }
    return new HaproxyRuntimeApi(null, host, port, DEFAULT_TIMEOUT);
  }

  /**
   * This API with another limit for connecting, sending and reading one answer.
   *
   * @param timeout the new limit; positive
   * @return a copy with the limit
   */
  public HaproxyRuntimeApi withTimeout(Duration timeout) {
    return new HaproxyRuntimeApi(socketPath, host, port, Durations.requirePositive("timeout", timeout));
  }

  /**
   * Sends {@code command} (e.g. {@code show stat}, {@code set server be/srv state drain}) and
   * returns HAProxy's answer as it is; an error is an answer too (e.g. {@code No such server.}).
   *
   * @param command one runtime API command, on one line
   * @return HAProxy's answer, unchanged
   * @throws IllegalArgumentException if {@code command} is blank or holds a line break
   * @throws ShuntTimeoutException if the answer did not come within the timeout
   * @throws LoadBalancerException if HAProxy cannot be reached or the connection fails, naming the
   *     socket; {@linkplain LoadBalancerException#retryable() retryable} when the connection was
   *     refused or found no route ({@link RetryPolicy#isTransient}), as while HAProxy reloads
   */
  public String command(String command) {
    if (command == null || command.isBlank() || command.contains("\n") || command.contains("\r")) {
      throw new IllegalArgumentException("command must be one non-blank line, was "
          + (command == null ? null : "'" + command + "'"));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try (SocketChannel channel = socketPath != null ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      SelectionKey key = channel.register(selector, 0);
      if (!channel.connect(address())) {
        while (!channel.finishConnect()) {
          await(selector, key, SelectionKey.OP_CONNECT, deadline, command);
        }
      }
      ByteBuffer request = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
      while (request.hasRemaining()) {
        if (channel.write(request) == 0) {
          await(selector, key, SelectionKey.OP_WRITE, deadline, command);
        }
      }
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      for (int read = channel.read(buffer); read >= 0; read = channel.read(buffer)) {
        if (read == 0) {
          await(selector, key, SelectionKey.OP_READ, deadline, command);
        }
        answer.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      return answer.toString(StandardCharsets.UTF_8);
    } catch (UnresolvedAddressException e) {
      throw new LoadBalancerException("HAProxy runtime API at " + this + " cannot be reached: its host does not resolve",
          e, false);
    } catch (IOException e) {
      throw new LoadBalancerException("HAProxy runtime API at " + this + " failed on '" + command + "': " + e, e,
          RetryPolicy.isTransient(e));
    }
  }

  /** Resolved now, so that a TCP socket follows its host's address. */
  private SocketAddress address() {
    return socketPath != null ? UnixDomainSocketAddress.of(socketPath) : new InetSocketAddress(host, port);
  }

  private void await(Selector selector, SelectionKey key, int operation, long deadline, String command)
      throws IOException {
    key.interestOps(operation);
    long left = deadline - System.nanoTime();
    if (left <= 0 || selector.select(Math.max(1, left / 1_000_000)) == 0 && System.nanoTime() >= deadline) {
      throw new ShuntTimeoutException("HAProxy runtime API at " + this + " did not answer '" + command + "' within "
          + timeout, timeout);
    }
    selector.selectedKeys().clear();
  }

  /**
   * Every server of every backend, as {@code show stat} reports it now (the {@code FRONTEND} and
   * {@code BACKEND} rows left out), in HAProxy's order.
   *
   * @return one entry per server
   * @throws LoadBalancerException if HAProxy cannot be reached, or answers something other than its
   *     stats CSV
   */
  public List<HaproxyServerStat> servers() {
    String answer = command("show stat");
    String[] lines = answer.split("\n");
    if (!lines[0].startsWith("# ")) {
      throw new LoadBalancerException("HAProxy runtime API at " + this + " answered 'show stat' with '"
          + lines[0].strip() + "' instead of its stats CSV");
    }
    List<String> header = Arrays.asList(lines[0].substring(2).split(","));
    int backend = column(header, "pxname");
    int server = column(header, "svname");
    int status = column(header, "status");
    int sessions = column(header, "scur");
    int weight = column(header, "weight");
    int last = Math.max(Math.max(backend, server), Math.max(status, Math.max(sessions, weight)));
    List<HaproxyServerStat> servers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      // Every column read here comes before the first free-text one (check_desc), so a quoted
      // comma further on cannot shift them.
      String[] fields = lines[i].split(",", -1);
      if (fields.length <= last || fields[server].equals("FRONTEND") || fields[server].equals("BACKEND")) {
        continue;
      }
      try {
        servers.add(new HaproxyServerStat(fields[backend], fields[server], fields[status],
            number(fields[sessions]), number(fields[weight])));
      } catch (NumberFormatException e) {
        throw new LoadBalancerException("HAProxy runtime API at " + this + " answered 'show stat' with a line whose scur"
            + " or weight is not a number: " + lines[i], e);
      }
    }
    return List.copyOf(servers);
  }

  private int column(List<String> header, String name) {
    int index = header.indexOf(name);
    if (index < 0) {
      throw new LoadBalancerException("HAProxy runtime API at " + this + " answered 'show stat' without a '" + name
          + "' column");
    }
    return index;
  }

  private static int number(String field) {
    return field.isEmpty() ? 0 : Integer.parseInt(field);
  }

  /** {@code unix:/path/to/socket} or {@code tcp:host:port}. */
  @Override
  public String toString() {
    return socketPath != null ? "unix:" + socketPath : "tcp:" + new HostAndPort(host, port);
  }
}
