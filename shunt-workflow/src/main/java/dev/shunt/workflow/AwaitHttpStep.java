package dev.shunt.workflow;

import dev.shunt.ShuntTimeoutException;
import dev.shunt.Step;
import dev.shunt.StepContext;
import dev.shunt.StepDescription;
import dev.shunt.StepFailedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Waits until a restarted host answers HTTP as expected: polls a URL until it returns a status in
 * the expected range {@code consecutiveSuccesses} times in a row. Connection errors and timeouts
 * count as "not yet". Redirects are not followed: a redirect is an answer.
 *
 * <p>Point it at the application, never at the shunted health path: that answers "down" until
 * the host is unshunted, which comes after this step. An answer that comes from shunt's own
 * {@link dev.shunt.HealthResponder} saying "shunted" fails the step at once, saying so, rather than
 * waiting out the timeout.
 *
 * <p>With {@link Builder#expectBody}, an answer in range is ready only if its body (its first
 * 64 KiB, read as UTF-8) also matches.
 *
 * <p>A URL's password ({@code http://user:pass@host/}) is shown as {@code user:****} in the
 * step's outcome, messages, plan and {@link #toString()}.
 *
 * <p>An {@code https} URL is checked against the JVM's trusted certificates, or those given to
 * {@link Builder#trust}; an answer over a connection that cannot be trusted never counts.
 *
 * <p>Defaults: status 200–399, 1 success, every 500 ms, for at most 60 s, 5 s per request (and
 * never past the 60 s), as many attempts as fit in that time, the URL's own {@code Host} header.
 * Immutable and thread-safe.
 */
public final class AwaitHttpStep implements Step, PreflightCheck {
  private static final long MAX_BODY = 64 * 1024;
  private final Function<String, String> url;
  private final int minStatus;
  private final int maxStatus;
  private final int consecutiveSuccesses;
  private final Duration interval;
  private final Duration timeout;
  private final Duration requestTimeout;
  private final int maxAttempts;
  private final String hostHeader;
  private final Predicate<String> expectBody;
  private final OkHttpClient client;

  private AwaitHttpStep(Builder builder) {
    this.url = builder.url;
    this.minStatus = builder.minStatus;
    this.maxStatus = builder.maxStatus;
    this.consecutiveSuccesses = builder.consecutiveSuccesses;
    this.interval = builder.interval;
    this.timeout = builder.timeout;
    this.requestTimeout = builder.requestTimeout;
    this.maxAttempts = builder.maxAttempts;
    this.hostHeader = builder.hostHeader;
    this.expectBody = builder.expectBody;
    OkHttpClient.Builder http = new OkHttpClient.Builder()
        .followRedirects(false)
        .retryOnConnectionFailure(false);
    if (builder.trust != null) {
      http.sslSocketFactory(trusting(builder.trust).getSocketFactory(), builder.trust);
    }
    this.client = http.build();
  }

  /**
   * A builder; {@code url} is required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void run(StepContext context) throws InterruptedException {
    HttpUrl target = parse(url.apply(context.host()));
    String shown = Secrets.maskUrlCredentials(target.toString());
    Instant start = context.clock().instant();
    Instant deadline = start.plus(timeout);
    int attempts = 0;
    int successes = 0;
    String last = "no answer yet";
    while (true) {
      attempts++;
      Request.Builder request = new Request.Builder().url(target);
      if (hostHeader != null) {
        request.header("Host", hostHeader);
      }
      Call call = client.newCall(request.build());
      long left = Duration.between(context.clock().instant(), deadline).toMillis();
      boolean cutShort = left < requestTimeout.toMillis();
      call.timeout().timeout(Math.max(1, Math.min(requestTimeout.toMillis(), left)), TimeUnit.MILLISECONDS);
      try (Response response = call.execute()) {
        int code = response.code();
        String body = expectBody != null || code >= 400 ? response.peekBody(MAX_BODY).string() : "";
        if (code >= 400 && answeredShunted(response, body)) {
          throw new StepFailedException(shown + " is a shunted health path: it answered " + code
              + " 'shunted' from shunt's health responder, which stays down until the unshunt after this step;"
              + " point readiness at the application");
        }
        boolean inRange = code >= minStatus && code <= maxStatus;
        boolean bodyMatches = expectBody == null || !inRange || expectBody.test(body);
        last = "HTTP " + code + (bodyMatches ? "" : " with a body that does not match");
        successes = inRange && bodyMatches ? successes + 1 : 0;
      } catch (InterruptedIOException e) {
        // A request cut short by the step's own deadline says nothing about the server: the last
        // real answer stays the one to report.
        if (!cutShort || attempts == 1) {
          last = describe(e);
        }
        successes = 0;
      } catch (IOException e) {
        last = describe(e);
        successes = 0;
      }
      if (successes >= consecutiveSuccesses) {
        context.outcome(last + " from " + shown + " after " + attempts + " attempt(s), "
            + Duration.between(start, context.clock().instant()).toMillis() + " ms");
        return;
      }
      if (attempts >= maxAttempts) {
        throw new StepFailedException(shown + " never returned a status within " + minStatus + ".."
            + maxStatus + " in " + attempts + " attempt(s) (last: " + last + ")");
      }
      if (!context.clock().instant().plus(interval).isBefore(deadline)) {
        throw timedOut(shown, attempts, last);
      }
      Thread.sleep(interval.toMillis());
      if (!context.clock().instant().isBefore(deadline)) {
        // the pause overran the deadline (a busy machine): a request now could only time out at once
        throw timedOut(shown, attempts, last);
      }
    }
  }

  /** A TLS context that trusts what {@code trust} trusts. */
  private static SSLContext trusting(X509TrustManager trust) {
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {trust}, null);
      return tls;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("trust cannot be used for TLS: " + e.getMessage(), e);
    }
  }

  /** Whether this is shunt's health responder answering "shunted", as text or as JSON. */
  private static boolean answeredShunted(Response response, String body) {
    return "no-store".equals(response.header("Cache-Control"))
        && (body.equals("shunted\n") || body.startsWith("{\"state\":\"shunted\""));
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + Secrets.maskUrlCredentials(e.getMessage()));
  }

  private ShuntTimeoutException timedOut(String target, int attempts, String last) {
    return new ShuntTimeoutException(target + " never returned a status within " + minStatus + ".."
        + maxStatus + " in " + timeout + " (" + attempts + " attempts; last: " + last + ")", timeout);
  }

  /** Checks that the URL is a valid http(s) URL for the host and that its host name resolves. */
  @Override
  public List<PreflightProblem> preflight(PreflightContext context) {
    String target;
    try {
      target = url.apply(context.host());
    } catch (RuntimeException e) {
      return List.of(context.error(name(), "cannot make its URL for the host: " + Secrets.maskUrlCredentials(e.toString())));
    }
    HttpUrl parsed = target == null ? null : HttpUrl.parse(target);
    if (parsed == null) {
      return List.of(context.error(name(), "its URL for the host, '" + Secrets.maskUrlCredentials(target) + "', is not a valid http or https URL:"
          + " check the URL template and the host name"));
    }
    return HostNames.unresolved(parsed.host())
        .map(problem -> List.of(context.error(name(), "its URL " + Secrets.maskUrlCredentials(parsed.toString()) + ": "
            + problem)))
        .orElse(List.of());
  }

  private static HttpUrl parse(String url) {
    HttpUrl parsed = url == null ? null : HttpUrl.parse(url);
    if (parsed == null) {
      throw new IllegalArgumentException("url must be an http or https URL, was " + Secrets.maskUrlCredentials(url));
    }
    return parsed;
  }

  @Override
  public String name() {
    return "ready";
  }

  @Override
  public StepDescription describe() {
    // The plan compares this window with a typical start: attempts x interval when attempts are limited.
    Duration attemptsWindow = maxAttempts == Integer.MAX_VALUE ? timeout : interval.multipliedBy(maxAttempts);
    Duration window = attemptsWindow.compareTo(timeout) < 0 ? attemptsWindow : timeout;
    StepDescription description = StepDescription.of(name(), StepDescription.Kind.READINESS).withTimeout(window)
        .with("url", Secrets.maskUrlCredentials(url.apply("{host}"))).with("status", minStatus + ".." + maxStatus)
        .with("consecutiveSuccesses", consecutiveSuccesses).with("interval", interval)
        .with("requestTimeout", requestTimeout);
    return maxAttempts == Integer.MAX_VALUE ? description : description.with("maxAttempts", maxAttempts);
  }

  @Override
  public String toString() {
    return "ready(" + Secrets.maskUrlCredentials(url.apply("{host}")) + ", status " + minStatus + ".." + maxStatus + ", timeout=" + timeout + ")";
  }

  /**
   * Configures an {@link AwaitHttpStep}. Not thread-safe. Each setter checks its value as it is given and throws
   * {@link IllegalArgumentException} naming the field, the value and the rule; {@link #build()}
   * checks what is missing and the fields that depend on each other.
   */
  public static final class Builder {
    private Function<String, String> url;
    private int minStatus = 200;
    private int maxStatus = 399;
    private int consecutiveSuccesses = 1;
    private Duration interval = Duration.ofMillis(500);
    private Duration timeout = Duration.ofSeconds(60);
    private Duration requestTimeout = Duration.ofSeconds(5);
    private int maxAttempts = Integer.MAX_VALUE;
    private String hostHeader;
    private Predicate<String> expectBody;
    private X509TrustManager trust;

    private Builder() {}

    /**
     * The URL to poll; {@code {host}} in it is replaced by the host, e.g. {@code http://{host}:8080/}.
     *
     * @param template the URL, with {@code {host}} replaced
     * @return this builder
     */
    public Builder url(String template) {
      if (template == null) {
        throw new IllegalArgumentException("url must be set, was null");
      }
      if (HttpUrl.parse(template.replace("{host}", "host.example")) == null) {
        throw new IllegalArgumentException("url must be an http or https URL, was '"
            + Secrets.maskUrlCredentials(template) + "'");
      }
      this.url = host -> template.replace("{host}", host);
      return this;
    }

    /**
     * The URL to poll for a host, computed.
     *
     * @param url gives the URL for a host; not null
     * @return this builder
     */
    public Builder url(Function<String, String> url) {
      if (url == null) {
        throw new IllegalArgumentException("url must be set, was null");
      }
      this.url = url;
      return this;
    }

    /**
     * The range of statuses that count as ready, inclusive.
     *
     * @param min the lowest ready status
     * @param max the highest ready status, at least {@code min}
     * @return this builder
     */
    public Builder expectStatus(int min, int max) {
      if (min < 100 || max > 599 || min > max) {
        throw new IllegalArgumentException("expectStatus must be a range within 100..599, was " + min + ".." + max);
      }
      this.minStatus = min;
      this.maxStatus = max;
      return this;
    }

    /**
     * How many ready answers in a row are needed.
     *
     * @param consecutiveSuccesses at least 1
     * @return this builder
     */
    public Builder consecutiveSuccesses(int consecutiveSuccesses) {
      if (consecutiveSuccesses < 1) {
        throw new IllegalArgumentException("consecutiveSuccesses must be >= 1, was " + consecutiveSuccesses);
      }
      this.consecutiveSuccesses = consecutiveSuccesses;
      return this;
    }

    /**
     * The pause between two requests.
     *
     * @param interval the pause; positive
     * @return this builder
     */
    public Builder interval(Duration interval) {
      this.interval = Durations.requirePositive("interval", interval);
      return this;
    }

    /**
     * How long to keep trying before the step fails.
     *
     * @param timeout the longest wait; positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Durations.requirePositive("timeout", timeout);
      return this;
    }

    /**
     * How long one request may take, connecting included.
     *
     * @param requestTimeout the limit of one request; positive
     * @return this builder
     */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = Durations.requirePositive("requestTimeout", requestTimeout);
      return this;
    }

    /**
     * How many requests to make at most before the step fails, as the Ruby gem's "tries"; by
     * default as many as fit in {@code timeout}, which still applies.
     *
     * @param maxAttempts at least 1
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The {@code Host} header to send instead of the URL's, e.g. the site's name when the URL
     * names one server of it by address; {@code null} for the URL's.
     *
     * @param hostHeader the header's value, or null for the URL's
     * @return this builder
     */
    public Builder hostHeader(String hostHeader) {
      if (hostHeader != null && (hostHeader.isBlank() || hostHeader.chars().anyMatch(Character::isWhitespace))) {
        throw new IllegalArgumentException("hostHeader must be a host name without spaces, was '" + hostHeader + "'");
      }
      this.hostHeader = hostHeader;
      return this;
    }

    /**
     * A test of the body that an answer in range must also pass to count as ready, e.g.
     * {@code body -> body.contains("\"status\":\"UP\"")}; {@code null} (the default) for none.
     * A test that throws fails the step.
     *
     * @param expectBody true for a ready body, or null for no test
     * @return this builder
     */
    public Builder expectBody(Predicate<String> expectBody) {
      this.expectBody = expectBody;
      return this;
    }

    /**
     * The certificates to trust for an {@code https} URL, e.g. those of an internal certificate
     * authority; {@code null} (the default) for the JVM's. Host names are still verified.
     *
     * @param trust the trust manager, or null for the JVM's
     * @return this builder
     */
    public Builder trust(X509TrustManager trust) {
      this.trust = trust;
      return this;
    }

    /**
     * Validates and builds the step.
     *
     * @return a new, immutable step
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public AwaitHttpStep build() {
      if (url == null) {
        throw new IllegalArgumentException("url must be set, was null");
      }
      return new AwaitHttpStep(this);
    }
  }
}
