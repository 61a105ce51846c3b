package dev.shunt;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request, as much of it as shunt's responders need to decide (a health check for the
 * {@link HealthResponder}, any request for maintenance mode): adapters build one per request.
 *
 * @param method the HTTP method, e.g. {@code GET}
 * @param path the request path without the query, as the client sent it (percent-encoded, not
 *     resolved), e.g. {@code /health}: the responders decode it, once
 * @param clientAddress the IP address the request came from, e.g. {@code 127.0.0.1}
 * @param headers the request headers, looked up ignoring case: every value of a repeated header,
 *     joined with {@code ", "} in order, which HTTP defines to mean the same (RFC 9110, 5.3).
 *     Adapters must not keep only the first value: a proxy appends its own
 *     {@code X-Forwarded-For} line after any the client sent.
 */
public record RequestInfo(String method, String path, String clientAddress, Map<String, String> headers) {
  /**
   * Copies {@code headers} into a map that ignores the case of names.
   *
   * @param method the HTTP method; not null
   * @param path the request path without the query, as sent; not null
   * @param clientAddress the client's IP address; not null
   * @param headers the request headers; not null
   */
  public RequestInfo {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(clientAddress, "clientAddress");
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    headers = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * A check without headers.
   *
   * @param method the HTTP method; not null
   * @param path the request path without the query, as sent; not null
   * @param clientAddress the client's IP address; not null
   */
  public RequestInfo(String method, String path, String clientAddress) {
    this(method, path, clientAddress, Map.of());
  }

  /**
   * Header {@code name}, whatever its case, every value joined, if the request had it.
   *
   * @param name the header's name, in any case
   * @return the header's values, joined, or empty
   */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }
}
