package dev.shunt.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the fault drills share: their client traffic, and deploy tools in processes of their own. */
final class Drills {
  /** Client traffic through HAProxy during every drill, as in the end-to-end rollout test. */
  private static final int REQUESTS_PER_SECOND = 250;
  /** The load stops by itself after this, should a drill fail before it stops it. */
  private static final Duration LOAD_LIMIT = Duration.ofMinutes(2);

  private Drills() {}

  /** Starts the client traffic through {@code fleet}'s HAProxy; returns once 100 requests went through, none failed. */
  static LoadGenerator load(DemoFleet fleet) throws InterruptedException {
    LoadGenerator load = LoadGenerator.start(fleet.clientUrl(), REQUESTS_PER_SECOND, LOAD_LIMIT);
    RollingRestartBehindHaproxyTest.awaitRequests(load, 100);
    return load;
  }

  /**
   * Starts {@link OrchestratorMain} on {@code hosts} of {@code fleet} with {@code rolloutId} and
   * {@code options}; its output goes to {@code <fleet directory>/orchestrator-<rolloutId>.out}.
   */
  static ChildJvm orchestrator(DemoFleet fleet, String rolloutId, List<String> hosts, String... options) {
    List<String> args = new ArrayList<>(List.of(fleet.directory().toString(), String.join(",", hosts), rolloutId));
    args.addAll(List.of(options));
    return ChildJvm.start(fleet.directory(), "orchestrator-" + rolloutId, OrchestratorMain.class, args);
  }

  /** Polls {@code condition} every 5 ms until it holds; fails, saying what it waited for, after {@code timeout}. */
  static void await(Duration timeout, Supplier<String> waitingFor, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("waited " + timeout + " for " + waitingFor.get());
      }
      Thread.sleep(5);
    }
  }
}
