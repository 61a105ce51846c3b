package dev.shunt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.HealthResponder;
import dev.shunt.HealthResponder.ShutdownOutcome;
import dev.shunt.HealthState;
import dev.shunt.InstanceKey;
import dev.shunt.StatusStore;
import dev.shunt.internal.CheckerTallies.Answer;
import dev.shunt.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The NACK shutdown on its own, with its timeout fired by hand: what happens when the timer and
 * the last NACK both try to complete it, which through a responder is a race.
 */
class NackShutdownTest {
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final CheckerTallies tallies = new CheckerTallies(StatusStore.inMemory(clock), KEY, 32,
      Duration.ofMinutes(5), new ThrottledWarning(System.getLogger(HealthResponder.class.getName()),
          Duration.ofMinutes(1), clock::instant));
  private final HeldTimers timers = new HeldTimers();
  private final List<ShutdownOutcome> told = new CopyOnWriteArrayList<>();
  private final NackShutdown shutdown = new NackShutdown(KEY, 3, TIMEOUT, timers, clock, tallies, told::add);

  /** Records every timer it is given and holds it for a day, so that a test fires it when it wants. */
  private static final class HeldTimers extends ScheduledThreadPoolExecutor {
    final List<Runnable> timeouts = new CopyOnWriteArrayList<>();
    final List<ScheduledFuture<?>> futures = new CopyOnWriteArrayList<>();

    HeldTimers() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      timeouts.add(command);
      ScheduledFuture<?> future = super.schedule(command, 1, TimeUnit.DAYS);
      futures.add(future);
      return future;
    }

    void fireLast() {
      timeouts.get(timeouts.size() - 1).run();
    }
  }

  @AfterEach
  void stopTimers() {
    timers.shutdownNow();
  }

  private void answered(String checker, HealthState state) {
    Answer answer = Answer.toHttpCheck(state);
    if (tallies.record(checker, answer, clock.instant(), 0, "") && answer.nack()) {
      shutdown.nackSent(checker);
    }
  }

  @Test
  void timeoutThatFiresAfterTheLastNackCompletedItChangesNothing() {
    answered("lb-1", HealthState.IN_ROTATION);
    CompletableFuture<ShutdownOutcome> done = shutdown.start();
    for (int i = 0; i < 3; i++) {
      answered("lb-1", HealthState.SHUTTING_DOWN);
    }
    timers.fireLast();

    assertThat(done).isCompletedWithValue(ShutdownOutcome.ALL_CHECKERS_NACKED);
    assertThat(told).containsExactly(ShutdownOutcome.ALL_CHECKERS_NACKED);
  }

  @Test
  void nackAfterTheTimeoutCompletedItChangesNothing() {
    answered("lb-1", HealthState.IN_ROTATION);
    CompletableFuture<ShutdownOutcome> done = shutdown.start();
    timers.fireLast();
    answered("lb-1", HealthState.SHUTTING_DOWN);

    assertThat(done).isCompletedWithValue(ShutdownOutcome.CHECKS_TIMED_OUT);
    assertThat(told).containsExactly(ShutdownOutcome.CHECKS_TIMED_OUT);
  }

  @Test
  void everyNackThatLeavesACheckerToWaitForReArmsTheTimeoutAndCancelsTheOldOne() {
    answered("lb-1", HealthState.IN_ROTATION);
    shutdown.start();
    answered("lb-1", HealthState.SHUTTING_DOWN);
    answered("lb-1", HealthState.SHUTTING_DOWN);

    assertThat(timers.futures).hasSize(3);
    assertThat(timers.futures.subList(0, 2)).allMatch(ScheduledFuture::isCancelled);
    assertThat(timers.futures.get(2).isCancelled()).isFalse();
  }

  @Test
  void startingAgainReturnsTheSameFutureAndArmsNoSecondTimer() {
    CompletableFuture<ShutdownOutcome> first = shutdown.start();

    assertThat(shutdown.start()).isSameAs(first);
    assertThat(timers.futures).hasSize(1);
  }

  @Test
  void completingLeavesAGivenSchedulerRunning() {
    shutdown.start();
    timers.fireLast();

    assertThat(timers.isShutdown()).isFalse();
  }
}
