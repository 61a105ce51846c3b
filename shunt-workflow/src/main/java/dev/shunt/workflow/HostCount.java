package dev.shunt.workflow;

/**
 * A number of hosts given as a count ({@code 3}) or as a percentage of a rollout's hosts
 * ({@code 25%}): the form of {@link Rollout.Builder#batchSize(HostCount)} and
 * {@link Rollout.Builder#maxFailures(HostCount)}. The rollout's builder checks the range each use
 * allows as it is given; this value only holds it. Immutable and thread-safe.
 *
 * @param value the count, or the percentage when {@code percent} is true
 * @param percent whether {@code value} is a percentage of the rollout's hosts
 */
public record HostCount(int value, boolean percent) {

  /**
   * Exactly {@code count} hosts.
   *
   * @param count how many hosts
   * @return a count of {@code count} hosts
   */
  public static HostCount ofHosts(int count) {
    return new HostCount(count, false);
  }

  /**
   * {@code percent}% of the rollout's hosts.
   *
   * @param percent a percentage of the rollout's hosts
   * @return a share of {@code percent}% of the hosts
   */
  public static HostCount ofPercent(int percent) {
    return new HostCount(percent, true);
  }

  /**
   * Reads {@code 3} or {@code 25%}.
   *
   * @param text a count or a percentage
   * @return the count or percentage the text describes
   * @throws IllegalArgumentException naming the text and the forms allowed
   */
  public static HostCount parse(String text) {
    String trimmed = text == null ? "" : text.strip();
    boolean percent = trimmed.endsWith("%");
    try {
      return new HostCount(Integer.parseInt(percent ? trimmed.substring(0, trimmed.length() - 1).strip() : trimmed),
          percent);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a host count must be a number such as 3 or a percentage such as 25%, was '"
          + text + "'");
    }
  }

  /**
   * How many of {@code total} hosts this is, rounded down: the form for limits such as maxFailures.
   *
   * @param total how many hosts there are
   * @return the count, or the percentage of {@code total} rounded down
   */
  public int roundedDown(int total) {
    return percent ? (int) ((long) total * value / 100) : value;
  }

  /**
   * How many of {@code total} hosts this is, rounded up: the form for sizes such as a batch.
   *
   * @param total how many hosts there are
   * @return the count, or the percentage of {@code total} rounded up
   */
  public int roundedUp(int total) {
    return percent ? (int) (((long) total * value + 99) / 100) : value;
  }

  /** {@code 3} or {@code 25%}. */
  @Override
  public String toString() {
    return percent ? value + "%" : Integer.toString(value);
  }
}
