package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.shunt.ShuntTimeoutException;
import dev.shunt.Step;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Steps run on a host name that does not resolve fail naming the host, each with its own error;
 * rows of the drill "bad configuration and bad input" (docs/RELIABILITY.md).
 */
class StepOnUnknownHostTest {
  private static final String UNKNOWN_HOST = "no-such-host.invalid";

  /** A step, and the error it must end with on {@value #UNKNOWN_HOST}. */
  record Row(String input, Step step, Consumer<Throwable> error) {
    @Override
    public String toString() {
      return input;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("SshCommandStep",
            SshCommandStep.builder().user("deploy").password("secret").insecureAcceptAnyHostKey()
                .command("sudo systemctl restart app").connectTimeout(Duration.ofSeconds(5)).build(),
            error -> {
              assertThat(error).isExactlyInstanceOf(SshException.class)
                  .hasMessage("cannot connect to " + UNKNOWN_HOST + ":22: unknown host " + UNKNOWN_HOST);
              assertThat(((SshException) error).kind()).isEqualTo(SshException.Kind.UNKNOWN_HOST);
              assertThat(((SshException) error).retryable()).as("retryable").isFalse();
            }),
        new Row("AwaitHttpStep",
            AwaitHttpStep.builder().url("http://{host}:8080/")
                .interval(Duration.ofMillis(100)).timeout(Duration.ofMillis(300)).build(),
            error -> assertThat(error).isExactlyInstanceOf(ShuntTimeoutException.class)
                .hasMessageStartingWith("http://" + UNKNOWN_HOST + ":8080/ never returned a status within 200..399"
                    + " in PT0.3S (")
                .hasMessageContaining("last: UnknownHostException: " + UNKNOWN_HOST)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void failsNamingTheHost(Row row) {
    Throwable thrown = catchThrowable(() -> row.step().run(RecordingContext.forHost(UNKNOWN_HOST)));

    assertThat(thrown).as("what %s threw", row.input()).isNotNull();
    row.error().accept(thrown);
  }
}
