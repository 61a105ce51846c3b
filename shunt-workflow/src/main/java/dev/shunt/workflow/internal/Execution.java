package dev.shunt.workflow.internal;

import dev.shunt.InstanceKey;
import dev.shunt.JournalEntry;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.workflow.Batch;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.HostReport.Outcome;
import dev.shunt.workflow.PreflightProblem;
import dev.shunt.workflow.RollbackReport;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutPlan;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.gate.GateVerdict;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One run of a rollout: the coordinator thread that takes the batches in turn, the pool of workers
 * that run the hosts of a batch at once, the timers for time limits and the lock's renewal, and
 * the way it is stopped. Thread-safe.
 */
public final class Execution {
  private static final System.Logger LOG = System.getLogger(Execution.class.getName());

  /** Why the rollout stops starting hosts. Hard stops interrupt the steps in progress. */
  enum Stop {
    HALT(false), LOST_LOCK(false), CANCEL(false), CANCEL_NOW(true), TIMEOUT(true);

    final boolean hard;

    Stop(boolean hard) {
      this.hard = hard;
    }
  }

  final RolloutConfig config;
  final String rolloutId;
  final RolloutListener listener;
  private final Masking masking;
  private final CompletableFuture<RolloutReport> result = new CompletableFuture<>();
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final Set<HostRun> active = ConcurrentHashMap.newKeySet();
  private final Object stopLock = new Object();
  /** The readings steps took ({@link HostRun#measure}), at most {@link RolloutReport#MAX_SAMPLES}; guarded by itself. */
  private final List<RolloutReport.Sample> samples = new ArrayList<>();
  /** The plan's warnings and the pre-flight's, for the report; set once the plan is made. */
  private volatile List<String> warnings = List.of();
  private volatile Stop stop;
  private volatile Stop hardStop;
  private String stopReason = "";
  /** Set, under stopLock, once the hosts are over and the rollback starts: a stop from then on stops the rollback. */
  private volatile boolean rollingBack;
  private volatile Stop rollbackStop;
  private volatile Stop rollbackHardStop;
  private String rollbackStopReason = "";
  private final List<RunnableStep> steps;
  private final List<RunnableStep> rollbackSteps;
  private final List<PreflightProblem> preflight;
  private final Map<String, Integer> hostIndexes = new HashMap<>();
  private final RunnableStep beforeHost;
  private final RunnableStep afterHost;
  private final GateRun gateRun;
  /** The gate's verdicts, masked; the coordinator's only. */
  private final List<GateVerdict> verdicts = new ArrayList<>();
  private boolean gateHalted;
  private ScheduledThreadPoolExecutor timers;
  private ExecutorService workers;
  private LockKeeper lock;

  public Execution(RolloutConfig config, String rolloutId, List<PreflightProblem> preflight) {
    this.config = config;
    this.rolloutId = rolloutId;
    this.preflight = List.copyOf(preflight);
    this.masking = Masking.of(config);
    this.listener = new SerialListener(config.listener(), masking);
    this.steps = config.steps().stream().map(step -> new RunnableStep(step.step(), config.optionsOf(step))).toList();
    this.rollbackSteps = config.rollbackSteps().stream()
        .map(step -> new RunnableStep(step.step(), config.optionsOf(step))).toList();
    this.beforeHost = config.beforeEachHost() == null ? null
        : new RunnableStep(config.beforeEachHost(), config.stepDefaults());
    this.afterHost = config.afterEachHost() == null ? null
        : new RunnableStep(config.afterEachHost(), config.stepDefaults());
    for (String host : config.hosts()) {
      hostIndexes.put(host, hostIndexes.size() + 1);
    }
    this.gateRun = config.gate() == null ? null : new GateRun(config.gate(), this::hostIndex, config.clock(),
        this::measure);
  }

  /** The host's 1-based position in the rollout's list of hosts. */
  int hostIndex(String host) {
    return hostIndexes.getOrDefault(host, 0);
  }

