package dev.shunt;

import dev.shunt.internal.InstanceKeyRules;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a rollout's journal: where a rollout stands on one host. A rollout writes one as it
 * starts each host and one as it leaves it, to its {@link StatusStore}, so that when the process
 * running it dies another process can {@linkplain StatusStore#journal read} how far it got, resume
 * it (skipping the hosts it finished) or clean up after it.
 *
 * <p>A store keeps the latest entry per host of a service; an entry replaces the one before it for
 * the same host, whatever rollout wrote it.
 *
 * @param rolloutId the rollout that wrote it, e.g. a run id; not blank, no control characters
 * @param host the host's name, as in {@link InstanceKey#host()}
 * @param state where the rollout stands on the host
 * @param at when it was written
 * @param detail a short note for people (e.g. the failed step and its error), may be empty;
 *     control characters such as line breaks are replaced by spaces
 */
public record JournalEntry(String rolloutId, String host, State state, Instant at, String detail) {

  /** Where a rollout stands on a host. */
  public enum State {
    /** The rollout started its steps on the host and has not finished them. */
    STARTED,
    /** Every step succeeded on the host. */
    DONE,
    /** A step failed on the host; the rollout left it as its report says. */
    FAILED,
    /**
     * The rollout halted and is to roll the host back (it runs the new version until it is
     * {@link #ROLLED_BACK}); a rollout that stopped while rolling back leaves this on the hosts
     * it did not reach.
     */
    ROLLING_BACK,
    /** The rollout halted and put the host back on the old version. */
    ROLLED_BACK
  }

  /**
   * @param rolloutId the rollout that wrote it; not blank, no control characters
   * @param host the host's name, as in {@link InstanceKey#host()}
   * @param state where the rollout stands on the host; not null
   * @param at when it was written; not null
   * @param detail a short note, may be empty; control characters become spaces
   * @throws IllegalArgumentException naming the component, its value and the rule it breaks
   */
  public JournalEntry {
    if (rolloutId == null || rolloutId.isBlank() || rolloutId.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("rolloutId must not be blank nor hold control characters, was "
          + (rolloutId == null ? "null" : "'" + rolloutId + "'"));
    }
    InstanceKeyRules.requireHostName(host);
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(detail, "detail");
    detail = detail.chars().anyMatch(Character::isISOControl)
        ? detail.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString()
        : detail;
  }
}
