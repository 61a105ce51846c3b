package dev.shunt.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The path a {@link dev.shunt.HealthResponder} answers: one exact path, a prefix or a regular
 * expression, and whether a request's path is it. Immutable and thread-safe.
 */
public final class HealthPath {
  /** How the path is matched; each is set by the builder method of its {@link #field() name}. */
  public enum Match {
    EXACT("path"), PREFIX("pathPrefix"), PATTERN("pathPattern");

    private final String field;

    Match(String field) {
      this.field = field;
    }

    /** The builder field that sets this kind of path, for messages. */
    public String field() {
      return field;
    }
  }

  private final Match match;
  private final String path;
  private final Pattern pattern;

  /**
   * @param path starts with {@code /}, or for {@link Match#PATTERN} is a valid regular expression
   *     (the builder checked it)
   */
  public HealthPath(Match match, String path) {
    this.match = match;
    this.path = path;
    this.pattern = match == Match.PATTERN ? Pattern.compile(path) : null;
  }

  public Match match() {
    return match;
  }

  public String path() {
    return path;
  }

  /**
   * Whether {@code requestPath}, as the client sent it (percent-encoded, without the query), is
   * the health path under every {@linkplain PathReadings reading}: decoded as sent, and with its
   * dot segments resolved. A path that cannot be read safely is not.
   */
  public boolean matches(String requestPath) {
    return PathReadings.every(requestPath, this::matchesDecoded);
  }

  private boolean matchesDecoded(String decodedPath) {
    return switch (match) {
      case EXACT -> path.equals(decodedPath);
      case PREFIX -> decodedPath.startsWith(path);
      case PATTERN -> pattern.matcher(decodedPath).matches();
    };
  }

  /** E.g. {@code prefix /health}. */
  @Override
  public String toString() {
    return match.name().toLowerCase(Locale.ROOT) + " " + path;
  }
}
