package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.FieldKind;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import dev.shunt.CheckerReport;
import dev.shunt.internal.CheckerReportRules;

/**
 * {@link CheckerReport} as the Compact type {@value #TYPE_NAME}. Fields: {@code checker},
 * {@code nacked}, {@code consecutive}, {@code at}, {@code inFlight} (added later: a record
 * without it reads as unknown), {@code appliesAtOnce} (added later: a record without it reads as
 * false, as every report written before it was of an HTTP check), {@code storeProblem} (added
 * later: a record without it, or with null, reads as empty). Type and field names are the stored
 * format; a reader that predates a field ignores it.
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
            ? reader.readInt32("inFlight") : CheckerReportRules.IN_FLIGHT_UNKNOWN,
        reader.getFieldKind("appliesAtOnce") == FieldKind.BOOLEAN && reader.readBoolean("appliesAtOnce"),
        storeProblem(reader));
  }

  private static String storeProblem(CompactReader reader) {
    String problem = reader.getFieldKind("storeProblem") == FieldKind.STRING ? reader.readString("storeProblem") : null;
    return problem == null ? "" : problem;
  }

  @Override
  public void write(CompactWriter writer, CheckerReport report) {
    writer.writeString("checker", report.checker());
    writer.writeBoolean("nacked", report.nacked());
    writer.writeInt32("consecutive", report.consecutive());
    writer.writeTimestampWithTimezone("at", CompactTimes.toTimestamp(report.at()));
    writer.writeInt32("inFlight", report.inFlight());
    writer.writeBoolean("appliesAtOnce", report.appliesAtOnce());
    writer.writeString("storeProblem", report.storeProblem());
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
