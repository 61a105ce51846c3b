package dev.shunt;

import java.util.Objects;

/**
 * A request that reached a health endpoint, as much of it as the {@link HealthResponder} needs:
 * adapters build one per request.
 *
 * @param method the HTTP method, e.g. {@code GET}
 * @param path the request path without the query, e.g. {@code /health}
 * @param clientAddress the IP address the request came from, e.g. {@code 127.0.0.1}
 */
public record HealthCheck(String method, String path, String clientAddress) {
  public HealthCheck {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(clientAddress, "clientAddress");
  }
}