  /**
   * Acquires the deploy lock (if any), then starts the coordinator.
   *
   * @throws dev.shunt.LockHeldException if someone else holds the lock; nothing was started
   */
  public void start() {
    if (config.deployLock() != null) {
      lock = LockKeeper.acquire(config.deployLock(), config.service(), config.lockOwner(),
          "rollout " + rolloutId, config.lockLease());
    }
    try {
      boolean needsTimers = lock != null || config.timeout() != null
          || config.steps().stream().anyMatch(step -> step.step() instanceof ShuntStep shunt
              && shunt.request().flatMap(ShuntRequest::ttl).isPresent())
          || config.steps().stream().anyMatch(step -> config.optionsOf(step).timeout().isPresent())
          || config.stepDefaults().timeout().isPresent()
          || (config.rollback() != null && config.optionsOf(config.rollback()).timeout().isPresent());
      if (needsTimers) {
        timers = new ScheduledThreadPoolExecutor(1, runnable -> {
          Thread thread = new Thread(runnable, "shunt-" + config.service() + "-timer");
          thread.setDaemon(true);
          return thread;
        });
        timers.setRemoveOnCancelPolicy(true);
      }
      Thread coordinator = new Thread(this::coordinate, "shunt-" + config.service() + "-rollout");
      coordinator.start();
    } catch (RuntimeException | Error e) {
      shutDown();
      throw e;
    }
  }

  /** The report, once the rollout ended; completes exceptionally with an Error that crashed it. */
  public CompletableFuture<RolloutReport> result() {
    return result;
  }

  /** Starts no more hosts; hosts in progress finish their steps (a step may give up before it changes anything). */
  public void cancel() {
    stop(Stop.CANCEL, "cancelled: hosts in progress finish their steps, no other host starts");
  }

  /** Starts no more hosts and interrupts the steps in progress. */
  public void cancelNow() {
    stop(Stop.CANCEL_NOW, "cancelled now: steps in progress are interrupted, their hosts left as they are");
  }

  /** Whether the rollout, or once it rolls back, the rollback, was asked to stop. */
  boolean stopRequested() {
    return rollingBack ? rollbackStop != null : stop != null;
  }

  /** The hard stop in force (on the rollback, once it rolls back), or null. */
  Stop hardStop() {
    return rollingBack ? rollbackHardStop : hardStop;
  }

  ScheduledThreadPoolExecutor timers() {
    return timers;
  }

  long lockToken() {
    return lock == null ? 0 : lock.grant().token();
  }

  /** The rollout's steps, ready to run. */
  List<RunnableStep> steps() {
    return steps;
  }

  /** The steps of a rollback, ready to run; empty without one. */
  List<RunnableStep> rollbackSteps() {
    return rollbackSteps;
  }

  /** The hook before each host, or null. */
  RunnableStep beforeHost() {
    return beforeHost;
  }

  /** The hook after each host, or null. */
  RunnableStep afterHost() {
    return afterHost;
  }

  void stop(Stop kind, String reason) {
    boolean first;
    synchronized (stopLock) {
      if (rollingBack) {
        // The rollout's outcome and reason stand; the stop ends the rollback.
        first = rollbackStop == null;
        if (first) {
          rollbackStop = kind;
          rollbackStopReason = reason;
        }
        if (kind.hard && rollbackHardStop == null) {
          rollbackHardStop = kind;
        } else if (!first) {
          return;
        }
      } else {
        first = stop == null;
        if (first || (kind.hard && hardStop == null)) {
          stop = kind;
          stopReason = reason;
        }
        if (kind.hard && hardStop == null) {
          hardStop = kind;
        } else if (!first) {
          return;
        }
      }
    }
    listener.halting(reason);
    stopSignal.countDown();
    if (kind.hard) {
      active.forEach(host -> host.interruptStep(kind == Stop.TIMEOUT ? HostRun.Interruption.ROLLOUT_TIMEOUT
          : HostRun.Interruption.CANCEL_NOW));
    }
  }

