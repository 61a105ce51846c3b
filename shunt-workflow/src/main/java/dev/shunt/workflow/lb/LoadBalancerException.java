package dev.shunt.workflow.lb;

import dev.shunt.ShuntException;

/**
 * A {@link LoadBalancer} could not do what it was asked: it cannot be reached, does not know the
 * server, refused the command, or did not answer in time. The message names the load balancer,
 * the server and what to do; the cause, if any, is kept.
 */
public class LoadBalancerException extends ShuntException {
  private static final long serialVersionUID = 1L;

  public LoadBalancerException(String message) {
    super(message);
  }

  public LoadBalancerException(String message, Throwable cause) {
    super(message, cause);
  }
}
