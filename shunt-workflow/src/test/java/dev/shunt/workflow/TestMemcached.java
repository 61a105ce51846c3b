package dev.shunt.workflow;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real memcached process on 127.0.0.1 and a free port, TCP only, with a text-protocol
 * {@link #set}/{@link #get} to put keys in and look for them. Under {@code CI=true} a missing
 * {@code memcached} fails the test that starts one; elsewhere it is skipped with a message saying
 * how to install it.
 */
public final class TestMemcached implements AutoCloseable {
  private final Process process;
  private final int port;

  private TestMemcached(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts memcached and returns once it accepts connections. */
  public static TestMemcached start() throws IOException, InterruptedException {
    Path executable = executable();
    int port = freePort();
    // As root memcached refuses to start without -u; as anyone else it ignores -u.
    Process process = new ProcessBuilder(executable.toString(), "-l", "127.0.0.1", "-p", Integer.toString(port),
        "-U", "0", "-u", System.getProperty("user.name"))
        .redirectErrorStream(true)
        .start();
    TestMemcached memcached = new TestMemcached(process, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!memcached.accepts()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        memcached.close();
        throw new IOException("memcached did not start on port " + port + ": "
            + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      Thread.sleep(20);
    }
    return memcached;
  }

  private static Path executable() {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin";
    Optional<Path> found = Arrays.stream(path.split(":"))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, "memcached"))
        .filter(Files::isExecutable)
        .findFirst();
    if (found.isEmpty() && "true".equals(System.getenv("CI"))) {
      fail("memcached is not installed, and CI=true: install it with `apt-get install -y memcached` (.ci/run does this)");
    }
    assumeTrue(found.isPresent(), "memcached is not installed: these tests need it (apt-get install -y memcached); skipped");
    return found.get();
  }

  /** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  /** {@code 127.0.0.1:port}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Stores {@code value} under {@code key}, without expiry. */
  public void set(String key, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    String answer;
    try (BufferedReader reader = talk("set " + key + " 0 0 " + bytes.length + "\r\n" + value + "\r\n")) {
      answer = reader.readLine();
    }
    if (!"STORED".equals(answer)) {
      throw new IOException("memcached answered '" + answer + "' to set " + key);
    }
  }

  /** The value under {@code key}, if memcached still has one. */
  public Optional<String> get(String key) throws IOException {
    try (BufferedReader answer = talk("get " + key + "\r\n")) {
      String line = answer.readLine();
      if ("END".equals(line)) {
        return Optional.empty();
      }
      if (line == null || !line.startsWith("VALUE " + key + " ")) {
        throw new IOException("memcached answered '" + line + "' to get " + key);
      }
      return Optional.of(answer.readLine());
    }
  }

  /** Sends {@code request} on a new connection and returns the answer to read; closing it closes the connection. */
  private BufferedReader talk(String request) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)) {
      @Override
      public void close() throws IOException {
        socket.close();
      }
    };
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Kills memcached and waits until it is gone. SIGKILL, not SIGTERM: memcached notices SIGTERM
   * only at its next clock tick, up to a second later, and a test cache has nothing to save.
   */
  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
  }
}
