package dev.shunt.workflow.lb;

import java.util.Objects;

/**
 * One server as a {@link LoadBalancer} reported it at one moment. The adapter decides what
 * drained and in rotation mean for its load balancer, e.g. for HAProxy: drained when the server
 * is {@code DRAIN}, {@code MAINT} or {@code DOWN} with no current session; in rotation when it is
 * {@code UP}. Immutable.
 *
 * @param server the server, as the load balancer names it
 * @param description the load balancer's own words, for people, e.g. {@code DRAIN with 2 sessions}
 * @param drained whether the load balancer sends it no new request and it serves none any more
 * @param inRotation whether the load balancer sends it new requests
 * @param connections the sessions or connections it serves now, {@link #UNKNOWN} when the load
 *     balancer does not say
 */
public record ServerState(String server, String description, boolean drained, boolean inRotation, int connections) {

  /** {@link #connections()} when the load balancer does not count them. */
  public static final int UNKNOWN = -1;

  /**
   * @param server the server, as the load balancer names it
   * @param description the load balancer's own words
   * @param drained whether it gets no new request and serves none
   * @param inRotation whether it gets new requests
   * @param connections the connections it serves now, or {@link #UNKNOWN}
   * @throws IllegalArgumentException if it is both drained and in rotation, or connections is below -1
   */
  public ServerState {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(description, "description");
    if (drained && inRotation) {
      throw new IllegalArgumentException("a server cannot be drained and in rotation at once, was " + server
          + " " + description);
    }
    if (connections < UNKNOWN) {
      throw new IllegalArgumentException("connections must be >= 0 or UNKNOWN (-1), was " + connections);
    }
  }

  /** {@code web/web-1: DRAIN with 0 sessions}. */
  @Override
  public String toString() {
    return server + ": " + description;
  }
}
