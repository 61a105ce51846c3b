package dev.shunt.hazelcast.internal;

import com.hazelcast.map.EntryProcessor;
import dev.shunt.CheckerReport;
import java.io.ObjectStreamException;
import java.util.Map;
import java.util.Objects;

/**
 * Records one checker's report on the member that owns the key, replacing that checker's
 * previous report and keeping the others: atomic per key, so concurrent reports of several
 * checkers (several load balancers) never overwrite each other. Immutable; returns nothing.
 */
public final class ReportProcessor implements EntryProcessor<MapKey, CheckerReports, Void> {
  private final CheckerReport report;

  public ReportProcessor(CheckerReport report) {
    this.report = Objects.requireNonNull(report, "report");
  }

  /** The report this processor records. */
  public CheckerReport report() {
    return report;
  }

  @Override
  public Void process(Map.Entry<MapKey, CheckerReports> entry) {
    CheckerReports current = entry.getValue();
    entry.setValue((current == null ? CheckerReports.NONE : current).with(report));
    return null;
  }

  private Object writeReplace() throws ObjectStreamException {
    throw CompactOnly.refuseJavaSerialization(this);
  }
}
