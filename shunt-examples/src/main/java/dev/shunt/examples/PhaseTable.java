package dev.shunt.examples;

import dev.shunt.workflow.HostReport;
import java.util.List;

/**
 * The columns of a per-host table of the time a {@link DemoFleet#rollout() demo rollout} spent in
 * each of its steps, in milliseconds: for the demo's summary and the benchmarks.
 */
public final class PhaseTable {
  /** The demo rollout's steps, in order. */
  public static final List<String> PHASES = List.of("shunt", "drain", "restart", "ready", "unshunt", "rotation");

  private PhaseTable() {}

  /** The column headings, one 9-character column per phase. */
  public static String header() {
    StringBuilder header = new StringBuilder();
    PHASES.forEach(phase -> header.append(String.format("%9s", phase)));
    return header.toString();
  }

  /** A host's milliseconds in each phase, under {@link #header()}. */
  public static String row(HostReport host) {
    StringBuilder row = new StringBuilder();
    PHASES.forEach(phase -> row.append(String.format("%9d", host.timeIn(phase).toMillis())));
    return row.toString();
  }
}
