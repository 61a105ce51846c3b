package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import dev.shunt.DisruptionBudget;

/**
 * {@link LedgerProcessor} as the Compact type {@value #TYPE_NAME}. Fields: {@code action} (its
 * name), {@code host}, {@code budget} (text form, null for none), {@code now}, {@code until}
 * (timestamps with time zone, UTC, {@code until} null for no end).
 */
public final class LedgerProcessorSerializer implements CompactSerializer<LedgerProcessor> {
  static final String TYPE_NAME = "shunt.LedgerProcessor";

  @Override
  public LedgerProcessor read(CompactReader reader) {
    String budget = reader.readString("budget");
    return new LedgerProcessor(LedgerProcessor.Action.valueOf(reader.readString("action")),
        reader.readString("host"), budget == null ? null : DisruptionBudget.parse(budget),
        CompactTimes.toInstant(reader.readTimestampWithTimezone("now")),
        CompactTimes.toInstant(reader.readTimestampWithTimezone("until")));
  }

  @Override
  public void write(CompactWriter writer, LedgerProcessor processor) {
    writer.writeString("action", processor.action().name());
    writer.writeString("host", processor.host());
    writer.writeString("budget", processor.budget() == null ? null : processor.budget().toString());
    writer.writeTimestampWithTimezone("now", CompactTimes.toTimestamp(processor.now()));
    writer.writeTimestampWithTimezone("until", CompactTimes.toTimestamp(processor.until()));
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<LedgerProcessor> getCompactClass() {
    return LedgerProcessor.class;
  }
}
