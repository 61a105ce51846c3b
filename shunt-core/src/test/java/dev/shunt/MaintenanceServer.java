package dev.shunt;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shunt.httpserver.HttpServerHealth;
import dev.shunt.httpserver.HttpServerMaintenance;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A real JDK {@link HttpServer} on 127.0.0.1 whose application answers {@code 200 app} on every
 * path, behind the maintenance filter and then the health filter; and a real {@link HttpClient}
 * (which follows no redirects) to call it.
 */
final class MaintenanceServer implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private final HttpServer server;

  private MaintenanceServer(List<Filter> filters) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", MaintenanceServer::answerApp).getFilters().addAll(filters);
    server.start();
  }

  /** Maintenance in front, then health checks, then the application. */
  static MaintenanceServer start(MaintenanceResponder maintenance, HealthResponder health) {
    return new MaintenanceServer(List.of(HttpServerMaintenance.filter(maintenance), HttpServerHealth.filter(health)));
  }

  /** Health checks in front, then maintenance, then the application. */
  static MaintenanceServer startHealthFirst(MaintenanceResponder maintenance, HealthResponder health) {
    return new MaintenanceServer(List.of(HttpServerHealth.filter(health), HttpServerMaintenance.filter(maintenance)));
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
    return send("GET", path);
  }

  /** A request with headers given as name, value, name, value… */
  HttpResponse<String> send(String method, String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends {@code GET path} exactly as given (no client resolves its dot segments or re-encodes it)
   * and returns all the server sent until it closed the connection.
   */
  String rawGet(String path) {
    try (Socket socket = new Socket("127.0.0.1", server.getAddress().getPort())) {
      socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
