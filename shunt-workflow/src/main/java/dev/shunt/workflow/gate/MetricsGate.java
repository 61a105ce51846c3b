package dev.shunt.workflow.gate;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A gate between a batch and the next: after every batch (the canary's and the last included), it
 * watches the hosts just rolled for a bake time and halts the rollout when they misbehave, as a
 * failed step would (the rollout's failure policy and halt apply). Give it to
 * {@link dev.shunt.workflow.Rollout.Builder#gate}; the plan shows it, the report keeps each verdict.
 *
 * <p><b>What it compares.</b> Every {@link Builder#checkInterval check interval} it reads the
 * counters of the fleet from its {@link MetricsSource} and takes the growth since the bake began:
 * the hosts just rolled (the batch's hosts that are done) against the hosts not yet rolled, over
 * the same window. When no host remains (the last batch) or those that remain had too few
 * requests, the baseline is the batch's own hosts before their restart, as the gate after the
 * batch before saw them. The rollout does not overlap batches while it gates
 * ({@link dev.shunt.workflow.Rollout.Builder#overlapRotation} is ignored): the next batch's hosts
 * must still serve to be the baseline.
 *
 * <p><b>When it halts.</b> The hosts just rolled answered more than {@link Builder#maxErrorRate}
 * of their requests with a 5xx (and, with {@link Builder#maxErrorRatio}, also more than that many
 * times the baseline's rate); or, with {@link Builder#maxLatencyRatio}, their latency at
 * {@link Builder#latencyPercentile} is more than that many times the baseline's. It halts as soon
 * as a check crosses a threshold on enough requests, before the bake is over; it passes only at
 * the end of the bake. The halt's reason names the metric, the values, the threshold and the baseline.
 * A source that cannot be read halts too: the gate does not guess.
 *
 * <p><b>Too few requests.</b> It never judges fewer than {@link Builder#minRequests} requests
 * on a side: a quiet service must not halt on one error. When the hosts just rolled had fewer by
 * the end of the bake, the bake goes on, for at most {@link Builder#maxExtension}; if they still
 * had too few, the gate passes with a note ({@link TooFewRequests#PASS}, the default: a gate that
 * cannot judge does not stop a deploy that every step passed) or halts
 * ({@link TooFewRequests#HALT}). A baseline with too few requests is not used: relative
 * thresholds are then not judged, and the verdict says so.
 *
 * <p>Defaults: bake 30 s, canary bake twice the bake, check interval 1 s, at least 100 requests,
 * extension up to one more bake, at most 1 % errors, no error ratio, no latency threshold,
 * percentile 0.99, {@link TooFewRequests#PASS}. Immutable and thread-safe.
 */
public final class MetricsGate {

  /** What a gate does when the hosts just rolled had fewer than {@code minRequests} requests. */
  public enum TooFewRequests {
    /** Pass, with a note in the verdict: nothing to judge is not bad news. The default. */
    PASS,
    /** Halt: only a judged rollout goes on. */
    HALT
  }

  private final MetricsSource source;
  private final Duration bake;
  private final Duration canaryBake;
  private final Duration checkInterval;
  private final Duration maxExtension;
  private final long minRequests;
  private final double maxErrorRate;
  private final Double maxErrorRatio;
  private final Double maxLatencyRatio;
  private final double latencyPercentile;
  private final TooFewRequests tooFewRequests;

  private MetricsGate(Builder builder) {
    this.source = builder.source;
    this.bake = builder.bake;
    this.canaryBake = builder.canaryBake != null ? builder.canaryBake : builder.bake.multipliedBy(2);
    this.checkInterval = builder.checkInterval;
    this.maxExtension = builder.maxExtension != null ? builder.maxExtension : builder.bake;
    this.minRequests = builder.minRequests;
    this.maxErrorRate = builder.maxErrorRate;
    this.maxErrorRatio = builder.maxErrorRatio;
    this.maxLatencyRatio = builder.maxLatencyRatio;
    this.latencyPercentile = builder.latencyPercentile;
    this.tooFewRequests = builder.tooFewRequests;
  }

  /**
   * A builder; {@code source} is required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this gate's settings.
   *
   * @return a new builder with this gate's settings
   */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.source = source;
    builder.bake = bake;
    builder.canaryBake = canaryBake;
    builder.checkInterval = checkInterval;
    builder.maxExtension = maxExtension;
    builder.minRequests = minRequests;
    builder.maxErrorRate = maxErrorRate;
    builder.maxErrorRatio = maxErrorRatio;
    builder.maxLatencyRatio = maxLatencyRatio;
    builder.latencyPercentile = latencyPercentile;
    builder.tooFewRequests = tooFewRequests;
    return builder;
  }

  /**
   * Where the counters come from.
   *
   * @return the source given to the builder
   */
  public MetricsSource source() {
    return source;
  }

  /**
   * How long the gate watches the hosts after each batch.
   *
   * @return the bake time
   */
  public Duration bake() {
    return bake;
  }

  /**
   * How long the gate watches the canary batch's hosts.
   *
   * @return the canary's bake time
   */
  public Duration canaryBake() {
    return canaryBake;
  }

  /**
   * How often the gate reads the counters during a bake.
   *
   * @return the interval
   */
  public Duration checkInterval() {
    return checkInterval;
  }

  /**
   * How much longer than its bake the gate waits for {@link #minRequests()}.
   *
   * @return the extension
   */
  public Duration maxExtension() {
    return maxExtension;
  }

  /**
   * The fewest requests on a side the gate judges.
   *
   * @return the count, at least 1
   */
  public long minRequests() {
    return minRequests;
  }

  /**
   * The highest share of 5xx answers of the hosts just rolled.
   *
   * @return the rate, from 0 to below 1
   */
  public double maxErrorRate() {
    return maxErrorRate;
  }

  /**
   * The error ratio to the baseline that must also be crossed to halt; null for none.
   *
   * @return the ratio, or null
   */
  public Double maxErrorRatio() {
    return maxErrorRatio;
  }

  /**
   * The latency ratio to the baseline that halts; null for none.
   *
   * @return the ratio, or null
   */
  public Double maxLatencyRatio() {
    return maxLatencyRatio;
  }

  /**
   * The latency percentile compared.
   *
   * @return the percentile, from 0 to 1 exclusive
   */
  public double latencyPercentile() {
    return latencyPercentile;
  }

  /**
   * What the gate does when too few requests came even after the extension.
   *
   * @return pass or halt
   */
  public TooFewRequests tooFewRequests() {
    return tooFewRequests;
  }

  /**
   * The latency measure's name, e.g. {@code p99}.
   *
   * @return the name, e.g. {@code p99}
   */
  public String percentileName() {
    double percent = latencyPercentile * 100;
    return "p" + (percent == Math.rint(percent) ? Long.toString(Math.round(percent))
        : String.format(Locale.ROOT, "%s", percent));
  }

  /**
   * One line for the plan: the source, the bakes and the thresholds.
   *
   * @return one line, with no secret
   */
  public String describe() {
    return "metrics gate after each batch: " + source.name() + "; bake " + bake + " (canary " + canaryBake
        + "), checks every " + checkInterval + "; halts above " + GateVerdict.percent(maxErrorRate) + " errors"
        + (maxErrorRatio == null ? "" : " and " + maxErrorRatio + "x the baseline's")
        + (maxLatencyRatio == null ? "" : ", or " + percentileName() + " latency above " + maxLatencyRatio
            + "x the baseline's")
        + "; judges at least " + minRequests + " requests a side, waits up to " + maxExtension + " more for them,"
        + " then " + (tooFewRequests == TooFewRequests.PASS ? "passes with a note" : "halts");
  }

  @Override
  public String toString() {
    return describe();
  }

  /**
   * Configures a {@link MetricsGate}. Not thread-safe. Each setter checks its value as it is given and throws
   * {@link IllegalArgumentException} naming the field, the value and the rule; {@link #build()}
   * checks what is missing and the fields that depend on each other.
   */
  public static final class Builder {
    private MetricsSource source;
    private Duration bake = Duration.ofSeconds(30);
    private Duration canaryBake;
    private Duration checkInterval = Duration.ofSeconds(1);
    private Duration maxExtension;
    private long minRequests = 100;
    private double maxErrorRate = 0.01;
    private Double maxErrorRatio;
    private Double maxLatencyRatio;
    private double latencyPercentile = 0.99;
    private TooFewRequests tooFewRequests = TooFewRequests.PASS;

    private Builder() {}

    /**
     * Where the counters come from. Required.
     *
     * @param source reads the hosts' counters
     * @return this builder
     */
    public Builder source(MetricsSource source) {
      require(source != null, "source must be set, was null");
      this.source = source;
      return this;
    }

    /**
     * How long to watch the hosts after each batch. Default: 30 s.
     *
     * @param bake positive
     * @return this builder
     */
    public Builder bake(Duration bake) {
      requirePositive("bake", bake);
      this.bake = bake;
      return this;
    }

    /**
     * How long to watch the canary batch's hosts. Default: twice the {@link #bake}.
     *
     * @param canaryBake positive, or null for the default
     * @return this builder
     */
    public Builder canaryBake(Duration canaryBake) {
      if (canaryBake != null) {
        requirePositive("canaryBake", canaryBake);
      }
      this.canaryBake = canaryBake;
      return this;
    }

    /**
     * How often to read the counters during a bake (each read may halt early). Default: 1 s.
     *
     * @param checkInterval positive
     * @return this builder
     */
    public Builder checkInterval(Duration checkInterval) {
      requirePositive("checkInterval", checkInterval);
      this.checkInterval = checkInterval;
      return this;
    }

    /**
     * How much longer than its bake a gate waits for {@link #minRequests}. Default: one more bake.
     *
     * @param maxExtension zero or more, or null for the default
     * @return this builder
     */
    public Builder maxExtension(Duration maxExtension) {
      require(maxExtension == null || !maxExtension.isNegative(), "maxExtension must be zero or positive, was " + maxExtension);
      this.maxExtension = maxExtension;
      return this;
    }

    /**
     * The fewest requests on a side the gate judges. Default: 100.
     *
     * @param minRequests at least 1
     * @return this builder
     */
    public Builder minRequests(long minRequests) {
      require(minRequests >= 1, "minRequests must be >= 1, was " + minRequests);
      this.minRequests = minRequests;
      return this;
    }

    /**
     * The highest share of 5xx answers of the hosts just rolled, from 0 to 1 (0.01 = 1 %). Default: 0.01.
     *
     * @param maxErrorRate from 0 to below 1
     * @return this builder
     */
    public Builder maxErrorRate(double maxErrorRate) {
      require(maxErrorRate >= 0 && maxErrorRate < 1, "maxErrorRate must be from 0 to below 1, was " + maxErrorRate);
      this.maxErrorRate = maxErrorRate;
      return this;
    }

    /**
     * Also needed to halt on errors: the hosts just rolled fail more than this many times as often
     * as the baseline (e.g. 2): a fleet that already fails at 2 % can roll a version that fails no
     * more. Without a usable baseline, {@link #maxErrorRate} alone judges. Default: none.
     *
     * @param ratio at least 1, or null for none
     * @return this builder
     */
    public Builder maxErrorRatio(Double ratio) {
      require(ratio == null || ratio >= 1, "maxErrorRatio must be >= 1, was " + ratio);
      this.maxErrorRatio = ratio;
      return this;
    }

    /**
     * Halt when the latency of the hosts just rolled at {@link #latencyPercentile} is more than this
     * many times the baseline's (e.g. 2). Needs a source with latency. Default: none.
     *
     * @param ratio at least 1, or null for none
     * @return this builder
     */
    public Builder maxLatencyRatio(Double ratio) {
      require(ratio == null || ratio >= 1, "maxLatencyRatio must be >= 1, was " + ratio);
      this.maxLatencyRatio = ratio;
      return this;
    }

    /**
     * The latency percentile compared, from 0 to 1 exclusive. Default: 0.99.
     *
     * @param percentile from 0 to 1 exclusive
     * @return this builder
     */
    public Builder latencyPercentile(double percentile) {
      require(percentile > 0 && percentile < 1,
          "latencyPercentile must be between 0 and 1 exclusive, was " + percentile);
      this.latencyPercentile = percentile;
      return this;
    }

    /**
     * What to do when too few requests came even after the extension. Default: {@link TooFewRequests#PASS}.
     *
     * @param tooFewRequests pass or halt
     * @return this builder
     */
    public Builder tooFewRequests(TooFewRequests tooFewRequests) {
      require(tooFewRequests != null, "tooFewRequests must be set, was null");
      this.tooFewRequests = tooFewRequests;
      return this;
    }

    /**
     * Validates and builds it.
     *
     * @return a new, immutable gate
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public MetricsGate build() {
      require(source != null, "source must be set, was null");
      return new MetricsGate(this);
    }

    private static void requirePositive(String field, Duration value) {
      require(value != null && !value.isNegative() && !value.isZero(), field + " must be positive, was " + value);
    }

    private static void require(boolean rule, String message) {
      if (!rule) {
        throw new IllegalArgumentException(Objects.requireNonNull(message));
      }
    }
  }
}
