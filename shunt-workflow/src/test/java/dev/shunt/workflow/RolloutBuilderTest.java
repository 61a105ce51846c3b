package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.shunt.StatusStore;
import dev.shunt.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RolloutBuilderTest {
  private final StatusStore store = StatusStore.inMemory();
  private final Step noop = Step.named("noop", context -> { });

  /** A builder with every required field set to something valid. */
  private Rollout.Builder valid() {
    return Rollout.builder().service("checkout").hosts(List.of("web-1", "web-2")).store(store)
        .steps(List.of(noop)).listener(RolloutListener.silent());
  }

  @Test
  void validConfigurationBuilds() {
    assertThat(valid().build()).isNotNull();
  }

  @Test
  void rejectsMissingService() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().service(null).build())
        .withMessage("service must be set, was null");
  }

  @Test
  void rejectsInvalidServiceName() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().service("check out").build())
        .withMessageStartingWith("service must be").withMessageContaining("'check out'");
  }

  @Test
  void rejectsMissingHosts() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().hosts(null).build())
        .withMessageStartingWith("hosts must name at least one host");
  }

  @Test
  void rejectsEmptyHosts() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().hosts(List.of()).build())
        .withMessage("hosts must name at least one host, was []");
  }

  @Test
  void rejectsDuplicateHosts() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().hosts(List.of("web-1", "web-2", "web-1")).build())
        .withMessage("hosts must be unique, was [web-1, web-2, web-1]");
  }

  @Test
  void rejectsInvalidHostName() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().hosts(List.of("web-1", "web 2")).build())
        .withMessageStartingWith("host must be").withMessageContaining("'web 2'");
  }

  @Test
  void rejectsNullHost() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().hosts(Arrays.asList("web-1", null)).build())
        .withMessageStartingWith("host must be").withMessageEndingWith("was null");
  }

  @Test
  void rejectsMissingStore() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().store(null).build())
        .withMessage("store must be set, was null");
  }

  @Test
  void rejectsMissingSteps() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().steps(null).build())
        .withMessageStartingWith("steps must be at least one step");
  }

  @Test
  void rejectsEmptySteps() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().steps(List.of()).build())
        .withMessageStartingWith("steps must be at least one step");
  }

  @Test
  void rejectsNullStep() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().steps(Arrays.asList(noop, null)).build())
        .withMessageStartingWith("steps must be at least one step and no null");
  }

  @Test
  void rejectsMissingListener() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().listener(null).build())
        .withMessage("listener must be set, was null");
  }

  @Test
  void rejectsMissingClock() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().clock(null).build())
        .withMessage("clock must be set, was null");
  }

  @Test
  void builtRolloutIsNotChangedByLaterChangesToTheListsItWasGiven() {
    List<String> hosts = new ArrayList<>(List.of("web-1"));
    List<String> ran = new CopyOnWriteArrayList<>();
    List<Step> steps = new ArrayList<>(List.of(Step.named("a", context -> ran.add(context.host() + ":a"))));
    Rollout rollout = valid().hosts(hosts).steps(steps).build();

    hosts.add("web-9");
    steps.add(Step.named("b", context -> ran.add(context.host() + ":b")));
    RolloutReport report = rollout.run();

    assertThat(report.hosts()).extracting(HostReport::host).containsExactly("web-1");
    assertThat(ran).containsExactly("web-1:a");
  }

  @Test
  void toBuilderDerivesAVariantAndLeavesTheOriginalAlone() {
    Rollout original = valid().build();

    Rollout variant = original.toBuilder().hosts(List.of("web-7")).build();

    assertThat(variant.run().hosts()).extracting(HostReport::host).containsExactly("web-7");
    assertThat(original.run().hosts()).extracting(HostReport::host).containsExactly("web-1", "web-2");
  }
}
