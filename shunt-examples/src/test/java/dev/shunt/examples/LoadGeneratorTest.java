package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The proofs' client itself: what it counts as failed, and the one case {@link
 * LoadGenerator#startRetryingUnanswered} sends again. The server reads two requests in a row of
 * every ten and closes their connections without a byte of answer, as nginx's old worker closes all
 * its idle keep-alive connections at once on a reload: the JDK client sends a request that met a
 * closed kept-alive connection once more by itself, on another connection of its pool, and that
 * one is closed too.
 */
class LoadGeneratorTest {
  @Test
  void aConnectionClosedBeforeAnyAnswerFailsTheRequestUnlessTheLoadRetriesIt() throws Exception {
    try (ClosingServer server = new ClosingServer(10)) {
      LoadGenerator.Result plain = runUntil(LoadGenerator.start(server.url(), 100, Duration.ofSeconds(20)), 200);
      assertThat(plain.failed()).as("%s", plain).isPositive();
      assertThat(plain.failuresByKind()).containsOnlyKeys("IOException");
      assertThat(plain.firstFailureByKind().get("IOException")).contains("received no bytes");
      assertThat(plain.retried()).isZero();

      LoadGenerator.Result retrying = runUntil(
          LoadGenerator.startRetryingUnanswered(server.url(), 100, Duration.ofSeconds(20)), 200);
      assertThat(retrying.failed()).as("%s", retrying).isZero();
      assertThat(retrying.retried()).as("%s", retrying).isPositive();
      assertThat(retrying.firstRetry()).hasValueSatisfying(first -> assertThat(first).contains("received no bytes"));
    }
  }

  @Test
  void anAnswerOtherThan2xxIsAFailureEvenWhenRetrying() throws Exception {
    try (ClosingServer server = new ClosingServer(0)) {
      server.status = 502;
      LoadGenerator.Result traffic = runUntil(
          LoadGenerator.startRetryingUnanswered(server.url(), 100, Duration.ofSeconds(20)), 50);
      assertThat(traffic.failed()).isEqualTo(traffic.sent());
      assertThat(traffic.failuresByKind()).containsOnlyKeys("HTTP 502");
      assertThat(traffic.retried()).isZero();
    }
  }

  private static LoadGenerator.Result runUntil(LoadGenerator load, int requests) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (load.sent() < requests && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return load.stop();
  }

  /**
   * HTTP/1.1 with keep-alive on 127.0.0.1; of every {@code closeEvery} requests, the first two are
   * read and their connections closed unanswered.
   */
  private static final class ClosingServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger requests = new AtomicInteger();
    private final int closeEvery;
    private volatile int status = 200;
    private final Thread acceptor;

    ClosingServer(int closeEvery) throws IOException {
      this.closeEvery = closeEvery;
      acceptor = new Thread(this::accept, "closing-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket connection = socket.accept();
          Thread thread = new Thread(() -> serve(connection), "closing-server-connection");
          thread.setDaemon(true);
          thread.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket connection) {
      try (connection) {
        BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
            StandardCharsets.ISO_8859_1));
        OutputStream out = connection.getOutputStream();
        while (true) {
          String line = in.readLine();
          if (line == null) {
            return;
          }
          while (line != null && !line.isEmpty()) {
            line = in.readLine();
          }
          if (closeEvery > 0 && requests.getAndIncrement() % closeEvery < 2) {
            return;
          }
          out.write(("HTTP/1.1 " + status + " X\r\nContent-Length: 2\r\n\r\nok").getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        }
      } catch (IOException e) {
        // the client went away
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
