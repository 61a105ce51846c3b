package dev.shunt.workflow.lb;

import dev.shunt.workflow.RetryPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Caddy's {@code reverse_proxy}, seen through its admin API ({@code GET /reverse_proxy/upstreams}).
 * Caddy 2.6's API cannot take one upstream out of rotation, so the host is taken out through its
 * health check: the health-check shunt ({@link dev.shunt.workflow.ShuntStep#shunt}) makes
 * {@code health_uri} answer "down" and Caddy's active check takes the upstream out after one
 * failed check ({@link dev.shunt.workflow.AwaitCheckersStep#drain()} with {@code times(1)} waits for
 * that). This adapter then confirms the drain by Caddy's own count:
 * <ul>
 *   <li>{@link #takeOut}: checks that Caddy has the upstream, and remembers that the rollout took it
 *       out; it changes nothing in Caddy. So run it after the shunt and its drain wait.
 *   <li>{@link #state}: drained when taken out and Caddy's {@code num_requests} for it (requests
 *       in progress) is 0; in rotation when not taken out. Caddy 2.6 does not report its active
 *       health state: the rotation wait ({@link dev.shunt.workflow.AwaitCheckersStep#rotation()},
 *       {@code times(1)}) is what sees Caddy's check pass.
 *   <li>{@link #putBack}: checks that Caddy has the upstream and forgets that it was taken out.
 * </ul>
 *
 * <p>Servers are the upstreams' dial addresses as Caddy lists them ({@code 10.0.0.1:8080}).
 * Errors are {@link LoadBalancerException}s: the admin API cannot be reached or answers an error,
 * or it lists no such upstream (naming those it lists).
 *
 * <p>Default admin API: {@code http://localhost:2019} (Caddy's), each request given 5 s.
 * Thread-safe; it holds the set of servers it took out, so use one instance for a rollout's
 * take-out and put-back steps.
 */
public final class CaddyLoadBalancer implements LoadBalancer {
  private static final Pattern UPSTREAM =
      Pattern.compile("\\{\\s*\"address\"\\s*:\\s*\"([^\"]*)\"\\s*,\\s*\"num_requests\"\\s*:\\s*(\\d+)");

  private final HttpUrl adminUrl;
  private final OkHttpClient client;
  private final Set<String> takenOut = ConcurrentHashMap.newKeySet();

  private CaddyLoadBalancer(Builder builder, HttpUrl adminUrl) {
    this.adminUrl = adminUrl;
    this.client = new OkHttpClient.Builder()
        .callTimeout(builder.timeout)
        .followRedirects(false)
        .build();
  }

  /**
   * A builder.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "caddy " + adminUrl;
  }

  @Override
  public void takeOut(String server) {
    requestsInProgress(server);
    takenOut.add(server);
  }

  @Override
  public void putBack(String server) {
    requestsInProgress(server);
    takenOut.remove(server);
  }

  @Override
  public ServerState state(String server) {
    int requests = requestsInProgress(server);
    boolean out = takenOut.contains(server);
    return new ServerState(server, (out ? "taken out through its health check, " : "in rotation, ") + requests
        + " request(s) in progress", out && requests == 0, !out, requests);
  }

  /** Caddy's {@code num_requests} for {@code server}. */
  private int requestsInProgress(String server) {
    Map<String, Integer> upstreams = upstreams();
    Integer requests = upstreams.get(server);
    if (requests == null) {
      throw new LoadBalancerException(name() + " has no upstream '" + server + "'; its upstreams: "
          + upstreams.keySet() + ". Name the servers as the hosts, or give a server template such as '{host}:8080'");
    }
    return requests;
  }

  private Map<String, Integer> upstreams() {
    HttpUrl url = adminUrl.newBuilder().addPathSegments("reverse_proxy/upstreams").build();
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      ResponseBody body = response.body();
      String text = body == null ? "" : body.string();
      if (!response.isSuccessful()) {
        throw new LoadBalancerException(name() + " answered HTTP " + response.code() + " to GET " + url + ": "
            + text.strip());
      }
      Map<String, Integer> upstreams = new LinkedHashMap<>();
      Matcher upstream = UPSTREAM.matcher(text);
      while (upstream.find()) {
        upstreams.put(upstream.group(1), Integer.parseInt(upstream.group(2)));
      }
      return upstreams;
    } catch (InterruptedIOException e) {
      throw new LoadBalancerException(name() + " did not answer GET " + url + " in time: is Caddy overloaded,"
          + " or is this not its admin API?", e, RetryPolicy.isTransient(e));
    } catch (IOException e) {
      throw new LoadBalancerException(name() + " cannot be reached (" + e.getMessage() + "): is Caddy running with"
          + " its admin API there ('admin' in the Caddyfile's global options)?", e, RetryPolicy.isTransient(e));
    }
  }

  @Override
  public String toString() {
    return name();
  }

  /**
   * Configures a {@link CaddyLoadBalancer}. Not thread-safe. Each setter checks its value as it is given and throws
   * {@link IllegalArgumentException} naming the field, the value and the rule; {@link #build()}
   * checks what is missing and the fields that depend on each other.
   */
  public static final class Builder {
    private String adminUrl = "http://localhost:2019";
    private Duration timeout = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * The admin API's base URL. Default: {@code http://localhost:2019}.
     *
     * @param adminUrl the base URL
     * @return this builder
     */
    public Builder adminUrl(String adminUrl) {
      if (adminUrl == null || HttpUrl.parse(adminUrl) == null) {
        throw new IllegalArgumentException("adminUrl must be an http(s) URL, was " + adminUrl);
      }
      this.adminUrl = adminUrl;
      return this;
    }

    /**
     * How long each request to the admin API may take. Default: 5 s.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Builds it; every setting was checked as it was given.
     *
     * @return a new, immutable load balancer
     */
    public CaddyLoadBalancer build() {
      return new CaddyLoadBalancer(this, Objects.requireNonNull(HttpUrl.parse(adminUrl)));
    }
  }
}
