package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SshCommandStepBuilderTest {
  private static final Path KNOWN_HOSTS = Path.of("/home/deploy/.ssh/known_hosts");
  private static final Path KEY = Path.of("/home/deploy/.ssh/id_ed25519");

  private static SshCommandStep.Builder minimal() {
    return SshCommandStep.builder().user("deploy").command("sudo systemctl restart app").privateKey(KEY)
        .knownHosts(KNOWN_HOSTS);
  }

  @Test
  void defaultsToNameSshPort22TenSecondsToConnectAndFiveMinutesToRun() {
    SshCommandStep step = minimal().build();

    assertThat(step.name()).isEqualTo("ssh");
    assertThat(step.toString()).isEqualTo("ssh(deploy@{host}:22 'sudo systemctl restart app', privateKey=" + KEY
        + ", knownHosts=" + KNOWN_HOSTS + ", connectTimeout=PT10S, commandTimeout=PT5M)");
  }

  @Test
  void toStringShowsNoPasswordOrPassphrase() {
    SshCommandStep step = minimal().privateKey(KEY, "key-passphrase-1").password("login-password-2").build();

    assertThat(step.toString())
        .doesNotContain("key-passphrase-1").doesNotContain("login-password-2")
        .contains("passphrase=***").contains("password=***");
  }

  @Test
  void toBuilderKeepsEverySetting() {
    SshCommandStep step = minimal().name("restart").port(2222).password("secret").connectTimeout(Duration.ofSeconds(3))
        .commandTimeout(Duration.ofMinutes(1)).build();

    assertThat(step.toBuilder().build().toString()).isEqualTo(step.toString());
    assertThat(step.toBuilder().name("stop").build().name()).isEqualTo("stop");
  }

  @Test
  void agentWithoutSocketUsesSshAuthSock() {
    SshCommandStep step = SshCommandStep.builder().user("deploy").command("true").agent().knownHosts(KNOWN_HOSTS).build();

    assertThat(step.toString()).contains("agent=SSH_AUTH_SOCK");
  }

  @Test
  void rejectsMissingUser() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().user(null).build())
        .withMessage("user must not be blank, was null");
  }

  @Test
  void rejectsBlankName() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().name(" ").build())
        .withMessage("name must not be blank, was ' '");
  }

  @Test
  void rejectsPortOutOfRange() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().port(0).build())
        .withMessage("port must be from 1 to 65535, was 0");
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().port(65536).build())
        .withMessage("port must be from 1 to 65535, was 65536");
  }

  @Test
  void rejectsMissingCommand() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().command((String) null).build())
        .withMessage("command must be set, was null");
  }

  @Test
  void rejectsBlankCommand() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().command("  ").build())
        .withMessage("command must not be blank, was '  '");
  }

  @Test
  void rejectsMissingAuthentication() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SshCommandStep.builder().user("deploy").command("true").knownHosts(KNOWN_HOSTS).build())
        .withMessage("authentication must be set, was none: call privateKey(file), agent() or password(password)");
  }

  @Test
  void rejectsPrivateKeyTogetherWithAgent() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().agent().build())
        .withMessage("privateKey and agent must not both be set, was privateKey=" + KEY
            + " and agent=SSH_AUTH_SOCK: choose one");
  }

  @Test
  void rejectsEmptyPassword() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().password("").build())
        .withMessage("password must not be empty, was ''");
  }

  @Test
  void requiresKnownHostsUnlessHostKeysAreAcceptedOnPurpose() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().knownHosts(null).build())
        .withMessageStartingWith("knownHosts must be set, was null")
        .withMessageContaining("insecureAcceptAnyHostKey()");
    assertThat(minimal().knownHosts(null).insecureAcceptAnyHostKey().build().toString())
        .contains("insecureAcceptAnyHostKey");
  }

  @Test
  void rejectsKnownHostsTogetherWithInsecureAcceptAnyHostKey() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().insecureAcceptAnyHostKey().build())
        .withMessage("knownHosts must not be set with insecureAcceptAnyHostKey(), was " + KNOWN_HOSTS + ": choose one");
  }

  @Test
  void rejectsZeroConnectTimeout() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().connectTimeout(Duration.ZERO).build())
        .withMessage("connectTimeout must be a positive duration, was PT0S");
  }

  @Test
  void rejectsNegativeCommandTimeout() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().commandTimeout(Duration.ofSeconds(-1)).build())
        .withMessage("commandTimeout must be a positive duration, was PT-1S");
  }

  private static Arguments bad(String call, ThrowingCallable setter, String message) {
    return Arguments.of(call, setter, message);
  }

  /** Each setter's bad values, on a fresh builder, with the message that names the field, the value and the rule. */
  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("name(\" \")", () -> SshCommandStep.builder().name(" "), "name must not be blank, was ' '"),
        bad("user(null)", () -> SshCommandStep.builder().user(null), "user must not be blank, was null"),
        bad("user(\"\")", () -> SshCommandStep.builder().user(""), "user must not be blank, was ''"),
        bad("port(0)", () -> SshCommandStep.builder().port(0), "port must be from 1 to 65535, was 0"),
        bad("port(65536)", () -> SshCommandStep.builder().port(65536), "port must be from 1 to 65535, was 65536"),
        bad("command((String) null)", () -> SshCommandStep.builder().command((String) null), "command must be set, was null"),
        bad("command(\"  \")", () -> SshCommandStep.builder().command("  "), "command must not be blank, was '  '"),
        bad("command((Function) null)", () -> SshCommandStep.builder().command((Function<String, String>) null),
            "command must be set, was null"),
        bad("password(\"\")", () -> SshCommandStep.builder().password(""), "password must not be empty, was ''"),
        bad("connectTimeout(0)", () -> SshCommandStep.builder().connectTimeout(Duration.ZERO),
            "connectTimeout must be a positive duration, was PT0S"),
        bad("commandTimeout(-1 s)", () -> SshCommandStep.builder().commandTimeout(Duration.ofSeconds(-1)),
            "commandTimeout must be a positive duration, was PT-1S"),
        bad("secretEnv(\"TOKEN\", null)", () -> SshCommandStep.builder().secretEnv("TOKEN", null),
            "secretEnv TOKEN must have a value, was null (is the variable it is read from set?)"),
        bad("secretEnv(\"TOKEN\", a line break)", () -> SshCommandStep.builder().secretEnv("TOKEN", "a\nb"),
            "secretEnv TOKEN must not hold a line break or NUL over SSH, was a value with one (its value is not shown)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void setterRejectsABadValueAsItIsGiven(String call, ThrowingCallable setter, String message) {
    assertThatIllegalArgumentException().isThrownBy(setter).withMessage(message);
  }
}
