package dev.shunt.examples.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop HTTP/1.1 load generator, as light as it can be so that the server gets most of
 * the machine: {@code connections} threads, each with one keep-alive connection, each sending
 * one {@code GET} and reading the whole answer before sending the next, for a fixed time. An
 * answer other than 200, or a broken connection (which is then opened again), counts as an
 * error. Reads {@code Content-Length} bodies only, which is what the JDK server sends for a body
 * of known length.
 */
final class ClosedLoopLoad {
  private final InetSocketAddress target;
  private final int connections;

  ClosedLoopLoad(InetSocketAddress target, int connections) {
    this.target = target;
    this.connections = connections;
  }

  /** What one run saw. */
  record Result(String path, long answers, long errors, Duration elapsed) {
    double perSecond() {
      return answers / (elapsed.toNanos() / 1e9);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%-10s %,9.0f req/s (%,d answers, %d errors, %d ms)",
          path, perSecond(), answers, errors, elapsed.toMillis());
    }
  }

  /** Sends {@code GET path} on every connection for {@code duration}; returns the totals. */
  Result run(String path, Duration duration) throws InterruptedException {
    byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + target.getHostString() + ":" + target.getPort()
        + "\r\nUser-Agent: shunt-bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    LongAdder answers = new LongAdder();
    LongAdder errors = new LongAdder();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Thread thread = new Thread(() -> loop(request, start, duration, answers, errors), "load-" + i);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    long begin = System.nanoTime();
    start.countDown();
    for (Thread thread : threads) {
      thread.join(duration.toMillis() + 10_000);
    }
    return new Result(path, answers.sum(), errors.sum(), Duration.ofNanos(System.nanoTime() - begin));
  }

  private void loop(byte[] request, CountDownLatch start, Duration duration, LongAdder answers, LongAdder errors) {
    try {
      start.await();
    } catch (InterruptedException e) {
      return;
    }
    long deadline = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.setTcpNoDelay(true);
        socket.connect(target, 1000);
        socket.setSoTimeout(5000);
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 4096);
        while (System.nanoTime() < deadline) {
          out.write(request);
          out.flush();
          if (readAnswer(in) == 200) {
            answers.increment();
          } else {
            errors.increment();
          }
        }
      } catch (IOException e) {
        errors.increment();
      }
    }
  }

  /** Reads one answer (status line, headers, {@code Content-Length} body) and returns its status. */
  private static int readAnswer(InputStream in) throws IOException {
    String statusLine = readLine(in);
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long length = 0;
    for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
      if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Long.parseLong(header.substring(15).trim());
      }
    }
    for (long left = length; left > 0; left--) {
      if (in.read() < 0) {
        throw new IOException("connection closed in the body");
      }
    }
    return status;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
