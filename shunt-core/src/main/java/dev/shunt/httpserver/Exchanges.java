package dev.shunt.httpserver;

import com.sun.net.httpserver.HttpExchange;
import dev.shunt.HealthAnswer;
import dev.shunt.RequestInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** How the JDK adapters read a request for a responder and write out its answer. */
final class Exchanges {
  private Exchanges() {}

  /**
   * The request path as the client sent it, percent-encoded, without the query: the responders
   * decode it themselves, once (the URI's decoded {@code getPath()} decoded again would read
   * {@code %252e} as {@code .}). Empty for a request target without one.
   */
  static String rawPath(HttpExchange exchange) {
    String path = exchange.getRequestURI().getRawPath();
    return path == null ? "" : path;
  }

  /**
   * The request as a responder sees it, its path as {@link #rawPath}: every value of a repeated header joined with
   * {@code ", "} in order, so that a line a proxy appended (HAProxy's {@code option forwardfor}
   * adds an {@code X-Forwarded-For} line after any the client sent) is not lost behind the
   * client's.
   */
  static RequestInfo requestInfo(HttpExchange exchange) {
    Map<String, String> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!values.isEmpty()) {
        headers.put(name, String.join(", ", values));
      }
    });
    return new RequestInfo(exchange.getRequestMethod(), rawPath(exchange),
        exchange.getRemoteAddress().getAddress().getHostAddress(), headers);
  }

  /**
   * Writes the answer: the status, every header, then the body unless the method was
   * {@code HEAD}. Once the status line and headers are out, the client has its answer: load
   * balancers (HAProxy among them) often hang up right after reading the status, so an error
   * writing the body is not an error in sending the answer.
   */
  static void send(HttpExchange exchange, HealthAnswer answer) throws IOException {
    answer.headers().forEach(exchange.getResponseHeaders()::set);
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    // -1: no body at all; 0 would make the server send a chunked body of unknown length.
    boolean noBody = exchange.getRequestMethod().equals("HEAD") || body.length == 0;
    exchange.sendResponseHeaders(answer.status(), noBody ? -1 : body.length);
    if (noBody) {
      return;
    }
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    } catch (IOException clientHungUp) {
      // The status went out; the client did not wait for the body.
    }
  }
}
