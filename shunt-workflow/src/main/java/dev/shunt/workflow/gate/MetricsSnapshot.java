package dev.shunt.workflow.gate;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One host's request counters at one moment, as a {@link MetricsSource} read them. Counters grow
 * from the application's (or the load balancer's) start; the gate compares two snapshots to know
 * what happened between them ({@link #since}). Immutable.
 *
 * @param requests requests answered so far
 * @param errors those answered with a server error (5xx) so far
 * @param histogram a cumulative latency histogram, when the source has one (Prometheus)
 * @param recentAverage the average response time over the host's last {@code recentWindow}
 *     responses, when the source keeps only that (HAProxy's {@code rtime}, over 1024)
 * @param recentWindow how many responses {@code recentAverage} covers; 0 without one
 */
public record MetricsSnapshot(long requests, long errors, Optional<LatencyHistogram> histogram,
    Optional<Duration> recentAverage, int recentWindow) {

  /**
   * Checks the components.
   *
   * @param requests requests answered so far, zero or more
   * @param errors those answered with a server error, from 0 to {@code requests}
   * @param histogram a cumulative latency histogram; empty without one
   * @param recentAverage the recent average response time; empty without one
   * @param recentWindow how many responses {@code recentAverage} covers; 0 without one
   * @throws IllegalArgumentException naming the component, its value and the rule it breaks
   */
  public MetricsSnapshot {
    if (requests < 0 || errors < 0 || errors > requests) {
      throw new IllegalArgumentException("errors must be from 0 to requests, and requests >= 0; was " + errors
          + " of " + requests);
    }
    Objects.requireNonNull(histogram, "histogram");
    Objects.requireNonNull(recentAverage, "recentAverage");
    if (recentAverage.isPresent() != recentWindow > 0) {
      throw new IllegalArgumentException("recentWindow must be > 0 with a recentAverage and 0 without, was "
          + recentWindow);
    }
  }

  /**
   * Counters only: {@code requests} and {@code errors}, no latency.
   *
   * @param requests requests answered so far
   * @param errors those answered with a server error
   * @return a snapshot with no latency
   */
  public static MetricsSnapshot of(long requests, long errors) {
    return new MetricsSnapshot(requests, errors, Optional.empty(), Optional.empty(), 0);
  }

  /**
   * What happened between {@code earlier} and this snapshot: the counters' growth (a counter that
   * went down means the application restarted in between: it counts from zero), the histogram's
   * growth, and this snapshot's recent average.
   *
   * @param earlier an earlier snapshot of the same host
   * @return what happened in between
   */
  public MetricsSnapshot since(MetricsSnapshot earlier) {
    boolean restarted = requests < earlier.requests || errors < earlier.errors;
    long newRequests = restarted ? requests : requests - earlier.requests;
    long newErrors = Math.min(newRequests, restarted ? errors : errors - earlier.errors);
    Optional<LatencyHistogram> window = histogram.map(now -> earlier.histogram.map(now::minus).orElse(now));
    return new MetricsSnapshot(newRequests, newErrors, window, recentAverage, recentWindow);
  }
}
