package dev.shunt.spring;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** The {@code shunt} health indicator on Spring Boot 3 ({@link ShuntHealth} says what it shows). Thread-safe. */
final class Boot3ShuntHealthIndicator implements HealthIndicator {
  private final ShuntHealth health;

  Boot3ShuntHealthIndicator(ShuntHealth health) {
    this.health = health;
  }

  @Override
  public Health health() {
    ShuntHealth.Snapshot snapshot = health.snapshot();
    return Health.status(snapshot.status()).withDetails(snapshot.details()).build();
  }
}
