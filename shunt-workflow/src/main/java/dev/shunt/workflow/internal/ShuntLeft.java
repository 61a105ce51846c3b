package dev.shunt.workflow.internal;

import dev.shunt.ShuntStatus;

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
}
