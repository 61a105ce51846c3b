package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandStepBuilderTest {

  @Test
  void defaultsToNameCommandAndFiveMinutes() {
    CommandStep step = CommandStep.builder().command("true").build();

    assertThat(step.name()).isEqualTo("command");
    assertThat(step.toString()).isEqualTo("command([true], timeout=PT5M)");
  }

  @Test
  void nameIsUsedInReports() {
    assertThat(CommandStep.builder().name("restart").command("true").build().name()).isEqualTo("restart");
  }

  @Test
  void rejectsMissingCommand() {
    assertThatIllegalArgumentException().isThrownBy(() -> CommandStep.builder().build())
        .withMessage("command must be set, was null");
  }

  @Test
  void rejectsCommandWithoutArguments() {
    assertThatIllegalArgumentException().isThrownBy(() -> CommandStep.builder().command())
        .withMessage("command must have at least one argument, was []");
  }

  @Test
  void rejectsBlankName() {
    assertThatIllegalArgumentException().isThrownBy(() -> CommandStep.builder().name(" ").command("true").build())
        .withMessage("name must not be blank, was ' '");
  }

  @Test
  void rejectsZeroTimeout() {
    assertThatIllegalArgumentException().isThrownBy(() -> CommandStep.builder().command("true").timeout(Duration.ZERO).build())
        .withMessage("timeout must be a positive duration, was PT0S");
  }
}
