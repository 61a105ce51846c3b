package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.shunt.hazelcast.HazelcastCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SIGTERM to an app that is a Hazelcast member ({@link MemberAppMain}, a JVM of its own):
 * shunt's shutdown runs to its last phase, the member hands its partitions over to the member in
 * this JVM, and the lines it logs on the way out reach the console although java.util.logging
 * reset itself in its own shutdown hook meanwhile.
 */
class MemberAppSigtermTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(1);

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path logs;

  @Test
  void sigtermShutsTheMemberDownLastAndGracefullyAndSaysSo() throws InterruptedException {
    HazelcastInstance staying = CLUSTER.member(0);
    List<String> args = new ArrayList<>(List.of(CLUSTER.clusterName()));
    args.addAll(CLUSTER.memberAddresses());
    try (ChildJvm app = ChildJvm.start(logs, "member-app", MemberAppMain.class, args)) {
      awaitOutput(app, "ready");
      Poll.until(DEADLINE, "the app's member to join", () -> staying.getCluster().getMembers().size() == 2);
      Map<Integer, String> entries = IntStream.range(0, 2_000).boxed()
          .collect(Collectors.toMap(i -> i, i -> "order-" + i));
      staying.<Integer, String>getMap("orders").putAll(entries);

      app.terminate();
      int exit = app.awaitExit(DEADLINE);

      assertThat(exit).as(app.output()).isEqualTo(143);
      assertThat(app.err()).as(app.output())
          .contains("stop server: done in ")
          .contains("hazelcast member: done in ")
          .contains("its partitions were handed over");
      assertThat(app.err().indexOf("stop server: done")).isLessThan(app.err().indexOf("hazelcast member: done"));
      IMap<Integer, String> orders = staying.getMap("orders");
      assertThat(orders.size()).isEqualTo(2_000);
      assertThat(orders.getAll(entries.keySet())).isEqualTo(entries);
    }
  }

  private static void awaitOutput(ChildJvm app, String line) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!app.out().contains(line)) {
      if (!app.isAlive() || System.nanoTime() - deadline > 0) {
        throw new AssertionError("no \"" + line + "\" from " + app.name() + ":\n" + app.output());
      }
      Thread.sleep(50);
    }
  }

  /** Waits, bounded, for what happens in another JVM. */
  private static final class Poll {
    static void until(Duration within, String what, java.util.function.BooleanSupplier condition)
        throws InterruptedException {
      long deadline = System.nanoTime() + within.toNanos();
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("not within " + within + ": " + what);
        }
        Thread.sleep(50);
      }
    }
  }
}
