package dev.shunt.spring;

import dev.shunt.HealthResponder;
import dev.shunt.HealthState;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the actuator's {@code shunt} health indicator shows, for Spring Boot 3 and 4 alike: status
 * {@code UP} in rotation, {@code OUT_OF_SERVICE} shunted or shutting down, {@code DOWN} sick; the
 * details name the key, the state, the shunt's reason, owner and expiry, maintenance mode, and the
 * requests in flight. A store it cannot read is a detail, never a failure. Thread-safe.
 */
final class ShuntHealth {
  private final HealthResponder responder;
  private final StatusStore store;
  private final Clock clock;

  ShuntHealth(HealthResponder responder, StatusStore store, Clock clock) {
    this.responder = responder;
    this.store = store;
    this.clock = clock;
  }

  /** The status code: {@code UP}, {@code OUT_OF_SERVICE} or {@code DOWN}. */
  static String statusCode(HealthState state) {
    return switch (state) {
      case IN_ROTATION -> "UP";
      case SHUNTED, SHUTTING_DOWN -> "OUT_OF_SERVICE";
      case SICK -> "DOWN";
    };
  }

  /** The state now and its details, in a fixed order. */
  Snapshot snapshot() {
    HealthState state = responder.state();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("state", state.label());
    details.put("key", responder.key().toString());
    details.put("healthPath", responder.path());
    details.put("inFlight", responder.inFlight().current());
    Instant now = clock.instant();
    try {
      ShuntStatus status = store.status(responder.key());
      if (status.isShuntedAt(now)) {
        details.put("shuntReason", status.reason());
        details.put("shuntOwner", status.owner());
        details.put("shuntedSince", String.valueOf(status.since()));
        status.expiry().ifPresent(expiry -> details.put("shuntExpires", expiry.toString()));
      }
      Optional<MaintenanceFlag> maintenance = store.maintenance(responder.key().service()).filter(flag -> flag.isOnAt(now));
      details.put("maintenance", maintenance.isPresent());
      maintenance.ifPresent(flag -> details.put("maintenanceReason", flag.reason()));
    } catch (RuntimeException e) {
      details.put("storeProblem", e.getMessage() == null ? e.toString() : e.getMessage());
    }
    return new Snapshot(statusCode(state), details);
  }

  /** A status code and details. */
  record Snapshot(String status, Map<String, Object> details) {}
}
