package dev.shunt.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shunt.GracefulShutdown;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.StatusStore;
import dev.shunt.httpserver.HttpServerHealth;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo application: a JDK {@code HttpServer} that serves {@code /} (with a few milliseconds
 * of work per request, so that requests are in flight when it stops) and embeds shunt's health
 * responder on {@code /health}, reading its shunt status from the flag-file store.
 * {@code /slow?ms=N} answers after {@code N} milliseconds (at most {@value #MAX_SLOW_MILLIS}): a
 * long request for drain tests to wait for. {@code /metrics} answers Prometheus' text format
 * (written by Prometheus' own Java client): {@code http_requests_total} by {@code code} and the
 * histogram {@code http_request_duration_seconds} of the requests to every other path but
 * {@code /health}.
 *
 * <p>"Versions" for the metrics gate's tests: {@code --errors-every=N} answers every Nth request
 * with a 500, {@code --extra-ms=N} makes every request N ms slower.
 *
 * <pre>
 * java -Dsun.net.httpserver.nodelay=true -cp CLASSPATH dev.shunt.examples.DemoBackend 127.0.0.1:8081 /tmp/shunt-flags [--version=V] [--graceful|--abrupt]
 * </pre>
 *
 * <p>The first argument is the host, {@code address:port}, that it listens on and is known by
 * (its key is {@code demo/<host>}); the second the flag-file directory. {@code --version=V}
 * (default 1) is the release it plays: every answer says {@code version V}, so a test can tell
 * which release a deploy or a rollback left on each host.
 *
 * <p>On SIGTERM, by default, it does what a plain well-behaved service does: it finishes the
 * requests it is serving (until none has come for 100 ms, for at most 1 s), then closes every
 * connection and exits. It does not take itself out of the load balancer: that is what a shunt
 * is for, and without one clients see errors. With {@code --graceful} it uses shunt's
 * {@link GracefulShutdown}: it first answers health checks "down" until the load balancer has
 * taken it out, so that a plain SIGTERM loses no request either. With {@code --abrupt} it does
 * what an app that never heard of draining does: it exits on SIGTERM at once, dropping the
 * requests it is serving (only a drain that waits for them before the restart saves them).
 */
public final class DemoBackend {
  /** The service name of every demo backend. */
  public static final String SERVICE = "demo";
  /** The longest {@code /slow} request. */
  public static final int MAX_SLOW_MILLIS = 30_000;

  private DemoBackend() {}

  public static void main(String[] args) throws IOException {
    List<String> arguments = List.of(args);
    boolean graceful = arguments.contains("--graceful");
    boolean abrupt = arguments.contains("--abrupt");
    String version = arguments.stream().filter(a -> a.startsWith("--version=")).map(a -> a.substring(10))
        .reduce((a, b) -> b).orElse("1");
    List<String> positional = arguments.stream().filter(a -> !a.startsWith("--")).toList();
    int errorsEvery = option(arguments, "--errors-every=");
    int extraMillis = option(arguments, "--extra-ms=");
    InetSocketAddress address = positional.size() == 2 && !(graceful && abrupt) ? parseAddress(positional.get(0)) : null;
    if (address == null) {
      System.err.println("usage: DemoBackend <address:port> <flag-directory> [--version=V] [--graceful|--abrupt]");
      System.exit(2);
    }
    // Read when the JDK server class loads: without it keep-alive answers wait for Nagle's algorithm.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    String host = positional.get(0);

    HealthResponder responder = HealthResponder.builder()
        .store(StatusStore.flagFiles(Path.of(positional.get(1))))
        .key(InstanceKey.of(SERVICE, host))
        .path("/health")
        .build();

    String hello = "hello from " + host + ", version " + version + ", pid " + ProcessHandle.current().pid()
        + ", started " + Instant.now() + "\n";
    HttpServer server = HttpServer.create(address, 128);
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter requests = Counter.builder().name("http_requests").help("Requests answered, by status.")
        .labelNames("code").register(registry);
    Histogram latency = Histogram.builder().name("http_request_duration_seconds").help("Time to answer.")
        .classicUpperBounds(0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1)
        .register(registry);
    AtomicLong served = new AtomicLong();
    server.createContext("/metrics", exchange -> metrics(exchange, registry));
    server.createContext("/", exchange -> {
      long start = System.nanoTime();
      int code = errorsEvery > 0 && served.incrementAndGet() % errorsEvery == 0 ? 500 : 200;
      try {
        serve(exchange, hello, code, extraMillis);
      } finally {
        requests.labelValues(Integer.toString(code)).inc();
        latency.observe((System.nanoTime() - start) / 1e9);
      }
    })
        .getFilters().add(HttpServerHealth.filter(responder));
    ExecutorService workers = Executors.newFixedThreadPool(16);
    server.setExecutor(workers);
    server.start();
    System.out.println("demo backend " + host + " (pid " + ProcessHandle.current().pid() + ") listening"
        + (graceful ? ", graceful shutdown" : abrupt ? ", abrupt shutdown" : ""));

    Runnable stop = () -> {
      server.stop(0);
      workers.shutdown();
      System.out.println("demo backend " + host + " stopped");
    };
    if (graceful) {
      GracefulShutdown.builder().responder(responder).stopServer(stop).build().installOnShutdown();
    } else if (!abrupt) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          responder.inFlight().awaitQuiet(Duration.ofMillis(100), Duration.ofSeconds(1));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        stop.run();
      }, "demo-backend-stop"));
    }
  }

  private static InetSocketAddress parseAddress(String host) {
    int colon = host.lastIndexOf(':');
    try {
      int port = Integer.parseInt(host.substring(colon + 1));
      return colon > 0 ? new InetSocketAddress(InetAddress.getByName(host.substring(0, colon)), port) : null;
    } catch (NumberFormatException | IOException e) {
      return null;
    }
  }

  private static int option(List<String> arguments, String prefix) {
    return arguments.stream().filter(a -> a.startsWith(prefix)).findFirst()
        .map(a -> Integer.parseInt(a.substring(prefix.length()))).orElse(0);
  }

  private static void metrics(HttpExchange exchange, PrometheusRegistry registry) throws IOException {
    try (exchange) {
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
      writer.write(text, registry.scrape());
      exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
      exchange.sendResponseHeaders(200, text.size());
      try (OutputStream out = exchange.getResponseBody()) {
        text.writeTo(out);
      }
    }
  }

  private static void serve(HttpExchange exchange, String hello, int code, int extraMillis) throws IOException {
    try (exchange) {
      if (exchange.getRequestURI().getPath().equals("/slow")) {
        sleep(exchange.getRequestURI().getQuery());
      }
      if (extraMillis > 0) {
        sleep("ms=" + extraMillis);
      }
      byte[] body = (hello + "work " + work() + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(code, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Waits as long as {@code ms=N} in {@code query} says, bounded; a missing or bad number waits not at all. */
  private static void sleep(String query) {
    String ms = query == null || !query.startsWith("ms=") ? "0" : query.substring(3);
    try {
      Thread.sleep(Math.min(MAX_SLOW_MILLIS, Math.max(0, Long.parseLong(ms))));
    } catch (NumberFormatException e) {
      // no wait
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A few milliseconds of waiting and computing, as a real request would spend. */
  private static String work() {
    try {
      Thread.sleep(3);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] data = new byte[4096];
      for (int i = 0; i < 20; i++) {
        data = sha.digest(data);
      }
      return HexFormat.of().formatHex(data, 0, 4);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
