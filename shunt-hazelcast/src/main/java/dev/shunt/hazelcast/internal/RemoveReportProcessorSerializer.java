package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

/** {@link RemoveReportProcessor} as the Compact type {@value #TYPE_NAME}; one field, {@code checker}. */
public final class RemoveReportProcessorSerializer implements CompactSerializer<RemoveReportProcessor> {
  static final String TYPE_NAME = "shunt.RemoveReportProcessor";

  @Override
  public RemoveReportProcessor read(CompactReader reader) {
    return new RemoveReportProcessor(reader.readString("checker"));
  }

  @Override
  public void write(CompactWriter writer, RemoveReportProcessor processor) {
    writer.writeString("checker", processor.checker());
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<RemoveReportProcessor> getCompactClass() {
    return RemoveReportProcessor.class;
  }
}
