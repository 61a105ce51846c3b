package dev.shunt.hazelcast;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntStatus;
import java.util.Objects;

/**
 * One change of an instance's status, as a {@link HazelcastStatusStore}'s local view learns it
 * from the cluster; what {@link HazelcastStatusStore#onChange} listeners receive. Immutable.
 *
 * @param key the instance whose status changed
 * @param kind what happened to it
 * @param status its status after the change: the shunt for {@link Kind#SHUNTED},
 *     {@link ShuntStatus#inRotation()} otherwise
 */
public record StatusChange(InstanceKey key, Kind kind, ShuntStatus status) {

  /** What happened to an instance's status. */
  public enum Kind {
    /** Shunted, or a shunt renewed or replaced (also by the merge after a network partition). */
    SHUNTED,
    /** Unshunted: the shunt was removed by a call. */
    UNSHUNTED,
    /**
     * Back in rotation because its lease ran out: Hazelcast dropped the entry when its time to
     * live passed (or evicted it).
     */
    EXPIRED
  }

  /**
   * Checks that no part is null.
   *
   * @param key the instance whose status changed; not null
   * @param kind what happened to it; not null
   * @param status its status after the change; not null
   */
  public StatusChange {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
  }
}
