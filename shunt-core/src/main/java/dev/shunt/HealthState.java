package dev.shunt;

/**
 * What a {@link HealthResponder} tells the load balancer about its instance, in the order the
 * responder decides it: a shutting-down instance is answered as such even if it is also shunted.
 */
public enum HealthState {
  /** Healthy and not shunted: "up". */
  IN_ROTATION,
  /** Shunted in the store: "down" (a NACK), with the configured shunted status. */
  SHUNTED,
  /** {@link HealthResponder#startShutdown()} was called: "down" until the process stops. */
  SHUTTING_DOWN,
  /** The {@code healthyIf}/{@code sickIf} check says the instance is sick: "down". */
  SICK;

  /**
   * Whether the load balancer is told "down".
   *
   * @return true when the state answers "down"
   */
  public boolean isNack() {
    return this != IN_ROTATION;
  }

  /**
   * The name used in JSON bodies and agent answers, e.g. {@code in-rotation}.
   *
   * @return the lower-case, hyphenated name
   */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
