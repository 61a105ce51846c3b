package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.StatusStore;
import dev.shunt.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RolloutListener#all}: several listeners hear one rollout. */
class RolloutListenerAllTest {
  private final RecordingListener first = new RecordingListener();
  private final RecordingListener second = new RecordingListener();

  private RolloutReport run(RolloutListener listener) {
    return Rollout.builder().service("checkout").hosts(List.of("web-1", "web-2")).store(StatusStore.inMemory())
        .step(Step.named("restart", context -> { })).listener(listener).build().run();
  }

  @Test
  void everyListenerHearsEveryEventInOrder() {
    run(RolloutListener.all(first, second));

    assertThat(first.events()).isNotEmpty();
    assertThat(second.events()).containsExactlyElementsOf(first.events());
  }

  @Test
  void listenerThatThrowsKeepsNoOtherFromHearingAndTheRolloutGoesOn() {
    RolloutListener throwing = new RolloutListener() {
      @Override
      public void hostStarted(String host) {
        throw new IllegalStateException("broken dashboard");
      }
    };

    RolloutReport report = run(RolloutListener.all(throwing, first));

    assertThat(report.succeeded()).isTrue();
    assertThat(first.events()).filteredOn(event -> event.startsWith("hostStarted")).hasSize(2);
  }

  @Test
  void noListenerIsRefused() {
    assertThatThrownBy(RolloutListener::all)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("listeners must name at least one listener, was none");
  }

  @Test
  void nullListenerIsRefused() {
    assertThatThrownBy(() -> RolloutListener.all(first, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("listeners must not hold null, was null at index 1");
  }
}
