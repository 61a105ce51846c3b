package dev.shunt.workflow;

import java.util.List;
import java.util.Objects;

/**
 * What the rollback of a halted rollout did ({@link Rollout.Builder#rollback}): the hosts it put
 * back on the old version, in the order it did, and those it did not reach.
 *
 * @param outcome how the rollback ended
 * @param hosts the hosts it worked on, newest first as it rolled them back, one at a time; each
 *     report's {@code batch} is its place in that order, from 1, and its {@code statusAfter} the
 *     status the rollback left it in
 * @param notRolledBack the hosts it was to roll back but did not reach, in its order: they keep the
 *     new version, in rotation as the rollout left them
 * @param reason why it stopped before the end (the host whose rollback failed, a cancel, the lost
 *     deploy lock); empty when it completed
 */
public record RollbackReport(Outcome outcome, List<HostReport> hosts, List<String> notRolledBack, String reason) {

  /** How a rollback ended. */
  public enum Outcome {
    /** Every host to roll back was rolled back (none, when the rollout halted before it rolled any). */
    COMPLETED,
    /** A host's rollback failed: the rollback stopped there, that host left as the failure policy says. */
    FAILED,
    /** A cancel, the rollout's time limit or the lost deploy lock stopped it, or kept it from starting. */
    STOPPED
  }

  /**
   * Checks that no component is null and copies the lists.
   *
   * @param outcome how the rollback ended
   * @param hosts the hosts it worked on, newest first
   * @param notRolledBack the hosts it did not reach, in its order
   * @param reason why it stopped before the end, otherwise empty
   */
  public RollbackReport {
    Objects.requireNonNull(outcome, "outcome");
    hosts = List.copyOf(hosts);
    notRolledBack = List.copyOf(notRolledBack);
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * The hosts put back on the old version, in the order they were.
   *
   * @return the host names, in rollback order
   */
  public List<String> rolledBack() {
    return hosts.stream().filter(host -> host.outcome() == HostReport.Outcome.DONE).map(HostReport::host).toList();
  }

  /** E.g. {@code rolled back 2 host(s): web-2, web-1} or {@code rollback FAILED on web-2 after 1 host(s) (web-3); not rolled back: web-1}. */
  @Override
  public String toString() {
    List<String> back = rolledBack();
    String done = back.size() + " host(s)" + (back.isEmpty() ? "" : " (" + String.join(", ", back) + ")");
    String text = switch (outcome) {
      case COMPLETED -> "rolled back " + done;
      case FAILED -> "rollback FAILED on " + hosts.get(hosts.size() - 1).host() + " after rolling back " + done;
      case STOPPED -> "rollback STOPPED (" + reason + ") after rolling back " + done;
    };
    return text + (notRolledBack.isEmpty() ? "" : "; not rolled back: " + String.join(", ", notRolledBack));
  }
}
