package dev.shunt.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients that send the start of an HTTP request, its request line and one header but never the
 * blank line that ends the headers, and hold their connections open until {@link #close()}: what
 * a slow or hostile client does to an HTTP server. And {@link #check}, a health check over a raw
 * socket that says how long its answer took. Not thread-safe.
 */
public final class HalfSentRequests implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final List<Socket> sockets = new ArrayList<>();

  private HalfSentRequests() {}

  /** Opens {@code count} connections to {@code server} and sends half a request on each. */
  public static HalfSentRequests hold(InetSocketAddress server, int count) {
    HalfSentRequests held = new HalfSentRequests();
    try {
      for (int i = 0; i < count; i++) {
        Socket socket = connect(server, TIMEOUT);
        held.sockets.add(socket);
        socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
      }
    } catch (IOException e) {
      held.close();
      throw new UncheckedIOException(e);
    }
    return held;
  }

  /** A health check's status and the time from connecting to reading its status line. */
  public record Answer(int status, Duration took) {}

  /**
   * The fastest of three {@linkplain #check checks}, one after the other: a server that stalls
   * checks stalls all three, while a scheduling hiccup of a loaded test machine delays one.
   */
  public static Answer fastestOfThree(InetSocketAddress server, String path) {
    Answer fastest = check(server, path);
    for (int i = 0; i < 2; i++) {
      Answer next = check(server, path);
      if (next.took().compareTo(fastest.took()) < 0) {
        fastest = next;
      }
    }
    return fastest;
  }

  /**
   * Sends {@code GET path} to {@code server} on a new connection and reads the status line,
   * waiting at most 10 s for it.
   *
   * @throws UncheckedIOException if no answer came, e.g. the read timed out
   */
  public static Answer check(InetSocketAddress server, String path) {
    return check(server, path, TIMEOUT);
  }

  /** {@link #check(InetSocketAddress, String)}, waiting at most {@code timeout} to connect and to read. */
  public static Answer check(InetSocketAddress server, String path, Duration timeout) {
    long start = System.nanoTime();
    try (Socket socket = connect(server, timeout)) {
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
        throw new IOException("not an HTTP answer: " + statusLine);
      }
      return new Answer(Integer.parseInt(statusLine.substring(9, 12)), took);
    } catch (IOException e) {
      throw new UncheckedIOException("no answer to GET " + path + " within " + timeout.toMillis() + " ms: " + e, e);
    }
  }

  private static Socket connect(InetSocketAddress server, Duration timeout) throws IOException {
    Socket socket = new Socket();
    socket.connect(server, (int) timeout.toMillis());
    socket.setSoTimeout((int) timeout.toMillis());
    return socket;
  }

  @Override
  public void close() {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing a test's client socket: nothing to do about it.
      }
    }
  }
}
