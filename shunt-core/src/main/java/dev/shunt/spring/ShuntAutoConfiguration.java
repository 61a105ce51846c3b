package dev.shunt.spring;

import dev.shunt.GracefulShutdown;
import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.MaintenanceResponder;
import dev.shunt.OpenedStore;
import dev.shunt.StatusStore;
import dev.shunt.StatusStores;
import dev.shunt.servlet.ShuntFilter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * shunt in a Spring Boot servlet app (Spring Boot 3.5 and 4.0), active when {@code shunt-core} is
 * on the class path, unless {@code shunt.enabled=false}; configured by {@link ShuntProperties}.
 * It makes:
 * <ul>
 *   <li>the {@link StatusStore} from {@code shunt.store} (unless the app has a {@code StatusStore}
 *       bean), closed with the context;</li>
 *   <li>a {@link HealthResponder} for {@code shunt.service} (default {@code
 *       spring.application.name}) on this host, answering {@code shunt.health-path};</li>
 *   <li>a {@link MaintenanceResponder} that never catches the health path nor the actuator's
 *       health endpoints;</li>
 *   <li>the {@link ShuntFilter} with both, registered for every path at the highest precedence,
 *       async supported, so it counts every request (async ones too) for the drain;</li>
 *   <li>the {@link ShuntLifecycle}: the drain on shutdown, before the web server stops;</li>
 *   <li>the actuator's {@code shunt} health indicator, when the actuator is there ({@code
 *       management.health.shunt.enabled=false} turns it off);</li>
 *   <li>with {@code shunt.readiness.bridge=true}, the bridge with Spring's {@code ReadinessState}.</li>
 * </ul>
 * Each bean backs off when the app defines one of its type (the filter: one named {@code
 * shuntFilter}).
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "jakarta.servlet.Filter")
@ConditionalOnProperty(prefix = "shunt", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ShuntProperties.class)
public class ShuntAutoConfiguration {
  /** Made by Spring. */
  public ShuntAutoConfiguration() {}

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean({StatusStore.class, OpenedStore.class})
  OpenedStore shuntOpenedStore(ShuntProperties properties) {
    return StatusStores.open(properties.getStore());
  }

  /** Closed through its {@link OpenedStore}, not by itself. */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean(StatusStore.class)
  StatusStore shuntStatusStore(OpenedStore opened) {
    return opened.store();
  }

  @Bean
  @ConditionalOnProperty(prefix = "shunt.readiness", name = "bridge", havingValue = "true")
  ReadinessBridge shuntReadinessBridge(ApplicationEventPublisher publisher) {
    return new ReadinessBridge(publisher);
  }

  @Bean
  @ConditionalOnMissingBean
  HealthResponder shuntHealthResponder(ShuntProperties properties, StatusStore store, Environment environment,
      ObjectProvider<ReadinessBridge> bridge) {
    HealthResponder.Builder builder = HealthResponder.builder()
        .store(store)
        .key(key(properties, environment))
        .path(properties.getHealthPath())
        .passThrough(properties.isPassThrough())
        .nacksBeforeShutdown(properties.getNacksBeforeShutdown())
        .healthcheckTimeout(properties.getHealthcheckTimeout());
    if (properties.getCheckerHeader() != null) {
      builder.checkerHeader(properties.getCheckerHeader());
    }
    if (properties.getCheckerSecret() != null) {
      builder.checkerSecret(properties.getCheckerSecret());
    }
    bridge.ifAvailable(readiness -> builder.sickIf(readiness::otherRefusesTraffic));
    return builder.build();
  }

  private static InstanceKey key(ShuntProperties properties, Environment environment) {
    String service = properties.getService() != null ? properties.getService()
        : environment.getProperty("spring.application.name");
    if (service == null || service.isBlank()) {
      throw new IllegalArgumentException("shunt.service must be set, or spring.application.name, was neither: the"
          + " service name of this instance's key, e.g. shunt.service=checkout");
    }
    return properties.getHost() == null ? InstanceKey.local(service) : InstanceKey.of(service, properties.getHost());
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "shunt.maintenance", name = "enabled", havingValue = "true", matchIfMissing = true)
  MaintenanceResponder shuntMaintenanceResponder(ShuntProperties properties, StatusStore store, HealthResponder health,
      Environment environment) {
    List<String> allowed = new ArrayList<>(properties.getMaintenance().getAllowedPaths());
    if (properties.getMaintenance().isExemptActuatorHealth()) {
      allowed.add(actuatorHealthPattern(environment));
    }
    return MaintenanceResponder.builder()
        .store(store)
        .service(health.key().service())
        .healthResponder(health)
        .allowedPaths(allowed.toArray(String[]::new))
        .trustedProxies(properties.getMaintenance().getTrustedProxies().toArray(String[]::new))
        .build();
  }

