package dev.shunt.examples.bench;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.hazelcast.HazelcastStatusStore;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Benchmark 2, propagation: three Hazelcast members on loopback with a
 * {@link HazelcastStatusStore} on each; a shunt made through member A's store, and the time until
 * member B's store answers {@code status()} "shunted" — what B's health responder would answer at
 * that moment. Measured from the start of the {@code shunt} call; B is polled every few tens of
 * microseconds by another thread. Keys rotate over 64 hosts, so that every member owns some.
 *
 * <p>Baselines, in the same run and the same way: a plain {@code IMap.put} on A seen by an entry
 * listener on B (the mechanism the store's local view rides on, without the store), and the same
 * put seen by polling {@code IMap.get} on B (reading through: a network call per read, which the
 * local view exists to avoid).
 */
final class PropagationBench {
  static final String NAME = "propagation";
  private static final int TRIALS = 1000;
  private static final int WARM_UP_TRIALS = 200;
  private static final int HOSTS = 64;
  private static final long POLL_NANOS = 20_000;
  private static final Duration TRIAL_TIMEOUT = Duration.ofSeconds(5);
  private static final long GOAL_P99_NANOS = 10_000_000;

  private final ExecutorService poller = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "propagation-poller");
    thread.setDaemon(true);
    return thread;
  });

  private PropagationBench() {}

  /** A write on A, and how to tell that B sees it, or sees it gone. */
  private interface Writes {
    void write(int trial);

    void undo(int trial);

    boolean seenOnB(int trial);
  }

  static void run(Report report) throws Exception {
    report.title(NAME, "shunt through member A's store -> member B's store answers status() shunted");
    PropagationBench bench = new PropagationBench();
    try (LoopbackCluster cluster = LoopbackCluster.start(3);
         HazelcastStatusStore a = HazelcastStatusStore.builder(cluster.member(0)).build();
         HazelcastStatusStore b = HazelcastStatusStore.builder(cluster.member(1)).build();
         HazelcastStatusStore c = HazelcastStatusStore.builder(cluster.member(2)).build()) {
      report.line("3 members on 127.0.0.1, a store on each (C's listens too); %d trials after %d warm-up trials,"
          + " keys over %d hosts; B polled every %d us", TRIALS, WARM_UP_TRIALS, HOSTS, POLL_NANOS / 1000);
      ShuntRequest request = ShuntRequest.of("propagation benchmark", "shunt-bench").withTtl(Duration.ofMinutes(5));
      Writes shunts = new Writes() {
        @Override
        public void write(int trial) {
          a.shunt(key(trial), request);
        }

        @Override
        public void undo(int trial) {
          a.unshunt(key(trial));
        }

        @Override
        public boolean seenOnB(int trial) {
          return b.status(key(trial)).shunted();
        }
      };
      IMap<String, String> onA = cluster.member(0).getMap("bench.raw");
      IMap<String, String> onB = cluster.member(1).getMap("bench.raw");
      Map<String, String> heardOnB = new ConcurrentHashMap<>();
      UUID listener = onB.addEntryListener(new Heard(heardOnB), true);
      Writes listened = rawWrites(onA, trial -> heardOnB.containsKey(host(trial)));
      Writes readThrough = rawWrites(onA, trial -> onB.get(host(trial)) != null);

      Percentiles shunt = bench.trials(shunts);
      Percentiles listenerBaseline = bench.trials(listened);
      Percentiles readBaseline = bench.trials(readThrough);
      onB.removeEntryListener(listener);

      report.line("shunt on A -> status() on B says shunted:     %s", shunt.summary());
      report.line("baseline IMap.put on A -> entry listener on B: %s", listenerBaseline.summary());
      report.line("baseline IMap.put on A -> IMap.get on B:       %s", readBaseline.summary());
      report.line("ratio shunt/listener baseline: p50 %s, p99 %s",
          Report.ratio((double) shunt.at(50) / listenerBaseline.at(50)),
          Report.ratio((double) shunt.at(99) / listenerBaseline.at(99)));
      report.goal("propagation p99", Report.millis(shunt.at(99)), "< " + Report.millis(GOAL_P99_NANOS),
          shunt.at(99) < GOAL_P99_NANOS);
    } finally {
      bench.poller.shutdownNow();
    }
  }

  private static InstanceKey key(int trial) {
    return InstanceKey.of("bench", host(trial));
  }

  private static String host(int trial) {
    return "web-" + trial % HOSTS;
  }

  private static Writes rawWrites(IMap<String, String> onA, java.util.function.IntPredicate seen) {
    return new Writes() {
      @Override
      public void write(int trial) {
        onA.put(host(trial), "shunted");
      }

      @Override
      public void undo(int trial) {
        onA.remove(host(trial));
      }

      @Override
      public boolean seenOnB(int trial) {
        return seen.test(trial);
      }
    };
  }

  /** Runs the warm-up, then the trials; returns the time from each write to B seeing it. */
  private Percentiles trials(Writes writes) throws Exception {
    for (int trial = 0; trial < WARM_UP_TRIALS; trial++) {
      trial(writes, trial);
    }
    long[] nanos = new long[TRIALS];
    for (int trial = 0; trial < TRIALS; trial++) {
      nanos[trial] = trial(writes, trial);
    }
    return new Percentiles(nanos);
  }

  private long trial(Writes writes, int trial) throws Exception {
    Future<Long> seen = poller.submit(() -> awaitNanos(() -> writes.seenOnB(trial)));
    long start = System.nanoTime();
    writes.write(trial);
    long seenAt = seen.get(TRIAL_TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
    writes.undo(trial);
    awaitNanos(() -> !writes.seenOnB(trial));
    return seenAt - start;
  }

  /** Polls until {@code condition} holds; returns {@link System#nanoTime()} then. */
  private static long awaitNanos(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TRIAL_TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("B did not see the change within " + TRIAL_TIMEOUT);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    return System.nanoTime();
  }

  /** Keeps a copy of the map's keys on B, as the store's local view does with its entries. */
  private record Heard(Map<String, String> copy) implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String>, EntryRemovedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      copy.put(event.getKey(), event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      copy.put(event.getKey(), event.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      copy.remove(event.getKey());
    }
  }
}
