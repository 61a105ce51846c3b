package dev.shunt.workflow;

/** What a rollout does with a host whose steps failed. */
public enum FailurePolicy {
  /**
   * Leave it as the failed step left it: shunted if it was, out of the load balancers it was taken
   * out of ({@link UndoableStep}), for someone to look at; the report names each
   * ({@link HostReport#leftOut()}). The default.
   */
  LEAVE_SHUNTED,
  /**
   * Put it back in rotation, e.g. when the application's own health check keeps a broken host out:
   * unshunt it, then undo every {@link UndoableStep} that started on it (put its server back in
   * every load balancer it was taken out of); the report names any that could not be undone.
   */
  UNSHUNT
}
