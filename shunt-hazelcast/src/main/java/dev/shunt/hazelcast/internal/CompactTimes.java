package dev.shunt.hazelcast.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants as Compact {@code TIMESTAMP_WITH_TIMEZONE} fields (always UTC): a type every Hazelcast
 * client language and SQL read as a point in time, with nanosecond precision.
 */
final class CompactTimes {
  private CompactTimes() {}

  static OffsetDateTime toTimestamp(Instant instantOrNull) {
    return instantOrNull == null ? null : OffsetDateTime.ofInstant(instantOrNull, ZoneOffset.UTC);
  }

  static Instant toInstant(OffsetDateTime timestampOrNull) {
    return timestampOrNull == null ? null : timestampOrNull.toInstant();
  }
}
