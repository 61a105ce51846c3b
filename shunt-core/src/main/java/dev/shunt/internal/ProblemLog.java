package dev.shunt.internal;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logs a problem met on every request once, at {@code WARNING}, instead of once per request:
 * each distinct message is logged the first time it is reported, and again only after
 * {@link #clear()} (the problem went away) or once more than {@value #REMEMBERED} distinct
 * messages crowded it out. Thread-safe.
 */
public final class ProblemLog {
  private static final int REMEMBERED = 100;

  private final System.Logger logger;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  public ProblemLog(System.Logger logger) {
    this.logger = logger;
  }

  /**
   * Logs {@code message}, made {@link #printable}, unless it was logged since the last
   * {@link #clear()}.
   */
  public void warn(String message) {
    String line = printable(message);
    if (logged.size() >= REMEMBERED) {
      logged.clear();
    }
    if (logged.add(line)) {
      logger.log(Level.WARNING, line);
    }
  }

  /**
   * {@code text} with every control character (line breaks, escape sequences, NUL…) written as a
   * Unicode escape (a backslash, {@code u}, four hex digits): a problem often quotes a file or
   * header that anyone could fill with garbage, which must neither forge log lines nor drive the
   * terminal that shows them.
   */
  public static String printable(String text) {
    StringBuilder line = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) {
        line.append(String.format("\\u%04x", c));
      } else {
        line.appendCodePoint(c);
      }
    });
    return line.toString();
  }

  /** Forgets every message logged: the problems are gone, and are logged again if they come back. */
  public void clear() {
    if (!logged.isEmpty()) {
      logged.clear();
    }
  }
}
