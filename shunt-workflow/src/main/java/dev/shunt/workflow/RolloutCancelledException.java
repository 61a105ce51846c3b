package dev.shunt.workflow;

import dev.shunt.ShuntException;

/**
 * Thrown by a step that gave up because its rollout was cancelled before it changed anything,
 * e.g. a shunt that was still waiting for room in the disruption budget. The rollout reports the
 * host as cancelled rather than failed.
 */
public final class RolloutCancelledException extends ShuntException {
  private static final long serialVersionUID = 1L;

  /**
   * A cancellation.
   *
   * @param message what was cancelled and by whom, as far as known
   */
  public RolloutCancelledException(String message) {
    super(message);
  }
}
