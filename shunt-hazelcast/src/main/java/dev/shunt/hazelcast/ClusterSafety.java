package dev.shunt.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.shunt.ClusterGate;
import dev.shunt.ShuntTimeoutException;
import dev.shunt.StepContext;
import dev.shunt.StepDescription;
import dev.shunt.StepFailedException;
import dev.shunt.StoreException;
import dev.shunt.hazelcast.internal.SafetyProbes;
import dev.shunt.hazelcast.internal.SafetySnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster-safety gate of a rolling restart whose hosts' applications are Hazelcast members:
 * a restart must never take away the last copy of a partition.
 *
 * <ul>
 *   <li>{@link #beforeRestart()} waits until the cluster is safe: no partition migration is
 *       running and every backup is in sync ({@code PartitionService.isClusterSafe()}), and, when
 *       {@link Builder#expectedMembers} is set, the cluster has that many members;</li>
 *   <li>{@link #afterReadiness()} waits until the cluster has its full size again — the expected
 *       member count if set, else the count {@code beforeRestart} saw on the same host, else the
 *       largest count this gate has seen — and is safe.</li>
 * </ul>
 *
 * <pre>{@code
 * ClusterSafety safety = ClusterSafety.builder(hazelcast).expectedMembers(3).build();
 * Rollout.builder()
 *     .step(ShuntStep.shunt(request)).step(AwaitCheckersStep.drain().build())
 *     .step(safety.beforeRestart())
 *     .step(restart).step(AwaitHttpStep.builder().url("http://{host}:8080/").build())
 *     .step(safety.afterReadiness())
 *     .step(ShuntStep.unshunt()).step(AwaitCheckersStep.rotation().build())
 * }</pre>
 *
 * <p>A step that sees the cluster as it should be reports e.g. {@code cluster safe, 3 members,
 * after 840 ms}; one that does not within its timeout fails with a {@link ShuntTimeoutException}
 * that says what was not so: members missing (expected 3, saw 2, with their addresses), members
 * whose backups are not in sync, or a migration still running. A question the cluster cannot
 * answer for now (a member leaving under it) is asked again at the next poll; a member that cannot
 * run the question fails the step at once.
 *
 * <p>{@code hazelcast} may be a member or a client. A member asks its own partition service. A
 * client has none that answers this, so it sends a small task to the oldest member through the
 * {@code IExecutorService} {@value SafetyProbes#EXECUTOR} (Hazelcast makes it on first use); the task
 * and its answer travel in the Compact format, so every member needs {@code shunt-hazelcast} on its
 * class path and its {@code Config} passed through {@link HazelcastStatusStore#configure}, as the
 * store already needs, and so does the client. A member without them fails the step with a message
 * that says so.
 *
 * <p>As a {@link ClusterGate} it also tells a rollout's pre-flight, before anything is touched,
 * of fewer members than expected (an error) and of a cluster not safe now (a warning: the gate
 * will wait for it). Roll one host at a time with this gate: with two in a batch, each host's
 * gate sees the other one's member missing.
 *
 * <p>Defaults: {@code timeout} 5 minutes per wait, {@code pollInterval} 1 s, no expected member
 * count. Immutable and thread-safe (it remembers, per host, the member count seen before the
 * restart).
 */
public final class ClusterSafety implements ClusterGate {
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  /** The least time one question to the cluster is given, even at the end of a wait. */
  private static final Duration PROBE_WAIT = Duration.ofSeconds(1);

  private final HazelcastInstance hazelcast;
  private final Duration timeout;
  private final Duration pollInterval;
  private final int expectedMembers;
  private final Map<String, Integer> seenBeforeRestart = new ConcurrentHashMap<>();
  private final AtomicInteger mostSeen = new AtomicInteger();
  private final GateStep beforeRestart = new Wait(false);
  private final GateStep afterReadiness = new Wait(true);

  private ClusterSafety(Builder builder) {
    this.hazelcast = builder.hazelcast;
    this.timeout = builder.timeout;
    this.pollInterval = builder.pollInterval;
    this.expectedMembers = builder.expectedMembers;
  }

  /**
   * A builder for a gate on the cluster of {@code hazelcast}, a member or a client, starting from
   * the defaults; {@code builder(hz).build()} is the gate with the defaults.
   *
   * @param hazelcast a running member or client of the cluster to watch; not null
   * @return a new builder with the defaults
   */
  public static Builder builder(HazelcastInstance hazelcast) {
    return new Builder(hazelcast);
  }

  /**
   * A builder holding this gate's settings, to derive a variant.
   *
   * @return a new builder with this gate's settings
   */
  public Builder toBuilder() {
    return new Builder(hazelcast).timeout(timeout).pollInterval(pollInterval).expectedMembers(expectedMembers);
  }

  /** The step {@code cluster-safe}, to run just before a host's restart. */
  @Override
  public GateStep beforeRestart() {
    return beforeRestart;
  }

  /** The step {@code cluster-rejoined}, to run just after a host's readiness, before its unshunt. */
  @Override
  public GateStep afterReadiness() {
    return afterReadiness;
  }

  /**
   * Fewer members than {@link Builder#expectedMembers} is an error; a cluster not safe now a
   * warning, since {@link #beforeRestart()} waits for it.
   *
   * @throws StoreException if the cluster cannot be asked
   */
  @Override
  public List<Problem> preflight() {
    SafetySnapshot now;
    try {
      now = look(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while asking the cluster whether it is safe", e, false);
    }
    List<Problem> problems = new ArrayList<>();
    if (expectedMembers > 0 && now.members().size() < expectedMembers) {
      problems.add(Problem.error("the Hazelcast cluster has " + missing(now, expectedMembers)
          + " before anything was restarted: bring the missing member back, or expect fewer"));
    }
    if (!now.safe()) {
      problems.add(Problem.warning("the Hazelcast cluster is not safe now (" + unsafe(now) + "); each host's"
          + " restart will wait until it is, for at most " + timeout));
    }
    return problems;
  }

  @Override
  public ClusterSafety withTimeout(Duration timeout) {
    return toBuilder().timeout(timeout).build();
  }

  @Override
  public ClusterSafety withPollInterval(Duration pollInterval) {
    return toBuilder().pollInterval(pollInterval).build();
  }

  @Override
  public ClusterSafety withExpectedMembers(int members) {
    return toBuilder().expectedMembers(members).build();
  }

  /**
   * The longest each wait lasts.
   *
   * @return the limit of each wait; positive
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * How often a wait asks the cluster.
   *
   * @return the time between two questions; positive
   */
  public Duration pollInterval() {
    return pollInterval;
  }

  /**
   * The member count the cluster must have; 0 when not given (then: as seen before the restart).
   *
   * @return the member count, or 0
   */
  public int expectedMembers() {
    return expectedMembers;
  }

  @Override
  public String toString() {
    return "ClusterSafety{timeout=" + timeout + ", pollInterval=" + pollInterval + ", expectedMembers="
        + (expectedMembers > 0 ? expectedMembers : "as before the restart") + "}";
  }

  private SafetySnapshot look(Duration wait) throws InterruptedException {
    SafetySnapshot snapshot = SafetyProbes.take(hazelcast, wait);
    mostSeen.accumulateAndGet(snapshot.members().size(), Math::max);
    return snapshot;
  }

  private static String missing(SafetySnapshot snapshot, int expected) {
    return "members missing: expected " + expected + ", saw " + snapshot.members().size() + " "
        + snapshot.members();
  }

  private static String unsafe(SafetySnapshot snapshot) {
    return snapshot.unsafeMembers().isEmpty()
        ? "a partition migration is still running; every member's own backups are in sync"
        : "members not safe, their backups not in sync: " + snapshot.unsafeMembers();
  }

  /** One of the gate's two waits. */
  private final class Wait implements GateStep {
    private final boolean afterReadiness;

    private Wait(boolean afterReadiness) {
      this.afterReadiness = afterReadiness;
    }

    @Override
    public void run(StepContext context) throws InterruptedException {
      Instant start = context.clock().instant();
      Instant deadline = start.plus(timeout);
      int expected = expected(context.host());
      String lastProblem = null;
      while (true) {
        String problem;
        SafetySnapshot snapshot = null;
        try {
          snapshot = look(probeWait(context, deadline));
          problem = problem(snapshot, expected);
        } catch (StoreException e) {
          if (!e.retryable()) {
            throw new StepFailedException("cannot learn whether the Hazelcast cluster is safe: " + e.getMessage(), e);
          }
          problem = "the cluster did not answer: " + e.getMessage();
        }
        if (problem == null) {
          if (!afterReadiness) {
            seenBeforeRestart.put(context.host(), snapshot.members().size());
          }
          context.outcome("cluster safe, " + snapshot.members().size() + " members, after "
              + Duration.between(start, context.clock().instant()).toMillis() + " ms");
          return;
        }
        if (!context.clock().instant().isBefore(deadline)) {
          throw new ShuntTimeoutException("the Hazelcast cluster was not " + (expected > 0 ? "whole and " : "")
              + "safe within " + timeout + ": " + problem, timeout);
        }
        if (!problem.equals(lastProblem)) {
          context.log("waiting for the Hazelcast cluster: " + problem);
          lastProblem = problem;
        }
        Thread.sleep(Math.max(1, Math.min(pollInterval.toMillis(), remaining(context, deadline).toMillis())));
      }
    }

    /** The member count to wait for; 0 for none. */
    private int expected(String host) {
      if (expectedMembers > 0) {
        return expectedMembers;
      }
      if (!afterReadiness) {
        return 0;
      }
      Integer before = seenBeforeRestart.remove(host);
      return before != null ? before : mostSeen.get();
    }

    /** What keeps the gate shut, for a person; null when nothing does. */
    private String problem(SafetySnapshot snapshot, int expected) {
      List<String> problems = new ArrayList<>();
      if (snapshot.members().size() < expected) {
        problems.add(missing(snapshot, expected));
      }
      if (!snapshot.safe()) {
        problems.add(unsafe(snapshot));
      }
      return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** How long one question may take: what is left of the wait, but never less than a poll or a second. */
    private Duration probeWait(StepContext context, Instant deadline) {
      Duration left = remaining(context, deadline);
      Duration least = pollInterval.compareTo(PROBE_WAIT) > 0 ? pollInterval : PROBE_WAIT;
      return left.compareTo(least) > 0 ? left : least;
    }

    private Duration remaining(StepContext context, Instant deadline) {
      Duration left = Duration.between(context.clock().instant(), deadline);
      return left.isNegative() ? Duration.ZERO : left;
    }

    @Override
    public ClusterGate gate() {
      return ClusterSafety.this;
    }

    @Override
    public String name() {
      return afterReadiness ? "cluster-rejoined" : "cluster-safe";
    }

    @Override
    public StepDescription describe() {
      return StepDescription.of(name(), StepDescription.Kind.GATE).withTimeout(timeout)
          .with("waitsFor", afterReadiness ? "all members back, no migration, backups in sync"
              : expectedMembers > 0 ? "all members, no migration, backups in sync" : "no migration, backups in sync")
          .with("members", expectedMembers > 0 ? String.valueOf(expectedMembers)
              : afterReadiness ? "as-before-restart" : "any")
          .with("pollInterval", pollInterval);
    }

    @Override
    public String toString() {
      return name();
    }
  }

  /**
   * Configures a {@link ClusterSafety}. Not thread-safe; {@link #build()} validates and returns an
   * immutable gate.
   */
  public static final class Builder {
    private final HazelcastInstance hazelcast;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private int expectedMembers;

    private Builder(HazelcastInstance hazelcast) {
      this.hazelcast = hazelcast;
    }

    /**
     * The longest each wait lasts before its step fails. Default: 5 minutes.
     *
     * @param timeout the longest each wait lasts; positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * How often a wait asks the cluster. Default: 1 s.
     *
     * @param pollInterval the time between two questions; positive
     * @return this builder
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    /**
     * The member count the cluster must have before and after each restart; 0 for none given,
     * then {@code afterReadiness} waits for the count {@code beforeRestart} saw on the host.
     * Default: 0.
     *
     * @param expectedMembers the member count, or 0 for none given
     * @return this builder
     */
    public Builder expectedMembers(int expectedMembers) {
      this.expectedMembers = expectedMembers;
      return this;
    }

    /**
     * The gate; fails with an {@link IllegalArgumentException} that names what is wrong.
     *
     * @return a new, immutable gate
     */
    public ClusterSafety build() {
      if (hazelcast == null) {
        throw new IllegalArgumentException("hazelcast must be set, was null");
      }
      requirePositive("timeout", timeout);
      requirePositive("pollInterval", pollInterval);
      if (pollInterval.compareTo(timeout) > 0) {
        throw new IllegalArgumentException("pollInterval must be at most timeout (" + timeout + "), was "
            + pollInterval);
      }
      if (expectedMembers < 0) {
        throw new IllegalArgumentException("expectedMembers must be >= 1, or 0 for as seen before the restart, was "
            + expectedMembers);
      }
      return new ClusterSafety(this);
    }

    private static void requirePositive(String field, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(field + " must be positive, was " + value);
      }
    }
  }
}
