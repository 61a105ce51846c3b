package dev.shunt.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.HealthResponder;
import dev.shunt.HealthState;
import dev.shunt.InstanceKey;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * The auto-configuration's conditions and errors in a servlet web application context, without a
 * server (Spring Boot's {@code WebApplicationContextRunner}); what a running app answers is proven
 * in shunt-examples ({@code SpringBootActuatorStatesTest}, {@code SpringBootBehindHaproxyTest}).
 */
class ShuntAutoConfigurationTest {
  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ShuntAutoConfiguration.class))
      .withPropertyValues("shunt.healthcheck-timeout=100ms", "shunt.shutdown.nack-timeout=2s",
          "shunt.shutdown.in-flight-timeout=1s");

  @Test
  void withNeitherShuntServiceNorTheApplicationsNameTheContextFailsNamingTheProperty() {
    runner.run(context -> {
      assertThat(context).hasFailed();
      Throwable root = context.getStartupFailure();
      while (root.getCause() != null) {
        root = root.getCause();
      }
      assertThat(root).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("shunt.service must be set, or spring.application.name")
          .hasMessageContaining("e.g. shunt.service=checkout");
    });
  }

  @Test
  void theApplicationsNameIsTheServiceWhenShuntServiceIsNotSet() {
    runner.withPropertyValues("spring.application.name=checkout", "shunt.host=web-1").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(HealthResponder.class).key()).isEqualTo(InstanceKey.of("checkout", "web-1"));
    });
  }

  @Test
  void shuntServiceWinsOverTheApplicationsName() {
    runner.withPropertyValues("spring.application.name=checkout-app", "shunt.service=checkout", "shunt.host=web-1")
        .run(context -> assertThat(context.getBean(HealthResponder.class).key())
            .isEqualTo(InstanceKey.of("checkout", "web-1")));
  }

  @Test
  void shuntEnabledFalseConfiguresNothing() {
    runner.withPropertyValues("shunt.enabled=false", "shunt.service=checkout").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(HealthResponder.class);
      assertThat(context).doesNotHaveBean(ShuntLifecycle.class);
    });
  }

  @Test
  void theReadinessBridgeIsOffUnlessAskedFor() {
    runner.withPropertyValues("shunt.service=checkout").run(context -> {
      assertThat(context).doesNotHaveBean(ReadinessBridge.class);
      assertThat(context).hasSingleBean(ShuntLifecycle.class);
    });
    runner.withPropertyValues("shunt.service=checkout", "shunt.readiness.bridge=true")
        .run(context -> assertThat(context).hasSingleBean(ReadinessBridge.class));
  }

  @Test
  void anUnknownStoreSchemeFailsTheContextNamingIt() {
    runner.withPropertyValues("shunt.service=checkout", "shunt.store=nosuch://x").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("nosuch");
    });
  }

  /**
   * Stopping the context, not only closing it, stops every lifecycle bean: the instance drains and
   * then answers "down" for good, as it would on SIGTERM. A later start does not put it back.
   */
  @Test
  void stoppingTheContextDrainsTheInstanceForGood() {
    runner.withPropertyValues("shunt.service=checkout").run(context -> {
      HealthResponder responder = context.getBean(HealthResponder.class);
      assertThat(responder.state()).isEqualTo(HealthState.IN_ROTATION);

      context.stop();
      assertThat(responder.state()).isEqualTo(HealthState.SHUTTING_DOWN);

      context.start();
      assertThat(responder.state()).as("after a start that followed the stop").isEqualTo(HealthState.SHUTTING_DOWN);
    });
  }
}
