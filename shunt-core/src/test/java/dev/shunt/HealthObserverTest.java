package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.HealthObserver.Check;
import dev.shunt.HealthResponder.ShutdownOutcome;
import dev.shunt.testing.CapturedLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link HealthResponder#addObserver}: observers hear each answer and the shutdown's outcome. */
class HealthObserverTest {
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");

  private final StatusStore store = StatusStore.inMemory();
  private final HealthResponder responder = HealthResponder.builder().store(store).key(KEY).nacksBeforeShutdown(2).build();
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private AppServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private final HealthObserver recording = new HealthObserver() {
    @Override
    public void answered(Check check, HealthState state, boolean nack) {
      heard.add(check + " " + state + (nack ? " nack" : " ack"));
    }

    @Override
    public void shutdownCompleted(ShutdownOutcome outcome) {
      heard.add("shutdown " + outcome);
    }
  };

  @Test
  void observerHearsEveryAnswerInOrder() {
    responder.addObserver(recording);
    server = AppServer.start(responder);

    server.check("lb-1");
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));
    server.check("lb-1");
    server.settle();

    assertThat(heard).containsExactly("HTTP IN_ROTATION ack", "HTTP SHUNTED nack");
  }

  @Test
  void observerHearsTheLastNackBeforeTheShutdownCompletes() throws Exception {
    responder.addObserver(recording);
    server = AppServer.start(responder);
    server.check("lb-1");
    var done = responder.startShutdown().thenRun(() -> heard.add("future completed"));

    server.check("lb-1");
    server.check("lb-1");
    done.get(5, TimeUnit.SECONDS);

    assertThat(heard).containsExactly("HTTP IN_ROTATION ack", "HTTP SHUTTING_DOWN nack", "HTTP SHUTTING_DOWN nack",
        "shutdown ALL_CHECKERS_NACKED", "future completed");
  }

  @Test
  void observerThatThrowsFailsNoCheckAndKeepsNoOtherObserverUninformed() {
    HealthObserver throwing = new HealthObserver() {
      @Override
      public void answered(Check check, HealthState state, boolean nack) {
        throw new IllegalStateException("broken dashboard");
      }

      @Override
      public String toString() {
        return "the broken one";
      }
    };
    responder.addObserver(throwing);
    responder.addObserver(recording);
    server = AppServer.start(responder);

    try (CapturedLog log = CapturedLog.of(HealthResponder.class)) {
      assertThat(server.check("lb-1").statusCode()).isEqualTo(200);
      server.settle();

      assertThat(heard).containsExactly("HTTP IN_ROTATION ack");
      assertThat(log.messages()).anySatisfy(message -> assertThat(message)
          .contains("the health observer the broken one threw on answered, ignored")
          .contains("broken dashboard"));
    }
  }

  @Test
  void nullObserverIsRefused() {
    assertThatThrownBy(() -> responder.addObserver(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("observer");
  }
}
