package dev.shunt.workflow.gate;

import dev.shunt.workflow.Batch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link MetricsGate} found after one batch: whether the rollout goes on, why, and the
 * numbers it judged. In the rollout's report ({@link dev.shunt.workflow.RolloutReport#gates()})
 * and its JSON, one per batch gated.
 *
 * @param batch the batch it judged
 * @param result whether it let the rollout go on
 * @param reason a sentence for a person: on a halt, the metric, the value measured, the threshold
 *     and the baseline; on a pass, the same figures; with too few requests, how many there were
 * @param candidate the hosts of the batch, over the bake
 * @param baseline what they were compared with: the hosts not yet rolled over the same bake, or
 *     the batch's own hosts before their restart; empty when neither had enough requests
 * @param start when it began to watch, by the rollout's clock
 * @param baked how long it watched
 */
public record GateVerdict(Batch batch, Result result, String reason, Sample candidate, Optional<Sample> baseline,
    Instant start, Duration baked) {

  /** How a gate ended. */
  public enum Result {
    /** Within every threshold, on enough requests. */
    PASSED,
    /** Too few requests to judge, even after the extension: passed, with a note ({@link MetricsGate.TooFewRequests#PASS}). */
    PASSED_UNJUDGED,
    /** A threshold was crossed (or, with {@link MetricsGate.TooFewRequests#HALT}, too few requests; or the source could not be read): the rollout halts. */
    HALTED
  }

  /**
   * Checks that no component is null.
   *
   * @param batch the batch it judged
   * @param result whether it let the rollout go on
   * @param reason a sentence for a person
   * @param candidate the hosts of the batch, over the bake
   * @param baseline what they were compared with; empty for none
   * @param start when it began to watch
   * @param baked how long it watched
   */
  public GateVerdict {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(baseline, "baseline");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(baked, "baked");
  }

  /**
   * Whether the rollout halts for it.
   *
   * @return true when the result halts the rollout
   */
  public boolean halted() {
    return result == Result.HALTED;
  }

  /**
   * Requests counted on some hosts over a window.
   *
   * @param side which hosts: {@code just rolled}, {@code not yet rolled} or {@code before their restart}
   * @param hosts the hosts
   * @param requests requests answered
   * @param errors server errors (5xx) among them
   * @param latency the latency measure the gate used (a percentile or HAProxy's average), when measured
   */
  public record Sample(String side, List<String> hosts, long requests, long errors, Optional<Duration> latency) {
    /**
     * Checks that no component is null and copies {@code hosts}.
     *
     * @param side which side it measures
     * @param hosts the hosts measured
     * @param requests the requests they answered over the bake
     * @param errors those answered with a server error
     * @param latency the latency measured; empty without one
     */
    public Sample {
      Objects.requireNonNull(side, "side");
      hosts = List.copyOf(hosts);
      Objects.requireNonNull(latency, "latency");
    }

    /**
     * Errors over requests; 0 without requests.
     *
     * @return the error rate, from 0 to 1
     */
    public double errorRate() {
      return requests == 0 ? 0 : (double) errors / requests;
    }

    /** E.g. {@code 5.00 % errors (25 of 500 requests) on web-1 (just rolled)}. */
    @Override
    public String toString() {
      return percent(errorRate()) + " errors (" + errors + " of " + requests + " requests) on "
          + String.join(", ", hosts) + " (" + side + ")";
    }
  }

  /** A rate as a percentage with two decimals, e.g. {@code 0.50 %}. */
  static String percent(double rate) {
    return String.format(Locale.ROOT, "%.2f %%", rate * 100);
  }

  /** {@code gate after canary batch 1 (web-1): HALTED in 4012 ms: reason}. */
  @Override
  public String toString() {
    return "gate after " + batch + ": " + result + " in " + baked.toMillis() + " ms: " + reason;
  }
}
