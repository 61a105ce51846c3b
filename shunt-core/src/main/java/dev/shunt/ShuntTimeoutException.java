package dev.shunt;

import java.time.Duration;

/** Something shunt waited for did not happen within its time limit. */
public class ShuntTimeoutException extends StepFailedException {
  private static final long serialVersionUID = 1L;
  /** The limit that ran out. */
  private final Duration timeout;

  /**
   * A wait that ran out of time.
   *
   * @param message what was waited for
   * @param timeout the limit that ran out
   */
  public ShuntTimeoutException(String message, Duration timeout) {
    super(message);
    this.timeout = timeout;
  }

  /**
   * The limit that ran out.
   *
   * @return the limit that ran out
   */
  public Duration timeout() {
    return timeout;
  }
}
