package dev.shunt.httpserver;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.shunt.HealthAnswer;
import dev.shunt.MaintenanceResponder;
import dev.shunt.RequestInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Puts a {@link MaintenanceResponder} into the JDK's {@code com.sun.net.httpserver.HttpServer}.
 *
 * <pre>{@code
 * HttpContext context = server.createContext("/", app);
 * context.getFilters().add(HttpServerMaintenance.filter(maintenance));
 * context.getFilters().add(HttpServerHealth.filter(health));
 * }</pre>
 *
 * <p>The two filters work in either order, since the maintenance responder always passes the
 * health path on; in this order the maintenance page is not counted as a request in flight.
 */
public final class HttpServerMaintenance {
  private static final String FORWARDED_FOR = "X-Forwarded-For";

  private HttpServerMaintenance() {}

  /**
   * A filter that answers what {@code responder} decides (the maintenance page, or the redirect
   * from the page path) and passes every other request on. {@code HEAD} requests get the
   * status and headers without the body.
   */
  public static Filter filter(MaintenanceResponder responder) {
    Objects.requireNonNull(responder, "responder");
    return new Filter() {
      @Override
      public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        Optional<HealthAnswer> answer = responder.answer(request(exchange));
        if (answer.isEmpty()) {
          chain.doFilter(exchange);
          return;
        }
        try (exchange) {
          send(exchange, answer.get());
        }
      }

      @Override
      public String description() {
        return "shunt maintenance mode of " + responder.service();
      }
    };
  }

  /**
   * The request, with the first value of each header, except {@code X-Forwarded-For}: its lines
   * are joined in order, as HTTP allows. A proxy such as HAProxy adds a line of its own after
   * the ones the client sent, so the first line alone would be the client's word for itself.
   */
  private static RequestInfo request(HttpExchange exchange) {
    Map<String, String> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!values.isEmpty()) {
        headers.put(name, name.equalsIgnoreCase(FORWARDED_FOR) ? String.join(", ", values) : values.get(0));
      }
    });
    return new RequestInfo(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
        exchange.getRemoteAddress().getAddress().getHostAddress(), headers);
  }

  private static void send(HttpExchange exchange, HealthAnswer answer) throws IOException {
    answer.headers().forEach(exchange.getResponseHeaders()::set);
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    // -1: no body at all; 0 would mean a chunked body of unknown length.
    boolean noBody = exchange.getRequestMethod().equals("HEAD") || body.length == 0;
    exchange.sendResponseHeaders(answer.status(), noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
