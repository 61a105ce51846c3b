package dev.shunt;

/**
 * How many instances of a service may be out of rotation at once, whoever shunts them: a fixed
 * count ({@link #ofHosts}) or a percentage of the service's known hosts ({@link #ofPercent}).
 *
 * <p>A store holding a budget for a service enforces it atomically in
 * {@link StatusStore#shunt}: a shunt that would take one instance more out than the budget
 * allows throws {@link BudgetExceededException}; renewing a shunt that holds a place never does.
 * A percentage is taken of the hosts the store knows for the service (those
 * {@linkplain StatusStore#register registered} or ever shunted), rounded down, and never allows
 * fewer than one: a budget must not stop every rollout of a small service.
 *
 * <p>Its text form, used by stores and the command line, is {@code 2} or {@code 25%}.
 *
 * @param maxUnavailable the count, or the percentage when {@code percent} is true
 * @param percent whether {@code maxUnavailable} is a percentage of the known hosts
 */
public record DisruptionBudget(int maxUnavailable, boolean percent) {

  /**
   * @param maxUnavailable the count (at least 1), or the percentage (1 to 100) when {@code percent}
   * @param percent whether {@code maxUnavailable} is a percentage of the known hosts
   * @throws IllegalArgumentException if the count is below 1 or the percentage outside 1–100
   */
  public DisruptionBudget {
    if (maxUnavailable < 1) {
      throw new IllegalArgumentException("maxUnavailable must be >= 1, was " + maxUnavailable
          + (percent ? "%" : ""));
    }
    if (percent && maxUnavailable > 100) {
      throw new IllegalArgumentException("maxUnavailable must be <= 100%, was " + maxUnavailable + "%");
    }
  }

  /**
   * At most {@code count} instances out of rotation at once.
   *
   * @param count how many instances may be out at once, at least 1
   * @return a budget of {@code count} hosts
   */
  public static DisruptionBudget ofHosts(int count) {
    return new DisruptionBudget(count, false);
  }

  /**
   * At most {@code percent}% of the known hosts out of rotation at once (at least one).
   *
   * @param percent from 1 to 100
   * @return a budget of {@code percent}% of the known hosts
   */
  public static DisruptionBudget ofPercent(int percent) {
    return new DisruptionBudget(percent, true);
  }

  /**
   * Reads the text form: a count such as {@code 2}, or a percentage such as {@code 25%}.
   *
   * @param text a count or a percentage, e.g. {@code 2} or {@code 25%}
   * @return the budget the text describes
   * @throws IllegalArgumentException naming the text and the forms allowed
   */
  public static DisruptionBudget parse(String text) {
    String trimmed = text == null ? "" : text.strip();
    boolean percent = trimmed.endsWith("%");
    String number = percent ? trimmed.substring(0, trimmed.length() - 1).strip() : trimmed;
    int value;
    try {
      value = Integer.parseInt(number);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("maxUnavailable must be a count such as 2 or a percentage such as 25%, was '"
          + text + "'");
    }
    return new DisruptionBudget(value, percent);
  }

  /**
   * How many may be out at once when the service has {@code knownHosts} hosts.
   *
   * @param knownHosts how many hosts the service has
   * @return how many instances may be out at once, at least 1
   */
  public int allowed(int knownHosts) {
    if (!percent) {
      return maxUnavailable;
    }
    return Math.max(1, (int) ((long) knownHosts * maxUnavailable / 100));
  }

  /** The text form: {@code 2} or {@code 25%}. */
  @Override
  public String toString() {
    return percent ? maxUnavailable + "%" : Integer.toString(maxUnavailable);
  }
}
