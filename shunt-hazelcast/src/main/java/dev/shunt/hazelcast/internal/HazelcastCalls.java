package dev.shunt.hazelcast.internal;

import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IndeterminateOperationStateException;
import com.hazelcast.core.OperationTimeoutException;
import com.hazelcast.spi.exception.RetryableException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import dev.shunt.StoreException;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;

/** Runs Hazelcast calls, turning their failures into a {@link StoreException}. */
public final class HazelcastCalls {
  private HazelcastCalls() {}

  /**
   * Runs one Hazelcast call on {@code instance}; its failure becomes a {@link StoreException} that
   * says what failed and why in one line (Hazelcast often wraps the reason, e.g. a missing
   * serializer), with Hazelcast's exception as the cause, retryable when {@link #isTransient} says
   * so and {@code instance} itself still runs (a member or client that was shut down stays so).
   */
  public static <T> T call(HazelcastInstance instance, Supplier<String> what, Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String why = root == e || Objects.equals(root.getMessage(), e.getMessage())
          ? String.valueOf(e.getMessage())
          : e.getMessage() + ": " + root.getMessage();
      throw new StoreException("cannot " + what.get() + " in Hazelcast: " + why, e,
          isTransient(e) && instance.getLifecycleService().isRunning());
    }
  }

  /**
   * Whether a Hazelcast failure can pass by itself, so that the same call may succeed when made
   * again: the cluster changed under the call (a member left or died: {@link RetryableException}
   * such as {@code MemberLeftException} or {@code WrongTargetException},
   * {@link TargetDisconnectedException}, {@link HazelcastInstanceNotActiveException} from a member
   * shutting down, {@link IndeterminateOperationStateException}), the cluster cannot be reached
   * for now ({@link HazelcastClientOfflineException}, an {@link IOException}), or it answered too
   * late ({@link OperationTimeoutException}) — found anywhere in the cause chain. Not when this
   * process's own client was shut down ({@link HazelcastClientNotActiveException}), nor anything
   * else, such as a serialization failure.
   */
  static boolean isTransient(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof HazelcastClientNotActiveException) {
        return false;
      }
      if (cause instanceof RetryableException || cause instanceof TargetDisconnectedException
          || cause instanceof HazelcastInstanceNotActiveException || cause instanceof HazelcastClientOfflineException
          || cause instanceof IndeterminateOperationStateException || cause instanceof OperationTimeoutException
          || cause instanceof IOException) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}
