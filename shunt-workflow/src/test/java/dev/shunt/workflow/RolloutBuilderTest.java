package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.shunt.DeployLock;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  private static final String NAME_RULE = " must be 1 to 200 of the characters [A-Za-z0-9._:-], and not '.' or '..', was ";

  private static Arguments bad(String call, Consumer<Rollout.Builder> setter, String message) {
    return Arguments.of(call, setter, message);
  }

  /** Each setter's bad values, with the message that names the field, the value and the rule. */
  static Stream<Arguments> badValues() {
    Step noop = Step.named("noop", context -> { });
    return Stream.of(
        bad("service(null)", b -> b.service(null), "service must be set, was null"),
        bad("service(\"check out\")", b -> b.service("check out"), "service" + NAME_RULE + "'check out'"),
        bad("hosts(null)", b -> b.hosts(null), "hosts must name at least one host, was null"),
        bad("hosts([])", b -> b.hosts(List.of()), "hosts must name at least one host, was []"),
        bad("hosts(a duplicate)", b -> b.hosts(List.of("web-1", "web-2", "web-1")),
            "hosts must be unique, was [web-1, web-2, web-1]"),
        bad("hosts(a host with a space)", b -> b.hosts(List.of("web-1", "web 2")), "host" + NAME_RULE + "'web 2'"),
        bad("hosts(a host that reads as an option)", b -> b.hosts(List.of("web-1", "-V")),
            "host must not start with '-' (a command given it, as in 'ssh {host}', would read it as an option),"
                + " was '-V'"),
        bad("hosts(a null host)", b -> b.hosts(Arrays.asList("web-1", null)), "host" + NAME_RULE + "null"),
        bad("store(null)", b -> b.store(null), "store must be set, was null"),
        bad("steps(null)", b -> b.steps(null), "steps must not be null nor hold null, was null"),
        bad("steps(a null step)", b -> b.steps(Arrays.asList(noop, null)),
            "steps must not be null nor hold null, was [noop, null]"),
        bad("step(null)", b -> b.step(null), "step must be set, was null"),
        bad("step(null, options)", b -> b.step(null, StepOptions.none()), "step must be set, was null"),
        bad("step(step, null)", b -> b.step(noop, null), "options must be set, was null"),
        bad("stepDefaults(null)", b -> b.stepDefaults(null), "stepDefaults must be set, was null"),
        bad("listener(null)", b -> b.listener(null), "listener must be set, was null"),
        bad("clock(null)", b -> b.clock(null), "clock must be set, was null"),
        bad("batchSize(0)", b -> b.batchSize(0), "batchSize must be >= 1 or 1%..100%, was 0"),
        bad("batchSize(-1)", b -> b.batchSize(-1), "batchSize must be >= 1 or 1%..100%, was -1"),
        bad("batchSize(0%)", b -> b.batchSize(HostCount.ofPercent(0)), "batchSize must be >= 1 or 1%..100%, was 0%"),
        bad("batchSize(101%)", b -> b.batchSize(HostCount.ofPercent(101)),
            "batchSize must be >= 1 or 1%..100%, was 101%"),
        bad("batchSize(null)", b -> b.batchSize(null), "batchSize must be set, was null"),
        bad("canary(-1)", b -> b.canary(-1), "canary must be >= 0, was -1"),
        bad("canaryPause(-1 s)", b -> b.canaryPause(Duration.ofSeconds(-1)),
            "canaryPause must be zero or positive, was PT-1S"),
        bad("canaryPause(null)", b -> b.canaryPause(null), "canaryPause must be zero or positive, was null"),
        bad("maxFailures(-1)", b -> b.maxFailures(-1), "maxFailures must be >= 0 or 0%..100%, was -1"),
        bad("maxFailures(-1%)", b -> b.maxFailures(HostCount.ofPercent(-1)),
            "maxFailures must be >= 0 or 0%..100%, was -1%"),
        bad("maxFailures(101%)", b -> b.maxFailures(HostCount.ofPercent(101)),
            "maxFailures must be >= 0 or 0%..100%, was 101%"),
        bad("maxFailures(null)", b -> b.maxFailures(null), "maxFailures must be set, was null"),
        bad("onFailure(null)", b -> b.onFailure(null), "onFailure must be set, was null"),
        bad("pauseBetweenBatches(-1 ms)", b -> b.pauseBetweenBatches(Duration.ofMillis(-1)),
            "pauseBetweenBatches must be zero or positive, was PT-0.001S"),
        bad("pauseBetweenBatches(null)", b -> b.pauseBetweenBatches(null),
            "pauseBetweenBatches must be zero or positive, was null"),
        bad("timeout(0)", b -> b.timeout(Duration.ZERO), "timeout must be a positive duration, was PT0S"),
        bad("timeout(-1 s)", b -> b.timeout(Duration.ofSeconds(-1)), "timeout must be a positive duration, was PT-1S"),
        bad("loadBalancer(null)", b -> b.loadBalancer(null), "loadBalancer must be set, was null"),
        bad("typicalStartTime(0)", b -> b.typicalStartTime(Duration.ZERO),
            "typicalStartTime must be a positive duration, was PT0S"),
        bad("typicalStartTime(null)", b -> b.typicalStartTime(null),
            "typicalStartTime must be a positive duration, was null"),
        bad("rolloutId(\" \")", b -> b.rolloutId(" "), "rolloutId must not be blank nor hold control characters, was ' '"),
        bad("rolloutId(a line break)", b -> b.rolloutId("a\nb"),
            "rolloutId must not be blank nor hold control characters, was 'a\nb'"),
        bad("lockOwner(\" \")", b -> b.lockOwner(" "), "lockOwner must not be blank, was ' '"),
        bad("lockLease(0)", b -> b.lockLease(Duration.ZERO), "lockLease must be a positive duration, was PT0S"),
        bad("lockLease(null)", b -> b.lockLease(null), "lockLease must be a positive duration, was null"),
        bad("rollback(null, options)", b -> b.rollback(null, StepOptions.none()), "rollback must be set, was null"),
        bad("rollback(step, null)", b -> b.rollback(noop, null), "options must be set, was null"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void setterRejectsABadValueAsItIsGiven(String call, Consumer<Rollout.Builder> setter, String message) {
    Rollout.Builder builder = Rollout.builder();

    assertThatIllegalArgumentException().isThrownBy(() -> setter.accept(builder)).withMessage(message);
  }

  @Test
  void rejectsMissingService() {
    assertThatIllegalArgumentException().isThrownBy(() -> Rollout.builder().hosts(List.of("web-1")).store(store)
            .steps(List.of(noop)).build())
        .withMessage("service must be set, was null");
  }

  @Test
  void rejectsMissingHosts() {
    assertThatIllegalArgumentException().isThrownBy(() -> Rollout.builder().service("checkout").store(store)
            .steps(List.of(noop)).build())
        .withMessage("hosts must name at least one host, was []");
  }

  @Test
  void rejectsMissingStore() {
    assertThatIllegalArgumentException().isThrownBy(() -> Rollout.builder().service("checkout")
            .hosts(List.of("web-1")).steps(List.of(noop)).build())
        .withMessage("store must be set, was null");
  }

  @Test
  void rejectsMissingSteps() {
    assertThatIllegalArgumentException().isThrownBy(() -> Rollout.builder().service("checkout")
            .hosts(List.of("web-1")).store(store).build())
        .withMessage("steps must be at least one step and no null, was []");
  }

  @Test
  void rejectsStepsClearedAndNoneAdded() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().steps(List.of()).build())
        .withMessage("steps must be at least one step and no null, was []");
  }

  @Test
  void aRejectedValueLeavesTheBuilderAsItWas() {
    Rollout.Builder builder = valid().batchSize(2);

    assertThatIllegalArgumentException().isThrownBy(() -> builder.batchSize(0));

    assertThat(builder.build().plan().batches()).extracting(Batch::hosts).containsExactly(List.of("web-1", "web-2"));
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

  private static void rejects(Rollout.Builder builder, String message) {
    assertThatIllegalArgumentException().isThrownBy(builder::build).withMessage(message);
  }

  @Test
  void rejectsCanaryOfEveryHost() {
    rejects(valid().canary(2), "canary must be >= 0 and fewer than the hosts (2), was 2");
  }

  @Test
  void rejectsCanaryPauseOrConfirmationWithoutCanary() {
    rejects(valid().canaryPause(Duration.ofSeconds(1)), "canaryPause and confirmCanary need a canary >= 1, was canary 0");
    rejects(valid().confirmCanary(canary -> true), "canaryPause and confirmCanary need a canary >= 1, was canary 0");
  }

  @Test
  void rejectsOverlapRotationWithAPauseBetweenBatches() {
    rejects(valid().overlapRotation(true).pauseBetweenBatches(Duration.ofSeconds(5)),
        "pauseBetweenBatches must be zero with overlapRotation, was PT5S");
  }

  @Test
  void toBuilderKeepsOverlapRotation() {
    assertThat(valid().overlapRotation(true).build().toBuilder().build().plan().overlapRotation()).isTrue();
    assertThat(valid().build().plan().overlapRotation()).as("the default").isFalse();
  }

  @Test
  void loadBalancerChecksRejectBadSettings() {
    assertThatIllegalArgumentException().isThrownBy(() -> LoadBalancerChecks.of(0, 2, Duration.ofSeconds(2)))
        .withMessage("fall must be >= 1, was 0");
    assertThatIllegalArgumentException().isThrownBy(() -> LoadBalancerChecks.of(3, 0, Duration.ofSeconds(2)))
        .withMessage("rise must be >= 1, was 0");
    assertThatIllegalArgumentException().isThrownBy(() -> LoadBalancerChecks.of(3, 2, Duration.ZERO))
        .withMessage("inter must be a positive duration, was PT0S");
  }

  @Test
  void rejectsLockOwnerWithoutLock() {
    rejects(valid().lockOwner("ci"), "lockOwner needs a deployLock, was 'ci'");
  }

  @Test
  void stepOptionsRejectATimeoutThatIsNotPositive() {
    assertThatIllegalArgumentException().isThrownBy(() -> StepOptions.none().withTimeout(Duration.ZERO))
        .withMessage("timeout must be a positive duration, was PT0S");
  }

  @Test
  void stepAddsAfterTheStepsSetBefore() {
    List<String> ran = new CopyOnWriteArrayList<>();

    valid().hosts(List.of("web-1")).steps(List.of(Step.named("a", context -> ran.add("a"))))
        .step(Step.named("b", context -> ran.add("b")))
        .step(Step.named("c", context -> ran.add("c")), StepOptions.none().withTimeout(Duration.ofSeconds(5)))
        .build().run();

    assertThat(ran).containsExactly("a", "b", "c");
  }

  @Test
  void toBuilderKeepsEveryNewSetting() {
    Rollout original = valid().hosts(List.of("web-1", "web-2", "web-3", "web-4")).batchSize(HostCount.ofPercent(50))
        .canary(1).maxFailures(2).onFailure(FailurePolicy.UNSHUNT).pauseBetweenBatches(Duration.ofSeconds(3))
        .timeout(Duration.ofMinutes(5)).loadBalancer(LoadBalancerChecks.of(2, 2, Duration.ofSeconds(1)))
        .step(Step.named("b", context -> { }), StepOptions.none().withTimeout(Duration.ofSeconds(7))).build();

    RolloutPlan plan = original.toBuilder().build().plan();

    assertThat(plan.batches()).extracting(Batch::hosts)
        .containsExactly(List.of("web-1"), List.of("web-2", "web-3"), List.of("web-4"));
    assertThat(plan.maxFailures()).isEqualTo(2);
    assertThat(plan.onFailure()).isEqualTo(FailurePolicy.UNSHUNT);
    assertThat(plan.pauseBetweenBatches()).isEqualTo(Duration.ofSeconds(3));
    assertThat(plan.timeout()).hasValue(Duration.ofMinutes(5));
    assertThat(plan.loadBalancer().fall()).isEqualTo(2);
    assertThat(plan.steps().get(1).options().timeout()).hasValue(Duration.ofSeconds(7));
  }

  @Test
  void hostCountParsesCountsAndPercentages() {
    assertThat(HostCount.parse("3")).isEqualTo(HostCount.ofHosts(3));
    assertThat(HostCount.parse(" 25% ")).isEqualTo(HostCount.ofPercent(25));
    assertThat(HostCount.ofPercent(25).roundedUp(10)).isEqualTo(3);
    assertThat(HostCount.ofPercent(25).roundedDown(10)).isEqualTo(2);
    assertThatIllegalArgumentException().isThrownBy(() -> HostCount.parse("a few"))
        .withMessage("a host count must be a number such as 3 or a percentage such as 25%, was 'a few'");
  }

  private static CommandStep command(String name) {
    return CommandStep.builder().name(name).command("true").build();
  }

  @Test
  void rollbackReplacesTheOnlyCommandStepByDefault() {
    assertThat(valid().steps(List.of(noop, command("restart"))).rollback(command("rollback")).build().plan()
        .rollbackSteps()).extracting(step -> step.description().name()).containsExactly("noop", "rollback");
  }

  @Test
  void rejectsRollbackWhenSeveralStepsAreCommandsAndRestartStepIsNotSet() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid()
            .steps(List.of(command("migrate"), command("restart"))).rollback(command("rollback")).build())
        .withMessage("rollback needs the restart step it replaces: restartStep was not set and the steps have 2 of"
            + " kind COMMAND [migrate, restart] (of [migrate, restart]), not exactly one; set restartStep to the name"
            + " of the restart");
  }

  @Test
  void rejectsRollbackWhenNoStepIsACommandAndRestartStepIsNotSet() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().rollback(command("rollback")).build())
        .withMessageContaining("the steps have 0 of kind COMMAND [] (of [noop])");
  }

  @Test
  void restartStepNamesTheStepARollbackReplaces() {
    assertThat(valid().steps(List.of(command("migrate"), command("restart"))).rollback(command("rollback"))
        .restartStep("restart").build().plan().rollbackSteps()).extracting(step -> step.description().name())
        .containsExactly("migrate", "rollback");
  }

  @Test
  void rejectsRestartStepNamingNoStep() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().rollback(command("rollback"))
            .restartStep("restrat").build())
        .withMessage("restartStep must name exactly one of the steps [noop], was 'restrat' (0 steps have that name)");
  }

  @Test
  void rejectsRestartStepWithoutRollback() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().restartStep("noop").build())
        .withMessage("restartStep needs a rollback, was 'noop'");
  }

  @Test
  void acceptsNullForTheSettingsWhoseDefaultIsNone() {
    Rollout rollout = valid().timeout(null).rolloutId(null).rollback(null).restartStep(null).gate(null)
        .deployLock(null).lockOwner(null).confirmCanary(null).beforeEachHost(null).afterEachHost(null)
        .beforeEachBatch(null).afterEachBatch(null).build();

    assertThat(rollout.plan().timeout()).isEmpty();
  }
}
