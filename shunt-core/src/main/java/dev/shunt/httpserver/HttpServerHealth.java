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
 * server.setExecutor(new ThreadPoolExecutor(0, 200, 60, TimeUnit.SECONDS, new SynchronousQueue<>()));
 * server.createContext("/", app).getFilters().add(HttpServerHealth.filter(responder));
 * }</pre>
 *
 * <p>Start the JVM with {@code -Dsun.net.httpserver.nodelay=true}: without it the JDK server
 * answers keep-alive requests through Nagle's algorithm, about 60 times slower.
 *
 * <p><b>Give the server an executor, or one slow client stops every health check.</b> The JDK
 * server's single dispatcher thread accepts connections and, once a request's first bytes
 * arrive, hands the exchange to the executor; the exchange then reads the request line and
 * headers with blocking reads before any filter runs. Without an executor the exchange runs on
 * the dispatcher thread itself, so a client that sends half a request (no blank line after the
 * headers) blocks it: no connection is accepted and no other request is read until that client
 * finishes or hangs up, and the load balancer marks a healthy host down. (Idle connections that
 * send nothing are harmless: only a connection with bytes to read is dispatched.) No filter can
 * help, as none runs before the headers are read. With an executor such a client holds one of
 * its threads, so:
 * <ul>
 *   <li>the threads must outnumber the half-sent requests that clients can hold: a fixed pool
 *       of n threads is stalled by n such clients, and its queue makes every check wait behind
 *       them. The pool above grows to 200 threads with no queue; when all are busy the server
 *       closes the new connection at once, which fails that check but blocks nothing.</li>
 *   <li>{@code -Dsun.net.httpserver.maxReqTime=SECONDS} (default: none) makes the server close
 *       a connection whose request, body included, has not arrived within that time (checked
 *       every {@code sun.net.httpserver.timerMillis}, default 1000 ms), freeing its thread. It is
 *       read once, when the server's classes load, and applies to every request: choose it above
 *       the longest upload a client may need. Without an executor it only shortens the stall
 *       to that time, which still fails checks. {@code sun.net.httpserver.maxRspTime} bounds
 *       the time from a request's end to its response's end, the handler's included; {@code sun.net.httpserver.idleInterval} (default 30 s)
 *       closes idle keep-alive connections and does nothing for a half-sent request.</li>
 * </ul>
 * On Java 21 or later, {@code Executors.newVirtualThreadPerTaskExecutor()} gives every exchange
 * a thread of its own cheaply. The server cannot limit connections per client address, so many
 * clients together can still take all its threads; answer the checks on a port of their own
 * (a second server, or the {@link dev.shunt.AgentCheckResponder}, which limits connections per
 * address) where that matters.
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
   *
   * @param responder the responder that answers the health checks; not null
   * @return the filter
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
   * @param responder the responder that answers the health checks; not null
   * @return the handler
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
