package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

/** {@link SafetyProbe} as the Compact type {@value #TYPE_NAME}, with no fields. */
public final class SafetyProbeSerializer implements CompactSerializer<SafetyProbe> {
  static final String TYPE_NAME = "shunt.SafetyProbe";

  @Override
  public SafetyProbe read(CompactReader reader) {
    return new SafetyProbe();
  }

  @Override
  public void write(CompactWriter writer, SafetyProbe probe) {
    // The probe carries nothing: the member it runs on is all it needs.
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<SafetyProbe> getCompactClass() {
    return SafetyProbe.class;
  }
}
