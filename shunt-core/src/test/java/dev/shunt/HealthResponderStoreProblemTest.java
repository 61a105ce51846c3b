package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.testing.CapturedLog;
import dev.shunt.testing.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A responder whose store cannot be read answers "up" (it fails open), but says so: in the log,
 * and in its checker reports at the next check, not at the next heartbeat, so that a drain learns
 * about one check after a shunt that the load balancer was not told.
 */
class HealthResponderStoreProblemTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final String LOCAL_CHECKER = "127.0.0.1";
  private static final String DENIED = "cannot read shunt flag /var/lib/shunt/checkout/web-1.shunt: permission denied";

  private final MutableClock clock = new MutableClock(NOW);
  private final StatusStore store = StatusStore.inMemory(clock);
  /** Why the store's status cannot be read now; null while it can. */
  private final AtomicReference<String> problem = new AtomicReference<>();
  private AppServer server;

  @BeforeEach
  void startServer() {
    server = AppServer.start(HealthResponder.builder().store(failingWhileAProblemIsSet()).key(KEY).clock(clock).build());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void becomingUnableToReadTheStoreIsReportedAtTheNextCheckWithTheReason() {
    steadyInRotation();
    problem.set(DENIED);

    assertThat(server.get("/health").statusCode()).as("fails open").isEqualTo(200);
    server.settle();

    assertThat(store.reports(KEY)).containsExactly(
        new CheckerReport(LOCAL_CHECKER, false, 13, NOW, 0, false, DENIED));
  }

  @Test
  void storeThatStaysUnreadableIsReportedAgainOnlyAtTheHeartbeat() {
    steadyInRotation();
    problem.set(DENIED);
    server.get("/health");
    server.get("/health");
    clock.advance(HealthResponder.HEARTBEAT.minusMillis(1));
    server.get("/health");
    server.settle();

    assertThat(store.reports(KEY)).containsExactly(
        new CheckerReport(LOCAL_CHECKER, false, 13, NOW, 0, false, DENIED));
  }

  @Test
  void readingTheStoreAgainIsReportedAtTheNextCheck() {
    steadyInRotation();
    problem.set(DENIED);
    server.get("/health");
    clock.advance(Duration.ofSeconds(2));
    problem.set(null);

    server.get("/health");
    server.settle();

    assertThat(store.reports(KEY)).containsExactly(
        new CheckerReport(LOCAL_CHECKER, false, 14, NOW.plusSeconds(2), 0, false, ""));
  }

  @Test
  void anotherReasonIsReportedAtTheNextCheck() {
    steadyInRotation();
    problem.set(DENIED);
    server.get("/health");
    problem.set("cannot reach the cluster");

    server.get("/health");
    server.settle();

    assertThat(store.reports(KEY)).containsExactly(
        new CheckerReport(LOCAL_CHECKER, false, 14, NOW, 0, false, "cannot reach the cluster"));
  }

  @Test
  void unreadableStoreIsLoggedAtOnceThenAtMostOnceAMinuteAndItsEndToo() {
    try (CapturedLog log = CapturedLog.of(HealthResponder.class)) {
      problem.set(DENIED);
      server.get("/health");
      server.get("/health");
      server.get("/health");
      clock.advance(Duration.ofMinutes(1));
      server.get("/health");
      problem.set(null);
      server.get("/health");
      server.settle();

      assertThat(log.messages()).satisfiesExactly(
          first -> assertThat(first).contains("cannot read the status of " + KEY).contains("answering 'up'")
              .contains(DENIED),
          second -> assertThat(second).contains(DENIED).contains("2 more since the last"),
          back -> assertThat(back).contains("can read the status of " + KEY + " from the store again"));
    }
  }

  private void steadyInRotation() {
    for (int i = 0; i < 12; i++) {
      server.get("/health");
    }
    server.settle();
    assertThat(store.reports(KEY)).containsExactly(new CheckerReport(LOCAL_CHECKER, false, 10, NOW, 0));
  }

  /** {@link #store}, whose {@code status} throws a {@link StoreException} while {@link #problem} is set. */
  private StatusStore failingWhileAProblemIsSet() {
    return (StatusStore) Proxy.newProxyInstance(StatusStore.class.getClassLoader(),
        new Class<?>[] {StatusStore.class}, (proxy, method, args) -> {
          String now = problem.get();
          if (method.getName().equals("status") && now != null) {
            throw new StoreException(now, null, false);
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
