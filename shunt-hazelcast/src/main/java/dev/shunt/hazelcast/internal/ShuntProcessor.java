package dev.shunt.hazelcast.internal;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import dev.shunt.ShuntStatus;
import java.io.ObjectStreamException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Shunts or renews one key on the member that owns it, atomically: Hazelcast runs entry
 * processors of one key one at a time, so two deploy tools shunting the same host cannot both
 * decide it was in rotation. Stores the status with an IMap per-entry TTL that ends just after
 * its expiry, so a lapsed shunt leaves the map by itself.
 *
 * <p>Everything it decides comes from {@link #requested()} (whose {@code since} is the caller's
 * "now") and the stored entry, never from the member's clock: the same processor runs again on
 * each backup and must reach the same result there.
 *
 * <p>Returns the status that was stored before (possibly lapsed), or null; the caller derives
 * what was stored with {@link #next}. Immutable.
 */
public final class ShuntProcessor implements EntryProcessor<MapKey, ShuntStatus, ShuntStatus> {
  private final ShuntStatus requested;

  /** @param requested a fresh shunt made at the caller's now: {@code since} is that now */
  public ShuntProcessor(ShuntStatus requested) {
    this.requested = Objects.requireNonNull(requested, "requested");
    if (!requested.shunted()) {
      throw new IllegalArgumentException("requested must be a shunt, was " + requested);
    }
  }

  /** The fresh shunt this processor applies. */
  public ShuntStatus requested() {
    return requested;
  }

  /** Whether {@code requested} renews {@code previousOrNull}: it was still shunted at the request. */
  public static boolean renews(ShuntStatus previousOrNull, ShuntStatus requested) {
    return previousOrNull != null && previousOrNull.isShuntedAt(requested.since());
  }

  /**
   * What a shunt stores over {@code previousOrNull}: a renewal keeps the previous {@code since}
   * and takes everything else (reason, owner, expiry counted from the renewal) from the request.
   */
  public static ShuntStatus next(ShuntStatus previousOrNull, ShuntStatus requested) {
    if (!renews(previousOrNull, requested)) {
      return requested;
    }
    return new ShuntStatus(true, requested.reason(), requested.owner(), previousOrNull.since(),
        requested.expiresAt());
  }

  @Override
  public ShuntStatus process(Map.Entry<MapKey, ShuntStatus> entry) {
    ShuntStatus previous = entry.getValue();
    ShuntStatus next = next(previous, requested);
    @SuppressWarnings("unchecked")
    ExtendedMapEntry<MapKey, ShuntStatus> extended = (ExtendedMapEntry<MapKey, ShuntStatus>) entry;
    extended.setValue(next, MapTtl.seconds(next.expiresAt(), requested.since()), TimeUnit.SECONDS);
    return previous;
  }

  private Object writeReplace() throws ObjectStreamException {
    throw CompactOnly.refuseJavaSerialization(this);
  }
}
