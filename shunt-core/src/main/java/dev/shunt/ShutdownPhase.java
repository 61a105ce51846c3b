package dev.shunt;

import java.time.Duration;

/**
 * One step of a {@link GracefulShutdown} after the server stopped: closing a connection pool, say,
 * or shutting down an embedded Hazelcast member ({@code HazelcastShutdown.member(hz)} in
 * {@code shunt-hazelcast}). Phases run one after the other, in the order they were given to
 * {@link GracefulShutdown.Builder#then(ShutdownPhase)}, each on a thread of its own named
 * {@code shunt-shutdown-<name>}: a phase that has not ended within its {@link #limit()} is
 * reported as overrun, its thread is interrupted, and the next phase starts.
 *
 * <p>Implementations should be thread-safe: {@link #run()} is called once, from that thread.
 */
public interface ShutdownPhase {
  /**
   * A few words that name the phase in the log and the report, e.g. {@code "connection pool"}.
   *
   * @return the phase's name
   */
  String name();

  /**
   * The longest the shutdown waits for {@link #run()} before it goes on without it. Positive.
   *
   * @return the limit; positive
   */
  Duration limit();

  /**
   * Does the work, blocking until it is done.
   *
   * @return what it did, in a few words, for the log and the report (e.g. {@code "closed"})
   * @throws Exception when it could not do it; the message goes into the report, and the
   *     shutdown goes on with the next phase
   */
  String run() throws Exception;

  /**
   * A phase that closes {@code action}, e.g. {@code ShutdownPhase.of("connection pool",
   * Duration.ofSeconds(5), pool)} or {@code ShutdownPhase.of("cache", Duration.ofSeconds(2), () ->
   * cache.flush())}.
   *
   * @param name the phase's name; not blank
   * @param limit the longest the shutdown waits for it; positive
   * @param action closed when the phase runs
   * @return a phase that closes {@code action}
   * @throws IllegalArgumentException when {@code name} is blank, {@code limit} not positive or
   *     {@code action} null
   */
  static ShutdownPhase of(String name, Duration limit, AutoCloseable action) {
    requireValid(name, limit);
    if (action == null) {
      throw new IllegalArgumentException("action must be set, was null");
    }
    return new ShutdownPhase() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Duration limit() {
        return limit;
      }

      @Override
      public String run() throws Exception {
        action.close();
        return "closed";
      }

      @Override
      public String toString() {
        return "ShutdownPhase[" + name + ", limit " + limit + "]";
      }
    };
  }

  private static void requireValid(String name, Duration limit) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was " + (name == null ? null : "\"" + name + "\""));
    }
    if (limit == null || limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("limit of phase \"" + name + "\" must be positive, was " + limit);
    }
  }
}
