package dev.shunt;

/**
 * The root of every exception shunt throws. Unchecked: a caller who wants to handle shunt's
 * failures catches this one type; a caller who does not is not forced to.
 *
 * <p>Subclasses name the failures worth telling apart ({@link StepFailedException},
 * {@link ShuntTimeoutException}, {@link StoreException}…). The cause, when there is one, is
 * always kept.
 */
public class ShuntException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ShuntException(String message) {
    super(message);
  }

  public ShuntException(String message, Throwable cause) {
    super(message, cause);
  }
}
