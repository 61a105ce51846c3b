package dev.shunt.workflow;

import java.time.Duration;

/** Validation of the durations builders take. */
final class Durations {
  private Durations() {}

  static Duration requirePositive(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + " must be a positive duration, was " + value);
    }
    return value;
  }
}
