package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.util.List;

/**
 * {@link SafetySnapshot} as the Compact type {@value #TYPE_NAME}. Fields: {@code answeredBy}
 * (string), {@code members}, {@code unsafeMembers} (arrays of strings), {@code safe} (boolean).
 */
public final class SafetySnapshotSerializer implements CompactSerializer<SafetySnapshot> {
  static final String TYPE_NAME = "shunt.SafetySnapshot";

  @Override
  public SafetySnapshot read(CompactReader reader) {
    return new SafetySnapshot(reader.readString("answeredBy"), List.of(reader.readArrayOfString("members")),
        reader.readBoolean("safe"), List.of(reader.readArrayOfString("unsafeMembers")));
  }

  @Override
  public void write(CompactWriter writer, SafetySnapshot snapshot) {
    writer.writeString("answeredBy", snapshot.answeredBy());
    writer.writeArrayOfString("members", snapshot.members().toArray(String[]::new));
    writer.writeBoolean("safe", snapshot.safe());
    writer.writeArrayOfString("unsafeMembers", snapshot.unsafeMembers().toArray(String[]::new));
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<SafetySnapshot> getCompactClass() {
    return SafetySnapshot.class;
  }
}
