package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No public type a user makes a bean of has a method Spring would infer as its destroy method (a
 * public no-argument {@code close()} or {@code shutdown()}) unless it is one: Spring calls it at
 * every context close, and a {@code shutdown()} that starts NACK mode made every close wait
 * {@code healthcheckTimeout}. AutoCloseable types close for real, as Spring expects.
 */
class NoInferredDestroyMethodTest {
  private static final List<Class<?>> BEAN_TYPES = List.of(HealthResponder.class, MaintenanceResponder.class,
      GracefulShutdown.class, InFlightRequests.class, StatusStores.class, InstanceKey.class, ShutdownPhase.class,
      StatusStore.class, DeployLock.class, ClusterGate.class, dev.shunt.servlet.ShuntFilter.class);

  @Test
  void noBeanTypeHasAPublicCloseOrShutdownThatIsNotItsDestroyMethod() {
    for (Class<?> type : BEAN_TYPES) {
      List<String> inferred = Arrays.stream(type.getMethods())
          .filter(method -> Modifier.isPublic(method.getModifiers()) && method.getParameterCount() == 0)
          .map(Method::getName)
          .filter(name -> name.equals("close") || name.equals("shutdown"))
          .toList();
      assertThat(inferred).as("%s: a public no-argument close() or shutdown() that Spring would call at context close",
          type.getName()).isEmpty();
    }
  }
}
