package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.DisruptionBudget;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.ShuntTimeoutException;
import dev.shunt.StepDescription;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShuntStepTest {
  private final RecordingContext context = RecordingContext.forHost("web-1");

  @Test
  void shuntTakesTheHostOutOfRotationWithReasonAndOwner() throws Exception {
    ShuntStep.shunt(ShuntRequest.of("deploy 42", "ci")).run(context);

    ShuntStatus status = context.store().status(context.key());
    assertThat(status.shunted()).isTrue();
    assertThat(status.reason()).isEqualTo("deploy 42");
    assertThat(status.owner()).isEqualTo("ci");
    assertThat(status.expiry()).isEmpty();
  }

  @Test
  void shuntWithTtlStoresALeaseThatEndsTtlAfterTheShunt() throws Exception {
    ShuntStep.shunt(ShuntRequest.of("deploy", "ci").withTtl(Duration.ofMinutes(10))).run(context);

    ShuntStatus status = context.store().status(context.key());
    assertThat(status.expiresAt()).isEqualTo(status.since().plus(Duration.ofMinutes(10)));
  }

  @Test
  void shuntOnlyTouchesItsOwnHost() throws Exception {
    ShuntStep.shunt(ShuntRequest.of("deploy", "ci")).run(context);

    assertThat(context.store().shuntedInstances("app")).containsOnlyKeys(context.key());
  }

  @Test
  void shuntReportsTheStoredStatusAsItsOutcome() throws Exception {
    ShuntStep.shunt(ShuntRequest.of("deploy 42", "ci")).run(context);

    assertThat(context.outcome()).startsWith("shunted since ").contains("(deploy 42)").contains("by ci");
  }

  @Test
  void unshuntPutsAShuntedHostBackInRotation() throws Exception {
    ShuntStep.shunt(ShuntRequest.of("deploy", "ci")).run(context);

    ShuntStep.unshunt().run(context);

    assertThat(context.store().status(context.key())).isEqualTo(ShuntStatus.inRotation());
    assertThat(context.store().shuntedInstances("app")).isEmpty();
    assertThat(context.outcome()).isEqualTo("in rotation");
  }

  @Test
  void unshuntOfAHostInRotationLeavesItInRotation() throws Exception {
    ShuntStep.unshunt().run(context);

    assertThat(context.store().status(context.key()).shunted()).isFalse();
  }

  @Test
  void stepsAreNamedShuntAndUnshunt() throws Exception {
    assertThat(ShuntStep.shunt(ShuntRequest.of("", "")).name()).isEqualTo("shunt");
    assertThat(ShuntStep.unshunt().name()).isEqualTo("unshunt");
  }

  @Test
  void shuntRequiresARequest() throws Exception {
    assertThatNullPointerException().isThrownBy(() -> ShuntStep.shunt(null)).withMessage("request");
  }

  private final ShuntRequest deploy = ShuntRequest.of("deploy", "ci");

  /** Fills a budget of one with another host of the context's service. */
  private InstanceKey fillBudgetOfOne() {
    context.store().setBudget("app", DisruptionBudget.ofHosts(1));
    InstanceKey other = InstanceKey.of("app", "web-9");
    context.store().shunt(other, ShuntRequest.of("someone else's deploy", "ops"));
    return other;
  }

  @Test
  void shuntWaitsForRoomInTheBudgetAndShuntsOnceAHostIsBack() throws Exception {
    InstanceKey other = fillBudgetOfOne();
    ShuntStep step = ShuntStep.shunt(deploy).budgetWait(Duration.ofSeconds(10), Duration.ofMillis(10));

    CompletableFuture<Void> shunting = CompletableFuture.runAsync(() -> {
      try {
        step.run(context);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    // Once the step says it waits (however late its thread started), the budget is what holds it.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (context.lines().stream().noneMatch(line -> line.startsWith("waiting for the disruption budget"))
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(context.lines()).anyMatch(line -> line.startsWith("waiting for the disruption budget"));
    assertThat(shunting).isNotDone();
    assertThat(context.store().status(context.key()).shunted()).isFalse();

    context.store().unshunt(other);
    shunting.get(10, TimeUnit.SECONDS);
    assertThat(context.store().status(context.key()).shunted()).isTrue();
    assertThat(context.outcome()).contains("after waiting").contains("for the disruption budget");
  }

  @Test
  void shuntWaitingForTheBudgetLogsWhoHoldsIt() {
    fillBudgetOfOne();

    assertThatThrownBy(() -> ShuntStep.shunt(deploy).budgetWait(Duration.ofMillis(100), Duration.ofMillis(10))
        .run(context)).isInstanceOf(ShuntTimeoutException.class);

    assertThat(context.lines()).containsExactly(
        "waiting for the disruption budget of app (maxUnavailable 1), held by [web-9]");
  }

  @Test
  void shuntFailsWithATimeoutWhenTheBudgetStaysUsedUp() {
    fillBudgetOfOne();

    assertThatThrownBy(() -> ShuntStep.shunt(deploy).budgetWait(Duration.ofMillis(100), Duration.ofMillis(10))
        .run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("disruption budget of app allows 1")
        .hasMessageEndingWith("; waited PT0.1S for room");
    assertThat(context.store().status(context.key()).shunted()).isFalse();
  }

  @Test
  void shuntGivesUpWithoutShuntingWhenTheRolloutIsCancelledWhileItWaits() {
    fillBudgetOfOne();
    context.requestCancel();

    assertThatThrownBy(() -> ShuntStep.shunt(deploy).run(context))
        .isInstanceOf(RolloutCancelledException.class).hasMessageContaining("not shunted");
    assertThat(context.store().status(context.key()).shunted()).isFalse();
  }

  @Test
  void budgetWaitAppliesToShuntsOnly() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ShuntStep.unshunt().budgetWait(Duration.ofSeconds(1), Duration.ofMillis(10)))
        .withMessage("budgetWait applies to a shunt, not to unshunt");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ShuntStep.shunt(deploy).budgetWait(Duration.ZERO, Duration.ofMillis(10)))
        .withMessage("budgetWait must be a positive duration, was PT0S");
  }

  @Test
  void describesItselfAsShuntWithItsBudgetWaitAndUnshunt() {
    StepDescription shunt = ShuntStep.shunt(deploy.withTtl(Duration.ofMinutes(5))).describe();

    assertThat(shunt.kind()).isEqualTo(StepDescription.Kind.SHUNT);
    assertThat(shunt.timeout()).hasValue(Duration.ofMinutes(10));
    assertThat(shunt.settings()).containsEntry("reason", "deploy").containsEntry("ttl", "PT5M");
    assertThat(ShuntStep.unshunt().describe().kind()).isEqualTo(StepDescription.Kind.UNSHUNT);
  }
}
