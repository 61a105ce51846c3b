package dev.shunt.workflow.internal;

import dev.shunt.InstanceKey;
import dev.shunt.JournalEntry;
import dev.shunt.ShuntStatus;
import dev.shunt.ShuntTimeoutException;
import dev.shunt.StatusStore;
import dev.shunt.StepContext;
import dev.shunt.StepDescription;
import dev.shunt.workflow.FailurePolicy;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.HostReport.Outcome;
import dev.shunt.workflow.RolloutCancelledException;
import dev.shunt.workflow.StepReport;
import dev.shunt.workflow.StepReport.Result;
import dev.shunt.workflow.UndoableStep;
import io.github.resilience4j.retry.Retry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The rollout on one host, on a worker thread: its steps in order, each under its time limit and
 * retry policy, then the failure policy, the journal and the report. It is also the context its
 * steps get. One per host; its step runs on one thread at a time.
 */
final class HostRun implements StepContext {

  /** Why the rollout interrupted a step. */
  enum Interruption { STEP_TIMEOUT, ROLLOUT_TIMEOUT, CANCEL_NOW }

  private final Execution execution;
  private final String host;
  private final BatchRun batchRun;
  private final int batch;
  /** With overlapRotation, the batch before, still running: past the drain, the host waits until it is over. */
  private BatchRun before;
  private boolean released;
  private final InstanceKey key;
  private final int hostIndex;
  private volatile String outcome = "";
  private volatile int attempt = 1;
  /** The thread running a step, or null between steps; guarded by {@code this}. */
  private Thread thread;
  private int stepNumber;
  private Interruption interruption;
  /** Renews the host's shunt between its shunt and unshunt steps, when the shunt has a time to live. */
  private ShuntKeeper shuntKeeper;
  /** Whether this run rolls the host back: the rollback's steps, journal states and listener events. */
  private final boolean rollback;
  /** The undoable steps that started on the host, in order: what keeps it out besides its shunt. */
  private final List<UndoableStep> undoable = new ArrayList<>();

  HostRun(Execution execution, String host, BatchRun batch, BatchRun before) {
    this(execution, host, batch, before, false);
  }

  HostRun(Execution execution, String host, BatchRun batch, BatchRun before, boolean rollback) {
    this.rollback = rollback;
    this.execution = execution;
    this.host = host;
    this.batchRun = batch;
    this.batch = batch.batch().number();
    this.before = before;
    this.key = InstanceKey.of(execution.config.service(), host);
    this.hostIndex = execution.hostIndex(host);
  }

  HostReport run() {
    Thread worker = Thread.currentThread();
    String name = worker.getName();
    worker.setName("shunt-" + key.service() + "-" + host);
    HostReport report = null;
    try {
      if (execution.stopRequested()) {
        report = new HostReport(host, batch, Outcome.UNTOUCHED, List.of(), Duration.ZERO, execution.statusOf(host), "");
        finished(report);
        return report;
      }
      execution.started(this);
      try {
        report = roll();
        return report;
      } finally {
        execution.finished(this);
      }
    } finally {
      release(report != null && report.outcome() != Outcome.FAILED && report.outcome() != Outcome.CANCELLED);
      worker.setName(name);
      Thread.interrupted();
    }
  }

  /** Tells the batch, once, that the batch after it may start as far as this host goes. */
  private void release(boolean fine) {
    if (!released) {
      released = true;
      batchRun.release(fine);
    }
  }

