package dev.shunt.workflow.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.StepDescription;
import dev.shunt.workflow.HaproxyRuntimeApi;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The configuration rules of {@link LoadBalancerStep}, the load balancer adapters ({@link HaproxyLoadBalancer},
 * {@link NginxLoadBalancer}, {@link CaddyLoadBalancer}, {@link VarnishLoadBalancer}), {@link ServerTemplate} and
 * {@link ServerState}.
 */
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

  @Test
  void loadBalancersMayBeAnImmutableList() {
    assertThat(LoadBalancerStep.takeOut().loadBalancers(List.of(LB)).build().describe().settings())
        .containsEntry("loadBalancers", "[haproxy tcp:127.0.0.1:9999 server {host}]");
  }

  private static Arguments bad(String call, ThrowingCallable setter, String message) {
    return Arguments.of(call, setter, message);
  }

  /** Each setter's bad values, on a fresh builder, with the message that names the field, the value and the rule. */
  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("name(\" \")", () -> LoadBalancerStep.takeOut().name(" "), "name must not be blank, was ' '"),
        bad("loadBalancer(null)", () -> LoadBalancerStep.takeOut().loadBalancer(LB).loadBalancer(null),
            "loadBalancers must be at least one and no null, was [" + LB + ", null]"),
        bad("loadBalancer(null, template)", () -> LoadBalancerStep.takeOut().loadBalancer(null, "{host}"),
            "loadBalancers must be at least one and no null, was [null]"),
        bad("loadBalancer(lb, null)", () -> LoadBalancerStep.takeOut().loadBalancer(LB, null), "serverTemplate must be set, was null"),
        bad("loadBalancer(lb, \"{name}\")", () -> LoadBalancerStep.takeOut().loadBalancer(LB, "{name}"),
            "server must hold no placeholder but {host} and {index}, was '{name}'"),
        bad("loadBalancers(null)", () -> LoadBalancerStep.takeOut().loadBalancers(null),
            "loadBalancers must be at least one and no null, was null"),
        bad("loadBalancers([])", () -> LoadBalancerStep.takeOut().loadBalancers(List.of()),
            "loadBalancers must be at least one and no null, was []"),
        bad("loadBalancers(a null)", () -> LoadBalancerStep.takeOut().loadBalancers(Arrays.asList(LB, null)),
            "loadBalancers must be at least one and no null, was [" + LB + ", null]"),
        bad("server(\"{name}\")", () -> LoadBalancerStep.takeOut().server("{name}"),
            "server must hold no placeholder but {host} and {index}, was '{name}'"),
        bad("server(null)", () -> LoadBalancerStep.takeOut().server(null), "server must not be blank, was null"),
        bad("timeout(0)", () -> LoadBalancerStep.takeOut().timeout(Duration.ZERO), "timeout must be a positive duration, was PT0S"),
        bad("pollInterval(null)", () -> LoadBalancerStep.putBack().pollInterval(null), "pollInterval must be a positive duration, was null"),
        bad("putBack().failOnTimeout(false)", () -> LoadBalancerStep.putBack().failOnTimeout(false),
            "failOnTimeout must be true for a put-back, was false: a host must not be left out of rotation unreported"),
        bad("HaproxyLoadBalancer runtimeApi(null)", () -> HaproxyLoadBalancer.builder().runtimeApi(null),
            "runtimeApi must be set, was null"),
        bad("HaproxyLoadBalancer backend(\"a/b\")", () -> HaproxyLoadBalancer.builder().backend("a/b"),
            "backend must be a name without '/' or spaces, was 'a/b'"),
        bad("HaproxyLoadBalancer backend(\" \")", () -> HaproxyLoadBalancer.builder().backend(" "),
            "backend must be a name without '/' or spaces, was ' '"),
        bad("NginxLoadBalancer upstreamFile(null)", () -> NginxLoadBalancer.builder().upstreamFile(null),
            "upstreamFile must be set, was null"),
        bad("NginxLoadBalancer nginx(null)", () -> NginxLoadBalancer.builder().nginx(null), "nginx must be set, was null"),
        bad("NginxLoadBalancer config(null)", () -> NginxLoadBalancer.builder().config(null), "config must be set, was null"),
        bad("NginxLoadBalancer pidFile(null)", () -> NginxLoadBalancer.builder().pidFile(null), "pidFile must be set, was null"),
        bad("NginxLoadBalancer reloadTimeout(0)", () -> NginxLoadBalancer.builder().reloadTimeout(Duration.ZERO),
            "reloadTimeout must be positive, was PT0S"),
        bad("NginxLoadBalancer commandTimeout(null)", () -> NginxLoadBalancer.builder().commandTimeout(null),
            "commandTimeout must be positive, was null"),
        bad("CaddyLoadBalancer adminUrl(\"localhost:2019\")", () -> CaddyLoadBalancer.builder().adminUrl("localhost:2019"),
            "adminUrl must be an http(s) URL, was localhost:2019"),
        bad("CaddyLoadBalancer adminUrl(null)", () -> CaddyLoadBalancer.builder().adminUrl(null), "adminUrl must be an http(s) URL, was null"),
        bad("CaddyLoadBalancer timeout(-1 s)", () -> CaddyLoadBalancer.builder().timeout(Duration.ofSeconds(-1)),
            "timeout must be positive, was PT-1S"),
        bad("VarnishLoadBalancer instance(\" \")", () -> VarnishLoadBalancer.builder().instance(" "), "instance must not be blank, was ' '"),
        bad("VarnishLoadBalancer varnishadm(null)", () -> VarnishLoadBalancer.builder().varnishadm(null), "varnishadm must be set, was null"),
        bad("VarnishLoadBalancer varnishstat(null)", () -> VarnishLoadBalancer.builder().varnishstat(null), "varnishstat must be set, was null"),
        bad("VarnishLoadBalancer commandTimeout(0)", () -> VarnishLoadBalancer.builder().commandTimeout(Duration.ZERO),
            "commandTimeout must be positive, was PT0S"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void setterRejectsABadValueAsItIsGiven(String call, ThrowingCallable setter, String message) {
    assertThatIllegalArgumentException().isThrownBy(setter).withMessage(message);
  }
}
