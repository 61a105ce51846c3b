package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  private static Arguments bad(String call, ThrowingCallable setter, String message) {
    return Arguments.of(call, setter, message);
  }

  /** Each setter's bad values, on a fresh builder, with the message that names the field, the value and the rule. */
  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("name(\" \")", () -> CommandStep.builder().name(" "), "name must not be blank, was ' '"),
        bad("name(null)", () -> CommandStep.builder().name(null), "name must not be blank, was null"),
        bad("command()", () -> CommandStep.builder().command(), "command must have at least one argument, was []"),
        bad("command((Function) null)", () -> CommandStep.builder().command((Function<String, List<String>>) null),
            "command must be set, was null"),
        bad("timeout(0)", () -> CommandStep.builder().timeout(Duration.ZERO), "timeout must be a positive duration, was PT0S"),
        bad("timeout(null)", () -> CommandStep.builder().timeout(null), "timeout must be a positive duration, was null"),
        bad("secretEnv(\"1TOKEN\", value)", () -> CommandStep.builder().secretEnv("1TOKEN", "s3cret"),
            "secretEnv name must be letters, digits and _, not starting with a digit, was '1TOKEN'"),
        bad("secretEnv(\"TOKEN\", null)", () -> CommandStep.builder().secretEnv("TOKEN", null),
            "secretEnv TOKEN must have a value, was null (is the variable it is read from set?)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void setterRejectsABadValueAsItIsGiven(String call, ThrowingCallable setter, String message) {
    assertThatIllegalArgumentException().isThrownBy(setter).withMessage(message);
  }
}
