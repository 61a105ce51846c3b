package dev.shunt.hazelcast;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for what happens in the background (a TTL lapsing), up to a deadline, never longer. */
final class Poll {
  private static final Duration INTERVAL = Duration.ofMillis(50);

  private Poll() {}

  /** Returns once {@code condition} holds; fails the test if it still does not {@code within}. */
  static void until(Duration within, String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + within + ": " + what);
      }
      Thread.sleep(INTERVAL.toMillis());
    }
  }
}
