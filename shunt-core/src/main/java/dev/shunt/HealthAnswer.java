package dev.shunt;

import java.util.Map;
import java.util.Objects;

/**
 * An HTTP answer a responder gives to one {@link RequestInfo}: what a {@link HealthResponder}
 * answers to a health check, and what a {@link MaintenanceResponder} answers instead of the
 * application (the maintenance page, or the redirect from the page path). Adapters write it out
 * as it is: the status, every header, and the body (unless the method was {@code HEAD}).
 * Immutable.
 *
 * @param status the HTTP status code
 * @param headers response headers, e.g. {@code Cache-Control: no-store}
 * @param body the response body as UTF-8 plain text
 */
public record HealthAnswer(int status, Map<String, String> headers, String body) {
  /**
   * Copies {@code headers}.
   *
   * @param status the HTTP status code
   * @param headers response headers; not null
   * @param body the response body; not null, may be empty
   */
  public HealthAnswer {
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  /**
   * Whether this answer tells the load balancer "down" (a NACK): any status outside 200–399.
   *
   * @return true for a status below 200 or above 399
   */
  public boolean isNack() {
    return status < 200 || status > 399;
  }
}
