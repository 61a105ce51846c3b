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
  void rejectsHostStartingWithADashSoNoCommandReadsItAsAnOption() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().hosts(List.of("web-1", "-V")).build())
        .withMessage("host must not start with '-' (a command given it, as in 'ssh {host}', would read it as an"
            + " option), was '-V'");
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

  private static void rejects(Rollout.Builder builder, String message) {
    assertThatIllegalArgumentException().isThrownBy(builder::build).withMessage(message);
  }

  @Test
  void rejectsBatchSizeBelowOne() {
    rejects(valid().batchSize(0), "batchSize must be >= 1 or 1%..100%, was 0");
  }

  @Test
  void rejectsBatchPercentOutsideOneToHundred() {
    rejects(valid().batchSize(HostCount.ofPercent(0)), "batchSize must be >= 1 or 1%..100%, was 0%");
    rejects(valid().batchSize(HostCount.ofPercent(101)), "batchSize must be >= 1 or 1%..100%, was 101%");
  }

  @Test
  void rejectsMissingBatchSize() {
    rejects(valid().batchSize(null), "batchSize must be set, was null");
  }

  @Test
  void rejectsNegativeCanary() {
    rejects(valid().canary(-1), "canary must be >= 0 and fewer than the hosts (2), was -1");
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
  void rejectsNegativeCanaryPause() {
    rejects(valid().canary(1).canaryPause(Duration.ofSeconds(-1)), "canaryPause must be zero or positive, was PT-1S");
  }

  @Test
  void rejectsNegativeMaxFailures() {
    rejects(valid().maxFailures(-1), "maxFailures must be >= 0 or 0%..100%, was -1");
    rejects(valid().maxFailures(HostCount.ofPercent(101)), "maxFailures must be >= 0 or 0%..100%, was 101%");
    rejects(valid().maxFailures(null), "maxFailures must be set, was null");
  }

  @Test
  void rejectsMissingFailurePolicy() {
    rejects(valid().onFailure(null), "onFailure must be set, was null");
  }

  @Test
  void rejectsNegativeOrMissingPauseBetweenBatches() {
    rejects(valid().pauseBetweenBatches(Duration.ofMillis(-1)), "pauseBetweenBatches must be zero or positive, was PT-0.001S");
    rejects(valid().pauseBetweenBatches(null), "pauseBetweenBatches must be zero or positive, was null");
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
  void rejectsRolloutTimeoutThatIsNotPositive() {
    rejects(valid().timeout(Duration.ZERO), "timeout must be a positive duration, was PT0S");
  }

  @Test
  void rejectsMissingLoadBalancer() {
    rejects(valid().loadBalancer(null), "loadBalancer must be set, was null");
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
  void rejectsTypicalStartTimeThatIsNotPositive() {
    rejects(valid().typicalStartTime(Duration.ZERO), "typicalStartTime must be a positive duration, was PT0S");
  }

  @Test
  void rejectsBlankRolloutIdOrOneWithControlCharacters() {
    rejects(valid().rolloutId(" "), "rolloutId must not be blank nor hold control characters, was ' '");
    rejects(valid().rolloutId("a\nb"), "rolloutId must not be blank nor hold control characters, was 'a\nb'");
  }

  @Test
  void rejectsLockOwnerWithoutLock() {
    rejects(valid().lockOwner("ci"), "lockOwner needs a deployLock, was 'ci'");
  }

  @Test
  void rejectsBlankLockOwner() {
    rejects(valid().deployLock(DeployLock.inMemory()).lockOwner(" "), "owner must not be blank, was ' '");
  }

  @Test
  void rejectsLockLeaseThatIsNotPositive() {
    rejects(valid().lockLease(Duration.ZERO), "lockLease must be a positive duration, was PT0S");
  }

  @Test
  void rejectsNullStepOrOptionsAddedOneByOne() {
    rejects(valid().step(null), "steps must be at least one step and no null, was [noop, null]");
    rejects(valid().step(noop, null), "steps must be at least one step and no null, was [noop, noop]");
  }

  @Test
  void rejectsMissingStepDefaults() {
    rejects(valid().stepDefaults(null), "stepDefaults must be set, was null");
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
  void rejectsNullRollbackOptions() {
    assertThatIllegalArgumentException().isThrownBy(() -> valid().steps(List.of(command("restart")))
        .rollback(command("rollback"), null).build()).withMessageStartingWith("steps must be");
  }
}