  /**
   * Keeps a step's reading for the report, until there are {@link RolloutReport#MAX_SAMPLES}; a
   * reading that is not a finite number is dropped (JSON cannot hold it).
   */
  void measure(String series, double value) {
    if (!Double.isFinite(value)) {
      return;
    }
    RolloutReport.Sample sample = new RolloutReport.Sample(config.clock().instant(), series, value);
    synchronized (samples) {
      if (samples.size() < RolloutReport.MAX_SAMPLES) {
        samples.add(sample);
      }
    }
  }

  private List<RolloutReport.Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  void started(HostRun host) {
    active.add(host);
  }

  void finished(HostRun host) {
    active.remove(host);
  }

  private void coordinate() {
    Instant start = config.clock().instant();
    Map<String, HostReport> reports = new HashMap<>();
    Error crash = null;
    RollbackReport rollback = null;
    try {
      Map<String, JournalEntry> journal = Planner.journal(config);
      RolloutPlan plan = Planner.plan(config, journal, preflight);
      for (String host : plan.skippedHosts()) {
        JournalEntry entry = journal.get(host);
        reports.put(host, new HostReport(host, 0, Outcome.SKIPPED, List.of(), Duration.ZERO, statusOf(host),
            "done by rollout " + entry.rolloutId() + " at " + entry.at()));
      }
      config.hosts().forEach(host -> config.store().register(InstanceKey.of(config.service(), host)));
      if (config.timeout() != null) {
        timers.schedule(() -> stop(Stop.TIMEOUT, "the rollout's time limit of " + config.timeout() + " passed"),
            config.timeout().toNanos(), TimeUnit.NANOSECONDS);
      }
      if (lock != null) {
        lock.renewOn(timers, problem -> stop(Stop.LOST_LOCK, problem));
      }
      warnings = Stream.concat(plan.warnings().stream(), plan.preflight().stream().map(PreflightProblem::toString))
          .toList();
      listener.rolloutStarted(rolloutId, plan);
      plan.skippedHosts().forEach(host -> listener.hostFinished(reports.get(host)));
      crash = runBatches(plan, reports);
      if (crash == null) {
        rollback = rollBack(reports);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "rollout " + rolloutId + " of " + config.service() + " broke down", masking.loggable(e));
      stop(Stop.HALT, "the rollout broke down: " + e);
    } catch (Error e) {
      crash = e;
    } finally {
      shutDown();
    }
    if (crash != null) {
      result.completeExceptionally(crash);
      return;
    }
    if (rollback != null) {
      listener.rollbackFinished(rollback);
    }
    RolloutReport report = report(start, reports, rollback);
    listener.rolloutFinished(report);
    result.complete(report);
  }

  /**
   * Runs the batches in turn. A batch starts when the one before is over — or, with
   * {@code overlapRotation}, as soon as every host of the one before started its rotation wait
   * (then the new batch's hosts wait at their first step past the drain until it is over).
   *
   * @return an Error that crashed a host, or null
   */
  private Error runBatches(RolloutPlan plan, Map<String, HostReport> reports) {
    int maxBatch = plan.batches().stream().mapToInt(batch -> batch.hosts().size()).max().orElse(0);
    if (maxBatch == 0) {
      return null;
    }
    AtomicInteger threads = new AtomicInteger();
    workers = Executors.newFixedThreadPool(config.overlapRotation() ? 2 * maxBatch : maxBatch,
        runnable -> new Thread(runnable, "shunt-" + config.service() + "-worker-" + threads.incrementAndGet()));
    Batches batches = new Batches(plan, reports);
    BatchRun running = null;
    for (Batch batch : plan.batches()) {
      BatchRun before = running;
      running = null;
      boolean overlap = before != null && mayOverlap(before);
      if (before != null && !overlap && !batches.finish(before)) {
        break;
      }
      if (stopRequested()) {
        if (overlap) {
          batches.finish(before);
        }
        break;
      }
      running = start(batch, overlap ? before : null);
      // Overlapping, the batch before is finished now, while this one shunts and drains.
      if ((overlap && !batches.finish(before)) || running == null) {
        break;
      }
    }
    if (running != null) {
      batches.finish(running);
    }
    return batches.crash;
  }

