package dev.shunt.workflow;

import dev.shunt.BudgetExceededException;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.ShuntTimeoutException;
import dev.shunt.Step;
import dev.shunt.StepContext;
import dev.shunt.StepDescription;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The steps that take a host out of rotation and put it back, through the rollout's store.
 *
 * <p>A shunt honours the service's {@link dev.shunt.DisruptionBudget}: while the store refuses it
 * because as many hosts are out as the budget allows, the step waits, trying again every
 * {@code budgetPoll}, for at most {@code budgetWait}, and logs which hosts hold the budget each
 * time they change; it never takes a host out beyond the budget. If the rollout is cancelled
 * meanwhile it gives up without shunting ({@link RolloutCancelledException}); if the wait runs out
 * it fails with a {@link ShuntTimeoutException}.
 *
 * <p>A shunt with a time to live is a lease: while the rollout works on the host, it renews the
 * shunt every third of its time to live, until the host's unshunt step or until the rollout is done
 * with the host; so a time to live may be shorter than a host's restart, and a shunt left by a
 * rollout that died, or by a host that failed, ends by itself one time to live later.
 *
 * <p>Defaults: wait at most 10 minutes for the budget, trying every 250 ms. Immutable and thread-safe.
 */
public final class ShuntStep implements Step {
  private static final Duration DEFAULT_BUDGET_WAIT = Duration.ofMinutes(10);
  private static final Duration DEFAULT_BUDGET_POLL = Duration.ofMillis(250);

  private final ShuntRequest request;
  private final Duration budgetWait;
  private final Duration budgetPoll;

  private ShuntStep(ShuntRequest request, Duration budgetWait, Duration budgetPoll) {
    this.request = request;
    this.budgetWait = budgetWait;
    this.budgetPoll = budgetPoll;
  }

  /**
   * A step that shunts the host with {@code request}'s reason, owner and time to live.
   *
   * @param request the shunt's reason, owner and time to live
   * @return the step
   */
  public static ShuntStep shunt(ShuntRequest request) {
    return new ShuntStep(Objects.requireNonNull(request, "request"), DEFAULT_BUDGET_WAIT, DEFAULT_BUDGET_POLL);
  }

  /**
   * A step that puts the host back in rotation.
   *
   * @return the step
   */
  public static ShuntStep unshunt() {
    return new ShuntStep(null, DEFAULT_BUDGET_WAIT, DEFAULT_BUDGET_POLL);
  }

  /**
   * This shunt step, waiting at most {@code wait} for room in the disruption budget and trying
   * again every {@code poll}.
   *
   * @param wait the longest wait for room
   * @param poll the time between two tries
   * @return a copy that waits
   * @throws IllegalArgumentException if a duration is not positive, or this is the unshunt step
   */
  public ShuntStep budgetWait(Duration wait, Duration poll) {
    if (request == null) {
      throw new IllegalArgumentException("budgetWait applies to a shunt, not to unshunt");
    }
    return new ShuntStep(request, Durations.requirePositive("budgetWait", wait),
        Durations.requirePositive("budgetPoll", poll));
  }

  @Override
  public void run(StepContext context) throws InterruptedException {
    if (request == null) {
      context.store().unshunt(context.key());
      context.outcome("in rotation");
      return;
    }
    Instant start = context.clock().instant();
    Instant deadline = start.plus(budgetWait);
    Set<String> holders = null;
    while (true) {
      try {
        ShuntStatus status = context.store().shunt(context.key(), request);
        context.outcome(holders == null ? status.toString() : status + " after waiting "
            + Duration.between(start, context.clock().instant()).toMillis() + " ms for the disruption budget");
        return;
      } catch (BudgetExceededException refused) {
        if (!refused.shuntedHosts().equals(holders)) {
          holders = refused.shuntedHosts();
          context.log("waiting for the disruption budget of " + context.key().service() + " (maxUnavailable "
              + refused.budget() + "), held by " + holders.stream().sorted().toList());
        }
        if (context.cancelRequested()) {
          throw new RolloutCancelledException("gave up waiting for the disruption budget: the rollout is stopping;"
              + " not shunted");
        }
        if (!context.clock().instant().plus(budgetPoll).isBefore(deadline)) {
          throw new ShuntTimeoutException(refused.getMessage() + "; waited " + budgetWait + " for room", budgetWait);
        }
        Thread.sleep(budgetPoll.toMillis());
      }
    }
  }

  /**
   * What this step shunts with; empty for the unshunt step.
   *
   * @return the request, or empty
   */
  public Optional<ShuntRequest> request() {
    return Optional.ofNullable(request);
  }

  @Override
  public String name() {
    return request == null ? "unshunt" : "shunt";
  }

  @Override
  public StepDescription describe() {
    if (request == null) {
      return StepDescription.of(name(), StepDescription.Kind.UNSHUNT);
    }
    return StepDescription.of(name(), StepDescription.Kind.SHUNT).withTimeout(budgetWait)
        .with("reason", request.reason()).with("owner", request.owner())
        .with("ttl", request.ttl().map(Duration::toString).orElse("none"))
        .with("budgetPoll", budgetPoll);
  }

  @Override
  public String toString() {
    return request == null ? "unshunt" : "shunt(" + request + ")";
  }
}
