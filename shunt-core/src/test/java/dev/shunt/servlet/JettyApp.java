package dev.shunt.servlet;

import dev.shunt.HealthResponder;
import dev.shunt.InFlightRequests;
import dev.shunt.MaintenanceResponder;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty 12 (ee10) on 127.0.0.1 with a {@link ShuntFilter} in front of a small app servlet,
 * and a real {@link HttpClient} to call it.
 *
 * <p>The app answers {@code 200 app}, except on these paths (within the context):
 * <ul>
 *   <li>{@code /blocking}: says it {@linkplain #awaitBlocked() is blocked}, then waits for
 *       {@link #unblock()};</li>
 *   <li>{@code /throwing}: throws;</li>
 *   <li>{@code /async}: starts async and hands the {@link AsyncContext} to {@link #takeAsync()};</li>
 *   <li>{@code /async-completed-at-once}: starts async and completes it before returning;</li>
 *   <li>{@code /async-times-out}: starts async with a 100 ms timeout, and lets it time out;</li>
 *   <li>{@code /async-restarted}: starts async, dispatches, starts async again in that dispatch
 *       and hands the second {@link AsyncContext} to {@link #takeAsync()};</li>
 *   <li>{@code /health}: the app's own health check, reached only when the filter passes a check
 *       through: answers {@link #appHealthStatus(int)} (200 by default) with header
 *       {@code X-App-Check: database} and body {@code database ok} (or {@code database down}),
 *       counted in {@link #appHealthCalls()};</li>
 *   <li>{@code /health-async}: the same check, answered from another thread through
 *       {@code AsyncContext.start} once the dispatch that started it has returned;</li>
 *   <li>{@code /health-throws}: a health check that throws;</li>
 *   <li>{@code /no-such-page}: {@code 404}, as for a path the app has no handler for.</li>
 * </ul>
 *
 * <p>The filter is mapped for every dispatch type, more broadly than its Javadoc asks, to show that
 * it counts a request once however often it sees it. A probe filter in front of it tells a test
 * when everything the filter does for an app request has run: its post-chain code runs after the
 * filter's, and its async listener, registered after the filter's, is called after it.
 */
final class JettyApp implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);
  private final String contextPath;
  private final CountDownLatch blocked = new CountDownLatch(1);
  private final CountDownLatch unblocked = new CountDownLatch(1);
  private final BlockingQueue<AsyncContext> asyncContexts = new LinkedBlockingQueue<>();
  private final List<String> happened = new ArrayList<>();
  private final InFlightRequests inFlight;
  private volatile int appHealthStatus = 200;
  private final AtomicInteger appHealthCalls = new AtomicInteger();
  private final AtomicInteger inFlightSeenByAppHealth = new AtomicInteger(-1);

  private JettyApp(ShuntFilter filter, HealthResponder responder, String contextPath) {
    this(filter, responder, contextPath, UriCompliance.DEFAULT);
  }

  private JettyApp(ShuntFilter filter, HealthResponder responder, String contextPath, UriCompliance uriCompliance) {
    this.contextPath = contextPath;
    this.inFlight = responder.inFlight();
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration().setUriCompliance(uriCompliance);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(contextPath.isEmpty() ? "/" : contextPath);
    context.getServletHandler().setDecodeAmbiguousURIs(uriCompliance != UriCompliance.DEFAULT);
    EnumSet<DispatcherType> everyDispatch = EnumSet.allOf(DispatcherType.class);
    context.addFilter(asyncSupported(new FilterHolder(new DoneProbe())), "/*", everyDispatch);
    context.addFilter(asyncSupported(new FilterHolder(filter)), "/*", everyDispatch);
    ServletHolder app = new ServletHolder(new AppServlet());
    app.setAsyncSupported(true);
    context.addServlet(app, "/*");
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not start", e);
    }
  }

  /** The app in the root context. */
  static JettyApp start(HealthResponder responder) {
    return new JettyApp(new ShuntFilter(responder), responder, "");
  }

  /** The app in the root context, with maintenance mode in the filter. */
  static JettyApp start(HealthResponder responder, MaintenanceResponder maintenance) {
    return new JettyApp(new ShuntFilter(responder, maintenance), responder, "");
  }

  /**
   * The app in the root context, with maintenance mode in the filter, on a server that lets
   * through the request paths Jetty refuses by default ({@code 400 Ambiguous URI path segment}
   * for {@code /assets/%2e%2e/admin}): {@link UriCompliance#LEGACY}, as some deployments set it.
   */
  static JettyApp startLenient(HealthResponder responder, MaintenanceResponder maintenance) {
    return new JettyApp(new ShuntFilter(responder, maintenance), responder, "", UriCompliance.LEGACY);
  }

  /** The app in context {@code contextPath}, e.g. {@code /shop}. */
  static JettyApp start(HealthResponder responder, String contextPath) {
    return new JettyApp(new ShuntFilter(responder), responder, contextPath);
  }

  /** What the app's own health check answers from now on. */
  void appHealthStatus(int status) {
    appHealthStatus = status;
  }

  /** How often the app's own health checks ran. */
  int appHealthCalls() {
    return appHealthCalls.get();
  }

  /** How many requests the filter counted in flight while the app's last health check ran; -1 before any. */
  int inFlightSeenByAppHealth() {
    return inFlightSeenByAppHealth.get();
  }

  private static FilterHolder asyncSupported(FilterHolder holder) {
    holder.setAsyncSupported(true);
    return holder;
  }

  HttpResponse<String> get(String path) {
    return send(request("GET", path).build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  CompletableFuture<HttpResponse<String>> getAsync(String path) {
    return CLIENT.sendAsync(request("GET", path).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A request for {@code path} on the server (the full path, context path included). */
  HttpRequest.Builder request(String method, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(5));
  }

  int port() {
    return connector.getLocalPort();
  }

  /** Sends {@code request} as it is, and returns all the server sent until it closed the connection. */
  String rawExchange(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port())) {
      socket.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      in.transferTo(received);
      return received.toString(StandardCharsets.US_ASCII);
    }
  }

  /** Waits until a {@code /blocking} request is in the servlet. */
  void awaitBlocked() throws InterruptedException {
    if (!blocked.await(5, TimeUnit.SECONDS)) {
      throw new AssertionError("no /blocking request reached the servlet");
    }
  }

  /** Lets {@code /blocking} requests finish. */
  void unblock() {
    unblocked.countDown();
  }

  /** The next {@link AsyncContext} an async path handed over, once its dispatch has returned. */
  AsyncContext takeAsync() throws InterruptedException {
    AsyncContext async = asyncContexts.poll(5, TimeUnit.SECONDS);
    if (async == null) {
      throw new AssertionError("no async request reached the servlet");
    }
    awaitDone("dispatched " + pathOf((HttpServletRequest) async.getRequest()));
    return async;
  }

  /**
   * Waits until the filter has done all it does for the request for {@code path}: for an app
   * request, ended its count; for a health check, recorded its report (after the answer was sent).
   */
  void awaitFinished(String path) throws InterruptedException {
    awaitDone("finished " + path);
  }

  /** Waits until {@code event} happened, and forgets it. */
  private void awaitDone(String event) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    synchronized (happened) {
      while (!happened.remove(event)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("never happened: " + event + "; happened: " + happened);
        }
        TimeUnit.NANOSECONDS.timedWait(happened, left);
      }
    }
  }

  private void happened(String event) {
    synchronized (happened) {
      happened.add(event);
      happened.notifyAll();
    }
  }

  private String pathOf(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }

  @Override
  public void close() {
    unblock();
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }

  /** Reports when the request's dispatch returned, and when it finished (async or not). */
  private final class DoneProbe implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      try {
        chain.doFilter(request, response);
      } finally {
        if (request.getDispatcherType() == DispatcherType.REQUEST) {
          afterDispatch((HttpServletRequest) request);
        }
      }
    }

    private void afterDispatch(HttpServletRequest request) {
      String path = pathOf(request);
      if (!request.isAsyncStarted()) {
        happened("finished " + path);
        return;
      }
      request.getAsyncContext().addListener(new AsyncListener() {
        @Override
        public void onStartAsync(AsyncEvent event) {
          event.getAsyncContext().addListener(this);
        }

        @Override
        public void onComplete(AsyncEvent event) {
          happened("finished " + path);
        }

        @Override
        public void onError(AsyncEvent event) {}

        @Override
        public void onTimeout(AsyncEvent event) {}
      });
      happened("dispatched " + path);
    }
  }

  private final class AppServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
      String path = pathOf(request);
      boolean firstDispatch = request.getDispatcherType() == DispatcherType.REQUEST;
      switch (path) {
        case "/blocking" -> {
          blocked.countDown();
          try {
            unblocked.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          response.getWriter().write("app");
        }
        case "/throwing" -> throw new IllegalStateException("the app failed, as this test wants");
        case "/async" -> asyncContexts.add(request.startAsync());
        case "/async-completed-at-once" -> {
          AsyncContext async = request.startAsync();
          response.getWriter().write("app");
          async.complete();
        }
        case "/async-times-out" -> request.startAsync().setTimeout(100);
        case "/health" -> appHealth(response);
        case "/health-async" -> {
          AsyncContext async = request.startAsync();
          async.start(() -> {
            try {
              awaitDone("dispatched /health-async");
              appHealth((HttpServletResponse) async.getResponse());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              async.complete();
            }
          });
        }
        case "/health-throws" -> {
          appHealthCalls.incrementAndGet();
          throw new IllegalStateException("the app's health check failed, as this test wants");
        }
        case "/no-such-page" -> response.sendError(404);
        case "/async-restarted" -> {
          if (firstDispatch) {
            request.startAsync().dispatch();
          } else {
            asyncContexts.add(request.startAsync());
          }
        }
        default -> response.getWriter().write("app");
      }
    }

    private void appHealth(HttpServletResponse response) throws IOException {
      appHealthCalls.incrementAndGet();
      inFlightSeenByAppHealth.set(inFlight.current());
      int status = appHealthStatus;
      response.setStatus(status);
      response.setHeader("X-App-Check", "database");
      response.getWriter().write(status == 200 ? "database ok\n" : "database down\n");
    }
  }
}
