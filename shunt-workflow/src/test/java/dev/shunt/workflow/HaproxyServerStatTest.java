package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HaproxyServerStatTest {

  private static HaproxyServerStat status(String status) {
    return new HaproxyServerStat("web", "web-1", status, 0, 1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DOWN", "DOWN 1/2", "DOWN (agent)", "NOLB", "NOLB 1/2", "MAINT", "MAINT (via web/web-2)",
      "MAINT (resolution)", "DRAIN", "DRAIN (agent)"})
  void isOutOfRotationWhenHaproxySendsItNoNewTraffic(String status) {
    assertThat(status(status).outOfRotation()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"UP", "UP 1/3", "UP (agent)", "no check"})
  void isInRotationWhileHaproxyStillSendsItTraffic(String status) {
    assertThat(status(status).outOfRotation()).isFalse();
  }

  @Test
  void isNamedAsTheRuntimeApiNamesIt() {
    assertThat(status("UP").name()).isEqualTo("web/web-1");
  }
}
