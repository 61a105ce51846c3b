package dev.shunt.hazelcast.internal;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import dev.shunt.CheckerReport;
import java.util.Arrays;

/**
 * {@link CheckerReports} as the Compact type {@value #TYPE_NAME}: one field, {@code reports}, an
 * array of {@code shunt.CheckerReport}. Type and field names are the stored format.
 */
public final class CheckerReportsSerializer implements CompactSerializer<CheckerReports> {
  static final String TYPE_NAME = "shunt.CheckerReports";

  @Override
  public CheckerReports read(CompactReader reader) {
    CheckerReport[] reports = reader.readArrayOfCompact("reports", CheckerReport.class);
    return reports == null ? CheckerReports.NONE : new CheckerReports(Arrays.asList(reports));
  }

  @Override
  public void write(CompactWriter writer, CheckerReports reports) {
    writer.writeArrayOfCompact("reports", reports.reports().toArray(CheckerReport[]::new));
  }

  @Override
  public String getTypeName() {
    return TYPE_NAME;
  }

  @Override
  public Class<CheckerReports> getCompactClass() {
    return CheckerReports.class;
  }
}
