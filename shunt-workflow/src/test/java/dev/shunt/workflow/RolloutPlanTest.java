package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.InstanceKey;
import dev.shunt.JournalEntry;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.StepDescription;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RolloutPlanTest {
  private final StatusStore store = StatusStore.inMemory();

  private static final ShuntStep SHUNT = ShuntStep.shunt(ShuntRequest.of("deploy", "ci"));

  private static AwaitHttpStep ready(Duration timeout) {
    return AwaitHttpStep.builder().url("http://{host}:8080/").interval(Duration.ofSeconds(1)).timeout(timeout).build();
  }

  private static AwaitCheckersStep drain(Duration timeout) {
    return AwaitCheckersStep.drain().times(3).timeout(timeout).build();
  }

  private Rollout.Builder rollout(Step... steps) {
    return Rollout.builder().service("checkout")
        .hosts(IntStream.rangeClosed(1, 5).mapToObj(i -> "web-" + i).toList()).store(store)
        .steps(List.of(steps)).listener(RolloutListener.silent());
  }

  private List<String> warnings(Rollout.Builder rollout) {
    return rollout.build().plan().warnings();
  }

  @Test
  void planListsTheBatchesInOrderWithTheCanaryFirst() {
    RolloutPlan plan = rollout(SHUNT).canary(1).batchSize(2).build().plan();

    assertThat(plan.batches()).extracting(Batch::hosts).containsExactly(
        List.of("web-1"), List.of("web-2", "web-3"), List.of("web-4", "web-5"));
    assertThat(plan.hostCount()).isEqualTo(5);
  }

  @Test
  void planShowsEachStepsOwnTimeLimitTheRolloutsAndTheEffectiveOne() {
    RolloutPlan plan = rollout().step(drain(Duration.ofSeconds(30)), StepOptions.none().withTimeout(Duration.ofSeconds(10)))
        .step(ready(Duration.ofSeconds(90)), StepOptions.none().withRetry(RetryPolicy.transientErrors()))
        .build().plan();

    PlannedStep drain = plan.steps().get(0);
    assertThat(drain.description().kind()).isEqualTo(StepDescription.Kind.DRAIN);
    assertThat(drain.description().timeout()).hasValue(Duration.ofSeconds(30));
    assertThat(drain.effectiveTimeout()).hasValue(Duration.ofSeconds(10));
    PlannedStep ready = plan.steps().get(1);
    assertThat(ready.effectiveTimeout()).hasValue(Duration.ofSeconds(90));
    assertThat(ready.options().retry().maxAttempts()).isEqualTo(3);
    assertThat(plan.toText())
        .contains("1. drain [DRAIN] timeout=PT30S fall=3 minCheckers=1 pollInterval=PT0.05S afterTimeout=go on;"
            + " rollout timeout PT10S, effective PT10S; no retry")
        .contains("2. ready [READINESS] timeout=PT1M30S url=http://{host}:8080/")
        .contains("up to 3 attempts");
  }

  @Test
  void planListsHostHooksInTheirPlaces() {
    RolloutPlan plan = rollout(SHUNT).beforeEachHost(Step.named("check", context -> { }))
        .afterEachHost(Step.named("notify", context -> { })).build().plan();

    assertThat(plan.steps()).extracting(PlannedStep::role).containsExactly(
        PlannedStep.Role.BEFORE_HOST, PlannedStep.Role.STEP, PlannedStep.Role.AFTER_HOST);
    assertThat(plan.toText()).contains("1. (before each host) check [OTHER]").contains("3. (after each host) notify");
  }

  @Test
  void drainShorterThanTheLoadBalancerNeedsToTakeAHostOutIsWarnedAbout() {
    assertThat(warnings(rollout(SHUNT, drain(Duration.ofSeconds(1))))).containsExactly(
        "step 'drain' waits at most PT1S for the drain, but the load balancer needs fall 3 x inter PT2S = PT6S"
            + " to take a host out: requests may still reach the host when it restarts");
    assertThat(warnings(rollout(SHUNT, drain(Duration.ofSeconds(6))))).isEmpty();
  }

  @Test
  void drainWarningFollowsTheLoadBalancerDeclaredOnTheBuilder() {
    Rollout.Builder rollout = rollout(SHUNT, drain(Duration.ofSeconds(10)));

    assertThat(warnings(rollout.loadBalancer(LoadBalancerChecks.of(5, 2, Duration.ofSeconds(3)))))
        .singleElement().asString().contains("fall 5 x inter PT3S = PT15S");
  }

  @Test
  void rolloutTimeLimitShorterThanTheDrainsOwnCountsForTheWarning() {
    assertThat(warnings(rollout(SHUNT).step(drain(Duration.ofSeconds(30)),
        StepOptions.none().withTimeout(Duration.ofSeconds(2))))).singleElement().asString()
        .startsWith("step 'drain' waits at most PT2S");
  }

  @Test
  void readinessShorterThanATypicalStartIsWarnedAbout() {
    assertThat(warnings(rollout(ready(Duration.ofSeconds(10))))).containsExactly(
        "step 'ready' gives the application at most PT10S to answer after the restart, less than a typical start"
            + " (PT30S): raise its timeout (attempts x interval) or set typicalStartTime");
    assertThat(warnings(rollout(ready(Duration.ofSeconds(10))).typicalStartTime(Duration.ofSeconds(5)))).isEmpty();
  }

  @Test
  void rotationShorterThanTheLoadBalancerNeedsToPutAHostBackIsWarnedAbout() {
    assertThat(warnings(rollout(AwaitCheckersStep.rotation().timeout(Duration.ofSeconds(1)).build())))
        .singleElement().asString().contains("rise 2 x inter PT2S = PT4S");
  }

  @Test
  void shuntWithoutAnyDrainIsWarnedAbout() {
    assertThat(warnings(rollout(SHUNT, ShuntStep.unshunt()))).singleElement().asString()
        .startsWith("the steps shunt hosts but no step waits for the drain");
  }

  @Test
  void overlapRotationWithoutARotationStepIsWarnedAbout() {
    assertThat(warnings(rollout(SHUNT, drain(Duration.ofSeconds(10)), ShuntStep.unshunt()).overlapRotation(true)))
        .containsExactly("overlapRotation has no effect: no step waits for rotation, so a batch starts only when the"
            + " one before is over");
    assertThat(warnings(rollout(SHUNT, drain(Duration.ofSeconds(10)), ShuntStep.unshunt(),
        AwaitCheckersStep.rotation().build()).overlapRotation(true))).isEmpty();
  }

  @Test
  void planTextSaysWhenBatchesOverlap() {
    assertThat(rollout(SHUNT).overlapRotation(true).build().plan().toText())
        .contains("; a batch shunts and drains while the one before waits for rotation");
    assertThat(rollout(SHUNT).build().plan().toText()).doesNotContain("waits for rotation");
  }

  @Test
  void planTextEndsWithTheWarnings() {
    String text = rollout(SHUNT, drain(Duration.ofSeconds(1))).build().plan().toText();

    assertThat(text).startsWith("Rollout of checkout: 5 host(s) in 5 batch(es)\n  batch 1 (web-1)\n")
        .contains("Halts after more than 0 failed host(s); a failed host is left as it is (shunted)")
        .contains("Load balancer: fall 3, rise 2, inter PT2S")
        .endsWith("to take a host out: requests may still reach the host when it restarts\n");
  }

  @Test
  void planOfAResumingRolloutSkipsTheHostsTheJournalShowsDone() {
    store.writeJournal("checkout", new JournalEntry("run-1", "web-1", JournalEntry.State.DONE, Instant.now(), ""));
    store.writeJournal("checkout", new JournalEntry("run-1", "web-2", JournalEntry.State.FAILED, Instant.now(), ""));

    RolloutPlan plan = rollout(SHUNT).resume(true).build().plan();

    assertThat(plan.skippedHosts()).containsExactly("web-1");
    assertThat(plan.batches()).extracting(Batch::hosts).first().isEqualTo(List.of("web-2"));
    assertThat(plan.toText()).contains("4 host(s) in 4 batch(es), 1 skipped as done before (web-1)");
  }

  @Test
  void planChangesNothingInTheStore() {
    rollout(SHUNT).build().plan();

    assertThat(store.hosts("checkout")).isEmpty();
    assertThat(store.journal("checkout")).isEmpty();
    assertThat(store.status(InstanceKey.of("checkout", "web-1")).shunted()).isFalse();
  }

  @Test
  void commandStepsDescribeTheirCommandAndTimeLimit() {
    StepDescription local = CommandStep.builder().name("restart").command("systemctl", "restart", "{host}")
        .timeout(Duration.ofMinutes(2)).build().describe();
    StepDescription ssh = SshCommandStep.builder().user("deploy").password("secret").insecureAcceptAnyHostKey()
        .command("sudo systemctl restart app").connectTimeout(Duration.ofSeconds(5))
        .commandTimeout(Duration.ofMinutes(1)).build().describe();

    assertThat(local.kind()).isEqualTo(StepDescription.Kind.COMMAND);
    assertThat(local.timeout()).hasValue(Duration.ofMinutes(2));
    assertThat(local.settings()).containsEntry("command", "[systemctl, restart, {host}]");
    assertThat(ssh.timeout()).hasValue(Duration.ofSeconds(65));
    assertThat(ssh.settings()).containsEntry("command", "sudo systemctl restart app");
    assertThat(ssh.toString()).doesNotContain("secret");
  }

  @Test
  void haproxyDrainIsTheDrainAndIsCheckedAgainstTheLoadBalancer() {
    AwaitHaproxyDrainStep haproxy = AwaitHaproxyDrainStep.builder()
        .runtimeApi(HaproxyRuntimeApi.unixSocket(java.nio.file.Path.of("/run/haproxy/admin.sock")))
        .backend("checkout").timeout(Duration.ofSeconds(1)).build();

    List<String> warnings = warnings(rollout(SHUNT, haproxy).loadBalancer(LoadBalancerChecks.haproxyDefaults()));

    assertThat(haproxy.describe().kind()).isEqualTo(StepDescription.Kind.DRAIN);
    assertThat(warnings).singleElement().asString().startsWith("step 'haproxy-drain' waits at most PT1S for the drain,"
        + " but the load balancer needs fall 3 x inter PT2S = PT6S");
  }

  @Test
  void drainThatWaitsForInFlightRequestsSaysSo() {
    assertThat(AwaitCheckersStep.drain().inFlight(InFlightWait.REQUIRED).build().describe().settings())
        .containsEntry("inFlight", "REQUIRED");
    assertThat(drain(Duration.ofSeconds(30)).describe().settings()).doesNotContainKey("inFlight");
    assertThat(AwaitCheckersStep.rotation().build().describe().settings()).doesNotContainKey("inFlight");
  }
}
