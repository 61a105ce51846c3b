package dev.shunt.workflow.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.StepDescription;
import dev.shunt.workflow.HaproxyRuntimeApi;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The configuration rules of {@link LoadBalancerStep}, {@link HaproxyLoadBalancer}, {@link ServerTemplate} and {@link ServerState}. */
class LoadBalancerStepBuilderTest {
  private static final HaproxyLoadBalancer LB = HaproxyLoadBalancer.builder()
      .runtimeApi(HaproxyRuntimeApi.tcp("127.0.0.1", 9999)).backend("web").build();

  @Test
  void takeOutDefaultsToSixtySecondsFailingOnTimeoutAsADrain() {
    StepDescription description = LoadBalancerStep.takeOut().loadBalancer(LB).build().describe();

    assertThat(description.name()).isEqualTo("lb-take-out");
    assertThat(description.kind()).isEqualTo(StepDescription.Kind.DRAIN);
    assertThat(description.timeout()).contains(Duration.ofSeconds(60));
    assertThat(description.settings()).containsEntry("loadBalancers", "[haproxy tcp:127.0.0.1:9999 server {host}]")
        .containsEntry("afterTimeout", "fail");
  }

  @Test
  void putBackIsARotationWait() {
    StepDescription description = LoadBalancerStep.putBack().loadBalancer(LB, "app-{index}").build().describe();

    assertThat(description.name()).isEqualTo("lb-put-back");
    assertThat(description.kind()).isEqualTo(StepDescription.Kind.ROTATION);
    assertThat(description.settings()).containsEntry("loadBalancers", "[haproxy tcp:127.0.0.1:9999 server app-{index}]");
  }

  @Test
  void noLoadBalancerIsRefused() {
    assertThatThrownBy(() -> LoadBalancerStep.takeOut().build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loadBalancers must be at least one and no null, was []");
  }

  @Test
  void putBackThatWouldGoOnAfterItsTimeoutIsRefused() {
    assertThatThrownBy(() -> LoadBalancerStep.putBack().loadBalancer(LB).failOnTimeout(false).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failOnTimeout must be true for a put-back, was false: a host must not be left out of rotation unreported");
  }

  @Test
  void nonPositiveTimeoutIsRefused() {
    assertThatThrownBy(() -> LoadBalancerStep.takeOut().loadBalancer(LB).timeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be a positive duration, was PT0S");
  }

  @Test
  void templateWithAnUnknownPlaceholderIsRefused() {
    assertThatThrownBy(() -> LoadBalancerStep.takeOut().loadBalancer(LB).server("{name}").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("server must hold no placeholder but {host} and {index}, was '{name}'");
  }

  @Test
  void templateNamesTheHostAndItsPosition() {
    assertThat(ServerTemplate.of("web/{host}-{index}").apply("web-1", 3)).isEqualTo("web/web-1-3");
    assertThatThrownBy(() -> ServerTemplate.of("app-{index}").apply("web-1", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("by its position");
  }

  @Test
  void serverStateCannotBeDrainedAndInRotation() {
    assertThatThrownBy(() -> new ServerState("web/web-1", "UP", true, true, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a server cannot be drained and in rotation at once, was web/web-1 UP");
  }

  @Test
  void haproxyBackendWithASlashIsRefused() {
    assertThatThrownBy(() -> HaproxyLoadBalancer.builder().runtimeApi(HaproxyRuntimeApi.tcp("h", 1)).backend("a/b").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("backend must be a name without '/' or spaces, was 'a/b'");
    assertThatThrownBy(() -> HaproxyLoadBalancer.builder().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("runtimeApi must be set, was null");
  }
}
