package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.DisruptionBudget;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.StepContext;
import dev.shunt.StepDescription;
import dev.shunt.StepDescription.Kind;
import dev.shunt.StepFailedException;
import dev.shunt.workflow.HostReport.Outcome;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Rollout.Builder#overlapRotation}: the next batch shunts and drains while the one before
 * waits for rotation, and restarts only once the one before is over. Steps are lambdas of the
 * kinds the rule looks at; each records {@code "<host> <step> start"} and {@code "<host> <step> end"}.
 */
class RolloutOverlapRotationTest {
  private static final ShuntRequest REQUEST = ShuntRequest.of("deploy", "ci");
  private static final long WAIT_SECONDS = 10;

  private final CountingStore counting = new CountingStore();
  private final StatusStore store = counting.store();
  private final RecordingListener listener = new RecordingListener();
  private final List<String> events = new CopyOnWriteArrayList<>();

  /** A step of {@code kind} that records its start and end around {@code body}. */
  private Step step(String name, Kind kind, Step body) {
    return new Step() {
      @Override
      public void run(StepContext context) throws Exception {
        events.add(context.host() + " " + name + " start");
        body.run(context);
        events.add(context.host() + " " + name + " end");
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public StepDescription describe() {
        return StepDescription.of(name, kind);
      }
    };
  }

  /** shunt, drain, restart, unshunt, then {@code rotation}, on {@code hosts} hosts, one per batch. */
  private Rollout.Builder rollout(int hosts, Step restart, Step rotation) {
    return Rollout.builder().service("checkout").store(store).listener(listener)
        .hosts(IntStream.rangeClosed(1, hosts).mapToObj(i -> "web-" + i).toList())
        .steps(List.of(
            step("shunt", Kind.SHUNT, context -> context.store().shunt(context.key(), REQUEST)),
            step("drain", Kind.DRAIN, context -> { }),
            restart,
            step("unshunt", Kind.UNSHUNT, context -> context.store().unshunt(context.key())),
            rotation));
  }

  private Rollout.Builder rollout(int hosts, Step rotation) {
    return rollout(hosts, step("restart", Kind.COMMAND, context -> { }), rotation);
  }

  private Step rotation(Step body) {
    return step("rotation", Kind.ROTATION, body);
  }

  private int indexOf(String event) {
    assertThat(events).contains(event);
    return events.indexOf(event);
  }

  /** Waits until {@code condition} holds; fails the step after {@value #WAIT_SECONDS} s. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new StepFailedException("not within " + WAIT_SECONDS + " s: " + what);
      }
      Thread.sleep(5);
    }
  }

  /** Whether {@code host} says it waits at the gate for the batch before. */
  private boolean waitsForTheBatchBefore(String host) {
    return listener.logs().stream().anyMatch(line -> line.startsWith(host + " waits for batch"));
  }

  @Test
  void nextHostShuntsAndDrainsWhileTheHostBeforeWaitsForRotation() {
    Step rotation = rotation(context -> {
      if (context.host().equals("web-1")) {
        await("web-2 drains while web-1 waits for rotation", () -> events.contains("web-2 drain end"));
      }
    });

    RolloutReport report = rollout(2, rotation).overlapRotation(true).build().run();

    assertThat(report.succeeded()).as(report.summary()).isTrue();
    assertThat(indexOf("web-2 shunt start")).isGreaterThan(indexOf("web-1 unshunt end"));
    assertThat(indexOf("web-2 drain end")).isLessThan(indexOf("web-1 rotation end"));
  }

  @Test
  void nextHostRestartsOnlyOnceTheHostBeforeIsBackInRotation() {
    Step rotation = rotation(context -> {
      if (context.host().equals("web-1")) {
        await("web-2 waits for batch 1 before its restart", () -> waitsForTheBatchBefore("web-2"));
      }
    });

    RolloutReport report = rollout(2, rotation).overlapRotation(true).build().run();

    assertThat(report.succeeded()).as(report.summary()).isTrue();
    assertThat(listener.logs()).contains("web-2 waits for batch 1 to be over before restart");
    assertThat(indexOf("web-2 drain end")).isLessThan(indexOf("web-1 rotation end"));
    assertThat(indexOf("web-2 restart start")).isGreaterThan(indexOf("web-1 rotation end"));
  }

  @Test
  void withoutOverlapTheNextHostStartsOnlyOnceTheHostBeforeIsBackInRotation() {
    RolloutReport report = rollout(2, rotation(context -> Thread.sleep(50))).build().run();

    assertThat(report.succeeded()).as(report.summary()).isTrue();
    assertThat(indexOf("web-2 shunt start")).isGreaterThan(indexOf("web-1 rotation end"));
    assertThat(listener.logs()).noneMatch(line -> line.contains("waits for batch"));
  }

  @Test
  void nextBatchStartsOnlyOnceEveryHostOfTheBatchBeforeWaitsForRotation() {
    Step restart = step("restart", Kind.COMMAND, context -> {
      if (context.host().equals("web-2")) {
        Thread.sleep(200);
      }
    });

    RolloutReport report = rollout(4, restart, rotation(context -> { })).batchSize(2).overlapRotation(true).build()
        .run();

    assertThat(report.succeeded()).as(report.summary()).isTrue();
    // A host reaches its rotation wait, and lets the next batch go, the moment its unshunt ended:
    // before its rotation step records its start, which may then come after web-3's shunt.
    assertThat(indexOf("web-3 shunt start")).isGreaterThan(indexOf("web-1 unshunt end"))
        .isGreaterThan(indexOf("web-2 unshunt end"));
  }

  @Test
  void hostWaitingForTheBatchBeforeIsPutBackWhenTheRolloutHalts() {
    Step rotation = rotation(context -> {
      if (context.host().equals("web-1")) {
        await("web-2 waits for batch 1 before its restart", () -> waitsForTheBatchBefore("web-2"));
        throw new StepFailedException("web-1 never came back");
      }
    });

    RolloutReport report = rollout(3, rotation).overlapRotation(true).build().run();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.hosts(Outcome.FAILED)).containsExactly("web-1");
    assertThat(report.hosts(Outcome.CANCELLED)).containsExactly("web-2");
    assertThat(report.hosts(Outcome.UNTOUCHED)).containsExactly("web-3");
    HostReport web2 = report.hosts().get(1);
    assertThat(web2.steps()).extracting(StepReport::step).containsExactly("shunt", "drain");
    assertThat(web2.note()).isEqualTo("stopped before restart: the rollout stopped while batch 1 was running;"
        + " put back in rotation");
    assertThat(web2.statusAfter().shunted()).isFalse();
    assertThat(events).doesNotContain("web-2 restart start");
  }

