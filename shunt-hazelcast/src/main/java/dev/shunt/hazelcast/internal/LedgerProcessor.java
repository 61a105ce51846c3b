package dev.shunt.hazelcast.internal;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import dev.shunt.DisruptionBudget;
import java.io.ObjectStreamException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Changes one service's {@link ServiceLedger} on the member that owns it, atomically: Hazelcast
 * runs the entry processors of one key one at a time, so two deploy tools shunting hosts of one
 * service at once cannot both take the budget's last place.
 *
 * <p>Everything it decides comes from its fields ({@link #now()} is the caller's clock) and the
 * stored entry, never from the member's clock: the same processor runs again on each backup and
 * must reach the same result there. The entry is written without an expiry.
 *
 * <p>Returns the ledger as it was before, with the leases that ended by {@code now} left out;
 * the caller derives the decision from it ({@link ServiceLedger#admits}). Immutable.
 */
public final class LedgerProcessor implements EntryProcessor<String, ServiceLedger, ServiceLedger> {

  /** What the processor does. Its name is part of the stored format. */
  public enum Action { SET_BUDGET, REGISTER, FORGET, ADMIT, RELEASE }

  private final Action action;
  private final String host;
  private final DisruptionBudget budget;
  private final Instant now;
  private final Instant until;

  LedgerProcessor(Action action, String host, DisruptionBudget budget, Instant now, Instant until) {
    this.action = Objects.requireNonNull(action, "action");
    this.host = host;
    this.budget = budget;
    this.now = Objects.requireNonNull(now, "now");
    this.until = until;
  }

  /** Sets the budget, or removes it when {@code budgetOrNull} is null. */
  public static LedgerProcessor setBudget(DisruptionBudget budgetOrNull, Instant now) {
    return new LedgerProcessor(Action.SET_BUDGET, null, budgetOrNull, now, null);
  }

  /** Makes {@code host} known. */
  public static LedgerProcessor register(String host, Instant now) {
    return new LedgerProcessor(Action.REGISTER, Objects.requireNonNull(host, "host"), null, now, null);
  }

  /** Makes {@code host} unknown; it still counts as out if it is. */
  public static LedgerProcessor forget(String host, Instant now) {
    return new LedgerProcessor(Action.FORGET, Objects.requireNonNull(host, "host"), null, now, null);
  }

  /**
   * Counts {@code host} as out until {@code untilOrNull} if the budget admits it (a host out
   * already is always admitted, and its lease end replaced); makes it known either way.
   */
  public static LedgerProcessor admit(String host, Instant now, Instant untilOrNull) {
    return new LedgerProcessor(Action.ADMIT, Objects.requireNonNull(host, "host"), null, now, untilOrNull);
  }

  /** Stops counting {@code host} as out. */
  public static LedgerProcessor release(String host, Instant now) {
    return new LedgerProcessor(Action.RELEASE, Objects.requireNonNull(host, "host"), null, now, null);
  }

  @Override
  public ServiceLedger process(Map.Entry<String, ServiceLedger> entry) {
    ServiceLedger before = (entry.getValue() == null ? ServiceLedger.EMPTY : entry.getValue()).at(now);
    ServiceLedger next = switch (action) {
      case SET_BUDGET -> before.withBudget(budget);
      case REGISTER -> before.withHost(host);
      case FORGET -> before.withoutHost(host);
      case ADMIT -> before.admits(host) ? before.withOut(host, until) : before.withHost(host);
      case RELEASE -> before.withoutOut(host);
    };
    @SuppressWarnings("unchecked")
    ExtendedMapEntry<String, ServiceLedger> extended = (ExtendedMapEntry<String, ServiceLedger>) entry;
    extended.setValue(next, 0, TimeUnit.SECONDS);
    return before;
  }

  Action action() {
    return action;
  }

  String host() {
    return host;
  }

  DisruptionBudget budget() {
    return budget;
  }

  Instant now() {
    return now;
  }

  Instant until() {
    return until;
  }

  private Object writeReplace() throws ObjectStreamException {
    throw CompactOnly.refuseJavaSerialization(this);
  }
}
