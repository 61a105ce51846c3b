package dev.shunt.workflow.gate;

import java.util.Arrays;

/**
 * A cumulative latency histogram, as Prometheus keeps one: for each upper bound (in seconds,
 * ascending, the last one may be {@code +Inf}), how many requests took at most that long since
 * the application started. Counters only grow (until a restart), so two snapshots give the
 * histogram of the window between them ({@link #minus}). Immutable.
 */
public final class LatencyHistogram {
  private final double[] upperBounds;
  private final long[] counts;

  /**
   * @param upperBounds the buckets' upper bounds in seconds, strictly ascending
   * @param cumulativeCounts for each bound, the requests that took at most that long, not decreasing
   * @throws IllegalArgumentException if the arrays differ in length, are empty, or break those rules
   */
  public LatencyHistogram(double[] upperBounds, long[] cumulativeCounts) {
    if (upperBounds.length == 0 || upperBounds.length != cumulativeCounts.length) {
      throw new IllegalArgumentException("a histogram needs as many counts as bounds, at least one; was "
          + upperBounds.length + " bounds and " + cumulativeCounts.length + " counts");
    }
    for (int i = 1; i < upperBounds.length; i++) {
      if (!(upperBounds[i] > upperBounds[i - 1])) {
        throw new IllegalArgumentException("bucket bounds must ascend, was " + Arrays.toString(upperBounds));
      }
    }
    this.upperBounds = upperBounds.clone();
    this.counts = cumulativeCounts.clone();
  }

  /**
   * The requests counted: the count of the last bucket.
   *
   * @return the request count
   */
  public long count() {
    return counts[counts.length - 1];
  }

  /**
   * This histogram less an earlier snapshot of the same one, bucket by bucket: the requests between
   * the two. A bucket that went down (the application restarted in between) counts from zero.
   *
   * @param earlier an earlier snapshot of the same histogram
   * @return the difference
   * @throws IllegalArgumentException if the buckets differ
   */
  public LatencyHistogram minus(LatencyHistogram earlier) {
    if (!Arrays.equals(upperBounds, earlier.upperBounds)) {
      throw new IllegalArgumentException("the histograms have different buckets: " + Arrays.toString(upperBounds)
          + " and " + Arrays.toString(earlier.upperBounds));
    }
    boolean restarted = false;
    for (int i = 0; i < counts.length; i++) {
      restarted |= counts[i] < earlier.counts[i];
    }
    long[] delta = new long[counts.length];
    long floor = 0;
    for (int i = 0; i < counts.length; i++) {
      // Cumulative counts stay cumulative: never below the bucket before.
      delta[i] = Math.max(floor, restarted ? counts[i] : counts[i] - earlier.counts[i]);
      floor = delta[i];
    }
    return new LatencyHistogram(upperBounds, delta);
  }

  /**
   * The sum of two histograms with the same buckets (two hosts together).
   *
   * @param other a histogram with the same buckets
   * @return the sum
   */
  public LatencyHistogram plus(LatencyHistogram other) {
    if (!Arrays.equals(upperBounds, other.upperBounds)) {
      throw new IllegalArgumentException("the histograms have different buckets: " + Arrays.toString(upperBounds)
          + " and " + Arrays.toString(other.upperBounds));
    }
    long[] sum = new long[counts.length];
    for (int i = 0; i < counts.length; i++) {
      sum[i] = counts[i] + other.counts[i];
    }
    return new LatencyHistogram(upperBounds, sum);
  }

  /**
   * The latency at {@code quantile} (e.g. 0.99), in seconds, interpolated linearly within its
   * bucket as Prometheus' {@code histogram_quantile} does: the lower bound of the first bucket is 0;
   * a quantile in the {@code +Inf} bucket is the highest finite bound. NaN when nothing was counted.
   *
   * @param quantile from 0 to 1
   * @return the latency in seconds
   */
  public double quantile(double quantile) {
    long total = count();
    if (total == 0) {
      return Double.NaN;
    }
    double rank = quantile * total;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] >= rank) {
        if (Double.isInfinite(upperBounds[i])) {
          return i == 0 ? Double.NaN : upperBounds[i - 1];
        }
        double lower = i == 0 ? 0 : upperBounds[i - 1];
        long below = i == 0 ? 0 : counts[i - 1];
        long inBucket = counts[i] - below;
        return inBucket == 0 ? upperBounds[i] : lower + (upperBounds[i] - lower) * (rank - below) / inBucket;
      }
    }
    return upperBounds[upperBounds.length - 1];
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LatencyHistogram that && Arrays.equals(upperBounds, that.upperBounds)
        && Arrays.equals(counts, that.counts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(upperBounds) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("histogram{");
    for (int i = 0; i < counts.length; i++) {
      text.append(i == 0 ? "" : ", ").append("le ").append(upperBounds[i]).append(": ").append(counts[i]);
    }
    return text.append('}').toString();
  }
}