  /** The actuator's health endpoint and its groups, wherever the management properties put them. */
  static String actuatorHealthPattern(Environment environment) {
    String base = environment.getProperty("management.endpoints.web.base-path", "/actuator");
    String health = environment.getProperty("management.endpoints.web.path-mapping.health", "health");
    String path = (base.endsWith("/") ? base : base + "/") + (health.startsWith("/") ? health.substring(1) : health);
    return Pattern.quote(path) + "(/.*)?";
  }

  @Bean
  @ConditionalOnMissingBean(name = "shuntFilter")
  FilterRegistrationBean<ShuntFilter> shuntFilter(HealthResponder health, ObjectProvider<MaintenanceResponder> maintenance) {
    MaintenanceResponder page = maintenance.getIfAvailable();
    FilterRegistrationBean<ShuntFilter> registration = new FilterRegistrationBean<>(
        page == null ? new ShuntFilter(health) : new ShuntFilter(health, page));
    registration.setName("shunt");
    registration.setAsyncSupported(true);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.addUrlPatterns("/*");
    return registration;
  }

  @Bean
  @ConditionalOnMissingBean
  ShuntLifecycle shuntLifecycle(HealthResponder health, ShuntProperties properties,
      ObjectProvider<ReadinessBridge> bridge) {
    ShuntProperties.Shutdown limits = properties.getShutdown();
    GracefulShutdown drain = !limits.isEnabled() ? null : GracefulShutdown.builder()
        .responder(health)
        .stopServer(() -> { })   // never called: the lifecycle runs drain() alone, and Spring stops the server
        .nackTimeout(limits.getNackTimeout())
        .quietPeriod(limits.getQuietPeriod())
        .inFlightTimeout(limits.getInFlightTimeout())
        .build();
    return new ShuntLifecycle(health, drain, bridge.getIfAvailable(), properties.getReadiness().getInterval());
  }

  @Bean
  @ConditionalOnMissingBean
  ShuntHealth shuntHealth(HealthResponder health, StatusStore store) {
    return new ShuntHealth(health, store, Clock.systemUTC());
  }

  /** The {@code shunt} health indicator on Spring Boot 3's actuator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  @ConditionalOnProperty(prefix = "management.health.shunt", name = "enabled", havingValue = "true", matchIfMissing = true)
  static class Boot3Health {
    @Bean
    @ConditionalOnMissingBean(name = "shuntHealthIndicator")
    Boot3ShuntHealthIndicator shuntHealthIndicator(ShuntHealth health) {
      return new Boot3ShuntHealthIndicator(health);
    }
  }

  /** The {@code shunt} health indicator on Spring Boot 4's actuator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  @ConditionalOnProperty(prefix = "management.health.shunt", name = "enabled", havingValue = "true", matchIfMissing = true)
  static class Boot4Health {
    @Bean
    @ConditionalOnMissingBean(name = "shuntHealthIndicator")
    Boot4ShuntHealthIndicator shuntHealthIndicator(ShuntHealth health) {
      return new Boot4ShuntHealthIndicator(health);
    }
  }

  /**
   * shunt's health meters ({@link dev.shunt.micrometer.HealthResponderMetrics}: answers by state,
   * shutdowns, requests in flight) when Micrometer is on the class path; Spring Boot's actuator
   * binds every {@code MeterBinder} bean to its registry.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  @ConditionalOnProperty(prefix = "shunt.metrics", name = "enabled", havingValue = "true", matchIfMissing = true)
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    dev.shunt.micrometer.HealthResponderMetrics shuntHealthMetrics(HealthResponder health) {
      return new dev.shunt.micrometer.HealthResponderMetrics(health);
    }
  }
}
