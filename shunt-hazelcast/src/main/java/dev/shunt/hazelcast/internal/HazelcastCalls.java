package dev.shunt.hazelcast.internal;

import dev.shunt.ShuntException;
import java.util.Objects;
import java.util.function.Supplier;

/** Runs Hazelcast calls, turning their failures into a {@link ShuntException}. */
public final class HazelcastCalls {
  private HazelcastCalls() {}

  /**
   * Runs one Hazelcast call; its failure becomes a {@link ShuntException} that says what failed
   * and why in one line (Hazelcast often wraps the reason, e.g. a missing serializer), with
   * Hazelcast's exception as the cause.
   */
  public static <T> T call(Supplier<String> what, Supplier<T> action) {
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
      throw new ShuntException("cannot " + what.get() + " in Hazelcast: " + why, e);
    }
  }
}
