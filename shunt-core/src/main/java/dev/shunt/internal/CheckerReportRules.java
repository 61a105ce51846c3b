package dev.shunt.internal;

import dev.shunt.CheckerReport;

/** How a {@link CheckerReport} is written and read by shunt's responders and stores. */
public final class CheckerReportRules {
  /**
   * The {@link CheckerReport#inFlight() inFlight} of a report from a responder that does not count
   * requests: what {@link CheckerReport#inFlightCount()} reads as empty, and what a store writes
   * and reads for it.
   */
  public static final int IN_FLIGHT_UNKNOWN = -1;

  private CheckerReportRules() {}
}
