package dev.shunt;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the requests an instance is serving, so that a shutdown (or a drain) can wait until
 * the last one has been answered. Every {@link HealthResponder} owns one; the adapters count the
 * application's requests (not the health checks) into it. Code that answers requests some other
 * way calls {@link #begin()} and, in a {@code finally}, {@link #end()}.
 *
 * <p>Whether anything counts at all is known too ({@link #isCounted()}): an instance whose
 * requests nobody counts (a sidecar in front of an app in another language, a responder without
 * its adapter) reports its in-flight count as {@linkplain CheckerReport#inFlightCount() unknown},
 * never as a zero it did not see.
 *
 * <p>Thread-safe and cheap: two atomic operations per request.
 */
public final class InFlightRequests {
  private final AtomicInteger count = new AtomicInteger();
  private volatile long lastBeginNanos = System.nanoTime();
  private final Object zero = new Object();
  private final List<Runnable> idleListeners = new CopyOnWriteArrayList<>();
  private volatile boolean counted;

  /** A counter with no request in flight, and none counted yet. */
  public InFlightRequests() {}

  /** A request started. */
  public void begin() {
    if (!counted) {
      counted = true;
    }
    count.incrementAndGet();
    lastBeginNanos = System.nanoTime();
  }

  /** A request that {@link #begin() began} has been answered (or failed). */
  public void end() {
    if (count.decrementAndGet() == 0) {
      synchronized (zero) {
        zero.notifyAll();
      }
      idleListeners.forEach(Runnable::run);
    }
  }

  /**
   * Says that something counts this instance's requests into this object from now on, before the
   * first request comes: the adapters ({@code HttpServerHealth.filter}, {@code ShuntFilter}) call
   * it when they are made. The first {@link #begin()} says so too.
   */
  public void markCounted() {
    counted = true;
  }

  /**
   * Whether anything counts the requests: {@link #markCounted()} or a {@link #begin()} happened.
   * While false, {@link #current()} is 0 because nobody counts, not because nothing is served.
   *
   * @return true once counting has begun
   */
  public boolean isCounted() {
    return counted;
  }

  /**
   * How many requests are in flight now.
   *
   * @return the number of requests begun and not yet ended
   */
  public int current() {
    return count.get();
  }

  /**
   * Waits until no request is in flight, for at most {@code timeout}.
   *
   * @param timeout the longest wait
   * @return whether none was in flight when it returned
   * @throws InterruptedException if the thread was interrupted while waiting
   */
  public boolean awaitZero(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (zero) {
      while (count.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(zero, left);
      }
      return true;
    }
  }

  /**
   * Waits until no request is in flight and none has begun for {@code quiet}, for at most
   * {@code timeout}: after a load balancer stopped sending traffic, the requests it sent just
   * before may still be on their way.
   *
   * @param quiet how long no request may have begun
   * @param timeout the longest wait
   * @return whether it was quiet when it returned
   * @throws InterruptedException if the thread was interrupted while waiting
   */
  public boolean awaitQuiet(Duration quiet, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!awaitZero(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        return false;
      }
      long now = System.nanoTime();
      long toQuiet = quiet.toNanos() - (now - lastBeginNanos);
      if (toQuiet <= 0 && count.get() == 0) {
        return true;
      }
      if (deadline - now <= 0) {
        return false;
      }
      if (toQuiet > 0) {
        TimeUnit.NANOSECONDS.sleep(Math.max(Math.min(toQuiet, deadline - now), 1_000_000));
      }
    }
  }

  /** Runs {@code listener} each time the count drops to zero, on the thread that ended the request. */
  void whenIdle(Runnable listener) {
    idleListeners.add(listener);
  }

  @Override
  public String toString() {
    return count.get() + " in flight";
  }
}
