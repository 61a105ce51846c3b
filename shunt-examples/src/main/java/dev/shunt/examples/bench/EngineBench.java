package dev.shunt.examples.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.StepContext;
import dev.shunt.StepDescription;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Benchmark 5, engine overhead and scale: rollouts of 1,000 and 10,000 simulated hosts whose steps
 * do no work of their own — shunt and unshunt on an in-memory store, and no-op drain, restart and
 * readiness steps between them — in batches of 100 hosts run at once. Its figure is the time per
 * host, which is then the engine's own cost: threads, listener, journal, reports. The baseline,
 * in the same run: the same steps called in a plain loop, one host after the other, with no
 * engine. Warm-up rounds first, then rounds alternating engine and loop; medians.
 *
 * <p>It runs in a child JVM with {@value #HEAP} of heap at most, so that the heap goal is a hard
 * limit (a rollout that needed more would end in an {@link OutOfMemoryError}); the child reports
 * the peak heap used (the sum of each heap pool's peak, an upper bound) and the most heap still
 * in use after a garbage collection (what the engine really holds) during the 10,000-host rounds.
 */
final class EngineBench {
  static final String NAME = "engine";
  private static final String HEAP = "128m";
  private static final long HEAP_GOAL_BYTES = 128L << 20;
  private static final int[] HOST_COUNTS = {1_000, 10_000};
  private static final int BATCH_SIZE = 100;
  /** Rounds of every size, before any is measured. */
  private static final int WARM_UP_ROUNDS = 5;
  private static final int ROUNDS = 15;
  private static final long GOAL_NANOS_PER_HOST = 1_000_000;
  private static final String RESULT = "= ";

  private EngineBench() {}

  static void run(Report report) throws IOException, InterruptedException {
    report.title(NAME, "rollouts of simulated hosts with instant steps: the engine's own cost per host, and heap");
    report.line("steps per host: shunt and unshunt on an in-memory store; no-op drain, restart, ready between them;"
        + " batches of %d hosts at once; %d warm-up rounds of each size, then %d rounds of engine and plain loop"
        + " alternately; in a child JVM with -Xmx%s", BATCH_SIZE, WARM_UP_ROUNDS, ROUNDS, HEAP);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx" + HEAP, "-cp", System.getProperty("java.class.path"),
        EngineBench.class.getName()).redirectErrorStream(true).start();
    child.getOutputStream().close();
    Map<String, String> results = new LinkedHashMap<>();
    List<String> output = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith(RESULT)) {
          String[] pair = line.substring(RESULT.length()).split(" ", 2);
          results.put(pair[0], pair[1]);
        } else {
          output.add(line);
        }
      }
    }
    if (!child.waitFor(1, TimeUnit.MINUTES)) {
      child.destroyForcibly();
    }
    boolean completed = child.exitValue() == 0 && results.containsKey("peakHeap");
    if (!completed) {
      output.forEach(line -> report.line("child: %s", line));
      report.goal("engine benchmark under -Xmx" + HEAP, "the child JVM ended with exit status " + child.exitValue()
          + " before it was done", "completes", false);
      return;
    }
    for (int hosts : HOST_COUNTS) {
      long engine = Long.parseLong(results.get("engine." + hosts));
      long loop = Long.parseLong(results.get("loop." + hosts));
      report.line("%,d hosts: engine %s per host (%s per rollout), rounds %s", hosts, micros(engine),
          Report.millis(engine * hosts), results.get("engineRounds." + hosts));
      report.line("%,d hosts: baseline plain loop %s per host, rounds %s; engine / loop = %s", hosts, micros(loop),
          results.get("loopRounds." + hosts), Report.ratio((double) engine / loop));
    }
    long peak = Long.parseLong(results.get("peakHeap"));
    long live = Long.parseLong(results.get("peakAfterGc"));
    report.line("heap during the 10,000-host rounds (-Xmx%s, completed): peak used %d MB (sum of the pools' peaks),"
        + " most in use after a collection %d MB, %s collections", HEAP, peak >> 20, live >> 20,
        results.get("collections"));
    for (int hosts : HOST_COUNTS) {
      long engine = Long.parseLong(results.get("engine." + hosts));
      report.goal("engine time per host at " + String.format(Locale.ROOT, "%,d", hosts), micros(engine),
          "<= 1 ms", engine <= GOAL_NANOS_PER_HOST);
    }
    report.goal("peak heap at 10,000 hosts", "completed under -Xmx" + HEAP + ", peak used " + (peak >> 20) + " MB, "
        + (live >> 20) + " MB in use after a collection", "<= 128 MB", peak <= HEAP_GOAL_BYTES);
  }

  private static String micros(long nanos) {
    return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
  }

  /** The child JVM: measures, and prints each figure as a line {@code = name value}. */
  public static void main(String[] args) {
    HeapWatch heap = new HeapWatch();
    for (int round = 0; round < WARM_UP_ROUNDS; round++) {
      for (int hosts : HOST_COUNTS) {
        List<String> names = names(hosts);
        engineRound(names);
        loopRound(names);
      }
    }
    for (int hosts : HOST_COUNTS) {
      List<String> names = names(hosts);
      if (hosts == HOST_COUNTS[HOST_COUNTS.length - 1]) {
        heap.start();
      }
      long[] engine = new long[ROUNDS];
      long[] loop = new long[ROUNDS];
      for (int round = 0; round < ROUNDS; round++) {
        engine[round] = engineRound(names) / hosts;
        loop[round] = loopRound(names) / hosts;
      }
      result("engine." + hosts, median(engine));
      result("loop." + hosts, median(loop));
      result("engineRounds." + hosts, rounds(engine));
      result("loopRounds." + hosts, rounds(loop));
    }
    heap.stop();
    result("peakHeap", heap.peakUsed());
    result("peakAfterGc", heap.peakAfterGc());
    result("collections", heap.collections());
  }

  private static List<String> names(int hosts) {
    return IntStream.range(0, hosts).mapToObj(i -> "host-" + i).toList();
  }

  private static void result(String name, Object value) {
    System.out.println(RESULT + name + " " + value);
  }

  private static List<Step> steps() {
    return List.of(
        ShuntStep.shunt(ShuntRequest.of("engine benchmark", "shunt-bench").withTtl(Duration.ofMinutes(15))),
        new NoOpStep("drain", StepDescription.Kind.DRAIN),
        new NoOpStep("restart", StepDescription.Kind.COMMAND),
        new NoOpStep("ready", StepDescription.Kind.READINESS),
        ShuntStep.unshunt());
  }

  /** @return nanoseconds for one rollout over {@code hosts} */
  private static long engineRound(List<String> hosts) {
    Rollout rollout = Rollout.builder().service("bench").hosts(hosts).store(StatusStore.inMemory())
        .listener(RolloutListener.silent()).batchSize(BATCH_SIZE).steps(steps()).build();
    long start = System.nanoTime();
    RolloutReport report = rollout.run();
    long nanos = System.nanoTime() - start;
    if (!report.succeeded()) {
      throw new IllegalStateException("the rollout did not succeed: " + report.summary());
    }
    return nanos;
  }

  /** @return nanoseconds for the same steps on {@code hosts}, called one after the other */
  private static long loopRound(List<String> hosts) {
    StatusStore store = StatusStore.inMemory();
    List<Step> steps = steps();
    long start = System.nanoTime();
    for (String host : hosts) {
      PlainContext context = new PlainContext(InstanceKey.of("bench", host), store);
      for (Step step : steps) {
        try {
          step.run(context);
        } catch (Exception e) {
          throw new IllegalStateException(step.name() + " failed on " + host, e);
        }
      }
    }
    return System.nanoTime() - start;
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static String rounds(long[] nanosPerHost) {
    return Arrays.stream(nanosPerHost).mapToObj(EngineBench::micros).collect(Collectors.joining(" "));
  }

  /** A step that does nothing, of a kind the rollout's plan knows. */
  private record NoOpStep(String name, StepDescription.Kind kind) implements Step {
    @Override
    public void run(StepContext context) {}

    @Override
    public StepDescription describe() {
      return StepDescription.of(name, kind);
    }
  }

  /** The least a step needs, for the loop without an engine. */
  private record PlainContext(InstanceKey key, StatusStore store) implements StepContext {
    @Override
    public Clock clock() {
      return Clock.systemUTC();
    }

    @Override
    public void log(String line) {}

    @Override
    public void outcome(String description) {}
  }

  /**
   * The heap between {@link #start} and {@link #stop}: each heap pool's peak (their sum bounds the
   * peak of the whole from above), and, from the garbage collectors' notifications, the most heap
   * in use right after a collection.
   */
  private static final class HeapWatch {
    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    private final Set<String> poolNames = pools.stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private volatile boolean watching;
    private long peakUsed;

    HeapWatch() {
      ManagementFactory.getGarbageCollectorMXBeans().forEach(collector -> ((NotificationEmitter) collector)
          .addNotificationListener((notification, handback) -> {
            if (watching && notification.getType()
                .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
              GarbageCollectionNotificationInfo info =
                  GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
              long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                  .filter(pool -> poolNames.contains(pool.getKey()))
                  .mapToLong(pool -> pool.getValue().getUsed()).sum();
              peakAfterGc.accumulateAndGet(used, Math::max);
              collections.incrementAndGet();
            }
          }, null, null));
    }

    void start() {
      System.gc();
      pools.forEach(MemoryPoolMXBean::resetPeakUsage);
      watching = true;
    }

    void stop() {
      watching = false;
      peakUsed = pools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    long peakUsed() {
      return peakUsed;
    }

    long peakAfterGc() {
      return peakAfterGc.get();
    }

    long collections() {
      return collections.get();
    }
  }
}
