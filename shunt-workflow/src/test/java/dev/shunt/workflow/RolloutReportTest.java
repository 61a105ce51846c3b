package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.StepDescription.Kind;
import dev.shunt.StepFailedException;
import dev.shunt.workflow.HostReport.Outcome;
import dev.shunt.workflow.StepReport.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutReportTest {
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void jsonHoldsTheRolloutAndEveryHostWithItsSteps() {
    RolloutReport report = new RolloutReport("checkout-1", "checkout", RolloutReport.Outcome.HALTED,
        "1 host(s) failed", START, START.plusMillis(1500), 7, List.of(
            new HostReport("web-1", 1, Outcome.FAILED, List.of(
                new StepReport("shunt", Result.SUCCEEDED, Duration.ofMillis(3), "shunted", 1, Kind.SHUNT, START),
                new StepReport("restart", Result.FAILED, Duration.ofMillis(1200), "exit \"2\"\n", 3, Kind.COMMAND,
                    START.plusMillis(3))),
                Duration.ofMillis(1210), ShuntStatus.of(ShuntRequest.of("deploy", "ci"), START), ""),
            new HostReport("web-2", 0, Outcome.UNTOUCHED, List.of(), Duration.ZERO, ShuntStatus.inRotation(), "")),
        List.of("drain timeout is short"), List.of(new RolloutReport.Sample(START.plusMillis(2),
            "haproxy checkout/web-1 sessions", 4)));

    assertThat(report.toJson()).isEqualTo("{\"rolloutId\":\"checkout-1\",\"service\":\"checkout\","
        + "\"outcome\":\"HALTED\",\"haltReason\":\"1 host(s) failed\",\"start\":\"2026-11-23T10:00:00Z\","
        + "\"end\":\"2026-11-23T10:00:01.500Z\",\"elapsedMillis\":1500,\"lockToken\":7,"
        + "\"warnings\":[\"drain timeout is short\"],\"hosts\":["
        + "{\"host\":\"web-1\",\"batch\":1,\"outcome\":\"FAILED\",\"elapsedMillis\":1210,\"shuntedAfter\":true,"
        + "\"shuntedUntil\":null,\"note\":\"\",\"steps\":["
        + "{\"step\":\"shunt\",\"kind\":\"SHUNT\",\"result\":\"SUCCEEDED\",\"start\":\"2026-11-23T10:00:00Z\","
        + "\"elapsedMillis\":3,\"attempts\":1,\"outcome\":\"shunted\"},"
        + "{\"step\":\"restart\",\"kind\":\"COMMAND\",\"result\":\"FAILED\",\"start\":\"2026-11-23T10:00:00.003Z\","
        + "\"elapsedMillis\":1200,\"attempts\":3,\"outcome\":\"exit \\\"2\\\"\\n\"}]},"
        + "{\"host\":\"web-2\",\"batch\":0,\"outcome\":\"UNTOUCHED\",\"elapsedMillis\":0,\"shuntedAfter\":false,"
        + "\"shuntedUntil\":null,\"note\":\"\",\"steps\":[]}],"
        + "\"samples\":[{\"at\":\"2026-11-23T10:00:00.002Z\",\"series\":\"haproxy checkout/web-1 sessions\",\"value\":4}]}");
  }

  /** A report of one host that failed at restart and was left as {@code statusAfter}. */
  private static RolloutReport failedAtRestart(ShuntStatus statusAfter) {
    return new RolloutReport("checkout-1", "checkout", RolloutReport.Outcome.HALTED, "1 host(s) failed", START,
        START.plusMillis(1500), 0, List.of(new HostReport("web-1", 1, Outcome.FAILED,
            List.of(new StepReport("restart", Result.FAILED, Duration.ofMillis(1200), "exit 2", 1, Kind.COMMAND,
                START.plusMillis(10))),
            Duration.ofMillis(1210), statusAfter, "")), List.of(), List.of());
  }

  @Test
  void summarySaysAHostLeftShuntedStaysOutUntilItsShuntsTtlEnds() {
    ShuntStatus leased = ShuntStatus.of(ShuntRequest.of("deploy", "ci").withTtl(Duration.ofMinutes(15)), START);

    assertThat(failedAtRestart(leased).summary()).contains(
        "  web-1: FAILED at restart (exit 2) in 1210 ms; left SHUNTED until 2026-11-23T10:15:00Z (its shunt's TTL)\n");
  }

  @Test
  void summarySaysAHostLeftShuntedWithoutTtlStaysOutUntilSomeoneUnshuntsIt() {
    ShuntStatus forever = ShuntStatus.of(ShuntRequest.of("deploy", "ci"), START);

    assertThat(failedAtRestart(forever).summary()).contains(
        "  web-1: FAILED at restart (exit 2) in 1210 ms; left SHUNTED with no TTL: until someone unshunts it\n");
  }

  @Test
  void jsonSaysUntilWhenAHostLeftShuntedStaysOut() {
    ShuntStatus leased = ShuntStatus.of(ShuntRequest.of("deploy", "ci").withTtl(Duration.ofMinutes(15)), START);

    assertThat(failedAtRestart(leased).toJson())
        .contains("\"shuntedAfter\":true,\"shuntedUntil\":\"2026-11-23T10:15:00Z\",");
  }

  @Test
  void jsonHasANullLockTokenWithoutALock() {
    RolloutReport report = new RolloutReport("r", "checkout", RolloutReport.Outcome.COMPLETED, "", START, START, 0,
        List.of(), List.of(), List.of());

    assertThat(report.toJson()).contains("\"lockToken\":null,\"warnings\":[],\"hosts\":[],\"samples\":[]}");
  }

  @Test
  void reportOfARunHasItsIdTimesAndOutcome() {
    Instant before = Instant.now();
    RolloutReport report = Rollout.builder().service("checkout").hosts(List.of("web-1", "web-2"))
        .store(StatusStore.inMemory()).listener(RolloutListener.silent()).rolloutId("deploy-812")
        .steps(List.of(Step.named("restart", context -> {
          if (context.host().equals("web-2")) {
            throw new StepFailedException("boom");
          }
        }))).build().run();

    assertThat(report.rolloutId()).isEqualTo("deploy-812");
    assertThat(report.start()).isBetween(before, report.end());
    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.haltReason()).isEqualTo("1 host(s) failed, more than maxFailures allows (0); last: web-2");
    assertThat(report.summary()).contains("why: 1 host(s) failed");
    assertThat(report.toJson()).startsWith("{\"rolloutId\":\"deploy-812\",\"service\":\"checkout\",\"outcome\":\"HALTED\"");
  }

  @Test
  void generatedRolloutIdsNameTheServiceAndDifferFromRunToRun() {
    Rollout rollout = Rollout.builder().service("checkout").hosts(List.of("web-1")).store(StatusStore.inMemory())
        .listener(RolloutListener.silent()).steps(List.of(Step.named("a", context -> { }))).build();

    String first = rollout.run().rolloutId();
    String second = rollout.run().rolloutId();

    assertThat(first).matches("checkout-\\d{8}T\\d{6}Z-[0-9a-f]{4}");
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void consoleListenerPrintsBatchesWarningsRetriesAndTheSummary() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
    int[] calls = {0};

    Rollout.builder().service("checkout").hosts(List.of("web-1", "web-2")).store(StatusStore.inMemory())
        .listener(RolloutListener.console(out)).batchSize(2)
        .step(ShuntStep.shunt(ShuntRequest.of("deploy", "ci")))
        .step(Step.named("connect", context -> {
          synchronized (calls) {
            if (calls[0]++ == 0) {
              throw new java.net.ConnectException("Connection refused");
            }
          }
        }), StepOptions.none().withRetry(RetryPolicy.builder().initialWait(Duration.ofMillis(5)).build()))
        .step(ShuntStep.unshunt())
        .build().run();

    String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(text).containsPattern("\\[checkout] rollout checkout-\\S+: 2 host\\(s\\) in 1 batch\\(es\\)")
        .contains("[checkout] WARNING: the steps shunt hosts but no step waits for the drain")
        .contains("[checkout] batch 1/1: web-1, web-2")
        .containsPattern("\\[web-[12]] connect attempt 1 failed \\(Connection refused\\); retrying in \\d+ ms")
        .containsPattern("\\[web-[12]] connect ok in \\d+ ms after 2 attempts")
        .contains("checkout: rollout completed");
  }
}
