package dev.shunt.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.HealthState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;

/**
 * The bridge alone: Spring's events are delivered back to it as Spring's context would, and what
 * it publishes is recorded.
 */
class ReadinessBridgeTest {
  private final List<ReadinessState> published = new ArrayList<>();
  private final ReadinessBridge[] self = new ReadinessBridge[1];
  private final ReadinessBridge bridge = new ReadinessBridge(event -> {
    AvailabilityChangeEvent<?> change = (AvailabilityChangeEvent<?>) event;
    published.add((ReadinessState) change.getState());
    self[0].onApplicationEvent(change);
  });

  ReadinessBridgeTest() {
    self[0] = bridge;
  }

  private void springSays(ReadinessState state) {
    bridge.onApplicationEvent(new AvailabilityChangeEvent<>(this, state));
  }

  @Test
  void beforeSpringAcceptsTrafficTheHealthPathIsDownAndAShuntPublishesNothing() {
    assertThat(bridge.otherRefusesTraffic()).isTrue();
    bridge.follow(HealthState.SHUNTED);
    assertThat(published).isEmpty();
  }

  @Test
  void aShuntRefusesTrafficAndItsUnshuntAcceptsItAgain() {
    springSays(ReadinessState.ACCEPTING_TRAFFIC);
    bridge.follow(HealthState.IN_ROTATION);
    assertThat(published).isEmpty();

    bridge.follow(HealthState.SHUNTED);
    assertThat(published).containsExactly(ReadinessState.REFUSING_TRAFFIC);
    assertThat(bridge.otherRefusesTraffic()).as("its own refusal does not make the health path down").isFalse();
    bridge.follow(HealthState.SHUNTED);
    assertThat(published).as("once per change").hasSize(1);

    bridge.follow(HealthState.IN_ROTATION);
    assertThat(published).containsExactly(ReadinessState.REFUSING_TRAFFIC, ReadinessState.ACCEPTING_TRAFFIC);
  }

  @Test
  void aRefusalSomeoneElsePublishedIsNeverUndoneByAnUnshunt() {
    springSays(ReadinessState.ACCEPTING_TRAFFIC);
    bridge.follow(HealthState.SHUNTED);
    springSays(ReadinessState.REFUSING_TRAFFIC);
    assertThat(bridge.otherRefusesTraffic()).as("the app refused traffic itself").isTrue();

    bridge.follow(HealthState.IN_ROTATION);
    assertThat(published).containsExactly(ReadinessState.REFUSING_TRAFFIC);
    assertThat(bridge.otherRefusesTraffic()).isTrue();
  }

  @Test
  void shuttingDownRefusesTrafficToo() {
    springSays(ReadinessState.ACCEPTING_TRAFFIC);
    bridge.follow(HealthState.SHUTTING_DOWN);
    assertThat(published).containsExactly(ReadinessState.REFUSING_TRAFFIC);
  }
}
