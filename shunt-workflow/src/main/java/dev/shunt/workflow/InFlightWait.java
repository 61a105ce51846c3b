package dev.shunt.workflow;

import dev.shunt.CheckerReport;

/**
 * Whether a drain ({@link AwaitCheckersStep#drain()}) also waits until the host serves no request
 * any more, as the latest {@link CheckerReport} of its responder says. The responder knows the
 * count when something counts the application's requests into it (the JDK {@code HttpServer}
 * filter, the servlet filter); otherwise its reports say
 * {@linkplain CheckerReport#inFlightCount() unknown} (e.g. the sidecar in front of an app in
 * another language).
 */
public enum InFlightWait {
  /**
   * The default: wait for zero requests in flight wherever the responder counts them; where the
   * count is unknown, do not wait for it, and say so in the step's outcome and in the rollout's
   * pre-flight (requests in flight at the restart are then lost unless the app finishes them
   * when it stops, or the drain asks the load balancer: {@link AwaitHaproxyDrainStep}).
   */
  WHEN_COUNTED,
  /**
   * Always wait for a report of zero in flight: an unknown count never satisfies it, so a host
   * whose requests nobody counts waits until the drain's timeout.
   */
  REQUIRED,
  /** Do not look at requests in flight: the drain ends once every checker was answered "down" {@code fall} times. */
  IGNORED
}
