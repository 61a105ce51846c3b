package dev.shunt.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.properties.ClusterProperty;
import com.hazelcast.spi.properties.HazelcastProperties;
import dev.shunt.GracefulShutdown;
import dev.shunt.ShutdownPhase;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * An embedded Hazelcast member as the last phase of a {@link GracefulShutdown}: the member leaves
 * only after shunt answered "down" to every checker, the requests in flight (which may still read
 * and write its maps) ended and the server stopped, and it leaves gracefully, handing its
 * partitions over to the other members first.
 *
 * <pre>{@code
 * Config config = HazelcastShutdown.configure(HazelcastStatusStore.configure(new Config()));
 * HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
 * ...
 * GracefulShutdown.builder()
 *     .responder(health)
 *     .stopServer(() -> server.stop(0))
 *     .then(HazelcastShutdown.member(hz))
 *     .build()
 *     .installOnShutdown();
 * }</pre>
 *
 * <p>The phase calls {@link HazelcastInstance#shutdown()}, which migrates the member's partitions
 * away and waits until that is done, for at most {@code hazelcast.graceful.shutdown.max.wait}
 * (600 s by default); then the member leaves anyway, and a partition whose only copy it still held
 * is lost. The phase's limit is that wait plus 10 s by default. Its report line says how long the
 * member took to leave, how many members it left behind, and whether the wait ran out; when it
 * ran out, or the member had already gone (Hazelcast's own shutdown hook?), the phase is reported
 * as failed.
 *
 * <p>Hazelcast registers a JVM shutdown hook of its own unless {@code
 * hazelcast.shutdownhook.enabled} is {@code false}. JVM hooks run at once and in no set order, so
 * that hook makes the member leave while shunt still answers NACKs and requests are in flight:
 * under the default policy {@code TERMINATE} without handing over its partitions, under {@code
 * GRACEFUL} handing them over, but still too early. {@link #configure(Config)} turns it off;
 * {@link #member(HazelcastInstance)} warns when it is on.
 *
 * <p>Stateless; thread-safe.
 */
public final class HazelcastShutdown {
  private static final System.Logger LOG = System.getLogger(HazelcastShutdown.class.getName());

  /** What the phase's limit adds to {@code hazelcast.graceful.shutdown.max.wait} by default. */
  static final Duration MARGIN = Duration.ofSeconds(10);

  private HazelcastShutdown() {}

  /**
   * Turns off Hazelcast's own JVM shutdown hook ({@code hazelcast.shutdownhook.enabled=false}) in
   * {@code config}, so that only {@link GracefulShutdown} decides when the member leaves. Call it
   * before the member starts.
   *
   * @param config the member's configuration, changed in place; not null
   * @return {@code config}
   */
  public static Config configure(Config config) {
    return config.setProperty(ClusterProperty.SHUTDOWNHOOK_ENABLED.getName(), "false");
  }

  /**
   * A phase that shuts {@code member} down gracefully, for at most its {@code
   * hazelcast.graceful.shutdown.max.wait} plus 10 s. Warns (once, now) when the member still has
   * Hazelcast's own shutdown hook.
   *
   * @param member the running member to shut down
   * @return a phase for {@link GracefulShutdown.Builder#then}
   * @throws IllegalArgumentException when {@code member} is null, not running, or a client
   */
  public static ShutdownPhase member(HazelcastInstance member) {
    requireMember(member);
    return member(member, maxWait(member).plus(MARGIN));
  }

  /**
   * As {@link #member(HazelcastInstance)}, for at most {@code limit}. A limit below the member's
   * {@code hazelcast.graceful.shutdown.max.wait} can cut a migration short: when it runs out, the
   * phase's thread is interrupted and Hazelcast leaves without waiting further.
   *
   * @param member the running member to shut down
   * @param limit the longest the phase waits; positive
   * @return a phase for {@link GracefulShutdown.Builder#then}
   * @throws IllegalArgumentException when {@code member} is null, not running, or a client, or
   *     {@code limit} is not positive
   */
  public static ShutdownPhase member(HazelcastInstance member, Duration limit) {
    requireMember(member);
    if (limit == null || limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    HazelcastProperties properties = new HazelcastProperties(member.getConfig());
    if (properties.getBoolean(ClusterProperty.SHUTDOWNHOOK_ENABLED)) {
      LOG.log(Level.WARNING, "Hazelcast member " + member.getCluster().getLocalMember().getAddress()
          + " has Hazelcast's own shutdown hook (" + ClusterProperty.SHUTDOWNHOOK_ENABLED.getName() + "=true, "
          + ClusterProperty.SHUTDOWNHOOK_POLICY.getName() + "=" + properties.getString(ClusterProperty.SHUTDOWNHOOK_POLICY)
          + "): on SIGTERM it makes the member leave at once, while shunt still answers NACKs and requests"
          + " are in flight" + (isGraceful(properties) ? "" : ", without handing over its partitions")
          + ". Set " + ClusterProperty.SHUTDOWNHOOK_ENABLED.getName() + "=false before the member starts"
          + " (HazelcastShutdown.configure(config))");
    }
    return new MemberPhase(member, limit, maxWait(member));
  }

  private static void requireMember(HazelcastInstance member) {
    if (member == null) {
      throw new IllegalArgumentException("member must be set, was null");
    }
    if (!member.getLifecycleService().isRunning()) {
      throw new IllegalArgumentException("member must be running, was " + member.getName() + ", shut down");
    }
    if (!(member.getLocalEndpoint() instanceof Member)) {
      throw new IllegalArgumentException("member must be a Hazelcast member, was the client " + member.getName()
          + " (a client holds no partitions: ShutdownPhase.of(\"hazelcast client\", limit, client::shutdown))");
    }
  }

  private static Duration maxWait(HazelcastInstance member) {
    return Duration.ofSeconds(new HazelcastProperties(member.getConfig())
        .getSeconds(ClusterProperty.GRACEFUL_SHUTDOWN_MAX_WAIT));
  }

  private static boolean isGraceful(HazelcastProperties properties) {
    return "GRACEFUL".equalsIgnoreCase(properties.getString(ClusterProperty.SHUTDOWNHOOK_POLICY));
  }

  private record MemberPhase(HazelcastInstance member, Duration limit, Duration maxWait) implements ShutdownPhase {
    @Override
    public String name() {
      return "hazelcast member";
    }

    @Override
    public String run() {
      if (!member.getLifecycleService().isRunning()) {
        throw new IllegalStateException("the member had already left before this phase (Hazelcast's own shutdown"
            + " hook? set " + ClusterProperty.SHUTDOWNHOOK_ENABLED.getName() + "=false)");
      }
      String address = String.valueOf(member.getCluster().getLocalMember().getAddress());
      int others = member.getCluster().getMembers().size() - 1;
      boolean safeBefore = member.getPartitionService().isClusterSafe();
      long start = System.nanoTime();
      member.shutdown();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      String said = "member " + address + " left after " + took.toMillis() + " ms, " + others + " member(s) left behind;"
          + " the cluster was " + (safeBefore ? "" : "NOT ") + "safe when it began to leave";
      if (others == 0) {
        return said + "; it was the last member: its data left with it";
      }
      // Hazelcast gives up waiting for the hand-over after max.wait and leaves anyway; it says so
      // only in its own log ("Graceful shutdown failed"), so the time taken is what tells.
      if (took.compareTo(maxWait) >= 0) {
        throw new IllegalStateException(said + "; " + ClusterProperty.GRACEFUL_SHUTDOWN_MAX_WAIT.getName() + " ("
            + maxWait.toSeconds() + " s) ran out before its partitions were handed over: some may have left"
            + " without a copy");
      }
      return said + "; its partitions were handed over";
    }
  }
}
