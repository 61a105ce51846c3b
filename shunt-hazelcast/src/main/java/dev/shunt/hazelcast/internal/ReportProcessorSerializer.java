package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import dev.shunt.CheckerReport;

/** {@link ReportProcessor} as the Compact type {@value #TYPE_NAME}; one field, {@code report}. */
public final class ReportProcessorSerializer implements CompactSerializer<ReportProcessor> {
  static final String TYPE_NAME = "shunt.ReportProcessor";

  @Override
  public ReportProcessor read(CompactReader reader) {
    return new ReportProcessor(reader.<CheckerReport>readCompact("report"));
  }

  @Override
  public void write(CompactWriter writer, ReportProcessor processor) {
    writer.writeCompact("report", processor.report());
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<ReportProcessor> getCompactClass() {
    return ReportProcessor.class;
  }
}
