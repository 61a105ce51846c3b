package dev.shunt.hazelcast.internal;

import dev.shunt.CheckerReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The value of the checks map: the latest report of each checker of one instance, in the order
 * the checkers first reported. Immutable.
 */
public record CheckerReports(List<CheckerReport> reports) {
  /** No reports yet. */
  public static final CheckerReports NONE = new CheckerReports(List.of());

  public CheckerReports {
    reports = List.copyOf(reports);
  }

  /** These reports without the one of {@code checker}. */
  public CheckerReports without(String checker) {
    return new CheckerReports(reports.stream().filter(report -> !report.checker().equals(checker)).toList());
  }

  /** These reports with {@code report} replacing the one of the same checker, or added. */
  public CheckerReports with(CheckerReport report) {
    Objects.requireNonNull(report, "report");
    List<CheckerReport> next = new ArrayList<>(reports);
    for (int i = 0; i < next.size(); i++) {
      if (next.get(i).checker().equals(report.checker())) {
        next.set(i, report);
        return new CheckerReports(next);
      }
    }
    next.add(report);
    return new CheckerReports(next);
  }
}
