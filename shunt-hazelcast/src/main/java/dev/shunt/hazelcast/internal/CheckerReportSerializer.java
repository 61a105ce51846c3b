package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import dev.shunt.CheckerReport;

/**
 * {@link CheckerReport} as the Compact type {@value #TYPE_NAME}. Fields: {@code checker},
 * {@code nacked}, {@code consecutive}, {@code at}. Type and field names are the stored format.
 */
public final class CheckerReportSerializer implements CompactSerializer<CheckerReport> {
  static final String TYPE_NAME = "shunt.CheckerReport";

  @Override
  public CheckerReport read(CompactReader reader) {
    return new CheckerReport(
        reader.readString("checker"),
        reader.readBoolean("nacked"),
        reader.readInt32("consecutive"),
        CompactTimes.toInstant(reader.readTimestampWithTimezone("at")));
  }

  @Override
  public void write(CompactWriter writer, CheckerReport report) {
    writer.writeString("checker", report.checker());
    writer.writeBoolean("nacked", report.nacked());
    writer.writeInt32("consecutive", report.consecutive());
    writer.writeTimestampWithTimezone("at", CompactTimes.toTimestamp(report.at()));
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<CheckerReport> getCompactClass() {
    return CheckerReport.class;
  }
}
