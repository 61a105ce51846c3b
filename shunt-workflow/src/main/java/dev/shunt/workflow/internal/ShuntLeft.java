package dev.shunt.workflow.internal;

import dev.shunt.ShuntStatus;
import dev.shunt.workflow.HostReport;

/** How long a host the rollout left shunted stays out, in the words of the summary and the console. */
public final class ShuntLeft {
  private ShuntLeft() {}

  /**
   * {@code until 2026-11-23T12:34:56Z (its shunt's TTL)}, or {@code with no TTL: until someone
   * unshunts it}, for a shunted {@code status}.
   */
  public static String until(ShuntStatus status) {
    return status.expiry().map(end -> "until " + end + " (its shunt's TTL)")
        .orElse("with no TTL: until someone unshunts it");
  }

  /**
   * Where the rollout left {@code host} besides its shunt status: {@code , LEFT OUT of rotation on
   * haproxy …: web/web-1: DRAIN with 0 sessions; …}, or an empty string when it is out of no load balancer.
   */
  public static String outOf(HostReport host) {
    return host.leftOut().isEmpty() ? "" : ", LEFT OUT of rotation on " + String.join("; ", host.leftOut());
  }

  /**
   * For a host not shunted: {@code in rotation}, or {@code not shunted} when it is still out of a
   * load balancer ({@link #outOf}).
   */
  public static String unshunted(HostReport host) {
    return host.leftOut().isEmpty() ? "in rotation" : "not shunted";
  }
}
