package dev.shunt.workflow.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/**
 * A range of HTTP statuses from the command line, {@code 200-399} or a single {@code 204}; the
 * step that uses it checks the bounds.
 *
 * @param min the lowest status, inclusive
 * @param max the highest status, inclusive
 */
record StatusRange(int min, int max) {
  private static final Pattern RANGE = Pattern.compile("(\\d{3})(?:-(\\d{3}))?");

  /** Reads {@code 200-399} or {@code 204}. */
  static StatusRange parse(String value) {
    Matcher matcher = RANGE.matcher(value);
    if (!matcher.matches()) {
      throw new TypeConversionException("'" + value + "' is not a status or a range of statuses such as 200-399");
    }
    int min = Integer.parseInt(matcher.group(1));
    return new StatusRange(min, matcher.group(2) == null ? min : Integer.parseInt(matcher.group(2)));
  }

  @Override
  public String toString() {
    return min + ".." + max;
  }
}
