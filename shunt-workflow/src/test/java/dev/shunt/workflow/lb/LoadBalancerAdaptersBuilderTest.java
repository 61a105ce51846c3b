package dev.shunt.workflow.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The configuration rules of {@link VarnishLoadBalancer}, {@link NginxLoadBalancer} and
 * {@link CaddyLoadBalancer}: a missing field or a bad value fails at {@code build()}, naming the
 * field, its value and the rule. (HAProxy's: {@link LoadBalancerStepBuilderTest}.)
 */
class LoadBalancerAdaptersBuilderTest {
  private static final Path UPSTREAM = Path.of("/etc/nginx/upstream-web.conf");

  @Test
  void varnishDefaultsToTheDefaultInstance() {
    assertThat(VarnishLoadBalancer.builder().build().name()).isEqualTo("varnish");
    assertThat(VarnishLoadBalancer.builder().instance("/var/lib/varnish/web").build().name())
        .isEqualTo("varnish -n /var/lib/varnish/web");
  }

  @Test
  void varnishWithABlankInstanceIsRefused() {
    assertThatThrownBy(() -> VarnishLoadBalancer.builder().instance(" ").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("instance must not be blank, was ' '");
  }

  @Test
  void varnishWithoutItsExecutablesIsRefused() {
    assertThatThrownBy(() -> VarnishLoadBalancer.builder().varnishadm(null).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("varnishadm must be set, was null");
    assertThatThrownBy(() -> VarnishLoadBalancer.builder().varnishstat(null).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("varnishstat must be set, was null");
  }

  @Test
  void varnishWithANonPositiveCommandTimeoutIsRefused() {
    assertThatThrownBy(() -> VarnishLoadBalancer.builder().commandTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("commandTimeout must be positive, was PT0S");
    assertThatThrownBy(() -> VarnishLoadBalancer.builder().commandTimeout(null).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("commandTimeout must be positive, was null");
  }

  @Test
  void nginxIsNamedByItsUpstreamFile() {
    assertThat(NginxLoadBalancer.builder().upstreamFile(UPSTREAM).build().name())
        .isEqualTo("nginx /etc/nginx/upstream-web.conf");
  }

  @Test
  void nginxWithoutAnUpstreamFileIsRefused() {
    assertThatThrownBy(() -> NginxLoadBalancer.builder().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("upstreamFile must be set, was null");
  }

  @Test
  void nginxWithoutItsExecutableConfigurationOrPidFileIsRefused() {
    assertThatThrownBy(() -> NginxLoadBalancer.builder().upstreamFile(UPSTREAM).nginx(null).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("nginx must be set, was null");
    assertThatThrownBy(() -> NginxLoadBalancer.builder().upstreamFile(UPSTREAM).config(null).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("config must be set, was null");
    assertThatThrownBy(() -> NginxLoadBalancer.builder().upstreamFile(UPSTREAM).pidFile(null).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("pidFile must be set, was null");
  }

  @Test
  void nginxWithANonPositiveTimeoutIsRefused() {
    assertThatThrownBy(() -> NginxLoadBalancer.builder().upstreamFile(UPSTREAM).reloadTimeout(Duration.ofSeconds(-1))
        .build()).isInstanceOf(IllegalArgumentException.class).hasMessage("reloadTimeout must be positive, was PT-1S");
    assertThatThrownBy(() -> NginxLoadBalancer.builder().upstreamFile(UPSTREAM).commandTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("commandTimeout must be positive, was PT0S");
  }

  @Test
  void caddyDefaultsToItsAdminApiOnLocalhost() {
    assertThat(CaddyLoadBalancer.builder().build().name()).isEqualTo("caddy http://localhost:2019/");
  }

  @Test
  void caddyWithAnAdminUrlThatIsNotHttpIsRefused() {
    assertThatThrownBy(() -> CaddyLoadBalancer.builder().adminUrl("localhost:2019").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("adminUrl must be an http(s) URL, was localhost:2019");
    assertThatThrownBy(() -> CaddyLoadBalancer.builder().adminUrl(null).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("adminUrl must be an http(s) URL, was null");
  }

  @Test
  void caddyWithANonPositiveTimeoutIsRefused() {
    assertThatThrownBy(() -> CaddyLoadBalancer.builder().timeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive, was PT0S");
  }
}
