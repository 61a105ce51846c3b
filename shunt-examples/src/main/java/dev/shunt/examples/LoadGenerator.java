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
import java.util.Optional;
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
  private static final String FIRST_RETRY = "first retry";

  private final URI target;
  private final HttpClient client;
  private final List<Thread> threads = new ArrayList<>();
  private final LongAdder sent = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final Map<String, String> firstFailures = new ConcurrentHashMap<>();
  private final LongAdder retried = new LongAdder();
  private final boolean retryUnanswered;
  private final long stopAtNanos;
  private final long startNanos = System.nanoTime();
  private volatile boolean stopped;

  private final Duration requestTimeout;

  private LoadGenerator(URI target, long maxDurationNanos, Duration requestTimeout, boolean retryUnanswered) {
    this.target = target;
    this.requestTimeout = requestTimeout;
    this.retryUnanswered = retryUnanswered;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1))
        .build();
    this.stopAtNanos = startNanos + maxDurationNanos;
  }

  /** Starts sending {@code requestsPerSecond} requests per second to {@code target}. */
  public static LoadGenerator start(URI target, int requestsPerSecond, Duration maxDuration) {
    requireThreadsRate(requestsPerSecond);
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
    return start(new LoadGenerator(target, maxDuration.toNanos(), requestTimeout, false), requestsPerSecond, threads);
  }

  /**
   * As {@link #start(URI, int, Duration)}, but a request whose connection the server closed (or
   * reset) before sending any byte of an answer is sent once more, as browsers do with a kept-alive connection
   * closed under them (RFC 9112, section 9.3.1, lets a client retry an idempotent request so):
   * for a load balancer that closes its idle keep-alive connections on a reload, as nginx's old
   * workers do. {@link Result#retried()} counts the requests sent again; one that fails again
   * counts as failed, and so does every other failure.
   */
  public static LoadGenerator startRetryingUnanswered(URI target, int requestsPerSecond, Duration maxDuration) {
    requireThreadsRate(requestsPerSecond);
    return start(new LoadGenerator(target, maxDuration.toNanos(), REQUEST_TIMEOUT, true), requestsPerSecond, THREADS);
  }

  private static void requireThreadsRate(int requestsPerSecond) {
    if (requestsPerSecond < THREADS) {
      throw new IllegalArgumentException("requestsPerSecond must be >= " + THREADS + ", was " + requestsPerSecond);
    }
  }

  /** The number of threads (and so of kept-alive connections) of the three-argument starts. */
  public static int defaultThreads() {
    return THREADS;
  }

  private static LoadGenerator start(LoadGenerator load, int requestsPerSecond, int threads) {
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
        HttpResponse<String> response = send(request);
        if (response.statusCode() / 100 != 2) {
          fail("HTTP " + response.statusCode(), "HTTP " + response.statusCode());
        }
      } catch (IOException e) {
        fail(e.getClass().getSimpleName(), describe(e));
      } catch (InterruptedException e) {
        fail("interrupted", "interrupted");
        return;
      }
    }
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      if (!retryUnanswered || !closedBeforeAnyAnswer(e)) {
        throw e;
      }
      retried.increment();
      firstFailures.putIfAbsent(FIRST_RETRY, describe(e) + " at "
          + Duration.ofNanos(System.nanoTime() - startNanos).toMillis() + " ms");
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }

  /**
   * Whether the JDK's client saw the connection end before the first byte of an answer: its
   * header parser "received no bytes", and the cause is an end of stream or a reset (nginx's old
   * worker closes a connection whose request it had not read yet: the kernel answers that with a
   * reset). Any other failure (a refused connection, a timeout, an answer cut short, a status) is
   * not retried.
   */
  private static boolean closedBeforeAnyAnswer(IOException e) {
    boolean noBytes = e.getMessage() != null && e.getMessage().contains("received no bytes");
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.EOFException || t instanceof java.net.SocketException) {
        return noBytes;
      }
    }
    return false;
  }

  private void fail(String kind, String detail) {
    failed.increment();
    failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
    firstFailures.putIfAbsent(kind, detail + " at " + Duration.ofNanos(System.nanoTime() - startNanos).toMillis()
        + " ms");
  }

  /** An exception and its causes, e.g. {@code IOException: ... <- SocketException: Connection reset}. */
  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null && text.length() < 500; t = t.getCause()) {
      text.append(text.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName()).append(": ")
          .append(t.getMessage());
    }
    return text.toString();
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
    Map<String, String> first = new TreeMap<>(firstFailures);
    String firstRetry = first.remove(FIRST_RETRY);
    return new Result(sent.sum(), failed.sum(), kinds, first, retried.sum(), Optional.ofNullable(firstRetry),
        Duration.ofNanos(System.nanoTime() - startNanos));
  }

  /**
   * What the load saw.
   *
   * @param sent requests sent
   * @param failed requests that failed
   * @param failuresByKind failed requests by kind, e.g. {@code HTTP 503} or {@code ConnectException}
   * @param firstFailureByKind the first failure of each kind, described with its causes and when
   *     it happened (since the load started): what a failed assertion needs to find the cause
   * @param retried requests sent a second time because the connection closed before any answer
   *     (only with {@link #startRetryingUnanswered}); not counted as failed unless the second also failed
   * @param firstRetry the first of those, described as the failures are
   * @param elapsed how long the load ran
   */
  public record Result(long sent, long failed, Map<String, Long> failuresByKind, Map<String, String> firstFailureByKind,
      long retried, Optional<String> firstRetry, Duration elapsed) {
    /** Requests per second actually sent. */
    public double rate() {
      return sent / (elapsed.toNanos() / 1e9);
    }

    @Override
    public String toString() {
      return sent + " requests in " + elapsed.toMillis() + " ms (" + Math.round(rate()) + "/s), "
          + failed + " failed" + (failuresByKind.isEmpty() ? "" : " " + failuresByKind + ", first of each: "
          + firstFailureByKind) + (retried == 0 ? "" : "; " + retried + " sent again after the connection closed"
          + " before any answer, the first: " + firstRetry.orElseThrow());
    }
  }
}
