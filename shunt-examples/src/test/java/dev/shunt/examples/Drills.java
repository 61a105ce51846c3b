package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
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

  /**
   * Polls {@code actual} every 20 ms until it equals {@code expected}, for at most {@code within};
   * fails naming {@code what} with HAProxy's server states and log.
   */
  static <T> void awaitEquals(Haproxy haproxy, Supplier<T> actual, T expected, String what, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    T last = actual.get();
    while (!expected.equals(last) && System.nanoTime() < deadline) {
      Haproxy.sleep(Duration.ofMillis(20));
      last = actual.get();
    }
    assertThat(last).as("%s within %s; HAProxy's servers: %s; its log: %s", what, within,
        haproxy.serverStates(), haproxy.log()).isEqualTo(expected);
  }

  /** A port on 127.0.0.1 that nothing listens on now. */
  static int freePort() {
    try {
      return DemoFleet.freePorts(1).get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
