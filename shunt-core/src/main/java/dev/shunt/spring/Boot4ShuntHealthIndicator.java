package dev.shunt.spring;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The {@code shunt} health indicator on Spring Boot 4 ({@link ShuntHealth} says what it shows). Thread-safe. */
final class Boot4ShuntHealthIndicator implements HealthIndicator {
  private final ShuntHealth health;

  Boot4ShuntHealthIndicator(ShuntHealth health) {
    this.health = health;
  }

  @Override
  public Health health() {
    ShuntHealth.Snapshot snapshot = health.snapshot();
    return Health.status(snapshot.status()).withDetails(snapshot.details()).build();
  }
}
