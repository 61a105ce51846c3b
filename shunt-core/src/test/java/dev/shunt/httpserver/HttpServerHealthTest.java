package dev.shunt.httpserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HttpServerHealth#handler}: the responder in a context of its own. */
class HttpServerHealthTest {
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final StatusStore store = StatusStore.inMemory();
  private final HealthResponder responder = HealthResponder.builder().store(store).key(KEY).build();
  private HttpServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/health", HttpServerHealth.handler(responder));
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    return CLIENT.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void handlerAnswersTheHealthPath() throws Exception {
    HttpResponse<String> response = get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void handlerAnswersTheHealthPath503WhileShunted() throws Exception {
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));

    HttpResponse<String> response = get("/health");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("shunted\n");
  }

  @Test
  void handlerAnswers404ToOtherPathsUnderItsContext() throws Exception {
    HttpResponse<String> response = get("/health/other");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void filterDescribesItselfByTheHealthPath() {
    assertThat(HttpServerHealth.filter(responder).description()).isEqualTo("shunt health check on /health");
  }
}