  @Test
  void aHostThatFailedBeforeItsRotationKeepsTheNextBatchWaitingUntilItsBatchIsOver() {
    Step restart = step("restart", Kind.COMMAND, context -> {
      if (context.host().equals("web-1")) {
        throw new StepFailedException("restart failed");
      }
    });

    RolloutReport report = rollout(2, restart, rotation(context -> { })).maxFailures(1).overlapRotation(true)
        .build().run();

    assertThat(report.hosts(Outcome.DONE)).containsExactly("web-2");
    assertThat(listener.events().indexOf("batchStarted 2 [web-2]"))
        .isGreaterThan(listener.events().indexOf("batchFinished 1"));
  }

  @Test
  void overlapKeepsWithinTheStoresDisruptionBudget() {
    store.setBudget("checkout", DisruptionBudget.ofHosts(1));
    Step rotation = rotation(context -> {
      if (!context.host().equals("web-3")) {
        String next = "web-" + (Integer.parseInt(context.host().substring(4)) + 1);
        await(next + " drains while " + context.host() + " waits for rotation",
            () -> events.contains(next + " drain end"));
      }
    });

    RolloutReport report = rollout(3, rotation).overlapRotation(true).build().run();

    assertThat(report.succeeded()).as(report.summary()).isTrue();
    assertThat(counting.max()).as("hosts shunted at once").isEqualTo(1);
  }
}