  /** Whether the batch after {@code before} may start before it is over. */
  private boolean mayOverlap(BatchRun before) {
    return config.overlapRotation() && gateRun == null && !before.batch().canary() && before.awaitReleased() && !stopRequested();
  }

  /**
   * Runs the before-batch hook, then hands the batch's hosts to the workers.
   *
   * @param before the batch still running, whose end the hosts wait for past their drain; or null
   * @return the batch on the workers, or null if the hook failed and the batch was not touched
   */
  private BatchRun start(Batch batch, BatchRun before) {
    if (config.beforeEachBatch() != null && !runHook("before", batch, List.of())) {
      return null;
    }
    listener.batchStarted(batch);
    BatchRun run = new BatchRun(batch);
    for (String host : batch.hosts()) {
      run.add(workers.submit(() -> new HostRun(this, host, run, before).run()));
    }
    return run;
  }

  /** What the coordinator knows across batches: the failures so far, and an Error that crashed a host. */
  private final class Batches {
    private final RolloutPlan plan;
    private final Map<String, HostReport> reports;
    private int failures;
    private Error crash;

    Batches(RolloutPlan plan, Map<String, HostReport> reports) {
      this.plan = plan;
      this.reports = reports;
    }

    /**
     * Waits for every host of {@code run}, decides whether the rollout halts, runs the after-batch
     * hook, ends the batch, then pauses as configured.
     *
     * @return whether the rollout goes on to the next batch
     */
    boolean finish(BatchRun run) {
      Batch batch = run.batch();
      List<HostReport> done = new ArrayList<>(run.hosts().size());
      try {
        for (Future<HostReport> future : run.hosts()) {
          try {
            HostReport report = getUninterruptibly(future);
            done.add(report);
            reports.put(report.host(), report);
          } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
              crash = crash == null ? error : crash;
              stop(Stop.HALT, "a host crashed the rollout: " + error);
            } else {
              throw new IllegalStateException("a host run broke down", e.getCause());
            }
          }
        }
        listener.batchFinished(batch, done);
        if (crash != null) {
          return false;
        }
        List<String> failed = done.stream().filter(host -> host.outcome() == Outcome.FAILED)
            .map(HostReport::host).toList();
        failures += failed.size();
        if (batch.canary() && !failed.isEmpty()) {
          stop(Stop.HALT, "the canary failed on " + String.join(", ", failed));
        } else if (failures > plan.maxFailures()) {
          stop(Stop.HALT, failures + " host(s) failed, more than maxFailures allows (" + plan.maxFailures()
              + "); last: " + String.join(", ", failed));
        }
        if (config.afterEachBatch() != null && !runHook("after", batch, done)) {
          return false;
        }
        if (gateRun != null && !stopRequested()) {
          gate(batch, done, plan);
        }
      } finally {
        run.end();
      }
      if (stopRequested()) {
        return false;
      }
      if (batch.canary()) {
        pause(config.canaryPause());
        return !stopRequested() && (config.confirmCanary() == null || confirmCanary(done));
      }
      if (batch.number() < plan.batches().size()) {
        pause(config.pauseBetweenBatches());
      }
      return true;
    }
  }

  /**
   * Rolls back, once the hosts are over, if the rollout has a rollback and halted: one host at a
   * time, newest first, until one fails or a stop ends the rollback.
   *
   * @return what the rollback did, or null when there is none to do
   * @throws Error an Error that crashed a host's rollback
   */
  private RollbackReport rollBack(Map<String, HostReport> reports) {
    Stop halted;
    String reason;
    synchronized (stopLock) {
      halted = stop;
      reason = stopReason;
    }
    if (config.rollback() == null || (halted != Stop.HALT && halted != Stop.LOST_LOCK)) {
      return null;
    }
    List<String> hosts = rollbackOrder(reports);
    if (halted == Stop.LOST_LOCK) {
      listener.log(config.service(), "not rolling back: the deploy lock was lost");
      return new RollbackReport(RollbackReport.Outcome.STOPPED, List.of(), hosts,
          "not started: the deploy lock was lost, another rollout may be running");
    }
    synchronized (stopLock) {
      rollingBack = true;
    }
    listener.rollbackStarted(reason, hosts);
    hosts.forEach(host -> journal(host, JournalEntry.State.ROLLING_BACK, "to be rolled back: " + reason));
    if (workers == null) {
      workers = Executors.newFixedThreadPool(1, runnable -> new Thread(runnable, "shunt-" + config.service()
          + "-worker-1"));
    }
    List<HostReport> done = new ArrayList<>();
    RollbackReport.Outcome outcome = RollbackReport.Outcome.COMPLETED;
    String why = "";
    for (String host : hosts) {
      if (stopRequested()) {
        outcome = RollbackReport.Outcome.STOPPED;
        synchronized (stopLock) {
          why = rollbackStopReason;
        }
        break;
      }
      BatchRun run = new BatchRun(new Batch(done.size() + 1, List.of(host), false));
      HostReport report;
      try {
        report = getUninterruptibly(workers.submit(() -> new HostRun(this, host, run, null, true).run()));
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException("a host's rollback broke down", e.getCause());
      } finally {
        run.end();
      }
      if (report.outcome() == Outcome.UNTOUCHED) {
        // Stopped between the check above and the host's start: it was not touched.
        outcome = RollbackReport.Outcome.STOPPED;
        synchronized (stopLock) {
          why = rollbackStopReason;
        }
        break;
      }
      done.add(report);
      if (report.outcome() != Outcome.DONE) {
        outcome = report.outcome() == Outcome.FAILED ? RollbackReport.Outcome.FAILED : RollbackReport.Outcome.STOPPED;
        why = report.failedStep().map(step -> "the rollback of " + host + " failed at " + step.step() + ": "
            + step.outcome()).orElse("the rollback of " + host + " stopped: " + report.note());
        break;
      }
    }
    return new RollbackReport(outcome, done, hosts.subList(done.size(), hosts.size()), why);
  }

  /**
   * The hosts to roll back, newest first: those this run rolled, or whose restart step ran before
   * they failed, from the last batch to the first and, within a batch, from the last host to the
   * first; then those it resumed past, from the last to the first.
   */
  private List<String> rollbackOrder(Map<String, HostReport> reports) {
    String restart = config.steps().get(config.restartIndex()).step().name();
    List<String> rolled = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String host : config.hosts()) {
      HostReport report = reports.get(host);
      if (report == null) {
        continue;
      }
      if (report.outcome() == Outcome.SKIPPED) {
        skipped.add(0, host);
      } else if (report.outcome() == Outcome.DONE
          || report.steps().stream().anyMatch(step -> step.step().equals(restart))) {
        rolled.add(host);
      }
    }
    // Stable: hosts of a batch keep the rollout's order, then the whole is reversed.
    rolled.sort(Comparator.comparingInt(host -> reports.get(host).batch()));
    Collections.reverse(rolled);
    rolled.addAll(skipped);
    return rolled;
  }

  /**
   * Bakes after {@code batch} and judges its hosts that are done against the hosts of the batches
   * after it; a halting verdict halts the rollout as a failure would.
   */
  private void gate(Batch batch, List<HostReport> done, RolloutPlan plan) {
    List<String> rolled = done.stream().filter(host -> host.outcome() == Outcome.DONE).map(HostReport::host).toList();
    if (rolled.isEmpty()) {
      return;
    }
    List<String> unrolled = plan.batches().stream().filter(later -> later.number() > batch.number())
        .flatMap(later -> later.hosts().stream()).toList();
    listener.gateStarted(batch, batch.canary() ? config.gate().canaryBake() : config.gate().bake());
    Optional<GateVerdict> verdict = gateRun.judge(batch, rolled, unrolled, wait -> {
      pause(wait);
      return !stopRequested();
    });
    if (verdict.isEmpty()) {
      return;
    }
    GateVerdict masked = masking.verdict(verdict.get());
    verdicts.add(masked);
    listener.gateFinished(masked);
    if (masked.halted()) {
      synchronized (stopLock) {
        gateHalted = true;
      }
      stop(Stop.HALT, "the gate after " + batch + " halted the rollout: " + masked.reason());
    }
  }

  private boolean runHook(String when, Batch batch, List<HostReport> hosts) {
    try {
      (when.equals("before") ? config.beforeEachBatch() : config.afterEachBatch()).run(batch, hosts);
      return true;
    } catch (Exception e) {
      stop(Stop.HALT, "the " + when + "-batch hook failed on " + batch + ": " + HostRun.describe(e));
      return false;
    }
  }

  private boolean confirmCanary(List<HostReport> canary) {
    try {
      if (config.confirmCanary().test(canary)) {
        return true;
      }
      stop(Stop.HALT, "the canary was not confirmed");
    } catch (RuntimeException e) {
      stop(Stop.HALT, "the canary confirmation failed: " + HostRun.describe(e));
    }
    return false;
  }

  private void pause(Duration pause) {
    if (pause.isZero()) {
      return;
    }
    try {
      stopSignal.await(pause.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T getUninterruptibly(Future<T> future) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private RolloutReport report(Instant start, Map<String, HostReport> reports, RollbackReport rollback) {
    List<HostReport> hosts = new ArrayList<>(config.hosts().size());
    for (String host : config.hosts()) {
      HostReport report = reports.get(host);
      if (report == null) {
        report = new HostReport(host, 0, Outcome.UNTOUCHED, List.of(), Duration.ZERO, statusOf(host), "");
        listener.hostFinished(report);
      }
      hosts.add(report);
    }
    Stop stopped;
    String reason;
    synchronized (stopLock) {
      stopped = stop;
      reason = stopReason;
    }
    boolean haltedByGate;
    synchronized (stopLock) {
      haltedByGate = gateHalted && stop == Stop.HALT;
    }
    // Every host done, no rollback ran, and no gate halted after the last batch: the rollout went through.
    if (rollback == null && !haltedByGate
        && hosts.stream().allMatch(host -> host.outcome() == Outcome.DONE || host.outcome() == Outcome.SKIPPED)) {
      stopped = null;
      reason = "";
    }
    RolloutReport.Outcome outcome = stopped == null ? RolloutReport.Outcome.COMPLETED : switch (stopped) {
      case CANCEL, CANCEL_NOW -> RolloutReport.Outcome.CANCELLED;
      case TIMEOUT -> RolloutReport.Outcome.TIMED_OUT;
      case HALT, LOST_LOCK -> RolloutReport.Outcome.HALTED;
    };
    RolloutReport report = masking.report(new RolloutReport(rolloutId, config.service(), outcome, reason, start,
        config.clock().instant(), lockToken(), hosts, warnings, samples(), verdicts, Optional.ofNullable(rollback)));
    if (report.succeeded()) {
      try {
        config.store().clearJournal(config.service());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "cannot clear the journal of " + config.service() + " after rollout " + rolloutId,
            masking.loggable(e));
      }
    }
    return report;
  }

  ShuntStatus statusOf(String host) {
    try {
      return config.store().status(InstanceKey.of(config.service(), host));
    } catch (RuntimeException e) {
      listener.log(host, "cannot read its status: " + e);
      return ShuntStatus.inRotation();
    }
  }

  void journal(String host, JournalEntry.State state, String detail) {
    try {
      config.store().writeJournal(config.service(),
          new JournalEntry(rolloutId, host, state, config.clock().instant(), masking.text(detail)));
    } catch (RuntimeException e) {
      listener.log(host, "cannot write the rollout journal (" + state + "): " + e);
    }
  }

  private void shutDown() {
    if (workers != null) {
      workers.shutdown();
    }
    if (timers != null) {
      timers.shutdownNow();
    }
    if (lock != null) {
      lock.release();
    }
  }
}
