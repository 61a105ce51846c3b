package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.ShuntException;
import dev.shunt.ShuntTimeoutException;
import dev.shunt.workflow.lb.LoadBalancerException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HaproxyRuntimeApi} against one-shot servers that answer as HAProxy 2.6 did (the CSV
 * was captured from a real {@code show stat}) or do not answer at all. Behind a real HAProxy it is
 * tested in shunt-examples ({@code AwaitHaproxyDrainBehindHaproxyTest}).
 */
class HaproxyRuntimeApiTest {
  @TempDir
  Path dir;

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeServers() throws Exception {
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  private static String capturedShowStat() throws IOException {
    try (InputStream in = HaproxyRuntimeApiTest.class.getResourceAsStream("haproxy-2.6-show-stat.csv")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Serves one connection on {@code server}: completes with the line it received, after sending {@code answer}. */
  private CompletableFuture<String> answerOnce(ServerSocketChannel server, String answer) {
    opened.add(server);
    return CompletableFuture.supplyAsync(() -> {
      try (SocketChannel client = server.accept()) {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        while (buffer.position() == 0 || buffer.get(buffer.position() - 1) != '\n') {
          client.read(buffer);
        }
        client.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private ServerSocketChannel unixServer(Path socket) throws IOException {
    return ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
  }

  private ServerSocketChannel tcpServer() throws IOException {
    return ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @Test
  void serversAreReadFromShowStatOverAUnixSocket() throws Exception {
    Path socket = dir.resolve("admin.sock");
    CompletableFuture<String> received = answerOnce(unixServer(socket), capturedShowStat());

    List<HaproxyServerStat> servers = HaproxyRuntimeApi.unixSocket(socket).servers();

    assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo("show stat\n");
    assertThat(servers).containsExactly(
        new HaproxyServerStat("demo", "a", "DOWN", 0, 1),
        new HaproxyServerStat("demo", "b", "no check", 0, 1));
  }

  @Test
  void commandsGoOverTcpAndTheAnswerComesBackAsItIs() throws Exception {
    ServerSocketChannel server = tcpServer();
    int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
    CompletableFuture<String> received = answerOnce(server, "No such server.\n\n");

    String answer = HaproxyRuntimeApi.tcp("127.0.0.1", port).command("set server demo/zz state drain");

    assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo("set server demo/zz state drain\n");
    assertThat(answer).isEqualTo("No such server.\n\n");
  }

  @Test
  void anAnswerThatIsNotTheStatsCsvFailsSayingWhatCame() throws Exception {
    Path socket = dir.resolve("admin.sock");
    answerOnce(unixServer(socket), "Permission denied\n\n");

    assertThatThrownBy(() -> HaproxyRuntimeApi.unixSocket(socket).servers())
        .isInstanceOf(LoadBalancerException.class)
        .hasMessage("HAProxy runtime API at unix:" + socket + " answered 'show stat' with 'Permission denied'"
            + " instead of its stats CSV")
        .satisfies(e -> assertThat(((ShuntException) e).retryable()).as("retryable").isFalse());
  }

  @Test
  void aRefusedConnectionFailsNamingTheAddress() throws Exception {
    int port = TestMemcached.freePort();

    assertThatThrownBy(() -> HaproxyRuntimeApi.tcp("127.0.0.1", port).command("show stat"))
        .isInstanceOf(LoadBalancerException.class)
        .hasMessageStartingWith("HAProxy runtime API at tcp:127.0.0.1:" + port + " failed on 'show stat':")
        .hasMessageContaining("Connection refused")
        .satisfies(e -> assertThat(((ShuntException) e).retryable()).as("retryable: HAProxy may be reloading").isTrue());
  }

  @Test
  void aMissingUnixSocketFailsNamingItsPath() {
    Path socket = dir.resolve("missing.sock");

    assertThatThrownBy(() -> HaproxyRuntimeApi.unixSocket(socket).command("show stat"))
        .isInstanceOf(LoadBalancerException.class)
        .hasMessageStartingWith("HAProxy runtime API at unix:" + socket + " failed on 'show stat':")
        .satisfies(e -> assertThat(((ShuntException) e).retryable()).as("retryable").isFalse());
  }

  @Test
  void aServerThatDoesNotAnswerFailsAfterTheTimeout() throws Exception {
    ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    opened.add(silent);
    HaproxyRuntimeApi api = HaproxyRuntimeApi.tcp("127.0.0.1", silent.getLocalPort()).withTimeout(Duration.ofMillis(200));
    long start = System.nanoTime();

    assertThatThrownBy(() -> api.command("show stat"))
        .isInstanceOfSatisfying(ShuntTimeoutException.class, e -> assertThat(e.timeout()).isEqualTo(Duration.ofMillis(200)))
        .hasMessage("HAProxy runtime API at tcp:127.0.0.1:" + silent.getLocalPort()
            + " did not answer 'show stat' within PT0.2S");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void describesItselfByTransportAndAddress() {
    assertThat(HaproxyRuntimeApi.unixSocket(Path.of("/run/haproxy/admin.sock"))).hasToString("unix:/run/haproxy/admin.sock");
    assertThat(HaproxyRuntimeApi.tcp("lb-1", 9999)).hasToString("tcp:lb-1:9999");
  }

  @Test
  void rejectsACommandOfTwoLines() {
    assertThatIllegalArgumentException().isThrownBy(() -> HaproxyRuntimeApi.tcp("lb-1", 9999).command("show stat\nshow info"))
        .withMessage("command must be one non-blank line, was 'show stat\nshow info'");
  }

  @Test
  void rejectsAPortOutOfRange() {
    assertThatIllegalArgumentException().isThrownBy(() -> HaproxyRuntimeApi.tcp("lb-1", 0))
        .withMessage("port must be from 1 to 65535, was 0");
  }

  @Test
  void rejectsABlankHost() {
    assertThatIllegalArgumentException().isThrownBy(() -> HaproxyRuntimeApi.tcp(" ", 9999))
        .withMessage("host must not be blank, was ' '");
  }

  @Test
  void rejectsAZeroTimeout() {
    assertThatIllegalArgumentException().isThrownBy(() -> HaproxyRuntimeApi.tcp("lb-1", 9999).withTimeout(Duration.ZERO))
        .withMessage("timeout must be a positive duration, was PT0S");
  }
}
