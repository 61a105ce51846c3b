package dev.shunt.hazelcast.internal;

import java.io.NotSerializableException;

/**
 * Why the store's keys and entry processors are {@link java.io.Serializable} only to refuse it.
 *
 * <p>A member or client started without {@code HazelcastStatusStore.configure(...)} has no
 * Compact serializer for them. Hazelcast would then fall back to Java serialization (which the
 * entry processors, being {@code Serializable}, would get) or to reflective "zero-config"
 * Compact under another type name (which a record key would get, and then silently match no
 * stored entry: every instance would read as in rotation). Being {@code Serializable} steers
 * Hazelcast to Java serialization, and refusing it there turns the mistake into an error that
 * says what to do.
 */
final class CompactOnly {
  private CompactOnly() {}

  static NotSerializableException refuseJavaSerialization(Object value) {
    return new NotSerializableException(value.getClass().getName()
        + " travels only in Hazelcast's Compact format, and this member or client has no serializer for it:"
        + " start it from a Config or ClientConfig passed through HazelcastStatusStore.configure(...)");
  }
}
