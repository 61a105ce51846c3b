package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.ClusterGate;
import dev.shunt.StatusStore;
import dev.shunt.StepContext;
import dev.shunt.StepDescription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A {@link ClusterGate}'s steps in a rollout: the pre-flight asks the gate once, whatever the
 * number of hosts and gate steps, and reports its problems on the first host; the plan shows both
 * steps with their time limits. The cluster is a stand-in here; shunt-examples runs the gate on a
 * real Hazelcast cluster.
 */
class RolloutClusterGateTest {
  private static final List<String> HOSTS = List.of("web-1", "web-2", "web-3");

  private final StatusStore store = StatusStore.inMemory();
  private final List<String> ran = new ArrayList<>();

  private Rollout.Builder rollout(StandInGate gate) {
    return Rollout.builder().service("checkout").hosts(HOSTS).store(store).listener(new RecordingListener())
        .step(gate.beforeRestart())
        .step(dev.shunt.Step.named("restart", context -> ran.add("restart " + context.host())))
        .step(gate.afterReadiness());
  }

  @Test
  void preflightAsksTheGateOnceAndAnErrorRefusesTheRolloutOnItsFirstHost() {
    StandInGate gate = new StandInGate(List.of(ClusterGate.Problem.error("members missing: expected 3, saw 2")));

    assertThatThrownBy(() -> rollout(gate).build().start())
        .isInstanceOfSatisfying(PreflightFailedException.class, refused -> assertThat(refused.problems())
            .containsExactly(new PreflightProblem(PreflightProblem.Severity.ERROR, "web-1", "gate-before",
                "members missing: expected 3, saw 2")));
    assertThat(gate.asked).hasValue(1);
    assertThat(ran).isEmpty();
  }

  @Test
  void aWarningLetsTheRolloutStartUnlessThePreflightIsStrict() {
    StandInGate gate = new StandInGate(List.of(ClusterGate.Problem.warning("not safe now")));

    RolloutReport report = rollout(gate).build().run();

    assertThat(report.succeeded()).isTrue();
    assertThat(ran).hasSize(3);
    assertThat(rollout(gate).strictPreflight(true).build().plan().preflightErrors())
        .containsExactly(new PreflightProblem(PreflightProblem.Severity.ERROR, "web-1", "gate-before", "not safe now"));
  }

  @Test
  void aGateThatCannotBeAskedIsAnError() {
    StandInGate gate = new StandInGate(null);

    assertThat(rollout(gate).build().plan().preflightErrors()).containsExactly(new PreflightProblem(
        PreflightProblem.Severity.ERROR, "web-1", "gate-before", "cannot ask the cluster whether it is safe: unreachable"));
  }

  @Test
  void batchesOfMoreThanOneHostAreRefusedBecauseTheirMembersWouldLeaveTogether() {
    StandInGate gate = new StandInGate(List.of());

    assertThatThrownBy(() -> rollout(gate).batchSize(2).build().start())
        .isInstanceOfSatisfying(PreflightFailedException.class, refused -> assertThat(refused.problems())
            .singleElement().satisfies(problem -> {
              assertThat(problem.isError()).isTrue();
              assertThat(problem.host()).isEqualTo("web-1");
              assertThat(problem.step()).isEqualTo("gate-before");
              assertThat(problem.message()).contains("one host at a time", "up to 2 hosts at once",
                  "a backup count below 2", "roll with batch size 1");
            }));
    assertThat(rollout(gate).canary(2).build().plan().preflightErrors())
        .singleElement().satisfies(problem -> assertThat(problem.message())
            .contains("up to 2 hosts at once", "and a canary of 1"));
    assertThat(ran).isEmpty();
    assertThat(rollout(gate).batchSize(1).canary(1).build().plan().preflightErrors()).isEmpty();
  }

  @Test
  void planShowsBothGateStepsWithTheirTimeLimits() {
    String plan = rollout(new StandInGate(List.of())).build().plan().toText();

    assertThat(plan).contains("  1. gate-before [GATE] timeout=PT5M; rollout timeout none, effective PT5M;",
        "  3. gate-after [GATE] timeout=PT5M; rollout timeout none, effective PT5M;", "Pre-flight: no problem found");
  }

  /** A gate whose pre-flight finds {@code problems} (null: cannot be asked) and whose steps open at once. */
  private static final class StandInGate implements ClusterGate {
    private final List<Problem> problems;
    private final AtomicInteger asked = new AtomicInteger();

    StandInGate(List<Problem> problems) {
      this.problems = problems;
    }

    @Override
    public GateStep beforeRestart() {
      return step("gate-before");
    }

    @Override
    public GateStep afterReadiness() {
      return step("gate-after");
    }

    private GateStep step(String name) {
      return new GateStep() {
        @Override
        public ClusterGate gate() {
          return StandInGate.this;
        }

        @Override
        public void run(StepContext context) {
          context.outcome("cluster safe");
        }

        @Override
        public String name() {
          return name;
        }

        @Override
        public StepDescription describe() {
          return StepDescription.of(name, StepDescription.Kind.GATE).withTimeout(Duration.ofMinutes(5));
        }
      };
    }

    @Override
    public List<Problem> preflight() {
      asked.incrementAndGet();
      if (problems == null) {
        throw new IllegalStateException("unreachable");
      }
      return problems;
    }

    @Override
    public ClusterGate withTimeout(Duration timeout) {
      return this;
    }

    @Override
    public ClusterGate withPollInterval(Duration pollInterval) {
      return this;
    }

    @Override
    public ClusterGate withExpectedMembers(int members) {
      return this;
    }
  }
}
