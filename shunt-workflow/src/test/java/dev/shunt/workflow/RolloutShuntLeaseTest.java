package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.StepFailedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A shunt with a time to live is a lease the rollout renews while it works on the host, and lets
 * go of when it is done with it: a restart longer than the time to live keeps the host out, and a
 * host the rollout left behind comes back by itself.
 */
class RolloutShuntLeaseTest {
  /**
   * Renewed every third of it: a renewal may come up to two thirds of it late before the shunt
   * ends, which a starved CPU must not reach (at 300 ms, a 200 ms stall of the timer did).
   */
  private static final Duration TTL = Duration.ofSeconds(1);
  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");

  private final StatusStore store = StatusStore.inMemory();

  /** A restart that takes three times the shunt's time to live and notes whether the host stayed out. */
  private Step slowRestart(AtomicBoolean shuntedThroughout) {
    return Step.named("restart", context -> {
      long end = System.nanoTime() + TTL.multipliedBy(3).toNanos();
      while (System.nanoTime() < end) {
        if (!context.store().status(context.key()).shunted()) {
          shuntedThroughout.set(false);
        }
        Thread.sleep(10);
      }
    });
  }

  private Rollout.Builder rollout(Step... steps) {
    Rollout.Builder builder = Rollout.builder().service("checkout").hosts(List.of("web-1")).store(store)
        .listener(RolloutListener.silent());
    for (Step step : steps) {
      builder.step(step);
    }
    return builder;
  }

  @Test
  void shuntIsRenewedWhileTheHostRestartsLongerThanItsTimeToLive() {
    AtomicBoolean shuntedThroughout = new AtomicBoolean(true);

    RolloutReport report = rollout(ShuntStep.shunt(ShuntRequest.of("deploy", "ci").withTtl(TTL)),
        slowRestart(shuntedThroughout), ShuntStep.unshunt()).build().run();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.COMPLETED);
    assertThat(shuntedThroughout).as("shunted throughout the restart").isTrue();
  }

  @Test
  void noRenewalComesAfterTheUnshunt() throws InterruptedException {
    AtomicBoolean shuntedThroughout = new AtomicBoolean(true);

    rollout(ShuntStep.shunt(ShuntRequest.of("deploy", "ci").withTtl(TTL)), slowRestart(shuntedThroughout),
        ShuntStep.unshunt(), Step.named("after", context -> Thread.sleep(TTL.toMillis()))).build().run();

    Thread.sleep(TTL.toMillis());
    assertThat(store.status(WEB_1).shunted()).isFalse();
  }

  @Test
  void shuntOfAFailedHostIsNoLongerRenewedAndEndsWithItsTimeToLive() throws InterruptedException {
    RolloutReport report = rollout(ShuntStep.shunt(ShuntRequest.of("deploy", "ci").withTtl(TTL)),
        Step.named("restart", context -> {
          throw new StepFailedException("exit status 1");
        }), ShuntStep.unshunt()).build().run();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(store.status(WEB_1).shunted()).as("left shunted").isTrue();
    Thread.sleep(TTL.multipliedBy(2).toMillis());
    assertThat(store.status(WEB_1).shunted()).as("back once its time to live ran out").isFalse();
  }

  @Test
  void withoutRenewalTheSameRestartWouldOutliveTheShunt() {
    AtomicBoolean shuntedThroughout = new AtomicBoolean(true);
    Step shuntOnce = Step.named("shunt", context -> context.store().shunt(context.key(),
        ShuntRequest.of("deploy", "ci").withTtl(TTL)));

    rollout(shuntOnce, slowRestart(shuntedThroughout), ShuntStep.unshunt()).build().run();

    assertThat(shuntedThroughout).as("the control: a shunt nobody renews ends mid-restart").isFalse();
  }
}
