package dev.shunt.internal;

import dev.shunt.HealthResponder;
import dev.shunt.RequestInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which checker sent a health check, or that it proves none and is answered without being
 * recorded: named by a function of the request (the client's address by default), or by a
 * header's value, which must then be a well-formed name and, with a secret, end in
 * {@code :<secret>} (compared in constant time). Immutable and thread-safe.
 */
public final class CheckerIdentity {
  private static final Pattern CHECKER_NAME =
      Pattern.compile("[A-Za-z0-9._-]{1," + HealthResponder.MAX_CHECKER_NAME + "}");

  private final Function<RequestInfo, String> checkerId;
  private final String header;
  private final byte[] secret;

  /**
   * @param checkerId names the checker when {@code header} is null; may return null
   * @param header the header that names checkers, or null to name them by {@code checkerId}
   * @param secret what the header's value must end in after a colon, or null
   */
  public CheckerIdentity(Function<RequestInfo, String> checkerId, String header, String secret) {
    this.checkerId = checkerId;
    this.header = header;
    this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The checker that sent {@code check}, or null when it is not to be recorded: without the
   * header, with a malformed name or a wrong secret, or when {@code checkerId} returns null.
   */
  public String of(RequestInfo check) {
    if (header == null) {
      return checkerId.apply(check);
    }
    String value = check.header(header).orElse(null);
    if (value == null) {
      return null;
    }
    String name = value;
    if (secret != null) {
      int colon = value.indexOf(':');
      if (colon < 0) {
        return null;
      }
      name = value.substring(0, colon);
      byte[] given = value.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
      if (!MessageDigest.isEqual(given, secret)) {
        return null;
      }
    }
    return CHECKER_NAME.matcher(name).matches() ? name : null;
  }
}
