package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.GracefulShutdown.PhaseReport;
import dev.shunt.GracefulShutdown.PhaseResult;
import dev.shunt.GracefulShutdown.Report;
import dev.shunt.testing.CapturedLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What runs after the server stopped: {@link ShutdownPhase}s one after the other, each within its
 * limit, each reported; one that overruns or fails does not keep the next from running.
 */
class GracefulShutdownPhasesTest {
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration SHORT = Duration.ofMillis(100);

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final HealthResponder responder = HealthResponder.builder()
      .store(StatusStore.inMemory())
      .key(InstanceKey.of("checkout", "web-1"))
      .healthcheckTimeout(Duration.ofMillis(20))
      .build();

  private GracefulShutdown.Builder shutdown() {
    return GracefulShutdown.builder()
        .responder(responder)
        .stopServer(() -> events.add("server stopped"))
        .quietPeriod(Duration.ZERO);
  }

  private ShutdownPhase recording(String name) {
    return ShutdownPhase.of(name, LONG, () -> events.add(name + " on " + Thread.currentThread().getName()));
  }

  /** A phase that blocks until it is interrupted, and notes that it was. */
  private ShutdownPhase hanging(String name, Duration limit, CountDownLatch interrupted) {
    return ShutdownPhase.of(name, limit, () -> {
      try {
        Thread.sleep(LONG.toMillis());
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    });
  }

  @Test
  void phasesRunInTheOrderGivenAfterTheServerStopped() {
    Report report = shutdown().then(recording("pool")).then(recording("member")).build().run();

    assertThat(events).containsExactly("server stopped", "pool on shunt-shutdown-pool", "member on shunt-shutdown-member");
    assertThat(report.phases()).extracting(PhaseReport::name)
        .containsExactly("nacks", "in flight", "stop server", "pool", "member");
    assertThat(report.allDone()).isTrue();
  }

  @Test
  void reportSaysWhatEachPhaseDidAndHowLongItTook() {
    Report report = shutdown().then(recording("pool")).build().run();

    assertThat(report.phase("pool")).hasValueSatisfying(pool -> {
      assertThat(pool.result()).isEqualTo(PhaseResult.DONE);
      assertThat(pool.detail()).isEqualTo("closed");
      assertThat(pool.limit()).isEqualTo(LONG);
      assertThat(pool.took()).isGreaterThanOrEqualTo(Duration.ZERO);
    });
    assertThat(report.phase("stop server")).hasValueSatisfying(stop ->
        assertThat(stop.toString()).startsWith("stop server: done in ").endsWith(" ms (limit 30000 ms): stopped"));
  }

  @Test
  void phaseThatOverrunsItsLimitIsReportedInterruptedAndTheNextOneRuns() throws InterruptedException {
    CountDownLatch interrupted = new CountDownLatch(1);

    Report report = shutdown().then(hanging("stuck", SHORT, interrupted)).then(recording("member")).build().run();

    assertThat(report.phase("stuck")).hasValueSatisfying(stuck -> {
      assertThat(stuck.result()).isEqualTo(PhaseResult.OVERRAN);
      assertThat(stuck.took()).isGreaterThanOrEqualTo(SHORT);
      assertThat(stuck.detail()).isEqualTo("still running when its limit of 100 ms ran out; interrupted, going on");
    });
    assertThat(events).contains("member on shunt-shutdown-member");
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the overrun phase's thread was interrupted").isTrue();
    assertThat(report.allDone()).isFalse();
  }

  @Test
  void overrunIsLoggedAsAWarningNamingThePhaseAndItsLimit() {
    try (CapturedLog log = CapturedLog.of(GracefulShutdown.class)) {
      shutdown().then(hanging("stuck", SHORT, new CountDownLatch(1))).build().run();

      assertThat(log.messages()).anySatisfy(line -> assertThat(line)
          .startsWith("checkout/web-1 stuck: OVERRAN its limit in ")
          .endsWith("(limit 100 ms): still running when its limit of 100 ms ran out; interrupted, going on"));
    }
  }

  @Test
  void phaseThatThrowsIsReportedAsFailedAndTheNextOneRuns() {
    ShutdownPhase failing = ShutdownPhase.of("pool", LONG, () -> {
      throw new IllegalStateException("pool already closed");
    });

    Report report = shutdown().then(failing).then(recording("member")).build().run();

    assertThat(report.phase("pool")).hasValueSatisfying(pool -> {
      assertThat(pool.result()).isEqualTo(PhaseResult.FAILED);
      assertThat(pool.detail()).isEqualTo("pool already closed");
    });
    assertThat(events).contains("member on shunt-shutdown-member");
  }

  @Test
  void stopServerThatHangsPastItsTimeoutDoesNotKeepTheLaterPhasesFromRunning() {
    CountDownLatch interrupted = new CountDownLatch(1);
    GracefulShutdown shutdown = shutdown()
        .stopServer(() -> {
          try {
            Thread.sleep(LONG.toMillis());
          } catch (InterruptedException e) {
            interrupted.countDown();
          }
        })
        .stopServerTimeout(SHORT)
        .then(recording("member"))
        .build();

    Report report = shutdown.run();

    assertThat(report.phase("stop server")).map(PhaseReport::result).hasValue(PhaseResult.OVERRAN);
    assertThat(events).containsExactly("member on shunt-shutdown-member");
  }

  @Test
  void interruptedRunStillStopsTheServerAndRunsTheLaterPhases() {
    GracefulShutdown shutdown = shutdown().then(recording("member")).build();
    Thread.currentThread().interrupt();
    Report report;
    try {
      report = shutdown.run();
    } finally {
      Thread.interrupted();
    }

    assertThat(report.outcome()).isEqualTo(GracefulShutdown.Outcome.INTERRUPTED);
    assertThat(events).containsExactly("server stopped", "member on shunt-shutdown-member");
    assertThat(report.phase("nacks")).map(PhaseReport::result).hasValue(PhaseResult.INTERRUPTED);
  }

  @Test
  void secondRunRunsNoPhase() {
    GracefulShutdown shutdown = shutdown().then(recording("member")).build();
    shutdown.run();
    events.clear();

    Report second = shutdown.run();

    assertThat(second.phases()).isEmpty();
    assertThat(second.allDone()).isFalse();
    assertThat(events).isEmpty();
  }

  @Test
  void nullPhaseFailsAtBuild() {
    GracefulShutdown.Builder builder = shutdown().then(recording("pool")).then(null);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("phases[1] must be set, was null");
  }

  @Test
  void phaseWithoutALimitFailsAtBuild() {
    ShutdownPhase noLimit = new ShutdownPhase() {
      @Override
      public String name() {
        return "pool";
      }

      @Override
      public Duration limit() {
        return Duration.ZERO;
      }

      @Override
      public String run() {
        return "closed";
      }
    };

    assertThatThrownBy(shutdown().then(noLimit)::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("phases[0].limit must be positive, was PT0S");
  }

  @Test
  void zeroStopServerTimeoutFailsAtBuild() {
    assertThatThrownBy(shutdown().stopServerTimeout(Duration.ZERO)::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stopServerTimeout must be positive, was PT0S");
  }

  @Test
  void phaseOfABlankNameIsRefused() {
    assertThatThrownBy(() -> ShutdownPhase.of(" ", LONG, () -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was \" \"");
  }

  @Test
  void phaseOfANegativeLimitIsRefused() {
    assertThatThrownBy(() -> ShutdownPhase.of("pool", Duration.ofSeconds(-1), () -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit of phase \"pool\" must be positive, was PT-1S");
  }

  @Test
  void phaseOfNoActionIsRefused() {
    assertThatThrownBy(() -> ShutdownPhase.of("pool", LONG, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("action must be set, was null");
  }

  @Test
  void phaseOfAnActionIsAccepted() {
    assertThatCode(() -> ShutdownPhase.of("pool", LONG, () -> { })).doesNotThrowAnyException();
  }
}
