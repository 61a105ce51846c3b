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

class AwaitHaproxyDrainStepBuilderTest {
  private static final HaproxyRuntimeApi API = HaproxyRuntimeApi.unixSocket(Path.of("/run/haproxy/admin.sock"));

  private static AwaitHaproxyDrainStep.Builder minimal() {
    return AwaitHaproxyDrainStep.builder().runtimeApi(API).backend("web");
  }

  @Test
  void defaultsAreTheHostAsServerAndThirtySecondsGoingOnAfter() {
    AwaitHaproxyDrainStep step = minimal().build();

    assertThat(step.name()).isEqualTo("haproxy-drain");
    assertThat(step).hasToString("haproxy-drain(unix:/run/haproxy/admin.sock, server web/{host}, timeout=PT30S)");
  }

  @Test
  void serverTemplateAndFailOnTimeoutShowInTheDescription() {
    assertThat(minimal().server("{host}-http").timeout(Duration.ofSeconds(10)).failOnTimeout(true).build())
        .hasToString("haproxy-drain(unix:/run/haproxy/admin.sock, server web/{host}-http, timeout=PT10S, failOnTimeout)");
  }

  @Test
  void serverCanBeComputedFromTheHost() {
    assertThat(minimal().server(host -> host.substring(0, host.indexOf('.'))).build().toString())
        .isEqualTo("haproxy-drain(unix:/run/haproxy/admin.sock, server web/<computed from the host>, timeout=PT30S)");
  }

  @Test
  void rejectsMissingRuntimeApi() {
    assertThatIllegalArgumentException().isThrownBy(() -> AwaitHaproxyDrainStep.builder().backend("web").build())
        .withMessage("runtimeApi must be set, was null");
  }

  @Test
  void rejectsMissingBackend() {
    assertThatIllegalArgumentException().isThrownBy(() -> AwaitHaproxyDrainStep.builder().runtimeApi(API).build())
        .withMessage("backend must not be blank, was null");
  }

  @Test
  void rejectsBlankServer() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().server(""))
        .withMessage("server must not be blank, was ''");
  }

  @Test
  void rejectsZeroTimeout() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().timeout(Duration.ZERO).build())
        .withMessage("timeout must be a positive duration, was PT0S");
  }

  @Test
  void rejectsNegativePollInterval() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().pollInterval(Duration.ofMillis(-1)).build())
        .withMessage("pollInterval must be a positive duration, was PT-0.001S");
  }

  @Test
  void rejectsBlankName() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().name("").build())
        .withMessage("name must not be blank, was ''");
  }

  private static Arguments bad(String call, ThrowingCallable setter, String message) {
    return Arguments.of(call, setter, message);
  }

  /** Each setter's bad values, on a fresh builder, with the message that names the field, the value and the rule. */
  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("name(\"\")", () -> AwaitHaproxyDrainStep.builder().name(""), "name must not be blank, was ''"),
        bad("name(null)", () -> AwaitHaproxyDrainStep.builder().name(null), "name must not be blank, was null"),
        bad("runtimeApi(null)", () -> AwaitHaproxyDrainStep.builder().runtimeApi(null), "runtimeApi must be set, was null"),
        bad("backend(null)", () -> AwaitHaproxyDrainStep.builder().backend(null), "backend must not be blank, was null"),
        bad("backend(\" \")", () -> AwaitHaproxyDrainStep.builder().backend(" "), "backend must not be blank, was ' '"),
        bad("server(\"\")", () -> AwaitHaproxyDrainStep.builder().server(""), "server must not be blank, was ''"),
        bad("server(\"app-{n}\")", () -> AwaitHaproxyDrainStep.builder().server("app-{n}"),
            "server must hold no placeholder but {host} and {index}, was 'app-{n}'"),
        bad("server((Function) null)", () -> AwaitHaproxyDrainStep.builder().server((Function<String, String>) null),
            "server must be set, was null"),
        bad("timeout(0)", () -> AwaitHaproxyDrainStep.builder().timeout(Duration.ZERO), "timeout must be a positive duration, was PT0S"),
        bad("pollInterval(-1 ms)", () -> AwaitHaproxyDrainStep.builder().pollInterval(Duration.ofMillis(-1)),
            "pollInterval must be a positive duration, was PT-0.001S"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void setterRejectsABadValueAsItIsGiven(String call, ThrowingCallable setter, String message) {
    assertThatIllegalArgumentException().isThrownBy(setter).withMessage(message);
  }
}
