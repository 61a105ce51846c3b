package dev.shunt.workflow.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An application on 127.0.0.1 and a free port (the JDK's HttpServer): every request is answered
 * with one status (which {@link #answer} changes), after {@code onRequest} was told which host it
 * came to.
 */
final class TestBackend implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger status;

  private TestBackend(HttpServer server, AtomicInteger status) {
    this.server = server;
    this.status = status;
  }

  /** Starts a backend that answers {@code status} and calls {@code onRequest} with its host first. */
  static TestBackend start(int status, Consumer<String> onRequest) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String host = "127.0.0.1:" + server.getAddress().getPort();
    AtomicInteger answer = new AtomicInteger(status);
    server.createContext("/", exchange -> {
      onRequest.accept(host);
      exchange.sendResponseHeaders(answer.get(), -1);
      exchange.close();
    });
    server.start();
    return new TestBackend(server, answer);
  }

  /** Answers {@code status} from now on. */
  void answer(int status) {
    this.status.set(status);
  }

  /** {@code 127.0.0.1:port}: the backend's name as a rollout host. */
  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
