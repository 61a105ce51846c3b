package dev.shunt.examples;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.StatusStore;
import dev.shunt.httpserver.HttpServerHealth;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo application: a JDK {@code HttpServer} that serves {@code /} (with a few milliseconds
 * of work per request, so that requests are in flight when it stops) and embeds shunt's health
 * responder on {@code /health}, reading its shunt status from the flag-file store.
 *
 * <pre>
 * java -cp CLASSPATH dev.shunt.examples.DemoBackend 127.0.0.1:8081 /tmp/shunt-flags
 * </pre>
 *
 * <p>The first argument is the host, {@code address:port}, that it listens on and is known by
 * (its key is {@code demo/<host>}); the second the flag-file directory.
 *
 * <p>On SIGTERM it does what a well-behaved service does, and no more: it finishes the requests
 * it is serving, waiting until none has come for {@value #QUIET_MILLIS} ms (at most
 * {@value #STOP_LIMIT_MILLIS} ms), then closes every connection and exits. It does not take
 * itself out of the load balancer: that is shunt's job, and without it clients see errors.
 */
public final class DemoBackend {
  /** The service name of every demo backend. */
  public static final String SERVICE = "demo";
  static final int QUIET_MILLIS = 100;
  static final int STOP_LIMIT_MILLIS = 1000;

  private DemoBackend() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: DemoBackend <address:port> <flag-directory>");
      System.exit(2);
    }
    // Read when the JDK server class loads: without it keep-alive answers wait for Nagle's algorithm.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    String host = args[0];
    int colon = host.lastIndexOf(':');
    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host.substring(0, colon)),
        Integer.parseInt(host.substring(colon + 1)));

    HealthResponder responder = HealthResponder.builder()
        .store(StatusStore.flagFiles(Path.of(args[1])))
        .key(InstanceKey.of(SERVICE, host))
        .path("/health")
        .build();

    String hello = "hello from " + host + ", pid " + ProcessHandle.current().pid()
        + ", started " + Instant.now() + "\n";
    AtomicInteger inFlight = new AtomicInteger();
    AtomicLong lastRequestNanos = new AtomicLong(System.nanoTime());
    HttpServer server = HttpServer.create(address, 128);
    HttpContext context = server.createContext("/", exchange -> serve(exchange, hello));
    context.getFilters().add(HttpServerHealth.filter(responder));
    context.getFilters().add(new Filter() {
      @Override
      public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        inFlight.incrementAndGet();
        lastRequestNanos.set(System.nanoTime());
        try {
          chain.doFilter(exchange);
        } finally {
          inFlight.decrementAndGet();
        }
      }

      @Override
      public String description() {
        return "counts the requests in flight";
      }
    });
    ExecutorService workers = Executors.newFixedThreadPool(16);
    server.setExecutor(workers);
    server.start();
    System.out.println("demo backend " + host + " (pid " + ProcessHandle.current().pid() + ") listening");

    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      long limit = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_LIMIT_MILLIS);
      while (System.nanoTime() < limit && (inFlight.get() > 0
          || System.nanoTime() - lastRequestNanos.get() < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS))) {
        pause();
      }
      server.stop(0);
      workers.shutdown();
      System.out.println("demo backend " + host + " stopped");
    }, "demo-backend-stop"));
  }

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void serve(HttpExchange exchange, String hello) throws IOException {
    try (exchange) {
      byte[] body = (hello + "work " + work() + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
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
