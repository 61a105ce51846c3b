package dev.shunt.examples;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.IExecutorService;
import dev.shunt.Step;
import dev.shunt.StepContext;
import dev.shunt.StepFailedException;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * <b>STAND-IN</b> for shunt-hazelcast's cluster-safety gate (issue 12, item 1, built on another
 * branch): the drill and the benchmark of rolling restarts of Hazelcast member apps use these two
 * steps until that gate is merged; then swap {@link #beforeRestart} and {@link #afterReadiness}
 * for its own steps and delete this class.
 *
 * <p>Same semantics: {@link #beforeRestart} waits until the cluster is safe (no migration
 * running, every backup in sync: {@code PartitionService.isClusterSafe()}); {@link #afterReadiness}
 * waits until the cluster has {@code members} members again and is safe. A client has no
 * {@code PartitionService}, so each poll runs a small task on a member through the client's
 * {@link IExecutorService} (the task's class must be on the members' class path, as it is for
 * the drill's apps). A poll that fails (the member it went to is leaving) counts as "not safe".
 * Immutable and thread-safe.
 */
public final class ClusterSafetyStandIn {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private ClusterSafetyStandIn() {}

  /** Waits, for at most {@code timeout}, until the cluster is safe; step {@code cluster-safe-before}. */
  public static Step beforeRestart(HazelcastInstance hazelcast, Duration timeout) {
    return Step.named("cluster-safe-before", context -> await(context, hazelcast, 0, timeout));
  }

  /**
   * Waits, for at most {@code timeout}, until the cluster has {@code members} members and is safe;
   * step {@code cluster-safe-after}.
   */
  public static Step afterReadiness(HazelcastInstance hazelcast, int members, Duration timeout) {
    return Step.named("cluster-safe-after", context -> await(context, hazelcast, members, timeout));
  }

  private static void await(StepContext context, HazelcastInstance hazelcast, int members, Duration timeout)
      throws InterruptedException {
    IExecutorService executor = hazelcast.getExecutorService("shunt.cluster-safety");
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    int polls = 0;
    String last = "no answer yet";
    while (true) {
      polls++;
      try {
        Safety safety = executor.submit(new Probe()).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (safety.safe() && safety.members() >= members) {
          context.outcome("cluster safe, " + safety.members() + " members, after "
              + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms (" + polls + " polls)");
          return;
        }
        last = (safety.safe() ? "safe" : "not safe") + ", " + safety.members() + " members"
            + (members > 0 ? " (expected " + members + ")" : "");
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        last = "the probe failed: " + e;
      }
      if (System.nanoTime() > deadline) {
        throw new StepFailedException("the cluster was not safe within " + timeout + ": " + last);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** What a member says. */
  record Safety(boolean safe, int members) implements Serializable {}

  /** Runs on a member: is the cluster safe, and how many members does it see. */
  static final class Probe implements Callable<Safety>, HazelcastInstanceAware, Serializable {
    private static final long serialVersionUID = 1L;
    private transient HazelcastInstance member;

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
      this.member = member;
    }

    @Override
    public Safety call() {
      return new Safety(member.getPartitionService().isClusterSafe(), member.getCluster().getMembers().size());
    }
  }
}
