package dev.shunt.httpserver;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.shunt.HealthAnswer;
import dev.shunt.MaintenanceResponder;
import java.io.IOException;
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
  private HttpServerMaintenance() {}

  /**
   * A filter that answers what {@code responder} decides (the maintenance page, or the redirect
   * from the page path) and passes every other request on. {@code HEAD} requests get the
   * status and headers without the body.
   *
   * @param responder decides the maintenance answers; not null
   * @return the filter
   */
  public static Filter filter(MaintenanceResponder responder) {
    Objects.requireNonNull(responder, "responder");
    return new Filter() {
      @Override
      public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        Optional<HealthAnswer> answer = responder.answer(Exchanges.requestInfo(exchange));
        if (answer.isEmpty()) {
          chain.doFilter(exchange);
          return;
        }
        try (exchange) {
          Exchanges.send(exchange, answer.get());
        }
      }

      @Override
      public String description() {
        return "shunt maintenance mode of " + responder.service();
      }
    };
  }
}
