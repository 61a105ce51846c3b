package dev.shunt.workflow;

import java.util.List;
import java.util.Objects;

/**
 * One batch of a rollout: hosts rolled at the same time.
 *
 * @param number its place in the rollout, from 1
 * @param hosts its hosts, in rollout order
 * @param canary whether it is the canary batch, rolled first and alone
 */
public record Batch(int number, List<String> hosts, boolean canary) {
  /**
   * Copies {@code hosts}.
   *
   * @param number its place in the rollout, from 1
   * @param hosts its hosts, in rollout order; not null
   * @param canary whether it is the canary batch
   */
  public Batch {
    hosts = List.copyOf(Objects.requireNonNull(hosts, "hosts"));
  }

  /** E.g. {@code batch 2 (web-3, web-4)} or {@code canary batch 1 (web-1)}. */
  @Override
  public String toString() {
    return (canary ? "canary batch " : "batch ") + number + " (" + String.join(", ", hosts) + ")";
  }
}
