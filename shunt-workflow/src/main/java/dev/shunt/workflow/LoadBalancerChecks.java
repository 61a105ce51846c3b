package dev.shunt.workflow;

import java.time.Duration;

/**
 * How the load balancer in front of the hosts checks them, as a rollout's plan needs to know it:
 * a host is taken out after {@code fall} failed checks {@code inter} apart, and put back after
 * {@code rise} good ones. The plan warns when a drain or rotation wait gives up sooner than that.
 *
 * <p>{@link #haproxyDefaults()} is HAProxy's: fall 3, rise 2, inter 2 s. Immutable.
 *
 * @param fall failed checks before the load balancer takes a host out, at least 1
 * @param rise good checks before it puts a host back, at least 1
 * @param inter the time between two checks of one host, positive
 */
public record LoadBalancerChecks(int fall, int rise, Duration inter) {

  /**
   * @param fall failed checks before a host is taken out, at least 1
   * @param rise passed checks before a host is put back, at least 1
   * @param inter the time between two checks; positive
   * @throws IllegalArgumentException naming the component, its value and the rule it breaks
   */
  public LoadBalancerChecks {
    if (fall < 1) {
      throw new IllegalArgumentException("fall must be >= 1, was " + fall);
    }
    if (rise < 1) {
      throw new IllegalArgumentException("rise must be >= 1, was " + rise);
    }
    Durations.requirePositive("inter", inter);
  }

  /**
   * A load balancer with these check settings.
   *
   * @param fall failed checks before a host is taken out, at least 1
   * @param rise passed checks before a host is put back, at least 1
   * @param inter the time between two checks; positive
   * @return the check settings
   */
  public static LoadBalancerChecks of(int fall, int rise, Duration inter) {
    return new LoadBalancerChecks(fall, rise, inter);
  }

  /**
   * HAProxy's defaults: {@code fall 3}, {@code rise 2}, {@code inter 2s}.
   *
   * @return fall 3, rise 2, inter 2 s
   */
  public static LoadBalancerChecks haproxyDefaults() {
    return new LoadBalancerChecks(3, 2, Duration.ofSeconds(2));
  }

  /**
   * How long the load balancer takes at most to see a host down: {@code fall × inter}.
   *
   * @return {@code fall × inter}
   */
  public Duration timeToTakeOut() {
    return inter.multipliedBy(fall);
  }

  /**
   * How long the load balancer takes at most to see a host up again: {@code rise × inter}.
   *
   * @return {@code rise × inter}
   */
  public Duration timeToPutBack() {
    return inter.multipliedBy(rise);
  }
}
