package dev.shunt.workflow;

/** What a rollout does with a host whose steps failed. */
public enum FailurePolicy {
  /** Leave it as the failed step left it: shunted if it was, for someone to look at. The default. */
  LEAVE_SHUNTED,
  /** Put it back in rotation, e.g. when the application's own health check keeps a broken host out. */
  UNSHUNT
}
