package dev.shunt.internal;

import java.util.Locale;

/**
 * Content negotiation on an {@code Accept} header, as far as maintenance mode needs it: does the
 * client prefer JSON to HTML? Each media type gets the quality ({@code q}, default 1) of the most
 * specific range that matches it ({@code application/json} before {@code application/*} before
 * {@code *}{@code /*}); a range with a malformed quality is ignored, as RFC 9110 allows.
 */
public final class AcceptHeader {
  private AcceptHeader() {}

  /**
   * Whether {@code acceptOrNull} ranks {@code application/json} strictly above {@code text/html}.
   * No header, an empty one, or a tie ({@code *}{@code /*}) prefer HTML: browsers send such headers.
   */
  public static boolean prefersJsonToHtml(String acceptOrNull) {
    if (acceptOrNull == null || acceptOrNull.isBlank()) {
      return false;
    }
    return quality(acceptOrNull, "application", "json") > quality(acceptOrNull, "text", "html");
  }

  /** The quality {@code accept} gives {@code type/subtype}: 0 when no range matches it. */
  static double quality(String accept, String type, String subtype) {
    int bestSpecificity = -1;
    double quality = 0;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String mediaRange = parts[0].strip().toLowerCase(Locale.ROOT);
      int slash = mediaRange.indexOf('/');
      if (slash < 0) {
        continue;
      }
      String rangeType = mediaRange.substring(0, slash).strip();
      String rangeSubtype = mediaRange.substring(slash + 1).strip();
      int specificity;
      if (rangeType.equals(type) && rangeSubtype.equals(subtype)) {
        specificity = 2;
      } else if (rangeType.equals(type) && rangeSubtype.equals("*")) {
        specificity = 1;
      } else if (rangeType.equals("*") && rangeSubtype.equals("*")) {
        specificity = 0;
      } else {
        continue;
      }
      double q = quality(parts);
      if (q < 0 || specificity < bestSpecificity) {
        continue;
      }
      quality = specificity > bestSpecificity ? q : Math.max(quality, q);
      bestSpecificity = specificity;
    }
    return quality;
  }

  /** The {@code q} parameter among a range's parameters: 1 when absent, -1 when malformed. */
  private static double quality(String[] rangeParts) {
    for (int i = 1; i < rangeParts.length; i++) {
      String parameter = rangeParts[i].strip();
      int equals = parameter.indexOf('=');
      if (equals < 0 || !parameter.substring(0, equals).strip().equalsIgnoreCase("q")) {
        continue;
      }
      String value = parameter.substring(equals + 1).strip();
      // RFC 9110: "0" to "1", at most three decimals.
      if (!value.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
        return -1;
      }
      return Double.parseDouble(value);
    }
    return 1;
  }
}