  /**
   * Waits, before {@code step}, until the batch before is over.
   *
   * @return an empty string to go on, or why the host stops here
   */
  private String awaitBatchBefore(RunnableStep step) {
    BatchRun waitedFor = before;
    before = null;
    long start = System.nanoTime();
    try {
      if (!waitedFor.isOver()) {
        log("waits for batch " + waitedFor.batch().number() + " to be over before " + step.name);
        waitedFor.awaitOver();
        log("batch " + waitedFor.batch().number() + " is over after " + (System.nanoTime() - start) / 1_000_000
            + " ms; going on");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "stopped before " + step.name + ": interrupted while batch " + waitedFor.batch().number()
          + " was running";
    }
    return execution.stopRequested() ? "stopped before " + step.name + ": the rollout stopped while batch "
        + waitedFor.batch().number() + " was running" : "";
  }

  private void stopRenewingShunt() {
    if (shuntKeeper != null) {
      shuntKeeper.stop();
      shuntKeeper = null;
    }
  }

  /**
   * Puts the host back after it stopped before its restart, having only been shunted, taken out
   * and drained: unshunts it, then undoes its take-outs.
   *
   * @return what it did, for the note, and where it could not put the host back, in {@code leftOut}
   */
  private String putBack(boolean shunted, List<String> leftOut) {
    String said = "";
    if (shunted) {
      try {
        execution.config.store().unshunt(key);
        said = "; put back in rotation";
      } catch (RuntimeException e) {
        said = "; cannot put it back in rotation: " + e;
      }
    }
    if (!undoable.isEmpty()) {
      leftOut.addAll(undo());
      said += leftOut.isEmpty() ? "; put back in its load balancers" : "; NOT put back in every load balancer";
    }
    return said;
  }

  /** Runs the undo of every undoable step that started here, the last first; where it could not. */
  private List<String> undo() {
    List<String> failures = new ArrayList<>();
    for (int i = undoable.size() - 1; i >= 0; i--) {
      UndoableStep step = undoable.get(i);
      try {
        failures.addAll(step.undo(this));
      } catch (RuntimeException e) {
        failures.add(step.name() + " could not be undone: " + describe(e));
      }
    }
    return failures;
  }

  /** Where the undoable steps that started here still keep the host out, as they see it now. */
  private List<String> stillInPlace() {
    List<String> out = new ArrayList<>();
    for (UndoableStep step : undoable) {
      try {
        out.addAll(step.stillInPlace(this));
      } catch (RuntimeException e) {
        out.add(step.name() + " cannot say where the host is still out: " + describe(e));
      }
    }
    return out;
  }

  private HostReport roll() {
    Clock clock = execution.config.clock();
    Instant start = clock.instant();
    if (rollback) {
      execution.listener.rollbackHostStarted(host);
      execution.journal(host, JournalEntry.State.ROLLING_BACK, "rollback started" + lockNote());
    } else {
      execution.listener.hostStarted(host);
      execution.journal(host, JournalEntry.State.STARTED, "batch " + batch + lockNote());
    }
    List<RunnableStep> sequence = rollback ? execution.rollbackSteps() : execution.steps();
    List<StepReport> reports = new ArrayList<>(sequence.size() + 2);
    String note = "";
    boolean shunted = false;
    List<String> leftOut = new ArrayList<>();
    boolean triedPutBack = false;
    int index = execution.beforeHost() == null ? 0 : -1;
    for (; index < sequence.size(); index++) {
      RunnableStep step = index < 0 ? execution.beforeHost() : sequence.get(index);
      Execution.Stop hard = execution.hardStop();
      if (hard != null) {
        note = "stopped before " + step.name + ": " + (hard == Execution.Stop.TIMEOUT
            ? "the rollout's time limit passed" : "the rollout was cancelled");
        break;
      }
      if (before != null && !step.runsWhileBatchBeforeRotates()) {
        note = awaitBatchBefore(step);
        if (!note.isEmpty()) {
          note += putBack(shunted, leftOut);
          triedPutBack = true;
          break;
        }
      }
      if (step.kind == StepDescription.Kind.ROTATION) {
        release(true);
      }
      if (step.kind == StepDescription.Kind.UNSHUNT) {
        stopRenewingShunt();
      }
      if (step.step instanceof UndoableStep undo) {
        undoable.add(undo);
      }
      StepReport report = runStep(step);
      reports.add(report);
      if (!report.succeeded()) {
        break;
      }
      shunted |= step.kind == StepDescription.Kind.SHUNT;
      if (step.lease != null) {
        stopRenewingShunt();
        shuntKeeper = ShuntKeeper.start(execution.timers(), execution.config.store(), key, step.lease, this::log);
      }
    }
    stopRenewingShunt();
    if (execution.afterHost() != null && execution.hardStop() == null) {
      reports.add(runStep(execution.afterHost()));
    }
    StepReport failed = reports.stream().filter(report -> !report.succeeded()).findFirst().orElse(null);
    Outcome result = failed != null ? (failed.result() == Result.CANCELLED ? Outcome.CANCELLED : Outcome.FAILED)
        : note.isEmpty() ? Outcome.DONE : Outcome.CANCELLED;
    if (result == Outcome.FAILED && execution.config.onFailure() == FailurePolicy.UNSHUNT) {
      try {
        execution.config.store().unshunt(key);
        log("put back in rotation after the failure (onFailure UNSHUNT)");
      } catch (RuntimeException e) {
        log("cannot put it back in rotation after the failure: " + e);
      }
      // After the unshunt, as the put-back step goes after it: a load balancer that checks the host
      // takes it back once its checks pass.
      leftOut.addAll(undo());
      triedPutBack = true;
    }
    if (result != Outcome.DONE && !triedPutBack) {
      leftOut.addAll(stillInPlace());
    }
    if (!leftOut.isEmpty()) {
      log("LEFT OUT of rotation on " + String.join("; ", leftOut));
    }
    ShuntStatus after = execution.statusOf(host);
    HostReport report = new HostReport(host, batch, result, reports, Duration.between(start, clock.instant()), after,
        note, leftOut);
    if (result == Outcome.DONE) {
      execution.journal(host, rollback ? JournalEntry.State.ROLLED_BACK : JournalEntry.State.DONE,
          (rollback ? "rolled back in " : "done in ") + report.elapsed().toMillis() + " ms" + lockNote());
    } else {
      String why = failed != null ? result.name().toLowerCase(java.util.Locale.ROOT) + " at " + failed.step() + ": "
          + failed.outcome() : note;
      execution.journal(host, JournalEntry.State.FAILED, (rollback ? "rollback " : "") + why
          + (after.shunted() ? "; left shunted" : "") + (leftOut.isEmpty() ? "" : "; left out of rotation on "
          + String.join("; ", leftOut)) + lockNote());
    }
    finished(report);
    return report;
  }

  private void finished(HostReport report) {
    if (rollback) {
      execution.listener.rollbackHostFinished(report);
    } else {
      execution.listener.hostFinished(report);
    }
  }

  private StepReport runStep(RunnableStep step) {
    execution.listener.stepStarted(host, step.name);
    outcome = "";
    attempt = 1;
    Clock clock = execution.config.clock();
    Instant start = clock.instant();
    int number = enter();
    ScheduledFuture<?> timer = step.timeout == null ? null : execution.timers().schedule(
        () -> interruptStep(number, Interruption.STEP_TIMEOUT), step.timeout.toNanos(), TimeUnit.NANOSECONDS);
    Exception failure = null;
    Interruption why;
    try {
      Retry.Context<Object> retry = step.retry == null ? null : retryContext(step);
      while (true) {
        try {
          step.step.run(this);
          if (retry != null) {
            retry.onComplete();
          }
          break;
        } catch (Exception e) {
          if (retry == null || interrupted()) {
            throw e;
          }
          retry.onError(e);
          attempt++;
        }
      }
    } catch (Exception e) {
      failure = e;
    } finally {
      if (timer != null) {
        timer.cancel(false);
      }
      why = leave();
    }
    Duration elapsed = Duration.between(start, clock.instant());
    StepReport report;
    if (why == Interruption.STEP_TIMEOUT) {
      report = new StepReport(step.name, Result.TIMED_OUT, elapsed, "did not finish within its time limit of "
          + step.timeout + "; interrupted", attempt, step.kind, start);
    } else if (why == Interruption.ROLLOUT_TIMEOUT) {
      report = new StepReport(step.name, Result.TIMED_OUT, elapsed, "interrupted: the rollout's time limit of "
          + execution.config.timeout() + " passed", attempt, step.kind, start);
    } else if (why == Interruption.CANCEL_NOW) {
      report = new StepReport(step.name, Result.CANCELLED, elapsed, "interrupted: the rollout was cancelled", attempt,
          step.kind, start);
    } else if (failure == null) {
      report = new StepReport(step.name, Result.SUCCEEDED, elapsed, outcome, attempt, step.kind, start);
    } else if (failure instanceof RolloutCancelledException) {
      report = new StepReport(step.name, Result.CANCELLED, elapsed, describe(failure), attempt, step.kind, start);
    } else if (failure instanceof ShuntTimeoutException) {
      report = new StepReport(step.name, Result.TIMED_OUT, elapsed, describe(failure), attempt, step.kind, start);
    } else {
      report = new StepReport(step.name, Result.FAILED, elapsed, describe(failure), attempt, step.kind, start);
    }
    execution.listener.stepFinished(host, report);
    return report;
  }

  private Retry.Context<Object> retryContext(RunnableStep step) {
    Retry retry = Retry.of(host + "/" + step.name, step.retry);
    retry.getEventPublisher().onRetry(event -> execution.listener.stepRetrying(host, step.name,
        event.getNumberOfRetryAttempts(), event.getLastThrowable(), event.getWaitInterval()));
    return retry.context();
  }

  static String describe(Throwable error) {
    if (error instanceof InterruptedException) {
      return "interrupted";
    }
    return error.getMessage() == null ? error.getClass().getName() : error.getMessage();
  }

  private String lockNote() {
    long token = execution.lockToken();
    return token == 0 ? "" : "; lock token " + token;
  }

  private synchronized int enter() {
    thread = Thread.currentThread();
    interruption = null;
    Execution.Stop hard = execution.hardStop();
    if (hard != null) {
      interruption = hard == Execution.Stop.TIMEOUT ? Interruption.ROLLOUT_TIMEOUT : Interruption.CANCEL_NOW;
      thread.interrupt();
    }
    return ++stepNumber;
  }

  /** Ends a step: clears an interrupt the rollout sent, so that it does not reach the next step. */
  private synchronized Interruption leave() {
    thread = null;
    Interruption why = interruption;
    interruption = null;
    if (why != null) {
      Thread.interrupted();
    }
    return why;
  }

  private synchronized boolean interrupted() {
    return interruption != null;
  }

  private synchronized void interruptStep(int number, Interruption why) {
    if (thread != null && stepNumber == number && interruption == null) {
      interruption = why;
      thread.interrupt();
    }
  }

  /** Interrupts the step in progress, if there is one. */
  synchronized void interruptStep(Interruption why) {
    if (thread != null && interruption == null) {
      interruption = why;
      thread.interrupt();
    }
  }

  @Override
  public InstanceKey key() {
    return key;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public StatusStore store() {
    return execution.config.store();
  }

  @Override
  public Clock clock() {
    return execution.config.clock();
  }

  @Override
  public void log(String line) {
    execution.listener.log(host, line);
  }

  @Override
  public void outcome(String description) {
    this.outcome = Objects.requireNonNull(description, "description");
  }

  @Override
  public void measure(String series, double value) {
    execution.measure(Objects.requireNonNull(series, "series"), value);
  }

  @Override
  public boolean cancelRequested() {
    return execution.stopRequested();
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public int hostIndex() {
    return hostIndex;
  }
}
