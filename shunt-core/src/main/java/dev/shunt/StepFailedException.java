package dev.shunt;

/** A {@link Step} did not succeed on a host: the message says which step, which host and why. */
public class StepFailedException extends ShuntException {
  private static final long serialVersionUID = 1L;

  public StepFailedException(String message) {
    super(message);
  }

  public StepFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
