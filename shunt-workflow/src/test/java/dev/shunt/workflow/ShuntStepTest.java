package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import java.time.Duration;
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

    assertThat(context.store().shunted("app")).containsOnlyKeys(context.key());
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
    assertThat(context.store().shunted("app")).isEmpty();
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
}
