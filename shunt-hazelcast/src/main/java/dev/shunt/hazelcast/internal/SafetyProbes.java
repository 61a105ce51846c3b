package dev.shunt.hazelcast.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import dev.shunt.StoreException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes a {@link SafetySnapshot} of the cluster: on a member, there and then; on a client, by
 * running a {@link SafetyProbe} on the oldest member (the one that owns the partition table)
 * through the {@code IExecutorService} {@value #EXECUTOR}.
 */
public final class SafetyProbes {
  /** The executor the probes of clients run on; Hazelcast makes it on first use, with its defaults. */
  public static final String EXECUTOR = "shunt.cluster-safety";

  private SafetyProbes() {}

  /**
   * The cluster's safety as {@code hazelcast} can learn it, waiting at most {@code wait} for a
   * member's answer.
   *
   * @throws StoreException if it cannot be learned: {@linkplain StoreException#retryable()
   *     retryable} when the cluster changed under the question (a member left) or did not answer
   *     in time; not when a member cannot run the probe (it lacks this module or its serializers)
   */
  public static SafetySnapshot take(HazelcastInstance hazelcast, Duration wait) throws InterruptedException {
    if (hazelcast.getLocalEndpoint() instanceof Member) {
      return HazelcastCalls.call(hazelcast, () -> "ask the cluster whether it is safe",
          () -> SafetySnapshot.takenOn(hazelcast));
    }
    Member oldest = HazelcastCalls.call(hazelcast, () -> "list the cluster's members", () -> {
      Iterator<Member> members = hazelcast.getCluster().getMembers().iterator();
      return members.hasNext() ? members.next() : null;
    });
    if (oldest == null) {
      throw new StoreException("cannot ask the cluster whether it is safe: the client knows no member", null, true);
    }
    String target = SafetySnapshot.address(oldest);
    IExecutorService executor = hazelcast.getExecutorService(EXECUTOR);
    Future<SafetySnapshot> answer = HazelcastCalls.call(hazelcast,
        () -> "send the cluster-safety probe to the member " + target,
        () -> executor.submitToMember(new SafetyProbe(), oldest));
    try {
      return answer.get(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new StoreException("the member " + target + " did not answer the cluster-safety probe within " + wait,
          e, true);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (HazelcastCalls.isTransient(cause)) {
        throw new StoreException("the member " + target + " did not answer the cluster-safety probe: " + cause,
            cause, hazelcast.getLifecycleService().isRunning());
      }
      throw new StoreException("the member " + target + " cannot run shunt's cluster-safety probe"
          + (isSerialization(cause) ? " (it cannot read it)" : "") + ": every member needs shunt-hazelcast on its class"
          + " path and its Config passed through HazelcastStatusStore.configure(...), and the executor " + EXECUTOR
          + " must be free to run it; the member said: " + cause, cause, false);
    }
  }

  private static boolean isSerialization(Throwable error) {
    for (Throwable cause = error; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
      // A member without the serializer reads the probe as a GenericRecord, which is no Callable.
      if (cause instanceof HazelcastSerializationException || cause instanceof ClassNotFoundException
          || String.valueOf(cause.getMessage()).contains("GenericRecord")) {
        return true;
      }
    }
    return false;
  }
}
