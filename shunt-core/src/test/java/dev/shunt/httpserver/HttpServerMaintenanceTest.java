package dev.shunt.httpserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.MaintenanceResponder;
import dev.shunt.StatusStore;
import org.junit.jupiter.api.Test;

/** {@link HttpServerMaintenance}: what the filter says about itself (its behaviour is in MaintenanceResponderTest). */
class HttpServerMaintenanceTest {

  @Test
  void filterDescribesItselfByTheService() {
    MaintenanceResponder responder = MaintenanceResponder.builder()
        .store(StatusStore.inMemory()).service("checkout").healthPath("/health"::equals).build();

    assertThat(HttpServerMaintenance.filter(responder).description()).isEqualTo("shunt maintenance mode of checkout");
  }
}
