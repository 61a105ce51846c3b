package dev.shunt.workflow.internal;

import dev.shunt.workflow.Batch;
import dev.shunt.workflow.gate.GateVerdict;
import dev.shunt.workflow.gate.GateVerdict.Result;
import dev.shunt.workflow.gate.GateVerdict.Sample;
import dev.shunt.workflow.gate.LatencyHistogram;
import dev.shunt.workflow.gate.MetricsGate;
import dev.shunt.workflow.gate.MetricsSnapshot;
import dev.shunt.workflow.gate.MetricsSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ObjDoubleConsumer;
import java.util.function.ToIntFunction;

/**
 * A rollout's {@link MetricsGate} at work: bakes after each batch, judges, and remembers each host's
 * counters over the last window in which it was not rolled yet, for the batches that have no host
 * left to compare with. Each check's request and error rates, per side, go to the report's samples
 * ({@link #REQUESTS}, {@link #ERRORS}). Used by the coordinator thread only.
 */
final class GateRun {

  /** Waits, unless the rollout stops meanwhile. */
  @FunctionalInterface
  interface Waiter {
    /** @return false if the rollout stopped during the wait */
    boolean await(Duration duration);
  }

  /** The series of a side's requests per second and host between two checks: {@code REQUESTS + " (just rolled)"}. */
  static final String REQUESTS = "gate requests/s per host";
  /** The series of the share of a side's requests answered 5xx between two checks, in percent. */
  static final String ERRORS = "gate 5xx %";

  private final MetricsGate gate;
  private final ToIntFunction<String> hostIndex;
  private final Clock clock;
  private final ObjDoubleConsumer<String> measure;
  /** Each host's growth over the latest window in which it was not rolled. */
  private final Map<String, MetricsSnapshot> beforeRestart = new HashMap<>();

  GateRun(MetricsGate gate, ToIntFunction<String> hostIndex, Clock clock, ObjDoubleConsumer<String> measure) {
    this.gate = gate;
    this.hostIndex = hostIndex;
    this.clock = clock;
    this.measure = measure;
  }

  /**
   * Bakes after {@code batch} and judges its hosts {@code rolled} against {@code unrolled}.
   *
   * @return the verdict, or empty if the rollout stopped during the bake
   */
  Optional<GateVerdict> judge(Batch batch, List<String> rolled, List<String> unrolled, Waiter waiter) {
    Duration bake = batch.canary() ? gate.canaryBake() : gate.bake();
    Duration limit = bake.plus(gate.maxExtension());
    List<MetricsSource.Host> hosts = new ArrayList<>();
    rolled.forEach(host -> hosts.add(new MetricsSource.Host(host, hostIndex.applyAsInt(host))));
    unrolled.forEach(host -> hosts.add(new MetricsSource.Host(host, hostIndex.applyAsInt(host))));
    Instant began = clock.instant();
    long start = System.nanoTime();
    Map<String, MetricsSnapshot> first;
    try {
      first = gate.source().read(hosts);
    } catch (RuntimeException e) {
      return Optional.of(unreadable(batch, rolled, e, began, start));
    }
    Map<String, MetricsSnapshot> previous = first;
    long previousAt = System.nanoTime();
    while (true) {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      Duration untilEnd = (elapsed.compareTo(bake) < 0 ? bake : limit).minus(elapsed);
      Duration wait = untilEnd.compareTo(gate.checkInterval()) < 0 ? untilEnd : gate.checkInterval();
      if (!wait.isNegative() && !wait.isZero() && !waiter.await(wait)) {
        return Optional.empty();
      }
      Map<String, MetricsSnapshot> now;
      try {
        now = gate.source().read(hosts);
      } catch (RuntimeException e) {
        return Optional.of(unreadable(batch, rolled, e, began, start));
      }
      long nowAt = System.nanoTime();
      rates("just rolled", rolled, previous, now, nowAt - previousAt);
      rates("not yet rolled", unrolled, previous, now, nowAt - previousAt);
      previous = now;
      previousAt = nowAt;
      Map<String, MetricsSnapshot> window = new HashMap<>();
      now.forEach((host, snapshot) -> window.put(host, snapshot.since(first.getOrDefault(host, MetricsSnapshot.of(0, 0)))));
      elapsed = Duration.ofNanos(System.nanoTime() - start);
      Judgement judgement = judgement(rolled, unrolled, window);
      boolean enough = judgement.candidate.requests >= gate.minRequests();
      Result result = null;
      String reason = judgement.reason();
      if (enough && judgement.halts()) {
        result = Result.HALTED;
      } else if (enough && elapsed.compareTo(bake) >= 0) {
        result = Result.PASSED;
      } else if (elapsed.compareTo(limit) >= 0) {
        result = gate.tooFewRequests() == MetricsGate.TooFewRequests.PASS ? Result.PASSED_UNJUDGED : Result.HALTED;
        reason = "too few requests to judge: " + judgement.candidate.requests + " on " + String.join(", ", rolled)
            + " (just rolled) in " + elapsed.toMillis() + " ms, fewer than the " + gate.minRequests() + " required; "
            + (result == Result.HALTED ? "halting, as tooFewRequests HALT says" : "passed unjudged");
      }
      if (result != null) {
        unrolled.forEach(host -> beforeRestart.put(host, window.get(host)));
        return Optional.of(new GateVerdict(batch, result, reason, judgement.candidate.sample(),
            Optional.ofNullable(judgement.baseline).map(Side::sample), began, elapsed));
      }
    }
  }

