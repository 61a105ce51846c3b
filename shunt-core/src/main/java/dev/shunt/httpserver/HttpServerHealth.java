package dev.shunt.httpserver;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.shunt.HealthResponder;
import dev.shunt.HealthResponder.PassedCheck;
import dev.shunt.InFlightRequests;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

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
  private static final System.Logger LOG = System.getLogger(HttpServerHealth.class.getName());

  private HttpServerHealth() {}

  /**
   * A filter that answers the responder's health path and passes every other request on,
   * counting it in the responder's {@link HealthResponder#inFlight() in-flight requests} until
   * its handler returns.
   *
   * <p>With a {@linkplain HealthResponder.Builder#passThrough(boolean) pass-through} responder,
   * a check in rotation goes on, uncounted, to the context's own handler, which answers it; its
   * status is recorded once the handler returned, or as "down" if the handler threw. The handler
   * must have sent its status by the time it returns, as a handler that answers on its own
   * thread does: a check whose status is not out by then (a handler that answers later from
   * another thread) still gets the handler's answer, but is not recorded, which is logged once.
   */
  public static Filter filter(HealthResponder responder) {
    Objects.requireNonNull(responder, "responder");
    responder.inFlight().markCounted();
    AtomicBoolean warnedUnrecorded = new AtomicBoolean();
    return new Filter() {
      @Override
      public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (responder.handles(Exchanges.rawPath(exchange))) {
          Optional<PassedCheck> passed = Optional.empty();
          try {
            passed = responder.answerOrPassThrough(Exchanges.requestInfo(exchange),
                answer -> Exchanges.send(exchange, answer));
          } finally {
            if (passed.isEmpty()) {
              exchange.close();
            }
          }
          if (passed.isPresent()) {
            passToTheApp(exchange, chain, passed.get());
          }
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

      /** Lets the app's handler answer the check, then records what it sent. */
      private void passToTheApp(HttpExchange exchange, Chain chain, PassedCheck check) throws IOException {
        try {
          chain.doFilter(exchange);
        } catch (IOException | RuntimeException | Error e) {
          check.appFailed();
          throw e;
        }
        int status = exchange.getResponseCode();
        if (status != -1) {
          check.appAnswered(status);
        } else if (warnedUnrecorded.compareAndSet(false, true)) {
          LOG.log(Level.WARNING, "the handler of " + responder.path() + " returned before it sent a status:"
              + " such health checks are passed on but not recorded for the drain and rotation waits");
        }
      }

      @Override
      public String description() {
        return "shunt health check on " + responder.path()
            + (responder.passesThrough() ? ", passed through in rotation" : "");
      }
    };
  }

  /**
   * A handler for a context of its own ({@code server.createContext("/health", handler)}): it
   * answers the health path and {@code 404} to anything else under the context.
   *
   * @throws IllegalArgumentException if the responder passes checks through: this handler is
   *     the only one of its context, so there is no application handler to pass them to (use
   *     {@link #filter} in front of it)
   */
  public static HttpHandler handler(HealthResponder responder) {
    Objects.requireNonNull(responder, "responder");
    if (responder.passesThrough()) {
      throw new IllegalArgumentException("responder passes checks through (passThrough(true)), but handler()"
          + " answers a context of its own with no application handler behind it: use filter(responder)"
          + " on the context of the application's health handler");
    }
    return exchange -> {
      if (responder.handles(Exchanges.rawPath(exchange))) {
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
