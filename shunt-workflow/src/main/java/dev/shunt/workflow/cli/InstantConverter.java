package dev.shunt.workflow.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a moment from the command line: an ISO-8601 instant ({@code 2026-11-23T10:00:00Z}), or a
 * duration from now as {@link DurationConverter} reads it ({@code 2h}).
 */
final class InstantConverter implements ITypeConverter<Instant> {
  private final Clock clock;

  InstantConverter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Instant convert(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      try {
        return clock.instant().plus(new DurationConverter().convert(value));
      } catch (TypeConversionException notADuration) {
        throw new TypeConversionException("'" + value + "' is neither an instant such as 2026-11-23T10:00:00Z"
            + " nor a positive duration from now such as 2h");
      }
    }
  }
}
