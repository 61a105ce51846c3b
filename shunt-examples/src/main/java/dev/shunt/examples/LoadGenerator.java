package dev.shunt.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Steady client traffic for the demo and the end-to-end tests: a fixed number of requests per
 * second to one URL, from several threads, counting every request that fails — a connection
 * error, a timeout or a status other than 2xx. Bounded: it stops by itself after
 * {@code maxDuration}, or when {@link #stop()} is called.
 */
public final class LoadGenerator {
  private static final int THREADS = 8;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

  private final URI target;
  private final HttpClient client;
  private final List<Thread> threads = new ArrayList<>();
  private final LongAdder sent = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final long stopAtNanos;
  private final long startNanos = System.nanoTime();
  private volatile boolean stopped;

  private final Duration requestTimeout;

  private LoadGenerator(URI target, long maxDurationNanos, Duration requestTimeout) {
    this.target = target;
    this.requestTimeout = requestTimeout;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1))
        .build();
    this.stopAtNanos = startNanos + maxDurationNanos;
  }

  /** Starts sending {@code requestsPerSecond} requests per second to {@code target}. */
  public static LoadGenerator start(URI target, int requestsPerSecond, Duration maxDuration) {
    if (requestsPerSecond < THREADS) {
      throw new IllegalArgumentException("requestsPerSecond must be >= " + THREADS + ", was " + requestsPerSecond);
    }
    return start(target, requestsPerSecond, maxDuration, THREADS, REQUEST_TIMEOUT);
  }

  /**
   * Starts sending {@code requestsPerSecond} requests per second to {@code target} from
   * {@code threads} threads, each request waiting at most {@code requestTimeout}: for slow
   * requests, give enough threads to keep the rate (a thread waits for its answer).
   */
  public static LoadGenerator start(URI target, int requestsPerSecond, Duration maxDuration, int threads,
      Duration requestTimeout) {
    if (threads < 1 || requestsPerSecond < 1) {
      throw new IllegalArgumentException("threads and requestsPerSecond must be >= 1, was " + threads + " and "
          + requestsPerSecond);
    }
    LoadGenerator load = new LoadGenerator(target, maxDuration.toNanos(), requestTimeout);
    long periodNanos = 1_000_000_000L * threads / requestsPerSecond;
    for (int i = 0; i < threads; i++) {
      long offset = periodNanos * i / threads;
      Thread thread = new Thread(() -> load.send(periodNanos, offset), "load-" + i);
      thread.setDaemon(true);
      load.threads.add(thread);
      thread.start();
    }
    return load;
  }

  private void send(long periodNanos, long offsetNanos) {
    HttpRequest request = HttpRequest.newBuilder(target).timeout(requestTimeout).GET().build();
    long next = startNanos + offsetNanos;
    while (!stopped && System.nanoTime() < stopAtNanos) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      }
      next += periodNanos;
      sent.increment();
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
          fail("HTTP " + response.statusCode());
        }
      } catch (IOException e) {
        fail(e.getClass().getSimpleName());
      } catch (InterruptedException e) {
        fail("interrupted");
        return;
      }
    }
  }

  private void fail(String kind) {
    failed.increment();
    failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /** Requests sent so far. */
  public long sent() {
    return sent.sum();
  }

  /** Requests failed so far. */
  public long failed() {
    return failed.sum();
  }

  /** Stops sending, waits for the requests in flight, and returns the totals. */
  public Result stop() {
    stopped = true;
    for (Thread thread : threads) {
      try {
        thread.join(requestTimeout.toMillis() + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Map<String, Long> kinds = new TreeMap<>();
    failures.forEach((kind, count) -> kinds.put(kind, count.sum()));
    return new Result(sent.sum(), failed.sum(), kinds, Duration.ofNanos(System.nanoTime() - startNanos));
  }

  /**
   * What the load saw.
   *
   * @param sent requests sent
   * @param failed requests that failed
   * @param failuresByKind failed requests by kind, e.g. {@code HTTP 503} or {@code ConnectException}
   * @param elapsed how long the load ran
   */
  public record Result(long sent, long failed, Map<String, Long> failuresByKind, Duration elapsed) {
    /** Requests per second actually sent. */
    public double rate() {
      return sent / (elapsed.toNanos() / 1e9);
    }

    @Override
    public String toString() {
      return sent + " requests in " + elapsed.toMillis() + " ms (" + Math.round(rate()) + "/s), "
          + failed + " failed" + (failuresByKind.isEmpty() ? "" : " " + failuresByKind);
    }
  }
}
