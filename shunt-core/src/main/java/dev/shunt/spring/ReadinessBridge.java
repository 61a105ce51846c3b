package dev.shunt.spring;

import dev.shunt.HealthState;
import java.lang.System.Logger.Level;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Spring's {@link ReadinessState} and shunt, each following the other ({@code
 * shunt.readiness.bridge=true}). Shunted or shutting down, it publishes {@code REFUSING_TRAFFIC}
 * (once Spring accepts traffic), and {@code ACCEPTING_TRAFFIC} again when the instance is back in
 * rotation, but only to undo its own refusal. A refusal anyone else published (the app, Spring
 * before the app is ready) makes the health path answer "down" through {@link
 * #otherRefusesTraffic()}, the responder's {@code sickIf}; its own refusal does not, or an
 * unshunt could never end it. Thread-safe.
 */
final class ReadinessBridge implements ApplicationListener<AvailabilityChangeEvent<?>> {
  private static final System.Logger LOG = System.getLogger(ReadinessBridge.class.getName());

  private final ApplicationEventPublisher publisher;
  private volatile ReadinessState readiness = ReadinessState.REFUSING_TRAFFIC;
  private volatile boolean refusedByShunt;

  ReadinessBridge(ApplicationEventPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
    if (event.getState() instanceof ReadinessState state) {
      readiness = state;
      if (event.getSource() != this) {
        refusedByShunt = false;
      }
    }
  }

  /** Whether Spring's readiness is {@code REFUSING_TRAFFIC} by someone else's word. */
  boolean otherRefusesTraffic() {
    return readiness == ReadinessState.REFUSING_TRAFFIC && !refusedByShunt;
  }

  /** Publishes what {@code state} means for readiness, when that changes it. */
  synchronized void follow(HealthState state) {
    boolean out = state == HealthState.SHUNTED || state == HealthState.SHUTTING_DOWN;
    if (out && readiness == ReadinessState.ACCEPTING_TRAFFIC) {
      refusedByShunt = true;
      LOG.log(Level.INFO, "the instance is " + state.label() + ": Spring's readiness is now REFUSING_TRAFFIC");
      AvailabilityChangeEvent.publish(publisher, this, ReadinessState.REFUSING_TRAFFIC);
    } else if (!out && refusedByShunt) {
      refusedByShunt = false;
      LOG.log(Level.INFO, "the instance is " + state.label() + ": Spring's readiness is ACCEPTING_TRAFFIC again");
      AvailabilityChangeEvent.publish(publisher, this, ReadinessState.ACCEPTING_TRAFFIC);
    }
  }
}
