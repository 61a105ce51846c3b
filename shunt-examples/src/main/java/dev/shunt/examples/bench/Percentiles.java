package dev.shunt.examples.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of durations in nanoseconds. Immutable. */
final class Percentiles {
  private final long[] sorted;

  Percentiles(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("nanos must hold at least one duration, was empty");
    }
    this.sorted = nanos.clone();
    Arrays.sort(sorted);
  }

  /** The smallest value that at least {@code percent} % of the values do not exceed. */
  long at(double percent) {
    int rank = (int) Math.ceil(percent / 100 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  long max() {
    return sorted[sorted.length - 1];
  }

  long min() {
    return sorted[0];
  }

  int count() {
    return sorted.length;
  }

  /** {@code n=1000 p50 1.20 ms p90 … p99 … max …}. */
  String summary() {
    return "n=" + count() + "  min " + Report.millis(min()) + "  p50 " + Report.millis(at(50))
        + "  p90 " + Report.millis(at(90)) + "  p99 " + Report.millis(at(99)) + "  max " + Report.millis(max());
  }
}