  /** Measures the requests per second and host, and the share of 5xx, of {@code hosts} between two checks. */
  private void rates(String side, List<String> hosts, Map<String, MetricsSnapshot> before,
      Map<String, MetricsSnapshot> after, long nanos) {
    long requests = 0;
    long errors = 0;
    int counted = 0;
    for (String host : hosts) {
      if (before.containsKey(host) && after.containsKey(host)) {
        MetricsSnapshot growth = after.get(host).since(before.get(host));
        requests += growth.requests();
        errors += growth.errors();
        counted++;
      }
    }
    if (counted == 0 || nanos <= 0) {
      return;
    }
    measure.accept(REQUESTS + " (" + side + ")", requests / (nanos / 1e9) / counted);
    if (requests > 0) {
      measure.accept(ERRORS + " (" + side + ")", 100.0 * errors / requests);
    }
  }

  private GateVerdict unreadable(Batch batch, List<String> rolled, RuntimeException e, Instant began, long start) {
    return new GateVerdict(batch, Result.HALTED, "the metrics cannot be read, and a gate that cannot see does not"
        + " guess: " + e.getMessage(), new Sample("just rolled", rolled, 0, 0, Optional.empty()), Optional.empty(),
        began, Duration.ofNanos(System.nanoTime() - start));
  }

  private Judgement judgement(List<String> rolled, List<String> unrolled, Map<String, MetricsSnapshot> window) {
    Side candidate = new Side("just rolled", rolled, window);
    Side baseline = null;
    List<String> notes = new ArrayList<>();
    if (!unrolled.isEmpty()) {
      Side others = new Side("not yet rolled", unrolled, window);
      if (others.requests >= gate.minRequests()) {
        baseline = others;
      }
    }
    if (baseline == null && rolled.stream().allMatch(beforeRestart::containsKey)) {
      Side before = new Side("before their restart", rolled, beforeRestart);
      if (before.requests >= gate.minRequests()) {
        baseline = before;
      }
    }
    if (baseline == null) {
      notes.add("no baseline with " + gate.minRequests() + " requests (neither the hosts not yet rolled nor these"
          + " hosts before their restart)" + (gate.maxErrorRatio() == null && gate.maxLatencyRatio() == null ? ""
              : ": the ratios to the baseline are not judged"));
    }
    return new Judgement(candidate, baseline, notes);
  }

  /** The figures of one side of the comparison. */
  private final class Side {
    final String side;
    final List<String> hosts;
    long requests;
    long errors;
    LatencyHistogram histogram;
    boolean histogramEverywhere = true;
    /** Requests-weighted sum of each host's recent average, in nanoseconds. */
    double averageWeighted;
    boolean averageEverywhere = true;

    Side(String side, List<String> hosts, Map<String, MetricsSnapshot> window) {
      this.side = side;
      this.hosts = hosts;
      for (String host : hosts) {
        MetricsSnapshot snapshot = window.get(host);
        if (snapshot == null) {
          histogramEverywhere = false;
          averageEverywhere = false;
          continue;
        }
        requests += snapshot.requests();
        errors += snapshot.errors();
        if (snapshot.histogram().isPresent()) {
          histogram = histogram == null ? snapshot.histogram().get() : histogram.plus(snapshot.histogram().get());
        } else {
          histogramEverywhere = false;
        }
        // An average over the last N responses holds only this window's when N of them came in it.
        if (snapshot.recentAverage().isPresent() && snapshot.requests() >= snapshot.recentWindow()) {
          averageWeighted += snapshot.recentAverage().get().toNanos() * (double) snapshot.requests();
        } else {
          averageEverywhere = false;
        }
      }
    }

    double errorRate() {
      return requests == 0 ? 0 : (double) errors / requests;
    }

