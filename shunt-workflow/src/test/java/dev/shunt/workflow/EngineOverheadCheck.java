package dev.shunt.workflow;

import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A by-hand sanity check of the engine's own cost, not a test: 10,000 simulated hosts with
 * instant steps (shunt, unshunt on an in-memory store) in batches of 100. Run with a small heap:
 * {@code java -Xmx128m -cp … dev.shunt.workflow.EngineOverheadCheck}. The benchmark harness
 * measures this properly.
 */
final class EngineOverheadCheck {
  private EngineOverheadCheck() {}

  public static void main(String[] args) {
    int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Rollout rollout = Rollout.builder().service("bench")
        .hosts(IntStream.range(0, hosts).mapToObj(i -> "host-" + i).toList())
        .store(StatusStore.inMemory()).listener(RolloutListener.silent()).batchSize(100)
        .steps(List.of(ShuntStep.shunt(ShuntRequest.of("bench", "bench")), ShuntStep.unshunt()))
        .build();
    for (int round = 1; round <= 3; round++) {
      long start = System.nanoTime();
      RolloutReport report = rollout.run();
      long nanos = System.nanoTime() - start;
      Runtime runtime = Runtime.getRuntime();
      System.out.printf("round %d: %d hosts %s in %d ms = %.3f ms/host; heap used %d MB of max %d MB%n", round, hosts,
          report.succeeded() ? "done" : "NOT done", nanos / 1_000_000, nanos / 1e6 / hosts,
          (runtime.totalMemory() - runtime.freeMemory()) >> 20, runtime.maxMemory() >> 20);
    }
  }
}
