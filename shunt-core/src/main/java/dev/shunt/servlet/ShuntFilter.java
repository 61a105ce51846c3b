package dev.shunt.servlet;

import dev.shunt.HealthAnswer;
import dev.shunt.HealthResponder;
import dev.shunt.HealthResponder.PassedCheck;
import dev.shunt.InFlightRequests;
import dev.shunt.MaintenanceResponder;
import dev.shunt.RequestInfo;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Puts a {@link HealthResponder}, and optionally a {@link MaintenanceResponder}, in front of a
 * servlet application. For each request, in this order:
 * <ol>
 *   <li>the health path is answered by the health responder, always (maintenance never takes
 *       the instance out of the load balancer), or, with a
 *       {@linkplain HealthResponder.Builder#passThrough(boolean) pass-through} responder while in
 *       rotation, by the application's own handler of the path;</li>
 *   <li>the maintenance responder, if there is one, may answer instead of the application (the
 *       maintenance page, or the redirect from the page path);</li>
 *   <li>every other request is passed on, counted in the health responder's
 *       {@linkplain HealthResponder#inFlight() in-flight requests} until it has been answered, so
 *       that a shutdown or a drain can wait for zero.</li>
 * </ol>
 * Health checks and maintenance answers are not counted.
 *
 * <p><b>Registration.</b> Programmatic only (there is no no-argument constructor for
 * {@code web.xml}): map it to {@code /*} for the {@code REQUEST} dispatch, first in the chain, with
 * async support on (without it, an asynchronous servlet behind it cannot start async at all):
 *
 * <pre>{@code
 * // in a ServletContainerInitializer or a ServletContextListener
 * FilterRegistration.Dynamic shunt = servletContext.addFilter("shunt", new ShuntFilter(health, maintenance));
 * shunt.setAsyncSupported(true);
 * shunt.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
 * }</pre>
 *
 * In Spring Boot, a {@code FilterRegistrationBean<>(new ShuntFilter(health))} with the highest
 * precedence does the same. Forward, include, error and async dispatches pass through untouched:
 * the request was counted when it came in.
 *
 * <p><b>The request.</b> The responders are given the request URI without the context path, as the
 * client sent it (not decoded, path parameters kept), as {@link RequestInfo#path()}: in a context
 * {@code /shop}, a responder on {@code /health} answers {@code /shop/health}. They decode it
 * themselves and match the health path and the allowed paths both as sent and with dot segments
 * resolved (see {@link HealthResponder#handles}); the client address is {@code getRemoteAddr()},
 * and every value of a repeated header is passed on, joined with {@code ", "} in order.
 *
 * <p><b>In-flight counting.</b> A request is counted from before the rest of the chain runs until
 * the chain returns or, when the application started async processing, until the
 * {@code AsyncContext} completes, fails or times out; once in either case.
 *
 * <p><b>An answer</b> (health or maintenance) is written as it is: status, every header, then the
 * body in UTF-8 (none for {@code HEAD}), flushed. Once the status and headers are out the client
 * has its answer: a checker that hangs up before the body (as load balancers often do) still
 * counts as answered.
 *
 * <p><b>Pass-through.</b> A check passed on to the application is not counted in flight. Its
 * answer is recorded for the drain and rotation waits, as the status the response has, once the
 * rest of the chain returned (the container sends the response right after); if the application
 * started async processing, once the {@code AsyncContext} completes (after a timeout or an error,
 * with the status the container completed it with, usually {@code 500}). A chain that throws is
 * recorded as "down". Maintenance mode never catches the health path.
 *
 * <p>Thread-safe: one instance serves all requests of a context.
 */
public final class ShuntFilter implements Filter {
  private final HealthResponder responder;
  /** Null when the filter has no maintenance mode. */
  private final MaintenanceResponder maintenance;

  /**
   * A filter answering for {@code responder} and counting into its in-flight requests; no maintenance mode.
   *
   * @param responder the responder that answers the health checks; not null
   */
  public ShuntFilter(HealthResponder responder) {
    this.responder = Objects.requireNonNull(responder, "responder");
    responder.inFlight().markCounted();
    this.maintenance = null;
  }

  /**
   * A filter answering health checks for {@code responder}, letting {@code maintenance} answer
   * the other requests it catches, and counting the rest into {@code responder}'s in-flight
   * requests.
   *
   * @param responder the responder that answers the health checks; not null
   * @param maintenance answers the other requests while maintenance is on; not null
   */
  public ShuntFilter(HealthResponder responder, MaintenanceResponder maintenance) {
    this.responder = Objects.requireNonNull(responder, "responder");
    responder.inFlight().markCounted();
    this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest httpRequest)
        || !(response instanceof HttpServletResponse httpResponse)
        || request.getDispatcherType() != DispatcherType.REQUEST) {
      chain.doFilter(request, response);
      return;
    }
    String path = pathWithinContext(httpRequest);
    if (responder.handles(path)) {
      Optional<PassedCheck> passed = responder.answerOrPassThrough(requestInfo(httpRequest, path),
          answer -> send(httpRequest, httpResponse, answer));
      if (passed.isPresent()) {
        passCheckToTheApp(httpRequest, httpResponse, chain, passed.get());
      }
      return;
    }
    Optional<HealthAnswer> maintenanceAnswer =
        maintenance == null ? Optional.empty() : maintenance.answer(requestInfo(httpRequest, path));
    if (maintenanceAnswer.isPresent()) {
      send(httpRequest, httpResponse, maintenanceAnswer.get());
      return;
    }
    passOnCounted(httpRequest, httpResponse, chain);
  }

  /**
   * Lets the application answer a health check, then records its status: once the chain
   * returned, or when its async cycle ends. The response is left as the application made it (not
   * flushed here), so the container still sends it as it would have (its length, its error page).
   */
  private static void passCheckToTheApp(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain, PassedCheck check) throws IOException, ServletException {
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      check.appFailed();
      throw e;
    }
    if (request.isAsyncStarted()) {
      try {
        request.getAsyncContext().addListener(new RecordOnComplete(check, response));
        return;
      } catch (IllegalStateException asyncAlreadyOver) {
        // Completed within the dispatch: the status is final, record it now.
      }
    }
    check.appAnswered(response.getStatus());
  }

  private void passOnCounted(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    InFlightRequests inFlight = responder.inFlight();
    inFlight.begin();
    try {
      chain.doFilter(request, response);
    } finally {
      if (!endWhenAsyncEnds(request, inFlight)) {
        inFlight.end();
      }
    }
  }

  /** Hands the end of the count to the request's async cycle, if it started one and is not over. */
  private static boolean endWhenAsyncEnds(HttpServletRequest request, InFlightRequests inFlight) {
    if (!request.isAsyncStarted()) {
      return false;
    }
    try {
      request.getAsyncContext().addListener(new EndOnce(inFlight));
      return true;
    } catch (IllegalStateException asyncAlreadyOver) {
      return false;
    }
  }

  private static String pathWithinContext(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }

  private static RequestInfo requestInfo(HttpServletRequest request, String path) {
    Map<String, String> headers = new HashMap<>();
    Enumeration<String> names = request.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      // Every value, not getHeader's first: a proxy appends its X-Forwarded-For line last.
      String name = names.nextElement();
      headers.put(name, String.join(", ", Collections.list(request.getHeaders(name))));
    }
    return new RequestInfo(request.getMethod(), path, request.getRemoteAddr(), headers);
  }

  /**
   * Commits the status and headers first, then writes the body: load balancers (HAProxy among
   * them) often hang up right after reading the status, so an error writing the body is not an
   * error in sending the answer.
   */
  private static void send(HttpServletRequest request, HttpServletResponse response, HealthAnswer answer)
      throws IOException {
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    response.setStatus(answer.status());
    answer.headers().forEach(response::setHeader);
    response.setContentLength(body.length);
    response.flushBuffer();
    if (request.getMethod().equals("HEAD")) {
      return;
    }
    try {
      ServletOutputStream out = response.getOutputStream();
      out.write(body);
      out.flush();
    } catch (IOException clientHungUp) {
      // The status went out; the client did not wait for the body.
    }
  }

  @Override
  public String toString() {
    return "shunt health check on " + responder.path()
        + (responder.passesThrough() ? ", passed through in rotation" : "")
        + (maintenance == null ? "" : ", maintenance mode of " + maintenance.service());
  }

  /**
   * Records a passed check when its async processing completes. Stays registered when the
   * application starts a new async cycle after a dispatch.
   */
  private static final class RecordOnComplete implements AsyncListener {
    private final PassedCheck check;
    private final HttpServletResponse response;

    RecordOnComplete(PassedCheck check, HttpServletResponse response) {
      this.check = check;
      this.response = response;
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }

    @Override
    public void onComplete(AsyncEvent event) {
      check.appAnswered(response.getStatus());
    }

    @Override
    public void onError(AsyncEvent event) {
      // The container completes the request after an error: onComplete records its status.
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      // As onError: the status of the completed response is recorded.
    }
  }

  /**
   * Ends one request's count when its async processing ends. Stays registered when the
   * application starts a new async cycle after a dispatch, which would otherwise drop it.
   */
  private static final class EndOnce implements AsyncListener {
    private final InFlightRequests inFlight;
    private final AtomicBoolean ended = new AtomicBoolean();

    EndOnce(InFlightRequests inFlight) {
      this.inFlight = inFlight;
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }

    @Override
    public void onComplete(AsyncEvent event) {
      end();
    }

    @Override
    public void onError(AsyncEvent event) {
      end();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      end();
    }

    private void end() {
      if (ended.compareAndSet(false, true)) {
        inFlight.end();
      }
    }
  }
}
