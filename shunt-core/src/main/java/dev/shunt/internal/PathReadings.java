package dev.shunt.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The ways a server or an application may read a request path, for the rules that must hold
 * under each: the maintenance allow-lists and the health path. A path arrives as the client sent
 * it, percent-encoded. It is read
 * <ol>
 *   <li><b>as sent</b>, decoded: {@code /assets/%2e%2e/admin} is {@code /assets/../admin};</li>
 *   <li><b>resolved</b>, decoded with each segment's path parameters ({@code ;jsessionid=…})
 *       dropped, dot segments resolved and empty segments collapsed, as servlet containers and
 *       file handlers do: {@code /assets/../admin}, {@code /assets/..;/admin} and
 *       {@code /assets//../admin} are all {@code /admin}.</li>
 * </ol>
 * A path passes a rule only when every reading does, so an application that resolves the path
 * reaches nothing the rule does not allow, and neither does one that takes it as sent.
 *
 * <p>A path that cannot be read safely has no reading, and so passes no rule: one that does not
 * start with {@code /}; whose percent-encoding is malformed or not UTF-8; that holds a backslash
 * (some servers read it as {@code /}) or a control character, as sent or encoded; or that
 * encodes a {@code /} ({@code %2F}) or a {@code %} ({@code %25}), which a server that splits the
 * path after decoding it, or decodes it twice, reads as another path.
 *
 * <p>Stateless and thread-safe.
 */
public final class PathReadings {
  private PathReadings() {}

  /** Whether {@code path} has at least one reading and every reading passes {@code rule}. */
  public static boolean every(String path, Predicate<String> rule) {
    List<String> readings = of(path);
    return !readings.isEmpty() && readings.stream().allMatch(rule);
  }

  /** The readings of {@code path}: as sent, then resolved if that differs; none if it cannot be read safely. */
  public static List<String> of(String path) {
    if (isPlain(path)) {
      return List.of(path);
    }
    if (path.isEmpty() || path.charAt(0) != '/') {
      return List.of();
    }
    StringBuilder asSent = new StringBuilder(path.length());
    Deque<String> resolved = new ArrayDeque<>();
    boolean endsAsDirectory = false;
    for (String segment : path.substring(1).split("/", -1)) {
      String decoded = decode(segment);
      int parameters = segment.indexOf(';');
      String name = parameters < 0 ? decoded : decode(segment.substring(0, parameters));
      if (decoded == null || name == null) {
        return List.of();
      }
      asSent.append('/').append(decoded);
      endsAsDirectory = name.isEmpty() || name.equals(".") || name.equals("..");
      if (name.equals("..")) {
        resolved.pollLast();
      } else if (!endsAsDirectory) {
        resolved.addLast(name);
      }
    }
    String resolvedPath = "/" + String.join("/", resolved) + (endsAsDirectory && !resolved.isEmpty() ? "/" : "");
    return asSent.toString().equals(resolvedPath) ? List.of(resolvedPath) : List.of(asSent.toString(), resolvedPath);
  }

  /** A path that reads the same every way: printable ASCII, nothing encoded, no parameters, no empty or dot segments. */
  private static boolean isPlain(String path) {
    if (path.isEmpty() || path.charAt(0) != '/' || path.contains("//") || path.contains("/.")) {
      return false;
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '%' || c == ';' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** One segment decoded as UTF-8; null when it is malformed or decodes to a character no segment may hold. */
  private static String decode(String segment) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c != '%') {
        int end = Character.isHighSurrogate(c) && i + 1 < segment.length() ? i + 2 : i + 1;
        bytes.writeBytes(segment.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end - 1;
        continue;
      }
      int high = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
      int low = high < 0 ? -1 : Character.digit(segment.charAt(i + 2), 16);
      if (low < 0) {
        return null;
      }
      bytes.write(high * 16 + low);
      i += 2;
    }
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == '%') {
        return null;
      }
    }
    return decoded;
  }
}
