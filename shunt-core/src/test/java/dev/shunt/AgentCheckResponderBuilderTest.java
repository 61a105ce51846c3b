package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentCheckResponderBuilderTest {
  private static final HealthResponder RESPONDER = HealthResponder.builder()
      .store(StatusStore.inMemory()).key(InstanceKey.of("checkout", "web-1")).build();

  private static AgentCheckResponder.Builder valid() {
    return AgentCheckResponder.builder()
        .responder(RESPONDER)
        .bindAddress(InetAddress.getLoopbackAddress())
        .port(0);
  }

  @Test
  void missingResponderFailsAtBuild() {
    AgentCheckResponder.Builder builder = valid().responder(null);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("responder must be set, was null");
  }

  @Test
  void missingBindAddressFailsAtBuild() {
    AgentCheckResponder.Builder builder = valid().bindAddress(null);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bindAddress must be set, was null: the address HAProxy connects to (0.0.0.0 for every interface)");
  }

  @Test
  void missingPortFailsAtBuild() {
    AgentCheckResponder.Builder builder = AgentCheckResponder.builder()
        .responder(RESPONDER).bindAddress(InetAddress.getLoopbackAddress());

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be from 1 to 65535 (or 0 for any free port), was null");
  }

  @Test
  void negativePortFailsAtBuild() {
    AgentCheckResponder.Builder builder = valid().port(-1);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be from 1 to 65535 (or 0 for any free port), was -1");
  }

  @Test
  void portAbove65535FailsAtBuild() {
    AgentCheckResponder.Builder builder = valid().port(65536);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be from 1 to 65535 (or 0 for any free port), was 65536");
  }

  @Test
  void nullWeightFailsAtBuild() {
    AgentCheckResponder.Builder builder = valid().weight(null);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight must be set, was null");
  }

  @Test
  void zeroAnswerTimeoutFailsAtBuild() {
    AgentCheckResponder.Builder builder = valid().answerTimeout(Duration.ZERO);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("answerTimeout must be positive, was PT0S");
  }

  @Test
  void nullAnswerTimeoutFailsAtBuild() {
    AgentCheckResponder.Builder builder = valid().answerTimeout(null);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("answerTimeout must be positive, was null");
  }

  @Test
  void buildDoesNotStartListening() {
    AgentCheckResponder agent = valid().build();

    assertThatThrownBy(agent::port)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("port() is known once start() has bound it; configured: 0");
  }

  @Test
  void zeroMaxConnectionsPerAddressFailsAtBuild() {
    AgentCheckResponder.Builder builder = valid().maxConnectionsPerAddress(0);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConnectionsPerAddress must be from 1 to 256, was 0");
  }

  @Test
  void maxConnectionsPerAddressAbove256FailsAtBuild() {
    AgentCheckResponder.Builder builder = valid().maxConnectionsPerAddress(257);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConnectionsPerAddress must be from 1 to 256, was 257");
  }

  @Test
  void maxConnectionsPerAddressDefaultsTo8() {
    assertThat(valid().build().toString()).contains("maxConnectionsPerAddress=8");
  }

  @Test
  void toBuilderKeepsTheConfiguration() {
    AgentCheckResponder agent = valid().port(8081).answerTimeout(Duration.ofMillis(250))
        .maxConnectionsPerAddress(3).build();

    assertThat(agent.toBuilder().build()).hasToString(agent.toString());
    assertThat(agent.toString()).contains("checkout/web-1", ":8081", "answerTimeout=PT0.25S",
        "maxConnectionsPerAddress=3");
  }
}
