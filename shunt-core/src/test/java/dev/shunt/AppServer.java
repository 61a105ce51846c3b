package dev.shunt;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shunt.httpserver.HttpServerHealth;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real JDK {@link HttpServer} on 127.0.0.1 whose only handler, on context {@code /}, answers
 * {@code 200 app}, with a {@link HealthResponder}'s filter in front of it; and a real
 * {@link HttpClient} to call it.
 *
 * <p>The server handles one exchange at a time, in the order they arrive, so once a request has
 * been answered every request sent before it has been handled completely, including what the
 * responder does after an answer was sent (see {@link #settle()}).
 *
 * <p>A request that carries {@value #CHECKER_HEADER} names its checker to {@link #checkerHeader}.
 */
final class AppServer implements AutoCloseable {
  static final String CHECKER_HEADER = "X-Checker";
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private final HttpServer server;
  private final ExecutorService handlerThread = Executors.newSingleThreadExecutor();

  private AppServer(HealthResponder responder) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(handlerThread);
    var context = server.createContext("/", AppServer::answerApp);
    context.getFilters().add(HttpServerHealth.filter(responder));
    server.start();
  }

  static AppServer start(HealthResponder responder) {
    return new AppServer(responder);
  }

  /** A checker id for {@link HealthResponder.Builder#checkerId}: the header, else the client address. */
  static String checkerHeader(RequestInfo check) {
    return check.header(CHECKER_HEADER).orElse(check.clientAddress());
  }

  private static void answerApp(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = "app".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  HttpResponse<String> get(String path) {
    return send("GET", path, null);
  }

  HttpResponse<String> send(String method, String path) {
    return send(method, path, null);
  }

  /** A health check from the checker named {@code checker}. */
  HttpResponse<String> check(String checker) {
    return send("GET", "/health", checker);
  }

  /** {@link #check} without waiting: completes once the whole answer has been received. */
  CompletableFuture<HttpResponse<String>> checkAsync(String checker) {
    return CLIENT.sendAsync(request("GET", "/health", checker), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Returns once every request sent before, and this one's own, has been handled to its end on
   * the server: the client has the answer to {@code /settle} while the filter may still be counting
   * it in flight, so a task queued behind it on the server's one handler thread marks the end.
   */
  void settle() {
    get("/settle");
    try {
      handlerThread.submit(() -> { }).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the server's handler thread did not come free", e);
    }
  }

  private HttpResponse<String> send(String method, String path, String checker) {
    try {
      return CLIENT.send(request(method, path, checker), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest request(String method, String path, String checker) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(10));
    if (checker != null) {
      request.header(CHECKER_HEADER, checker);
    }
    return request.build();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Override
  public void close() {
    server.stop(0);
    handlerThread.shutdownNow();
  }
}
