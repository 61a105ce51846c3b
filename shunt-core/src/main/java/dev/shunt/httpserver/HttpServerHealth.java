package dev.shunt.httpserver;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.shunt.HealthResponder;
import dev.shunt.InFlightRequests;
import java.io.IOException;
import java.util.Objects;

/**
 * Puts a {@link HealthResponder} into the JDK's {@code com.sun.net.httpserver.HttpServer}.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
 * server.createContext("/", app).getFilters().add(HttpServerHealth.filter(responder));
 * }</pre>
 *
 * <p>Start the JVM with {@code -Dsun.net.httpserver.nodelay=true}: without it the JDK server
 * answers keep-alive requests through Nagle's algorithm, about 60 times slower.
 */
public final class HttpServerHealth {
  private HttpServerHealth() {}

  /**
   * A filter that answers the responder's health path and passes every other request on,
   * counting it in the responder's {@link HealthResponder#inFlight() in-flight requests} until
   * its handler returns.
   */
  public static Filter filter(HealthResponder responder) {
    Objects.requireNonNull(responder, "responder");
    responder.inFlight().markCounted();
    return new Filter() {
      @Override
      public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (responder.handles(exchange.getRequestURI().getPath())) {
          answer(responder, exchange);
          return;
        }
        InFlightRequests inFlight = responder.inFlight();
        inFlight.begin();
        try {
          chain.doFilter(exchange);
        } finally {
          inFlight.end();
        }
      }

      @Override
      public String description() {
        return "shunt health check on " + responder.path();
      }
    };
  }

  /**
   * A handler for a context of its own ({@code server.createContext("/health", handler)}): it
   * answers the health path and {@code 404} to anything else under the context.
   */
  public static HttpHandler handler(HealthResponder responder) {
    Objects.requireNonNull(responder, "responder");
    return exchange -> {
      if (responder.handles(exchange.getRequestURI().getPath())) {
        answer(responder, exchange);
      } else {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
      }
    };
  }

  private static void answer(HealthResponder responder, HttpExchange exchange) throws IOException {
    try (exchange) {
      responder.answer(Exchanges.requestInfo(exchange), answer -> Exchanges.send(exchange, answer));
    }
  }
}
