package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import dev.shunt.JournalEntry;

/**
 * {@link JournalEntry} as the Compact type {@value #TYPE_NAME}, the value of the journal map.
 * Fields: {@code rolloutId}, {@code host}, {@code state} (its name), {@code at} (timestamp with
 * time zone, UTC), {@code detail}. The type name and field names are the stored format.
 */
public final class JournalEntrySerializer implements CompactSerializer<JournalEntry> {
  static final String TYPE_NAME = "shunt.JournalEntry";

  @Override
  public JournalEntry read(CompactReader reader) {
    return new JournalEntry(reader.readString("rolloutId"), reader.readString("host"),
        JournalEntry.State.valueOf(reader.readString("state")),
        CompactTimes.toInstant(reader.readTimestampWithTimezone("at")), reader.readString("detail"));
  }

  @Override
  public void write(CompactWriter writer, JournalEntry entry) {
    writer.writeString("rolloutId", entry.rolloutId());
    writer.writeString("host", entry.host());
    writer.writeString("state", entry.state().name());
    writer.writeTimestampWithTimezone("at", CompactTimes.toTimestamp(entry.at()));
    writer.writeString("detail", entry.detail());
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<JournalEntry> getCompactClass() {
    return JournalEntry.class;
  }
}
