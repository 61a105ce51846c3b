package dev.shunt;

import dev.shunt.internal.AcceptHeader;
import dev.shunt.internal.Cidr;
import dev.shunt.internal.InstanceKeyRules;
import dev.shunt.internal.Json;
import dev.shunt.internal.MaintenanceFlagRules;
import dev.shunt.internal.PathReadings;
import dev.shunt.internal.ProblemLog;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Site-wide maintenance mode: while the {@link StatusStore} holds a {@link MaintenanceFlag} for
 * the service, every request that is not allow-listed is answered with a maintenance page
 * instead of reaching the application. Framework-neutral: adapters (such as
 * {@code dev.shunt.httpserver.HttpServerMaintenance}, {@code dev.shunt.servlet.ShuntFilter}) ask {@link #answer} for each request and
 * pass it on to the application when it returns empty.
 *
 * <pre>{@code
 * MaintenanceResponder maintenance = MaintenanceResponder.builder()
 *     .store(store).service("checkout")
 *     .healthResponder(health)              // its health path is never caught
 *     .allowedPaths("/assets/.*", "/robots\\.txt")
 *     .trustedProxies("10.0.0.0/24")        // the load balancers: X-Forwarded-For is theirs
 *     .build();
 * store.startMaintenance("checkout", MaintenanceFlag.of("database upgrade", "ops", Instant.now()));
 * }</pre>
 *
 * <p><b>While maintenance is on</b>, a request gets {@linkplain Builder#status(int) 503},
 * {@code Cache-Control: no-store}, {@code Retry-After} (the seconds left until the flag's
 * {@code until}, else {@linkplain Builder#retryAfter(Duration) 2 hours}) and a body chosen by its
 * {@code Accept} header: {@code {"error":"Service Unavailable","message":"<reason>"}} when it
 * ranks {@code application/json} above {@code text/html}, else an HTML page with the reason
 * (escaped) in it. Passed on to the application, whatever the flag says:
 * <ul>
 *   <li>the health path, always: maintenance must never make the load balancer take every host
 *       out;</li>
 *   <li>paths matching one of the responder's {@linkplain Builder#allowedPaths allowed paths}
 *       (the page's assets, {@code robots.txt}) or of the flag's, both decoded and with dot
 *       segments resolved: {@code /assets/../admin} is not under {@code /assets/};</li>
 *   <li>clients in one of the flag's allowed clients. The client is the connection's address;
 *       when that is a {@linkplain Builder#trustedProxies trusted proxy}, it is the right-most
 *       address in {@code X-Forwarded-For} that is not itself a trusted proxy.</li>
 * </ul>
 *
 * <p><b>While maintenance is off</b>, a request for the {@linkplain Builder#pagePath page path}
 * ({@code /503.html}) is redirected ({@code 302}) to {@code /}: a visitor who was sent to or
 * bookmarked the page gets the site back. Every other request is passed on.
 *
 * <p><b>Failures.</b> The flag is read from the store on every request (see
 * {@link StatusStore#maintenance}). A store that fails to read it never fails a request: the
 * request is passed on and the failure logged, once per distinct message.
 *
 * <p>Immutable and thread-safe: adapters call {@link #answer} from any number of threads.
 */
public final class MaintenanceResponder {
  /** The page used unless {@link Builder#pageTemplate} replaces it. */
  public static final String DEFAULT_PAGE_TEMPLATE = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>Down for maintenance</title>
      <style>body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#333}</style>
      </head>
      <body>
      <h1>Down for maintenance</h1>
      <p>{{reason}}</p>
      </body>
      </html>
      """;
  /** The placeholder in a page template that the reason replaces: {@value}. */
  public static final String REASON_PLACEHOLDER = "{{reason}}";
  /** What clients are told when the flag gives no reason, unless {@link Builder#defaultReason} says otherwise. */
  public static final String DEFAULT_REASON = "This service is down for maintenance and will be back shortly.";

  private static final System.Logger LOG = System.getLogger(MaintenanceResponder.class.getName());
  private static final HealthAnswer BACK_TO_THE_SITE =
      new HealthAnswer(302, Map.of("Location", "/", "Cache-Control", "no-store"), "");

  private final StatusStore store;
  private final String service;
  private final Predicate<String> isHealthPath;
  private final int status;
  private final boolean sendRetryAfter;
  private final Duration retryAfter;
  private final String pageTemplate;
  private final String defaultReason;
  private final List<String> allowedPaths;
  private final List<Pattern> allowedPathPatterns;
  private final List<String> trustedProxies;
  private final List<Cidr> trustedProxyBlocks;
  private final String pagePath;
  private final Clock clock;

  private final ProblemLog problems = new ProblemLog(LOG);
  private volatile Prepared lastFlag;

  /** A flag made ready to answer with: its rules compiled and its bodies written, once per flag. */
  private record Prepared(MaintenanceFlag flag, List<Pattern> allowedPaths, List<Cidr> allowedClients,
      String html, String json) {}

  private MaintenanceResponder(Builder builder) {
    this.store = builder.store;
    this.service = builder.service;
    this.isHealthPath = builder.isHealthPath;
    this.status = builder.status;
    this.sendRetryAfter = builder.sendRetryAfter;
    this.retryAfter = builder.retryAfter;
    this.pageTemplate = builder.pageTemplate;
    this.defaultReason = builder.defaultReason;
    this.allowedPaths = builder.allowedPaths;
    this.allowedPathPatterns = allowedPaths.stream().map(Pattern::compile).toList();
    this.trustedProxies = builder.trustedProxies;
    this.trustedProxyBlocks = trustedProxies.stream().map(Cidr::parse).toList();
    this.pagePath = builder.pagePath;
    this.clock = builder.clock;
  }

  /**
   * A builder; {@link Builder#store}, {@link Builder#service} and the health path are required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this responder's configuration, to derive a variant.
   *
   * @return a new builder with this responder's settings
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The service whose maintenance flag this responder reads.
   *
   * @return the service's name
   */
  public String service() {
    return service;
  }

  /**
   * What to answer {@code request} instead of the application, if anything: the maintenance page
   * while maintenance is on and the request is not allow-listed, the redirect from the page path
   * to {@code /} while it is off. Empty: pass the request on. The answer carries a body even for
   * {@code HEAD}; the adapter leaves it out.
   *
   * @param request the request to judge; not null
   * @return the answer to send, or empty to pass the request on
   */
  public Optional<HealthAnswer> answer(RequestInfo request) {
    String path = request.path();
    if (isHealthPath.test(path)) {
      return Optional.empty();
    }
    Optional<MaintenanceFlag> flag;
    try {
      flag = store.maintenance(service);
    } catch (RuntimeException e) {
      problems.warn("cannot read the maintenance flag of " + service + ", letting requests through: " + e);
      return Optional.empty();
    }
    problems.clear();
    if (flag.isEmpty()) {
      return path.equals(pagePath) ? Optional.of(BACK_TO_THE_SITE) : Optional.empty();
    }
    Prepared prepared = prepare(flag.get());
    if (PathReadings.every(path, reading -> matchesAny(allowedPathPatterns, reading)
            || matchesAny(prepared.allowedPaths(), reading))
        || isAllowedClient(prepared.allowedClients(), request)) {
      return Optional.empty();
    }
    return Optional.of(page(prepared, request));
  }

  private HealthAnswer page(Prepared prepared, RequestInfo request) {
    boolean json = AcceptHeader.prefersJsonToHtml(request.header("Accept").orElse(null));
    Map<String, String> headers = new HashMap<>(Map.of(
        "Cache-Control", "no-store",
        "Content-Type", json ? "application/json" : "text/html; charset=utf-8",
        "Vary", "Accept"));
    if (sendRetryAfter) {
      headers.put("Retry-After", Long.toString(retryAfterSeconds(prepared.flag())));
    }
    return new HealthAnswer(status, headers, json ? prepared.json() : prepared.html());
  }

  /** Until the flag's end when it has one (at least a second), else the configured delay; rounded up. */
  private long retryAfterSeconds(MaintenanceFlag flag) {
    Duration delay = flag.end().map(until -> Duration.between(clock.instant(), until)).orElse(retryAfter);
    long seconds = delay.getSeconds() + (delay.getNano() > 0 ? 1 : 0);
    return Math.max(1, seconds);
  }

  private Prepared prepare(MaintenanceFlag flag) {
    Prepared last = lastFlag;
    if (last != null && last.flag().equals(flag)) {
      return last;
    }
    String reason = flag.reason().isBlank() ? defaultReason : flag.reason();
    Prepared prepared = new Prepared(flag,
        flag.allowedPaths().stream().map(Pattern::compile).toList(),
        flag.allowedClients().stream().map(Cidr::parse).toList(),
        pageTemplate.replace(REASON_PLACEHOLDER, escapeHtml(reason)),
        "{\"error\":\"Service Unavailable\",\"message\":" + Json.quote(reason) + "}\n");
    lastFlag = prepared;
    return prepared;
  }

  private static boolean matchesAny(List<Pattern> patterns, String path) {
    for (Pattern pattern : patterns) {
      if (pattern.matcher(path).matches()) {
        return true;
      }
    }
    return false;
  }

  private boolean isAllowedClient(List<Cidr> allowedClients, RequestInfo request) {
    if (allowedClients.isEmpty()) {
      return false;
    }
    Optional<InetAddress> client = client(request);
    return client.isPresent() && allowedClients.stream().anyMatch(block -> block.contains(client.get()));
  }

  /**
   * The client's address: the connection's, unless that is a trusted proxy; then the right-most
   * address in {@code X-Forwarded-For} that is not a trusted proxy (or the left-most, when all
   * are). Empty when the address that counts is not an IP address: such a client is allowed
   * nothing.
   */
  private Optional<InetAddress> client(RequestInfo request) {
    Optional<InetAddress> connection = Cidr.address(request.clientAddress());
    Optional<String> forwardedFor = request.header("X-Forwarded-For");
    if (connection.isEmpty() || !isTrustedProxy(connection.get()) || forwardedFor.isEmpty()) {
      return connection;
    }
    String[] hops = forwardedFor.get().split(",");
    Optional<InetAddress> client = connection;
    for (int i = hops.length - 1; i >= 0; i--) {
      client = Cidr.address(withoutPort(hops[i].strip()));
      if (client.isEmpty() || !isTrustedProxy(client.get())) {
        return client;
      }
    }
    return client;
  }

  private boolean isTrustedProxy(InetAddress address) {
    return trustedProxyBlocks.stream().anyMatch(block -> block.contains(address));
  }

  /** {@code 192.0.2.1:8080} and {@code [2001:db8::1]:8080} without the port; anything else as is. */
  private static String withoutPort(String hop) {
    if (hop.startsWith("[")) {
      int end = hop.indexOf(']');
      return end < 0 ? hop : hop.substring(1, end);
    }
    int colon = hop.indexOf(':');
    return colon >= 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
  }

  private static String escapeHtml(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "MaintenanceResponder{" + service + ", status=" + status
        + ", retryAfter=" + (sendRetryAfter ? retryAfter : "off")
        + ", allowedPaths=" + allowedPaths + ", trustedProxies=" + trustedProxies
        + ", pagePath=" + pagePath + "}";
  }

  /**
   * Configures a {@link MaintenanceResponder}. Not thread-safe; {@link #build()} validates every
   * field and returns an immutable, thread-safe responder.
   */
  public static final class Builder {
    private StatusStore store;
    private String service;
    private Predicate<String> isHealthPath;
    private int status = 503;
    private boolean sendRetryAfter = true;
    private Duration retryAfter = Duration.ofHours(2);
    private String pageTemplate = DEFAULT_PAGE_TEMPLATE;
    private String defaultReason = DEFAULT_REASON;
    private List<String> allowedPaths = List.of();
    private List<String> trustedProxies = List.of();
    private String pagePath = "/503.html";
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    private Builder(MaintenanceResponder responder) {
      store = responder.store;
      service = responder.service;
      isHealthPath = responder.isHealthPath;
      status = responder.status;
      sendRetryAfter = responder.sendRetryAfter;
      retryAfter = responder.retryAfter;
      pageTemplate = responder.pageTemplate;
      defaultReason = responder.defaultReason;
      allowedPaths = responder.allowedPaths;
      trustedProxies = responder.trustedProxies;
      pagePath = responder.pagePath;
      clock = responder.clock;
    }

    /**
     * Where the maintenance flag is read. Required.
     *
     * @param store the store holding the flag; not null
     * @return this builder
     */
    public Builder store(StatusStore store) {
      this.store = store;
      return this;
    }

    /**
     * The service whose maintenance flag is read, e.g. {@code checkout}. Required.
     *
     * @param service the service's name
     * @return this builder
     */
    public Builder service(String service) {
      this.service = service;
      return this;
    }

    /**
     * Passes {@code health}'s health path on, always, so that maintenance never answers a load
     * balancer's health check. Required: this or {@link #healthPath}.
     *
     * @param health the responder whose health path is passed on; not null
     * @return this builder
     */
    public Builder healthResponder(HealthResponder health) {
      this.isHealthPath = health == null ? null : health::handles;
      return this;
    }

    /**
     * Passes every path {@code isHealthPath} accepts on, always: for health checks answered by
     * something other than a {@link HealthResponder}. The predicate is given the path decoded,
     * and again with its dot segments resolved when that differs; the request is passed on only
     * when it accepts both (see {@link #allowedPaths}). Required: this or {@link #healthResponder}.
     *
     * @param isHealthPath true for a path, as the client sent it, that is a health check; not null
     * @return this builder
     */
    public Builder healthPath(Predicate<String> isHealthPath) {
      this.isHealthPath = isHealthPath == null ? null : path -> PathReadings.every(path, isHealthPath);
      return this;
    }

    /**
     * The status of the maintenance page: from 400 to 599; default {@code 503}.
     *
     * @param status from 400 to 599
     * @return this builder
     */
    public Builder status(int status) {
      this.status = status;
      return this;
    }

    /**
     * The {@code Retry-After} sent while the flag has no {@code until}: positive, rounded up to
     * whole seconds; default 2 hours (7200 s). A flag with an {@code until} sends the time left.
     *
     * @param retryAfter positive
     * @return this builder
     */
    public Builder retryAfter(Duration retryAfter) {
      this.retryAfter = retryAfter;
      return this;
    }

    /**
     * Whether the maintenance page carries {@code Retry-After} at all. Default: yes.
     *
     * @param sendRetryAfter false to leave {@code Retry-After} out
     * @return this builder
     */
    public Builder sendRetryAfter(boolean sendRetryAfter) {
      this.sendRetryAfter = sendRetryAfter;
      return this;
    }

    /**
     * The HTML page, in which every {@value MaintenanceResponder#REASON_PLACEHOLDER} is replaced by
     * the flag's reason, HTML-escaped; e.g. read from a file with {@code Files.readString}. A
     * template without the placeholder is sent as it is. Default:
     * {@link MaintenanceResponder#DEFAULT_PAGE_TEMPLATE},
     * a plain page with no assets.
     *
     * @param pageTemplate the page's HTML; not null
     * @return this builder
     */
    public Builder pageTemplate(String pageTemplate) {
      this.pageTemplate = pageTemplate;
      return this;
    }

    /**
     * The reason given when the flag's is blank (e.g. a flag file made with {@code touch}).
     * Default: {@link MaintenanceResponder#DEFAULT_REASON}.
     *
     * @param defaultReason the reason shown for a blank one; not null
     * @return this builder
     */
    public Builder defaultReason(String defaultReason) {
      this.defaultReason = defaultReason;
      return this;
    }

    /**
     * Regular expressions of paths always passed on, matched against the whole path, in addition
     * to each flag's own: typically the page's assets and {@code robots.txt}, e.g.
     * {@code "/assets/.*", "/robots\\.txt"}. Replaces any set before. Default: none.
     *
     * <p>The path is matched decoded, and again with its path parameters dropped, its dot
     * segments resolved and its duplicate slashes collapsed, when that differs; it is passed on
     * only when both match. So {@code /assets/../admin} and {@code /assets/%2e%2e/admin} get the
     * maintenance page, whichever of the two readings the application takes. A path that
     * cannot be decoded (a malformed {@code %}), or that encodes a {@code /} ({@code %2F}), a
     * {@code \} or a {@code %}, matches no allowed path.
     *
     * @param regexes regular expressions matched against the whole path
     * @return this builder
     */
    public Builder allowedPaths(String... regexes) {
      this.allowedPaths = regexes == null ? null : nullSafeCopy(regexes);
      return this;
    }

    /**
     * The proxies (load balancers) whose {@code X-Forwarded-For} is believed, as IP addresses or
     * CIDR blocks; replaces any set before. A request from anywhere else is judged by its
     * connection's address, so a client cannot claim to be an allowed one. Default: none.
     *
     * @param addressesOrBlocks IP addresses or CIDR blocks
     * @return this builder
     */
    public Builder trustedProxies(String... addressesOrBlocks) {
      this.trustedProxies = addressesOrBlocks == null ? null : nullSafeCopy(addressesOrBlocks);
      return this;
    }

    /**
     * The path of the maintenance page, redirected to {@code /} while maintenance is off. Starts
     * with {@code /}; default {@code /503.html}.
     *
     * @param pagePath the page's path, starting with {@code /}
     * @return this builder
     */
    public Builder pagePath(String pagePath) {
      this.pagePath = pagePath;
      return this;
    }

    /**
     * The clock {@code Retry-After} is counted on. Default: system UTC.
     *
     * @param clock the clock; not null
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Validates the configuration and builds the responder.
     *
     * @return a new responder, thread-safe
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public MaintenanceResponder build() {
      if (store == null) {
        throw new IllegalArgumentException("store must be set, was null");
      }
      InstanceKeyRules.requireServiceName(service);
      if (isHealthPath == null) {
        throw new IllegalArgumentException("healthResponder or healthPath must be set, was null:"
            + " maintenance must never answer the load balancer's health checks");
      }
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("status must be from 400 to 599, was " + status);
      }
      if (retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()) {
        throw new IllegalArgumentException("retryAfter must be positive, was " + retryAfter);
      }
      if (pageTemplate == null) {
        throw new IllegalArgumentException("pageTemplate must be set, was null");
      }
      if (defaultReason == null) {
        throw new IllegalArgumentException("defaultReason must be set, was null");
      }
      requireEach("allowedPaths", allowedPaths, "regular expressions", MaintenanceFlagRules::regexProblem);
      requireEach("trustedProxies", trustedProxies, "IP addresses or CIDR blocks", MaintenanceFlagRules::clientProblem);
      if (pagePath == null || !pagePath.startsWith("/")) {
        throw new IllegalArgumentException("pagePath must start with '/', was "
            + (pagePath == null ? "null" : "'" + pagePath + "'"));
      }
      if (clock == null) {
        throw new IllegalArgumentException("clock must be set, was null");
      }
      return new MaintenanceResponder(this);
    }

    private static void requireEach(String field, List<String> values, String rule,
        Function<String, String> problem) {
      if (values == null) {
        throw new IllegalArgumentException(field + " must be set (none for none), was null");
      }
      for (String value : values) {
        if (value == null) {
          throw new IllegalArgumentException(field + " must hold " + rule + ", was null");
        }
        String why = problem.apply(value);
        if (why != null) {
          throw new IllegalArgumentException(field + " must hold " + rule + ", was '" + value + "': " + why);
        }
      }
    }

    /** A copy of {@code values} that, unlike {@code List.of}, may hold the nulls {@link #build()} reports. */
    private static List<String> nullSafeCopy(String[] values) {
      return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(values)));
    }
  }
}
