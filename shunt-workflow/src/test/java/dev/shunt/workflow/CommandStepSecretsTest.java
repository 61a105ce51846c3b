package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.StepFailedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CommandStepSecretsTest {
  static final String TOKEN = "tok-8f3a91c2e7";

  private final RecordingContext context = RecordingContext.forHost("web-1");

  private static CommandStep shell(String script) {
    return CommandStep.builder().command("sh", "-c", script).secretEnv("TOKEN", TOKEN)
        .timeout(Duration.ofSeconds(10)).build();
  }

  static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theSecretReachesTheCommandThroughItsEnvironment() throws Exception {
    shell("printf %s \"$TOKEN\" | sha256sum | cut -d' ' -f1").run(context);

    assertThat(context.lines()).containsExactly(sha256(TOKEN));
  }

  @Test
  void theSecretIsNotAnArgumentOfTheCommand() throws Exception {
    shell("tr '\\0' ' ' < /proc/$$/cmdline; echo").run(context);

    assertThat(context.lines()).singleElement().asString().contains("sh -c").doesNotContain(TOKEN);
  }

  @Test
  void outputThatShowsTheSecretIsMasked() throws Exception {
    shell("echo \"token is $TOKEN\"; echo \"on stderr $TOKEN\" >&2").run(context);

    assertThat(context.lines()).containsExactlyInAnyOrder("token is ****", "on stderr ****");
  }

  @Test
  void theFailureOfACommandMasksTheSecretInItsArgumentsAndItsErrors() {
    CommandStep step = CommandStep.builder().command("sh", "-c", "echo \"denied for $1\" >&2; exit 1", "sh", TOKEN)
        .secretEnv("TOKEN", TOKEN).timeout(Duration.ofSeconds(10)).build();

    assertThatThrownBy(() -> step.run(context)).isInstanceOf(StepFailedException.class)
        .hasMessageContaining("exited with status 1").hasMessageContaining("denied for ****")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void descriptionAndToStringNameTheVariableButNeverTheValue() {
    CommandStep step = shell("deploy");

    assertThat(step.describe().settings()).containsEntry("secretEnv", "[TOKEN]");
    assertThat(step.describe().toString()).doesNotContain(TOKEN);
    assertThat(step.toString()).contains("secretEnv=[TOKEN]").doesNotContain(TOKEN);
    assertThat(step.secrets().mask(TOKEN)).isEqualTo(Secrets.MASK);
  }

  @Test
  void aSecretVariableNeedsAValidNameAndAValue() {
    assertThatThrownBy(() -> CommandStep.builder().command("true").secretEnv("1TOKEN", "x").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secretEnv name must be letters, digits and _, not starting with a digit, was '1TOKEN'");
    assertThatThrownBy(() -> CommandStep.builder().command("true").secretEnv("TOKEN", null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secretEnv TOKEN must have a value, was null (is the variable it is read from set?)");
  }
}
