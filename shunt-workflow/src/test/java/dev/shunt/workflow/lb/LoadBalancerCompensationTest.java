package dev.shunt.workflow.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.InstanceKey;
import dev.shunt.JournalEntry;
import dev.shunt.ShuntException;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.StepContext;
import dev.shunt.StepDescription;
import dev.shunt.StepFailedException;
import dev.shunt.workflow.FailurePolicy;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.HostReport.Outcome;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a rollout does with the load balancers a host was taken out of when the host fails after
 * its take-out: {@code onFailure(UNSHUNT)} puts it back in every one, {@code LEAVE_SHUNTED} leaves
 * it out and the report names each, and {@link Rollout#cleanUp()} puts it back; a put-back that
 * fails on the way is reported, never hidden.
 */
class LoadBalancerCompensationTest {
  private static final String HOST = "web-1";

  private final StatusStore store = StatusStore.inMemory();
  private final RecordingLoadBalancer lb1 = new RecordingLoadBalancer("lb-1");
  private final RecordingLoadBalancer lb2 = new RecordingLoadBalancer("lb-2");

  private final Step failingRestart = Step.named("restart", context -> {
    throw new StepFailedException("restart failed: exit 1");
  });

  private Rollout.Builder rollout(FailurePolicy onFailure, Step... steps) {
    return Rollout.builder().service("checkout").hosts(List.of(HOST)).store(store).listener(RolloutListener.silent())
        .onFailure(onFailure).steps(List.of(steps));
  }

  /** Shunt, take out of both load balancers, a restart that fails, then what a rollout does after it. */
  private Rollout failingAfterTakeOut(FailurePolicy onFailure) {
    return rollout(onFailure,
        ShuntStep.shunt(ShuntRequest.of("deploy", "ci")),
        takeOut(),
        failingRestart,
        ShuntStep.unshunt(),
        LoadBalancerStep.putBack().loadBalancer(lb1).loadBalancer(lb2).build()).build();
  }

  private LoadBalancerStep takeOut() {
    return LoadBalancerStep.takeOut().loadBalancer(lb1).loadBalancer(lb2).pollInterval(Duration.ofMillis(1)).build();
  }

  @Test
  void unshuntPolicyPutsAHostWhoseRestartFailedBackInEveryLoadBalancerItWasTakenOutOf() {
    RolloutReport report = failingAfterTakeOut(FailurePolicy.UNSHUNT).run();

    HostReport host = report.hosts().get(0);
    assertThat(host.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(lb1.isOut(HOST)).isFalse();
    assertThat(lb2.isOut(HOST)).isFalse();
    assertThat(lb1.calls()).endsWith("putBack web-1");
    assertThat(host.leftOut()).isEmpty();
    assertThat(host.inRotation()).isTrue();
    assertThat(store.status(InstanceKey.of("checkout", HOST)).shunted()).isFalse();
    assertThat(report.summary()).contains("  web-1: FAILED at restart (restart failed: exit 1) in ").contains("; in rotation\n");
  }

  @Test
  void leaveShuntedPolicyLeavesTheHostOutAndTheReportNamesEveryLoadBalancerItIsOutOf() {
    RolloutReport report = failingAfterTakeOut(FailurePolicy.LEAVE_SHUNTED).run();

    HostReport host = report.hosts().get(0);
    assertThat(lb1.isOut(HOST)).isTrue();
    assertThat(lb2.isOut(HOST)).isTrue();
    assertThat(lb1.calls()).doesNotContain("putBack web-1");
    assertThat(host.leftOut()).containsExactly("lb-1: web-1: OUT", "lb-2: web-1: OUT");
    assertThat(host.inRotation()).isFalse();
    assertThat(report.summary()).contains("; left SHUNTED with no TTL: until someone unshunts it, LEFT OUT of rotation on"
        + " lb-1: web-1: OUT; lb-2: web-1: OUT\n");
    assertThat(store.journal("checkout")).singleElement().extracting(JournalEntry::detail).asString()
        .contains("; left shunted; left out of rotation on lb-1: web-1: OUT; lb-2: web-1: OUT");
  }

  @Test
  void hostOutOfALoadBalancerButNotShuntedIsNotReportedInRotation() {
    RolloutReport report = rollout(FailurePolicy.LEAVE_SHUNTED, takeOut(), failingRestart).build().run();

    assertThat(report.summary()).contains("; not shunted, LEFT OUT of rotation on lb-1: web-1: OUT; lb-2: web-1: OUT\n");
  }

  @Test
  void putBackThatFailsWhileUndoingTheTakeOutIsReportedAndTheOtherLoadBalancersStillGetTheHostBack() {
    lb1.refusingPutBack();

    RolloutReport report = failingAfterTakeOut(FailurePolicy.UNSHUNT).run();

    HostReport host = report.hosts().get(0);
    assertThat(lb2.isOut(HOST)).as("the second load balancer, after the first refused").isFalse();
    assertThat(lb1.isOut(HOST)).isTrue();
    assertThat(host.leftOut()).containsExactly("lb-1 server web-1: lb-1 refused to put server web-1 back");
    assertThat(report.summary()).contains("; not shunted, LEFT OUT of rotation on lb-1 server web-1: lb-1 refused to"
        + " put server web-1 back\n");
  }

  @Test
  void loadBalancerThatCannotBeAskedIsReportedAsAPlaceTheHostMayStillBeOut() {
    Step lbGoesAway = Step.named("restart", context -> {
      lb2.goAway();
      throw new StepFailedException("restart failed: exit 1");
    });

    HostReport host = rollout(FailurePolicy.LEAVE_SHUNTED, takeOut(), lbGoesAway).build().run().hosts().get(0);

    assertThat(host.leftOut()).containsExactly("lb-1: web-1: OUT", "lb-2 server web-1: cannot be asked: lb-2 cannot be reached");
  }

  @Test
  void hostThatFailsAfterItsPutBackIsNotReportedOut() {
    Step failingCheck = Step.named("smoke-test", context -> {
      throw new StepFailedException("smoke test failed");
    });

    HostReport host = rollout(FailurePolicy.LEAVE_SHUNTED, takeOut(), LoadBalancerStep.putBack().loadBalancer(lb1)
        .loadBalancer(lb2).build(), failingCheck).build().run().hosts().get(0);

    assertThat(host.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(host.leftOut()).isEmpty();
    assertThat(host.inRotation()).isTrue();
  }

  @Test
  void hostThatFailsBeforeItsTakeOutLeavesTheLoadBalancersUntouched() {
    HostReport host = rollout(FailurePolicy.UNSHUNT, failingRestart, takeOut()).build().run().hosts().get(0);

    assertThat(host.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(lb1.calls()).as("asked by the pre-flight only").containsOnly("state web-1");
    assertThat(host.leftOut()).isEmpty();
  }

  @Test
  void hostStoppedWhileItWaitsForTheBatchBeforeIsPutBackInItsLoadBalancers() {
    List<String> logs = new CopyOnWriteArrayList<>();
    Step rotation = new Step() {
      @Override
      public void run(StepContext context) throws Exception {
        if (context.host().equals("web-1")) {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (logs.stream().noneMatch(line -> line.startsWith("web-2 waits for batch 1"))
              && System.nanoTime() < deadline) {
            Thread.sleep(5);
          }
          throw new StepFailedException("web-1 never came back");
        }
      }

      @Override
      public StepDescription describe() {
        return StepDescription.of("rotation", StepDescription.Kind.ROTATION);
      }
    };

    RolloutReport report = Rollout.builder().service("checkout").hosts(List.of("web-1", "web-2")).store(store)
        .listener(new RolloutListener() {
          @Override
          public void log(String host, String line) {
            logs.add(host + " " + line);
          }
        })
        .overlapRotation(true).steps(List.of(takeOut(), Step.named("restart", context -> { }), rotation)).build().run();

    HostReport web2 = report.hosts().get(1);
    assertThat(web2.outcome()).isEqualTo(Outcome.CANCELLED);
    assertThat(web2.note()).isEqualTo("stopped before restart: the rollout stopped while batch 1 was running;"
        + " put back in its load balancers");
    assertThat(web2.leftOut()).isEmpty();
    assertThat(lb1.isOut("web-2")).isFalse();
    assertThat(lb2.isOut("web-2")).isFalse();
    assertThat(report.hosts().get(0).leftOut()).as("web-1, failed and left out").containsExactly("lb-1: web-1: OUT",
        "lb-2: web-1: OUT");
  }

  @Test
  void leftOutSurvivesTheJsonReport() {
    RolloutReport report = failingAfterTakeOut(FailurePolicy.LEAVE_SHUNTED).run();

    assertThat(RolloutReport.fromJson(report.toJson()).hosts().get(0).leftOut())
        .containsExactly("lb-1: web-1: OUT", "lb-2: web-1: OUT");
  }

  @Test
  void cleanUpPutsAFailedHostBackInEveryLoadBalancerItIsStillOutOf() {
    Rollout rollout = failingAfterTakeOut(FailurePolicy.LEAVE_SHUNTED);
    rollout.run();

    List<String> restored = rollout.cleanUp();

    assertThat(restored).containsExactly(HOST);
    assertThat(lb1.isOut(HOST)).isFalse();
    assertThat(lb2.isOut(HOST)).isFalse();
    assertThat(store.status(InstanceKey.of("checkout", HOST)).shunted()).isFalse();
    assertThat(store.journal("checkout")).isEmpty();
  }

  @Test
  void cleanUpThatCannotPutAHostBackSaysWhereAndKeepsTheJournalToTryAgain() {
    Rollout rollout = failingAfterTakeOut(FailurePolicy.LEAVE_SHUNTED);
    rollout.run();
    lb1.refusingPutBack();

    assertThatThrownBy(rollout::cleanUp).isInstanceOf(ShuntException.class)
        .hasMessage("clean-up of checkout put back [] but LEFT OUT 1: web-1 on lb-1 server web-1: lb-1 refused to put"
            + " server web-1 back; the journal is kept: clean up again once they can be reached");
    assertThat(lb2.isOut(HOST)).isFalse();
    assertThat(store.journal("checkout")).hasSize(1);

    lb1.comeBack();
    assertThat(rollout.cleanUp()).containsExactly(HOST);
    assertThat(lb1.isOut(HOST)).isFalse();
  }
}
