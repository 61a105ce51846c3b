package dev.shunt.workflow;

import dev.shunt.ShuntException;
import dev.shunt.ShuntTimeoutException;
import dev.shunt.StepFailedException;
import dev.shunt.StoreException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * How a rollout retries one step on one host (with resilience4j-retry): up to
 * {@code maxAttempts} attempts in all, apart by an exponential backoff with jitter, and only after
 * an error that can pass by itself.
 *
 * <p>Errors retried ({@link #isTransient}): a {@link ShuntException} that says it is
 * {@linkplain ShuntException#retryable() retryable}; the exception decides, by its type and what
 * went wrong (see the table in {@link ShuntException}): an {@link SshException} for a refused
 * connection, a connect timeout or a network failure before the command started; a
 * {@link StoreException} when the store's cluster lost a member or a connection during the call,
 * or a flag-file lock could not be taken for now, from any store alike (the steps' store calls
 * give the same result when made twice); a {@link dev.shunt.workflow.lb.LoadBalancerException} or
 * {@link dev.shunt.workflow.gate.MetricsException} when the load balancer or metrics source could
 * not be reached. The first {@code ShuntException} in the cause chain decides; before it, a
 * {@link ConnectException} or {@link NoRouteToHostException} or an {@link InterruptedIOException}
 * such as a socket or call timeout (from a step of one's own that throws them) is retried too.
 * Never retried unless {@link Builder#retryOn} says so: authentication and host-key failures, a
 * command that exited non-zero (a {@link StepFailedException}), and a
 * {@link ShuntTimeoutException}: a step that waited its own full time limit (a readiness or drain
 * wait, a command killed at its limit) is not retried, because retrying a wait only lengthens
 * it (raise its timeout instead) and a command killed mid-way may have done part of its work.
 * A step interrupted by the rollout (its time is up, or the rollout is cancelled) is never retried.
 *
 * <p>Defaults: 3 attempts, first wait 500 ms, multiplier 2, randomization 0.5 (each wait is drawn
 * from ±50% of its nominal value), no wait above 30 s. Immutable and thread-safe.
 */
public final class RetryPolicy {
  private static final RetryPolicy NONE = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration initialWait;
  private final double multiplier;
  private final double randomization;
  private final Duration maxWait;
  private final Predicate<Throwable> retryOn;

  private RetryPolicy(Builder builder) {
    this.maxAttempts = builder.maxAttempts;
    this.initialWait = builder.initialWait;
    this.multiplier = builder.multiplier;
    this.randomization = builder.randomization;
    this.maxWait = builder.maxWait;
    this.retryOn = builder.retryOn;
  }

  /**
   * One attempt: no retry. The rollout's default.
   *
   * @return a policy of one attempt
   */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * The defaults: up to 3 attempts on transient errors.
   *
   * @return a policy with the defaults
   */
  public static RetryPolicy transientErrors() {
    return builder().build();
  }

  /**
   * A builder with the defaults.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether {@code error} can pass by itself, so that trying again later may succeed (see the
   * class documentation for the list).
   *
   * @param error the failure, with its causes
   * @return true when {@code error} is transient
   */
  public static boolean isTransient(Throwable error) {
    if (error instanceof InterruptedException) {
      return false;
    }
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof ShuntException shunt) {
        return shunt.retryable();
      }
      if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
          || cause instanceof InterruptedIOException) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /**
   * Whether this policy retries after {@code error}: a transient error, or one {@code retryOn} accepts.
   *
   * @param error the failure, with its causes
   * @return true when another attempt is allowed for it, attempts left aside
   */
  public boolean shouldRetry(Throwable error) {
    return isTransient(error) || retryOn.test(error);
  }

  /**
   * Attempts in all, the first included.
   *
   * @return the number of attempts, at least 1
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The nominal wait after the first failed attempt.
   *
   * @return the first nominal wait
   */
  public Duration initialWait() {
    return initialWait;
  }

  /**
   * How much each nominal wait grows over the one before.
   *
   * @return the growth factor, at least 1
   */
  public double multiplier() {
    return multiplier;
  }

  /**
   * How far each wait is drawn from its nominal value, as a fraction: 0.5 is ±50%.
   *
   * @return the fraction, from 0 up to, not including, 1
   */
  public double randomization() {
    return randomization;
  }

  /**
   * The longest nominal wait.
   *
   * @return the cap on each nominal wait
   */
  public Duration maxWait() {
    return maxWait;
  }

  /** E.g. {@code no retry} or {@code up to 3 attempts, backoff 500 ms x2 ±50% <= 30000 ms}. */
  @Override
  public String toString() {
    if (maxAttempts == 1) {
      return "no retry";
    }
    return "up to " + maxAttempts + " attempts, backoff " + initialWait.toMillis() + " ms x" + multiplier
        + " ±" + Math.round(randomization * 100) + "% <= " + maxWait.toMillis() + " ms";
  }

  /**
   * Configures a {@link RetryPolicy}. Not thread-safe. Each setter checks its value as it is given and throws
   * {@link IllegalArgumentException} naming the field, the value and the rule; {@link #build()}
   * checks what is missing and the fields that depend on each other.
   */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration initialWait = Duration.ofMillis(500);
    private double multiplier = 2;
    private double randomization = 0.5;
    private Duration maxWait = Duration.ofSeconds(30);
    private Predicate<Throwable> retryOn = error -> false;

    private Builder() {}

    /**
     * Attempts in all, the first included; 1 means no retry.
     *
     * @param maxAttempts at least 1
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The nominal wait after the first failed attempt.
     *
     * @param initialWait the first nominal wait
     * @return this builder
     */
    public Builder initialWait(Duration initialWait) {
      this.initialWait = Durations.requirePositive("initialWait", initialWait);
      return this;
    }

    /**
     * How much each nominal wait grows over the one before, at least 1.
     *
     * @param multiplier at least 1
     * @return this builder
     */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1)) {
        throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /**
     * How far each wait is drawn from its nominal value, from 0 (none) up to, not including, 1.
     *
     * @param randomization from 0 up to, not including, 1
     * @return this builder
     */
    public Builder randomization(double randomization) {
      if (!(randomization >= 0 && randomization < 1)) {
        throw new IllegalArgumentException("randomization must be >= 0 and < 1, was " + randomization);
      }
      this.randomization = randomization;
      return this;
    }

    /**
     * The longest nominal wait.
     *
     * @param maxWait the cap on each nominal wait
     * @return this builder
     */
    public Builder maxWait(Duration maxWait) {
      this.maxWait = Durations.requirePositive("maxWait", maxWait);
      return this;
    }

    /**
     * Errors to retry besides the transient ones, e.g. {@code e -> e instanceof StepFailedException}
     * to retry a command that exited non-zero. Called with the error the step threw.
     *
     * @param retryOn true for an error to retry; not null
     * @return this builder
     */
    public Builder retryOn(Predicate<Throwable> retryOn) {
      if (retryOn == null) {
        throw new IllegalArgumentException("retryOn must be set, was null");
      }
      this.retryOn = retryOn;
      return this;
    }

    /**
     * Validates and builds the policy.
     *
     * @return a new, immutable policy
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public RetryPolicy build() {
      if (maxWait.compareTo(initialWait) < 0) {
        throw new IllegalArgumentException("maxWait must be >= initialWait (" + initialWait + "), was " + maxWait);
      }
      return new RetryPolicy(this);
    }
  }
}
