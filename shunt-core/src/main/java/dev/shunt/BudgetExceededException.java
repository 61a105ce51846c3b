package dev.shunt;

import java.util.Objects;
import java.util.Set;

/**
 * A shunt was refused because the service's {@link DisruptionBudget} is used up: as many
 * instances as it allows are out of rotation already. Nothing was changed; the caller may wait
 * for one of {@link #shuntedHosts()} to come back and try again.
 */
public final class BudgetExceededException extends ShuntException {
  private static final long serialVersionUID = 1L;

  private final transient InstanceKey key;
  private final transient DisruptionBudget budget;
  private final transient Set<String> shuntedHosts;

  /**
   * A refusal to shunt {@code key}.
   *
   * @param key the instance that was not shunted
   * @param budget the budget that refused it
   * @param knownHosts how many hosts the service had known, the base of a percentage budget
   * @param shuntedHosts the hosts of the service out of rotation at the time
   */
  public BudgetExceededException(InstanceKey key, DisruptionBudget budget, int knownHosts, Set<String> shuntedHosts) {
    super("cannot shunt " + key + ": the disruption budget of " + key.service() + " allows "
        + Objects.requireNonNull(budget, "budget").allowed(knownHosts) + " of " + knownHosts
        + " known host(s) out at once (maxUnavailable " + budget + "), and " + shuntedHosts.size()
        + " are out: " + shuntedHosts.stream().sorted().toList());
    this.key = key;
    this.budget = budget;
    this.shuntedHosts = Set.copyOf(shuntedHosts);
  }

  /**
   * The instance that was not shunted.
   *
   * @return the key of the instance
   */
  public InstanceKey key() {
    return key;
  }

  /**
   * The budget that refused it.
   *
   * @return the service's disruption budget at the time
   */
  public DisruptionBudget budget() {
    return budget;
  }

  /**
   * The hosts of the service that were out of rotation when the shunt was refused.
   *
   * @return the host names, unmodifiable
   */
  public Set<String> shuntedHosts() {
    return shuntedHosts;
  }
}
