package dev.shunt;

import java.time.Duration;

/** Something shunt waited for did not happen within its time limit. */
public class ShuntTimeoutException extends StepFailedException {
  private static final long serialVersionUID = 1L;
  private final Duration timeout;

  public ShuntTimeoutException(String message, Duration timeout) {
    super(message);
    this.timeout = timeout;
  }

  /** The limit that ran out. */
  public Duration timeout() {
    return timeout;
  }
}
