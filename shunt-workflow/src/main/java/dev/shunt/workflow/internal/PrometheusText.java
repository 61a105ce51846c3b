package dev.shunt.workflow.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader of Prometheus' text exposition format (version 0.0.4, and the OpenMetrics text that
 * follows its sample syntax): the samples, each a metric name, its labels and its value.
 * {@code # HELP}, {@code # TYPE}, {@code # EOF} and other comments are skipped, as are a
 * sample's timestamp and an OpenMetrics exemplar after it. Label values are unescaped
 * ({@code \\}, {@code \"}, {@code \n}); values may be {@code +Inf}, {@code -Inf} or {@code NaN}.
 *
 * <p>Written here because Prometheus' Java client ({@code io.prometheus:prometheus-metrics-*})
 * only writes the format; no parser of it is kept on Maven Central by the Prometheus project.
 * Stateless and thread-safe.
 */
public final class PrometheusText {
  private PrometheusText() {}

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  /** The text could not be read: the message names the line and what is wrong there. */
  public static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(int line, String text, String problem) {
      super("line " + line + " '" + (text.length() > 200 ? text.substring(0, 200) + "…" : text) + "': " + problem);
    }
  }

  /** A sample's value or a bucket's {@code le}: a number, {@code +Inf}, {@code -Inf} or {@code NaN}. */
  public static double number(String text) throws ParseException {
    return new LineReader(0, text).value(text);
  }

  /** Every sample of {@code text}, in order. */
  public static List<Sample> parse(String text) throws ParseException {
    List<Sample> samples = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int number = 1; number <= lines.length; number++) {
      String line = lines[number - 1];
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      samples.add(new LineReader(number, trimmed).sample());
    }
    return samples;
  }

  private static final class LineReader {
    private final int number;
    private final String line;
    private int at;

    LineReader(int number, String line) {
      this.number = number;
      this.line = line;
    }

    Sample sample() throws ParseException {
      String name = name("metric name");
      Map<String, String> labels = new LinkedHashMap<>();
      int blanks = skipBlanks();
      if (at < line.length() && line.charAt(at) == '{') {
        at++;
        labels(labels);
        blanks = skipBlanks();
      }
      if (blanks == 0) {
        throw error("expected a blank and a value after the " + (labels.isEmpty() ? "name" : "labels"));
      }
      int start = at;
      while (at < line.length() && !Character.isWhitespace(line.charAt(at))) {
        at++;
      }
      return new Sample(name, Map.copyOf(labels), value(line.substring(start, at)));
    }

    private void labels(Map<String, String> labels) throws ParseException {
      while (true) {
        skipBlanks();
        if (at < line.length() && line.charAt(at) == '}') {
          at++;
          return;
        }
        String label = name("label name");
        skipBlanks();
        expect('=');
        skipBlanks();
        expect('"');
        StringBuilder value = new StringBuilder();
        while (true) {
          if (at >= line.length()) {
            throw error("label " + label + "'s value is not closed by a quote");
          }
          char c = line.charAt(at++);
          if (c == '"') {
            break;
          }
          if (c == '\\') {
            if (at >= line.length()) {
              throw error("label " + label + "'s value ends in a lone backslash");
            }
            char escaped = line.charAt(at++);
            value.append(switch (escaped) {
              case 'n' -> '\n';
              case '\\', '"' -> escaped;
              default -> throw error("label " + label + "'s value has an unknown escape \\" + escaped);
            });
          } else {
            value.append(c);
          }
        }
        if (labels.put(label, value.toString()) != null) {
          throw error("label " + label + " appears twice");
        }
        skipBlanks();
        if (at < line.length() && line.charAt(at) == ',') {
          at++;
        } else if (at >= line.length() || line.charAt(at) != '}') {
          throw error("expected ',' or '}' after label " + label);
        }
      }
    }

    private String name(String what) throws ParseException {
      int start = at;
      while (at < line.length() && isNameChar(line.charAt(at), at == start, what.startsWith("metric"))) {
        at++;
      }
      if (at == start) {
        throw error("expected a " + what + " at column " + (at + 1));
      }
      return line.substring(start, at);
    }

    private static boolean isNameChar(char c, boolean first, boolean colonAllowed) {
      return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || (colonAllowed && c == ':')
          || !first && c >= '0' && c <= '9';
    }

    private double value(String text) throws ParseException {
      switch (text) {
        case "+Inf", "Inf" -> {
          return Double.POSITIVE_INFINITY;
        }
        case "-Inf" -> {
          return Double.NEGATIVE_INFINITY;
        }
        case "NaN" -> {
          return Double.NaN;
        }
        default -> {
          // Double.parseDouble also takes "Infinity", hex and a trailing 'd' or 'f', which the format has not.
          if (!text.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
            throw error("'" + text + "' is not a number");
          }
          return Double.parseDouble(text);
        }
      }
    }

    private int skipBlanks() {
      int start = at;
      while (at < line.length() && (line.charAt(at) == ' ' || line.charAt(at) == '\t')) {
        at++;
      }
      return at - start;
    }

    private void expect(char c) throws ParseException {
      if (at >= line.length() || line.charAt(at) != c) {
        throw error("expected '" + c + "' at column " + (at + 1));
      }
      at++;
    }

    private ParseException error(String problem) {
      return new ParseException(number, line, problem);
    }
  }
}
