package dev.shunt.hazelcast.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * IMap per-entry TTLs for values that end at a given instant (a shunt's lease, a maintenance
 * flag's {@code until}), so that an ended value leaves the map by itself.
 */
public final class MapTtl {
  private MapTtl() {}

  /**
   * The IMap TTL in seconds for a value that ends at {@code endOrNull}, counted from {@code now}:
   * 0 (the IMap's "forever") for no end, else the time left rounded up to whole seconds, plus one,
   * and at least 1 (a negative TTL would mean the map's default). Hazelcast keeps expiry times to
   * the second and drops an entry up to a second before its TTL is up (a TTL of 1.5 s ends after
   * 1 s); a value must not end early, and reads end it on time.
   */
  public static long seconds(Instant endOrNull, Instant now) {
    if (endOrNull == null) {
      return 0;
    }
    Duration left = Duration.between(now, endOrNull);
    return Math.max(1, left.getSeconds() + (left.getNano() > 0 ? 1 : 0) + 1);
  }
}
