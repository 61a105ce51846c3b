package dev.shunt.workflow;

import dev.shunt.workflow.internal.Execution;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A rollout in progress ({@link Rollout#start()}): wait for its report, or stop it.
 *
 * <p>Stopping is safe by default: {@link #cancel()} starts no other host, and lets every host in
 * progress finish its steps, so no host is abandoned between its shunt and its unshunt; only a
 * step that has not changed anything yet (a shunt still waiting for room in the disruption
 * budget) gives up, and its host is reported {@code CANCELLED}, in rotation. {@link #cancelNow()}
 * also interrupts the steps in progress: their hosts stop where they are ({@code CANCELLED},
 * shunted if they were, as the report says). Hosts never started are {@code UNTOUCHED}.
 *
 * <p>Thread-safe.
 */
public final class RolloutRun {
  private final Execution execution;
  private final String rolloutId;

  RolloutRun(Execution execution, String rolloutId) {
    this.execution = execution;
    this.rolloutId = rolloutId;
  }

  /**
   * The run's id, as written in the journal and the report.
   *
   * @return the run's id
   */
  public String rolloutId() {
    return rolloutId;
  }

  /** Starts no more hosts; hosts in progress finish their steps. Returns at once; see {@link #await()}. */
  public void cancel() {
    execution.cancel();
  }

  /** Starts no more hosts and interrupts the steps in progress. Returns at once. */
  public void cancelNow() {
    execution.cancelNow();
  }

  /**
   * Whether the rollout has ended.
   *
   * @return true once the rollout has ended
   */
  public boolean isDone() {
    return execution.result().isDone();
  }

  /**
   * Waits for the rollout to end and returns its report. Interrupting the waiting thread
   * {@linkplain #cancel() cancels} the rollout; the call still waits for it to stop, then returns
   * the report with the thread's interrupt flag set.
   *
   * @return the rollout's report
   * @throws Error an error that a step threw (e.g. {@link OutOfMemoryError}): the rollout stopped
   *     like a crashed process, leaving its journal as it stood for a resume or a clean-up
   */
  public RolloutReport await() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return execution.result().get();
        } catch (InterruptedException e) {
          interrupted = true;
          cancel();
        } catch (ExecutionException e) {
          throw unwrap(e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Waits at most {@code timeout} for the rollout to end.
   *
   * @param timeout the longest wait
   * @return the report, or empty if it has not ended yet
   * @throws InterruptedException if the waiting thread was interrupted; the rollout goes on
   */
  public Optional<RolloutReport> await(Duration timeout) throws InterruptedException {
    try {
      return Optional.of(execution.result().get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  /**
   * Cancels the rollout when the JVM shuts down (Ctrl-C, SIGTERM): {@link #cancel()}, then waits
   * {@code grace} for the hosts in progress to finish, then {@link #cancelNow()} and waits for the
   * rollout to stop. The hook is removed when the rollout ends by itself.
   *
   * @param grace how long the hosts in progress may take to finish
   * @return this run
   */
  public RolloutRun cancelOnShutdown(Duration grace) {
    Durations.requirePositive("grace", grace);
    Thread hook = new Thread(() -> {
      cancel();
      try {
        if (await(grace).isEmpty()) {
          cancelNow();
          await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "shunt-" + rolloutId + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    execution.result().whenComplete((report, error) -> {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run: nothing to remove
      }
    });
    return this;
  }

  private static Error unwrap(ExecutionException e) {
    if (e.getCause() instanceof Error error) {
      throw error;
    }
    throw new IllegalStateException("the rollout broke down", e.getCause());
  }

  @Override
  public String toString() {
    return "rollout " + rolloutId + (isDone() ? " (done)" : " (running)");
  }
}
