package dev.shunt.hazelcast.internal;

import com.hazelcast.map.EntryProcessor;
import java.io.ObjectStreamException;
import java.util.Map;
import java.util.Objects;

/**
 * Removes one checker's report on the member that owns the key, keeping the others: atomic per
 * key, like {@link ReportProcessor}. Immutable; returns nothing.
 */
public final class RemoveReportProcessor implements EntryProcessor<MapKey, CheckerReports, Void> {
  private final String checker;

  public RemoveReportProcessor(String checker) {
    this.checker = Objects.requireNonNull(checker, "checker");
  }

  /** The checker whose report this processor removes. */
  public String checker() {
    return checker;
  }

  @Override
  public Void process(Map.Entry<MapKey, CheckerReports> entry) {
    CheckerReports current = entry.getValue();
    if (current != null && current.reports().stream().anyMatch(report -> report.checker().equals(checker))) {
      entry.setValue(current.without(checker));
    }
    return null;
  }

  private Object writeReplace() throws ObjectStreamException {
    throw CompactOnly.refuseJavaSerialization(this);
  }
}
