package dev.shunt.internal;

import dev.shunt.HealthAnswer;
import dev.shunt.HealthState;
import dev.shunt.ShuntStatus;
import java.util.Map;

/**
 * What a {@link dev.shunt.HealthResponder} sends for a state: the status, the headers and the
 * body, as one line of text ({@code ok}, {@code shunted}, {@code shutting down}, {@code sick}) or
 * as JSON ({@code {"state":"shunted","since":"…","until":"…"}}, with the reason only when it is
 * to be revealed). Every answer carries {@code Cache-Control: no-store}. Immutable and
 * thread-safe.
 */
public final class HealthAnswers {
  /** The answer to a method other than {@code GET}, {@code HEAD} and {@code OPTIONS}. */
  public static final HealthAnswer METHOD_NOT_ALLOWED = new HealthAnswer(405, Map.of("Allow", "GET, HEAD, OPTIONS",
      "Cache-Control", "no-store", "Content-Type", "text/plain; charset=utf-8"), "method not allowed\n");

  private static final Map<String, String> TEXT_HEADERS = Map.of(
      "Cache-Control", "no-store", "Content-Type", "text/plain; charset=utf-8");
  private static final Map<String, String> JSON_HEADERS = Map.of(
      "Cache-Control", "no-store", "Content-Type", "application/json");

  private final int shuntedStatus;
  private final boolean json;
  private final boolean revealReason;

  /**
   * @param shuntedStatus the status while shunted (400–599); shutting down and sick are {@code 503}
   * @param json JSON bodies instead of text
   * @param revealReason whether a JSON body carries the shunt's reason
   */
  public HealthAnswers(int shuntedStatus, boolean json, boolean revealReason) {
    this.shuntedStatus = shuntedStatus;
    this.json = json;
    this.revealReason = revealReason;
  }

  /** Whether {@code method} is one a health check is answered to: {@code GET}, {@code HEAD}, {@code OPTIONS}. */
  public static boolean isCheckMethod(String method) {
    return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
  }

  /**
   * The answer for {@code state}, decided from {@code status}: the status the JSON body's
   * {@code since}, {@code until} and {@code reason} of a shunt come from.
   */
  public HealthAnswer of(HealthState state, ShuntStatus status) {
    int code = switch (state) {
      case IN_ROTATION -> 200;
      case SHUNTED -> shuntedStatus;
      case SHUTTING_DOWN, SICK -> 503;
    };
    return new HealthAnswer(code, json ? JSON_HEADERS : TEXT_HEADERS, body(state, status));
  }

  private String body(HealthState state, ShuntStatus status) {
    if (!json) {
      return state == HealthState.IN_ROTATION ? "ok\n" : state.label().replace('-', ' ') + "\n";
    }
    StringBuilder body = new StringBuilder("{\"state\":\"").append(state.label()).append('"');
    if (state == HealthState.SHUNTED) {
      body.append(",\"since\":\"").append(status.since()).append('"');
      status.expiry().ifPresent(expiry -> body.append(",\"until\":\"").append(expiry).append('"'));
      if (revealReason) {
        body.append(",\"reason\":").append(Json.quote(status.reason()));
      }
    }
    return body.append("}\n").toString();
  }
}
