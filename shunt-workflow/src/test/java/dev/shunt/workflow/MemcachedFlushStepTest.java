package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.StepFailedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link MemcachedFlushStep} against real memcached processes, and against servers that are not memcached. */
class MemcachedFlushStepTest {
  private final RecordingContext context = RecordingContext.forHost("127.0.0.1");
  private final List<AutoCloseable> started = new ArrayList<>();

  @AfterEach
  void stopEverythingStarted() throws Exception {
    for (AutoCloseable closeable : started) {
      closeable.close();
    }
  }

  private TestMemcached memcached() throws Exception {
    TestMemcached memcached = TestMemcached.start();
    started.add(memcached);
    return memcached;
  }

  /**
   * A server on 127.0.0.1 that reads one line from its first connection, answers {@code answer}
   * (nothing when null) and closes; or that never answers when {@code answer} is empty.
   */
  private int fakeServer(String answer) throws IOException {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    started.add(server);
    Thread thread = new Thread(() -> {
      try (Socket socket = server.accept()) {
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        if (answer != null && answer.isEmpty()) {
          Thread.sleep(5000);
        } else if (answer != null) {
          OutputStream out = socket.getOutputStream();
          out.write(answer.getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the test is over, or the step hung up: either way nothing to answer
      }
    }, "fake-memcached");
    thread.setDaemon(true);
    thread.start();
    return server.getLocalPort();
  }

  @Test
  void flushEmptiesTheServer() throws Exception {
    TestMemcached memcached = memcached();
    memcached.set("session:42", "alice");

    MemcachedFlushStep.builder().servers(memcached.address()).build().run(context);

    assertThat(memcached.get("session:42")).isEmpty();
    assertThat(context.outcome()).isEqualTo("flushed 1 memcached server(s): " + memcached.address());
  }

  @Test
  void hostPlaceholderIsReplacedByTheRolloutsHost() throws Exception {
    TestMemcached memcached = memcached();
    memcached.set("page:/", "<html>");

    MemcachedFlushStep.builder().servers("{host}:" + memcached.port()).build().run(context);

    assertThat(memcached.get("page:/")).isEmpty();
    assertThat(context.outcome()).endsWith("127.0.0.1:" + memcached.port());
  }

  @Test
  void flushEmptiesEveryServer() throws Exception {
    TestMemcached first = memcached();
    TestMemcached second = memcached();
    first.set("a", "1");
    second.set("b", "2");

    MemcachedFlushStep.builder().servers(first.address(), second.address()).build().run(context);

    assertThat(first.get("a")).isEmpty();
    assertThat(second.get("b")).isEmpty();
    assertThat(context.outcome()).isEqualTo("flushed 2 memcached server(s): " + first.address() + ", " + second.address());
  }

  /**
   * memcached acts on a delay one to two seconds early (see the class description): a delay of
   * 6 s leaves four seconds at least in which the key is still there, room for a busy CPU.
   */
  @Test
  void delayedFlushKeepsKeysUntilTheDelayHasPassed() throws Exception {
    TestMemcached memcached = memcached();
    memcached.set("session:42", "alice");

    MemcachedFlushStep.builder().servers(memcached.address()).delay(Duration.ofSeconds(6)).build().run(context);

    assertThat(memcached.get("session:42")).as("right after a flush with a delay").contains("alice");
    assertThat(context.outcome()).isEqualTo("flush in 6 s scheduled on 1 memcached server(s): " + memcached.address());
    long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    Optional<String> value = memcached.get("session:42");
    while (value.isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      value = memcached.get("session:42");
    }
    assertThat(value).as("8 s after a flush with a delay of 6 s").isEmpty();
  }

  @Test
  void refusedConnectionFailsNamingTheServer() throws Exception {
    int port = TestMemcached.freePort();

    assertThatThrownBy(() -> MemcachedFlushStep.builder().servers("127.0.0.1:" + port).build().run(context))
        .isInstanceOf(StepFailedException.class)
        .hasMessageStartingWith("cannot flush_all: memcached 127.0.0.1:" + port + " cannot be reached: Connection refused")
        .hasCauseInstanceOf(ConnectException.class);
  }

  @Test
  void anAnswerOtherThanOkFailsNamingTheServerAndTheAnswer() throws Exception {
    int port = fakeServer("ERROR\r\n");

    assertThatThrownBy(() -> MemcachedFlushStep.builder().servers("127.0.0.1:" + port).build().run(context))
        .isInstanceOf(StepFailedException.class)
        .hasMessage("cannot flush_all: memcached 127.0.0.1:" + port + " answered 'ERROR' to 'flush_all', expected 'OK'");
  }

  @Test
  void aServerThatHangsUpWithoutAnsweringFails() throws Exception {
    int port = fakeServer(null);

    assertThatThrownBy(() -> MemcachedFlushStep.builder().servers("127.0.0.1:" + port).build().run(context))
        .isInstanceOf(StepFailedException.class)
        .hasMessage("cannot flush_all: memcached 127.0.0.1:" + port + " closed the connection without answering 'flush_all'");
  }

  @Test
  void aServerThatDoesNotAnswerFailsAfterTheReadTimeout() throws Exception {
    int port = fakeServer("");

    assertThatThrownBy(() -> MemcachedFlushStep.builder().servers("127.0.0.1:" + port).delay(Duration.ofSeconds(1))
        .readTimeout(Duration.ofMillis(200)).build().run(context))
        .isInstanceOf(StepFailedException.class)
        .hasMessage("cannot flush_all 1: memcached 127.0.0.1:" + port + " did not answer 'flush_all 1' within PT0.2S");
  }

  @Test
  void oneFailedServerFailsTheStepButTheOthersAreStillFlushed() throws Exception {
    TestMemcached memcached = memcached();
    memcached.set("a", "1");
    int refused = TestMemcached.freePort();

    assertThatThrownBy(() -> MemcachedFlushStep.builder().servers("127.0.0.1:" + refused, memcached.address())
        .build().run(context))
        .isInstanceOf(StepFailedException.class)
        .hasMessageContaining("memcached 127.0.0.1:" + refused + " cannot be reached")
        .hasMessageEndingWith("(flushed: " + memcached.address() + ")");
    assertThat(memcached.get("a")).isEmpty();
  }

  @Test
  void eachFlushedServerIsLogged() throws Exception {
    TestMemcached memcached = memcached();

    MemcachedFlushStep.builder().servers(memcached.address()).build().run(context);

    assertThat(context.lines()).containsExactly("memcached " + memcached.address() + ": flush_all -> OK");
  }
}
