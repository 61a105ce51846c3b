package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.FieldKind;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import dev.shunt.CheckerReport;

/**
 * {@link CheckerReport} as the Compact type {@value #TYPE_NAME}. Fields: {@code checker},
 * {@code nacked}, {@code consecutive}, {@code at}, {@code inFlight} (added later: a record
 * without it reads as unknown), {@code appliesAtOnce} (added later: a record without it reads as
 * false, as every report written before it was of an HTTP check). Type and field names are the
 * stored format.
 */
public final class CheckerReportSerializer implements CompactSerializer<CheckerReport> {
  static final String TYPE_NAME = "shunt.CheckerReport";

  @Override
  public CheckerReport read(CompactReader reader) {
    return new CheckerReport(
        reader.readString("checker"),
        reader.readBoolean("nacked"),
        reader.readInt32("consecutive"),
        CompactTimes.toInstant(reader.readTimestampWithTimezone("at")),
        reader.getFieldKind("inFlight") == FieldKind.INT32
            ? reader.readInt32("inFlight") : CheckerReport.IN_FLIGHT_UNKNOWN,
        reader.getFieldKind("appliesAtOnce") == FieldKind.BOOLEAN && reader.readBoolean("appliesAtOnce"));
  }

  @Override
  public void write(CompactWriter writer, CheckerReport report) {
    writer.writeString("checker", report.checker());
    writer.writeBoolean("nacked", report.nacked());
    writer.writeInt32("consecutive", report.consecutive());
    writer.writeTimestampWithTimezone("at", CompactTimes.toTimestamp(report.at()));
    writer.writeInt32("inFlight", report.inFlight());
    writer.writeBoolean("appliesAtOnce", report.appliesAtOnce());
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