    /** The percentile from the histogram, when every host had one and it counted enough. */
    Optional<Duration> percentile() {
      if (!histogramEverywhere || histogram == null || histogram.count() < gate.minRequests()) {
        return Optional.empty();
      }
      double seconds = histogram.quantile(gate.latencyPercentile());
      return Double.isNaN(seconds) ? Optional.empty() : Optional.of(Duration.ofNanos(Math.round(seconds * 1e9)));
    }

    /** HAProxy's average, when every host's covered only this window. */
    Optional<Duration> average() {
      return averageEverywhere && requests > 0 ? Optional.of(Duration.ofNanos(Math.round(averageWeighted / requests)))
          : Optional.empty();
    }

    Sample sample() {
      return new Sample(side, hosts, requests, errors, percentile().or(this::average));
    }

    @Override
    public String toString() {
      return sample().toString();
    }
  }

  private final class Judgement {
    final Side candidate;
    final Side baseline;
    final List<String> notes;
    private boolean errorsHalt;
    private boolean latencyHalts;
    private final String reason;

    Judgement(Side candidate, Side baseline, List<String> notes) {
      this.candidate = candidate;
      this.baseline = baseline;
      this.notes = notes;
      this.reason = decide();
    }

    boolean halts() {
      return errorsHalt || latencyHalts;
    }

    String reason() {
      return reason;
    }

    private String decide() {
      double rate = candidate.errorRate();
      boolean overRate = rate > gate.maxErrorRate();
      boolean ratioJudged = gate.maxErrorRatio() != null && baseline != null;
      boolean overRatio = !ratioJudged || rate > gate.maxErrorRatio() * baseline.errorRate();
      errorsHalt = overRate && overRatio;
      String errors = "error rate " + percent(rate) + " (" + candidate.errors + " of " + candidate.requests
          + " requests answered 5xx) on " + String.join(", ", candidate.hosts) + " (just rolled) ";
      if (errorsHalt) {
        errors += "is above the maximum " + percent(gate.maxErrorRate()) + (ratioJudged ? " and "
            + gate.maxErrorRatio() + "x the baseline's " + percent(baseline.errorRate()) : "");
      } else if (overRate) {
        errors += "is above the maximum " + percent(gate.maxErrorRate()) + " but within " + gate.maxErrorRatio()
            + "x the baseline's " + percent(baseline.errorRate());
      } else {
        errors += "is within the maximum " + percent(gate.maxErrorRate());
      }
      String latency = latency();
      StringBuilder text = new StringBuilder();
      if (latencyHalts && !errorsHalt) {
        text.append(latency).append("; ").append(errors);
      } else {
        text.append(errors);
        if (latency != null) {
          text.append("; ").append(latency);
        }
      }
      text.append("; baseline: ").append(baseline == null ? "none" : baseline.toString());
      notes.forEach(note -> text.append("; ").append(note));
      text.append("; source ").append(gate.source().name());
      return text.toString();
    }

    /** The latency comparison, or null when no latency threshold is set. */
    private String latency() {
      if (gate.maxLatencyRatio() == null) {
        return null;
      }
      if (baseline == null) {
        return "latency not judged (no baseline)";
      }
      String measure = gate.percentileName() + " latency";
      Optional<Duration> mine = candidate.percentile();
      Optional<Duration> theirs = baseline.percentile();
      if (mine.isEmpty() || theirs.isEmpty()) {
        measure = "average response time (HAProxy rtime)";
        mine = candidate.average();
        theirs = baseline.average();
      }
      if (mine.isEmpty() || theirs.isEmpty()) {
        return "latency not judged: the source gave no " + gate.percentileName() + " histogram with "
            + gate.minRequests() + " requests, nor an average over a window holding all the responses it covers"
            + " (HAProxy's rtime covers the last 1024 responses of each server: bake long enough for them)";
      }
      // A floor of 1 ms keeps a sub-millisecond baseline from making any jitter a large ratio.
      double floor = Math.max(theirs.get().toNanos(), 1_000_000);
      double ratio = mine.get().toNanos() / floor;
      latencyHalts = ratio > gate.maxLatencyRatio();
      return measure + " " + millis(mine.get()) + " on " + String.join(", ", candidate.hosts) + " (just rolled) is "
          + String.format(Locale.ROOT, "%.2f", ratio) + "x the baseline's " + millis(theirs.get()) + ", "
          + (latencyHalts ? "above" : "within") + " the maximum " + gate.maxLatencyRatio() + "x";
    }
  }

  private static String percent(double rate) {
    return String.format(Locale.ROOT, "%.2f %%", rate * 100);
  }

  private static String millis(Duration duration) {
    return String.format(Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
  }
}
