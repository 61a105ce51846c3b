package dev.shunt.workflow;

import dev.shunt.DeployLock;
import dev.shunt.InstanceKey;
import dev.shunt.JournalEntry;
import dev.shunt.LockGrant;
import dev.shunt.LockHeldException;
import dev.shunt.ShuntException;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.internal.InstanceKeyRules;
import dev.shunt.workflow.internal.CleanUpContext;
import dev.shunt.workflow.internal.Execution;
import dev.shunt.workflow.internal.Planner;
import dev.shunt.workflow.internal.RolloutConfig;
import dev.shunt.workflow.internal.RolloutConfig.ConfiguredStep;
import dev.shunt.workflow.gate.MetricsGate;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * A rolling restart: the same steps on every host of a service, batch after batch.
 *
 * <pre>{@code
 * Rollout rollout = Rollout.builder()
 *     .service("checkout")
 *     .hosts(List.of("web-1", "web-2", "web-3", "web-4"))
 *     .store(store)
 *     .batchSize(2)
 *     .steps(List.of(
 *         ShuntStep.shunt(ShuntRequest.of("deploy", "ci")),
 *         AwaitCheckersStep.drain().times(3).build(),
 *         CommandStep.builder().name("restart").command("ssh", "{host}", "sudo systemctl restart checkout").build(),
 *         AwaitHttpStep.builder().url("http://{host}:8080/").build(),
 *         ShuntStep.unshunt(),
 *         AwaitCheckersStep.rotation().times(2).build()))
 *     .listener(RolloutListener.console(System.out))
 *     .build();
 * RolloutReport report = rollout.run();
 * }</pre>
 *
 * <p>A rollout prints nothing unless given a {@link Builder#listener listener}, such as the
 * console's above; its report and its journal say what it did either way.
 *
 * <p><b>Batches.</b> The hosts are rolled in batches ({@link Builder#batchSize}, default 1), in
 * the order given; the hosts of a batch run at once, each on a worker thread named for it, and
 * the next batch starts when every host of the one before is done, after
 * {@link Builder#pauseBetweenBatches} — or, with {@link Builder#overlapRotation}, while the one
 * before waits for the load balancer to put its hosts back. An optional canary batch goes first
 * ({@link Builder#canary}), then a pause and a confirmation. Before the first batch every host is
 * {@linkplain StatusStore#register registered} in the store, so a percentage disruption budget
 * counts them all; {@link ShuntStep#shunt} waits for room in that budget.
 *
 * <p><b>Failures.</b> A failing step ends its host: the steps after it do not run there (so a host
 * that failed between shunt and unshunt stays shunted, unless {@link Builder#onFailure} says
 * {@link FailurePolicy#UNSHUNT}). A step that takes the host out elsewhere, an {@link UndoableStep}
 * such as a load balancer's take-out, is undone by {@code UNSHUNT} too; otherwise the report names
 * every place the host is still out ({@link HostReport#leftOut()}). The rollout finishes the
 * batch, then halts once more hosts have failed than {@link Builder#maxFailures} tolerates
 * (default 0: the first failure halts); a failed canary always halts. Hosts never started are not
 * touched and stay in rotation. The report says which is which.
 *
 * <p><b>Rollback.</b> With a {@link Builder#rollback rollback step} (off by default), a halted
 * rollout then puts the hosts it rolled back on the old version, newest first, one at a time,
 * through its own steps with the restart replaced by the rollback.
 *
 * <p><b>Journal, resume, lock.</b> As it goes, the rollout writes a {@link JournalEntry} per host
 * to the store (started, done, failed; rolling back, rolled back) under its rollout id, and clears
 * the journal when every host is done. A rollout built with {@link Builder#resume(boolean)
 * resume(true)} skips the hosts the journal shows done, so a crashed or halted rollout can be
 * finished by another process (not one that rolled back: its pre-flight refuses);
 * {@link #cleanUp()} puts back the hosts a crashed rollout left out. With a
 * {@link Builder#deployLock DeployLock}, only one rollout of a service runs at a time.
 *
 * <p>Immutable and thread-safe; {@link #run()} and {@link #start()} may be called again for
 * another pass.
 */
public final class Rollout {
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private final RolloutConfig config;

  private Rollout(RolloutConfig config) {
    this.config = config;
  }

  /**
   * A builder; {@code service}, {@code hosts}, {@code store} and at least one step are required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this rollout's configuration, to derive a variant.
   *
   * @return a new builder with this rollout's settings
   */
  public Builder toBuilder() {
    return new Builder(config);
  }

  /**
   * Runs the rollout to its end, its halt or its cancellation, and reports what it did.
   * Interrupting the calling thread cancels the rollout ({@link RolloutRun#await()}).
   *
   * @return the report of the run
   * @throws PreflightFailedException if the pre-flight found an error ({@link #start()}); nothing was touched
   * @throws LockHeldException if another rollout holds the deploy lock; nothing was done
   */
  public RolloutReport run() {
    return start().await();
  }

  /**
   * Starts the rollout on threads of its own and returns at once, after its pre-flight: the
   * steps that implement {@link PreflightCheck} check every host the rollout will work on, before
   * anything is touched and before the deploy lock is taken. Warnings are shown when the rollout
   * starts ({@link RolloutListener#rolloutStarted}, in its plan); errors keep it from starting.
   *
   * @return the running rollout
   * @throws PreflightFailedException if the pre-flight found an error; nothing was touched
   * @throws LockHeldException if another rollout holds the deploy lock; nothing was started
   */
  public RolloutRun start() {
    List<PreflightProblem> preflight = Planner.preflight(config, Planner.journal(config));
    if (preflight.stream().anyMatch(PreflightProblem::isError)) {
      throw new PreflightFailedException(config.service(), preflight);
    }
    String rolloutId = config.rolloutId() != null ? config.rolloutId() : newRolloutId();
    Execution execution = new Execution(config, rolloutId, preflight);
    execution.start();
    return new RolloutRun(execution, rolloutId);
  }

  /**
   * What the rollout would do, without doing anything: batches, steps with their effective time
   * limits and retries, warnings, and what the pre-flight finds now ({@link PreflightCheck}; it
   * asks load balancers and resolves names, but changes nothing). A resuming rollout reads the
   * journal to know which hosts it would skip.
   *
   * @return the plan; nothing was changed
   */
  public RolloutPlan plan() {
    return Planner.plan(config, Planner.journal(config));
  }

  /**
   * Cleans up after a rollout of this service that crashed or halted: puts back in rotation every
   * host its journal shows started or failed (whoever shunted it since), then clears the journal.
   * Each such host is unshunted, then every {@link UndoableStep} of the rollout's steps (a load
   * balancer's take-out) that still keeps it out is undone, the last step first. Takes the deploy
   * lock meanwhile, if there is one.
   *
   * @return the hosts put back in rotation, in the journal's order
   * @throws LockHeldException if a rollout holds the deploy lock: it may still be running
   * @throws ShuntException if a step could not be undone on a host, naming the host and where it is
   *     left out, after every other host was cleaned up; the journal is kept, so that a clean-up
   *     can be tried again
   */
  public List<String> cleanUp() {
    DeployLock lock = config.deployLock();
    LockGrant grant = lock == null ? null : lock.tryAcquire(config.service(), config.lockOwner(), "clean-up",
        config.lockLease()).orElseThrow(() -> new LockHeldException(config.service(),
        lock.holder(config.service()).orElse(null)));
    try {
      List<UndoableStep> undoable = config.steps().stream().map(ConfiguredStep::step)
          .filter(UndoableStep.class::isInstance).map(UndoableStep.class::cast).toList();
      List<String> restored = new ArrayList<>();
      List<String> leftOut = new ArrayList<>();
      for (JournalEntry entry : config.store().journal(config.service())) {
        if (entry.state() != JournalEntry.State.DONE) {
          InstanceKey key = InstanceKey.of(config.service(), entry.host());
          boolean changed = false;
          if (config.store().status(key).shunted()) {
            config.store().unshunt(key);
            changed = true;
          }
          CleanUpContext context = CleanUpContext.of(config, entry.host());
          List<String> failures = new ArrayList<>();
          for (int i = undoable.size() - 1; i >= 0; i--) {
            UndoableStep step = undoable.get(i);
            if (!step.stillInPlace(context).isEmpty()) {
              failures.addAll(step.undo(context));
              changed = true;
            }
          }
          failures.forEach(failure -> leftOut.add(entry.host() + " on " + failure));
          if (changed && failures.isEmpty()) {
            restored.add(entry.host());
          }
        }
      }
      if (!leftOut.isEmpty()) {
        throw new ShuntException("clean-up of " + config.service() + " put back " + restored + " but LEFT OUT "
            + leftOut.size() + ": " + String.join("; ", leftOut) + "; the journal is kept: clean up again once"
            + " they can be reached");
      }
      config.store().clearJournal(config.service());
      return List.copyOf(restored);
    } finally {
      if (grant != null) {
        lock.release(grant);
      }
    }
  }

  private String newRolloutId() {
    return config.service() + "-" + ID_TIME.format(config.clock().instant()) + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  }

  private static String defaultOwner() {
    String user = System.getProperty("user.name", "someone");
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return user + "@" + host + " pid " + ProcessHandle.current().pid();
  }

  /**
   * Configures a {@link Rollout}. Not thread-safe. Each setter checks its value as it is given and
   * throws {@link IllegalArgumentException} naming the field, the value and the rule;
   * {@link #build()} checks what is missing and the fields that depend on each other, and returns an
   * immutable rollout.
   */
  public static final class Builder {
    private String service;
    private List<String> hosts = List.of();
    private StatusStore store;
    private List<ConfiguredStep> steps = new ArrayList<>();
    private StepOptions stepDefaults = StepOptions.none();
    private Step beforeEachHost;
    private Step afterEachHost;
    private RolloutListener listener = RolloutListener.silent();
    private Clock clock = Clock.systemUTC();
    private HostCount batchSize = HostCount.ofHosts(1);
    private int canary;
    private Duration canaryPause = Duration.ZERO;
    private Predicate<List<HostReport>> confirmCanary;
    private HostCount maxFailures = HostCount.ofHosts(0);
    private FailurePolicy onFailure = FailurePolicy.LEAVE_SHUNTED;
    private Duration pauseBetweenBatches = Duration.ZERO;
    private boolean overlapRotation;
    private BatchHook beforeEachBatch;
    private BatchHook afterEachBatch;
    private Duration timeout;
    private LoadBalancerChecks loadBalancer = LoadBalancerChecks.haproxyDefaults();
    private Duration typicalStartTime = Duration.ofSeconds(30);
    private String rolloutId;
    private boolean resume;
    private DeployLock deployLock;
    private String lockOwner;
    private Duration lockLease = Duration.ofMinutes(1);
    private boolean strictPreflight;
    private ConfiguredStep rollback;
    private String restartStep;
    private MetricsGate gate;

    private Builder() {}

    private Builder(RolloutConfig config) {
      service = config.service();
      hosts = config.hosts();
      store = config.store();
      steps = new ArrayList<>(config.steps());
      stepDefaults = config.stepDefaults();
      beforeEachHost = config.beforeEachHost();
      afterEachHost = config.afterEachHost();
      listener = config.listener();
      clock = config.clock();
      batchSize = config.batchSize();
      canary = config.canary();
      canaryPause = config.canaryPause();
      confirmCanary = config.confirmCanary();
      maxFailures = config.maxFailures();
      onFailure = config.onFailure();
      pauseBetweenBatches = config.pauseBetweenBatches();
      overlapRotation = config.overlapRotation();
      beforeEachBatch = config.beforeEachBatch();
      afterEachBatch = config.afterEachBatch();
      timeout = config.timeout();
      loadBalancer = config.loadBalancer();
      typicalStartTime = config.typicalStartTime();
      rolloutId = config.rolloutId();
      resume = config.resume();
      deployLock = config.deployLock();
      lockOwner = config.lockOwner();
      lockLease = config.lockLease();
      strictPreflight = config.strictPreflight();
      rollback = config.rollback();
      restartStep = config.restartStep();
      gate = config.gate();
    }

    /**
     * The service to roll. Required.
     *
     * @param service the service's name
     * @return this builder
     * @throws IllegalArgumentException if {@code service} is null or not a valid service name
     */
    public Builder service(String service) {
      require(service != null, "service must be set, was null");
      this.service = InstanceKeyRules.requireServiceName(service);
      return this;
    }

    /**
     * The hosts, in the order to roll them; unique. Required. The builder keeps a copy.
     *
     * @param hosts the host names, in rollout order
     * @return this builder
     * @throws IllegalArgumentException if {@code hosts} is null or empty, holds a host twice or a
     *     name that is not a valid host name
     */
    public Builder hosts(List<String> hosts) {
      require(hosts != null && !hosts.isEmpty(), "hosts must name at least one host, was " + hosts);
      hosts.forEach(InstanceKeyRules::requireHostName);
      require(new HashSet<>(hosts).size() == hosts.size(), "hosts must be unique, was " + hosts);
      this.hosts = List.copyOf(hosts);
      return this;
    }

    /**
     * Where the shunt status, the disruption budget and the journal live. Required.
     *
     * @param store the store every host's status is kept in
     * @return this builder
     * @throws IllegalArgumentException if {@code store} is null
     */
    public Builder store(StatusStore store) {
      require(store != null, "store must be set, was null");
      this.store = store;
      return this;
    }

    /**
     * The steps to run on each host, in order, with the {@link #stepDefaults}; replaces any steps
     * set before (an empty list clears them, for {@link #step} to add others). {@link #build()}
     * needs at least one.
     *
     * @param steps the steps, in order
     * @return this builder
     * @throws IllegalArgumentException if {@code steps} is null or holds null
     */
    public Builder steps(List<Step> steps) {
      require(steps != null && steps.stream().noneMatch(Objects::isNull),
          "steps must not be null nor hold null, was " + steps);
      this.steps = new ArrayList<>();
      steps.forEach(step -> this.steps.add(new ConfiguredStep(step, null)));
      return this;
    }

    /**
     * Adds a step after those set before, with the {@link #stepDefaults}.
     *
     * @param step the step to add
     * @return this builder
     * @throws IllegalArgumentException if {@code step} is null
     */
    public Builder step(Step step) {
      require(step != null, "step must be set, was null");
      steps.add(new ConfiguredStep(step, null));
      return this;
    }

    /**
     * Adds a step after those set before, with its own time limit and retry policy.
     *
     * @param step the step to add
     * @param options its time limit and retry policy
     * @return this builder
     * @throws IllegalArgumentException if {@code step} or {@code options} is null
     */
    public Builder step(Step step, StepOptions options) {
      require(step != null, "step must be set, was null");
      require(options != null, "options must be set, was null");
      steps.add(new ConfiguredStep(step, options));
      return this;
    }

    /**
     * The options of the steps added without options of their own, and of the host hooks. Default: {@link StepOptions#none()}.
     *
     * @param stepDefaults a time limit and retry policy
     * @return this builder
     * @throws IllegalArgumentException if {@code stepDefaults} is null
     */
    public Builder stepDefaults(StepOptions stepDefaults) {
      require(stepDefaults != null, "stepDefaults must be set, was null");
      this.stepDefaults = stepDefaults;
      return this;
    }

    /**
     * A step run on each host before its steps; if it fails, the host fails and its steps do not run.
     *
     * @param hook the step to run first on each host, or null for none
     * @return this builder
     */
    public Builder beforeEachHost(Step hook) {
      this.beforeEachHost = hook;
      return this;
    }

    /**
     * A step run on each host after its steps, whether they succeeded or failed (not after the
     * rollout's time limit or {@link RolloutRun#cancelNow()}); if it fails, the host fails.
     *
     * @param hook the step to run last on each host, or null for none
     * @return this builder
     */
    public Builder afterEachHost(Step hook) {
      this.afterEachHost = hook;
      return this;
    }

    /**
     * Hears progress. Default: {@link RolloutListener#silent()}: a rollout prints nothing unless
     * asked; {@code listener(RolloutListener.console(System.out))} shows its progress on the console.
     *
     * @param listener hears every event of the rollout
     * @return this builder
     * @throws IllegalArgumentException if {@code listener} is null
     */
    public Builder listener(RolloutListener listener) {
      require(listener != null, "listener must be set, was null");
      this.listener = listener;
      return this;
    }

    /**
     * Measures time, stamps the journal and the report. Default: the system clock.
     *
     * @param clock the rollout's clock
     * @return this builder
     * @throws IllegalArgumentException if {@code clock} is null
     */
    public Builder clock(Clock clock) {
      require(clock != null, "clock must be set, was null");
      this.clock = clock;
      return this;
    }

    /**
     * Hosts rolled at once. Default: 1.
     *
     * @param hosts the batch size, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code hosts} is below 1
     */
    public Builder batchSize(int hosts) {
      return batchSize(HostCount.ofHosts(hosts));
    }

    /**
     * Hosts rolled at once, a count or a percentage of the hosts (rounded up). Default: 1.
     *
     * @param batchSize a count or a percentage
     * @return this builder
     * @throws IllegalArgumentException if {@code batchSize} is null, below 1, or a percentage outside 1%..100%
     */
    public Builder batchSize(HostCount batchSize) {
      require(batchSize != null, "batchSize must be set, was null");
      require(batchSize.percent() ? batchSize.value() >= 1 && batchSize.value() <= 100 : batchSize.value() >= 1,
          "batchSize must be >= 1 or 1%..100%, was " + batchSize);
      this.batchSize = batchSize;
      return this;
    }

    /**
     * The pause after each batch but the last; a cancel ends it early. Default: none.
     *
     * @param pause zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code pause} is null or negative
     */
    public Builder pauseBetweenBatches(Duration pause) {
      requireNotNegative("pauseBetweenBatches", pause);
      this.pauseBetweenBatches = pause;
      return this;
    }

    /**
     * Whether a batch may take its hosts out while the batch before waits for the load balancer
     * to put its hosts back. Default: false, a batch starts when the one before is over.
     *
     * <p>When true, the next batch starts as soon as every host of the batch before has started
     * its {@linkplain dev.shunt.StepDescription.Kind#ROTATION rotation} step (e.g.
     * {@link AwaitCheckersStep#rotation()}); its hosts run their leading
     * {@linkplain dev.shunt.StepDescription.Kind#SHUNT shunt} and
     * {@linkplain dev.shunt.StepDescription.Kind#DRAIN drain} steps meanwhile, and wait before
     * their first other step (the restart) until the batch before is over: its hosts back in
     * rotation, its reports in, {@link #afterEachBatch} run. So the rotation wait, HAProxy's
     * {@code rise} × {@code inter} per batch, overlaps the next batch's shunt and drain instead of
     * adding to the rollout's time, and no host restarts while a host of the batch before is still
     * out of the load balancer.
     *
     * <p>The price: for up to {@code rise} × {@code inter}, the hosts of two batches are out of the
     * load balancer at once — one batch more than {@link #batchSize} (and a disruption budget
     * counting shunted hosts, as the batch before is unshunted by then) says. Take it only when
     * the fleet can serve without both.
     *
     * <p>Batches never overlap after a host of the batch before failed or stopped before its
     * rotation step, nor after a canary batch. If the rollout stops while a host waits for the
     * batch before, the host goes no further, is put back in rotation (it was only shunted and
     * drained: unshunted, and put back in every load balancer its take-out took it out of,
     * {@link UndoableStep}) and is reported {@link HostReport.Outcome#CANCELLED}. {@link #beforeEachBatch}
     * runs as its batch starts, so before the batch before is over; listeners hear the next
     * {@code batchStarted} before the last {@code batchFinished}. Needs
     * {@link #pauseBetweenBatches} zero.
     *
     * @param overlap true to let batches overlap
     * @return this builder
     */
    public Builder overlapRotation(boolean overlap) {
      this.overlapRotation = overlap;
      return this;
    }

    /**
     * Rolls the first {@code hosts} hosts alone, as a first batch; a failure there always halts.
     * Default: 0, no canary. {@link #build()} checks that it is fewer than the hosts.
     *
     * @param hosts the canary's size; 0 for none
     * @return this builder
     * @throws IllegalArgumentException if {@code hosts} is negative
     */
    public Builder canary(int hosts) {
      require(hosts >= 0, "canary must be >= 0, was " + hosts);
      this.canary = hosts;
      return this;
    }

    /**
     * The pause after the canary batch, before {@link #confirmCanary} and the next batch. Default: none.
     *
     * @param pause zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code pause} is null or negative
     */
    public Builder canaryPause(Duration pause) {
      requireNotNegative("canaryPause", pause);
      this.canaryPause = pause;
      return this;
    }

    /**
     * Asked after the canary batch and its pause, with the canary's reports: true goes on, false
     * halts the rollout (e.g. ask a person, or look at error rates). Default: go on.
     *
     * @param confirm true to go on after the canary, or null to go on without asking
     * @return this builder
     */
    public Builder confirmCanary(Predicate<List<HostReport>> confirm) {
      this.confirmCanary = confirm;
      return this;
    }

    /**
     * Failed hosts tolerated; one more halts the rollout after its batch. Default: 0.
     *
     * @param hosts zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code hosts} is negative
     */
    public Builder maxFailures(int hosts) {
      return maxFailures(HostCount.ofHosts(hosts));
    }

    /**
     * Failed hosts tolerated, a count or a percentage of the hosts (rounded down). Default: 0.
     *
     * @param maxFailures a count or a percentage
     * @return this builder
     * @throws IllegalArgumentException if {@code maxFailures} is null, negative, or a percentage above 100%
     */
    public Builder maxFailures(HostCount maxFailures) {
      require(maxFailures != null, "maxFailures must be set, was null");
      require(maxFailures.value() >= 0 && (!maxFailures.percent() || maxFailures.value() <= 100),
          "maxFailures must be >= 0 or 0%..100%, was " + maxFailures);
      this.maxFailures = maxFailures;
      return this;
    }

    /**
     * What happens to a host whose steps failed. Default: {@link FailurePolicy#LEAVE_SHUNTED}.
     *
     * @param onFailure {@code LEAVE_SHUNTED} or {@code UNSHUNT}
     * @return this builder
     * @throws IllegalArgumentException if {@code onFailure} is null
     */
    public Builder onFailure(FailurePolicy onFailure) {
      require(onFailure != null, "onFailure must be set, was null");
      this.onFailure = onFailure;
      return this;
    }

    /**
     * Runs before each batch; if it throws, the batch is not touched and the rollout halts.
     *
     * @param hook the hook, or null for none
     * @return this builder
     */
    public Builder beforeEachBatch(BatchHook hook) {
      this.beforeEachBatch = hook;
      return this;
    }

    /**
     * Runs after each batch with its reports; if it throws, the rollout halts.
     *
     * @param hook the hook, or null for none
     * @return this builder
     */
    public Builder afterEachBatch(BatchHook hook) {
      this.afterEachBatch = hook;
      return this;
    }

    /**
     * The rollout's time limit: when it passes, the steps in progress are interrupted (reported
     * timed out, their hosts failed) and no other host starts. Default: none (null).
     *
     * @param timeout the limit, or null for none
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder timeout(Duration timeout) {
      if (timeout != null) {
        Durations.requirePositive("timeout", timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * The load balancer's check settings, for the plan's warnings. Default: HAProxy's, fall 3, rise 2, inter 2 s.
     *
     * @param loadBalancer the load balancer's fall, rise and inter
     * @return this builder
     * @throws IllegalArgumentException if {@code loadBalancer} is null
     */
    public Builder loadBalancer(LoadBalancerChecks loadBalancer) {
      require(loadBalancer != null, "loadBalancer must be set, was null");
      this.loadBalancer = loadBalancer;
      return this;
    }

    /**
     * How long the application typically takes to start, for the plan's warnings. Default: 30 s.
     *
     * @param typicalStartTime positive
     * @return this builder
     * @throws IllegalArgumentException if {@code typicalStartTime} is null, zero or negative
     */
    public Builder typicalStartTime(Duration typicalStartTime) {
      this.typicalStartTime = Durations.requirePositive("typicalStartTime", typicalStartTime);
      return this;
    }

    /**
     * The id written in the journal and the report. Default (null): a new one per run,
     * {@code <service>-<UTC time>-<hex>}.
     *
     * @param rolloutId the id, or null for a new one per run
     * @return this builder
     * @throws IllegalArgumentException if {@code rolloutId} is blank or holds control characters
     */
    public Builder rolloutId(String rolloutId) {
      if (rolloutId != null) {
        require(!rolloutId.isBlank() && rolloutId.chars().noneMatch(Character::isISOControl),
            "rolloutId must not be blank nor hold control characters, was '" + rolloutId + "'");
      }
      this.rolloutId = rolloutId;
      return this;
    }

    /**
     * Whether to skip the hosts the service's journal shows done by an earlier rollout. Default: false.
     *
     * @param resume true to skip the hosts done before
     * @return this builder
     */
    public Builder resume(boolean resume) {
      this.resume = resume;
      return this;
    }

    /**
     * A lock that keeps other rollouts of the service out while this one runs. Default: none.
     *
     * @param deployLock the lock, or null for none
     * @return this builder
     */
    public Builder deployLock(DeployLock deployLock) {
      this.deployLock = deployLock;
      return this;
    }

    /**
     * Who holds the deploy lock, as others see it; needs a {@link #deployLock}. Default (null):
     * {@code user@host pid N}.
     *
     * @param lockOwner the owner's name, or null for the default
     * @return this builder
     * @throws IllegalArgumentException if {@code lockOwner} is blank
     */
    public Builder lockOwner(String lockOwner) {
      require(lockOwner == null || !lockOwner.isBlank(), "lockOwner must not be blank, was '" + lockOwner + "'");
      this.lockOwner = lockOwner;
      return this;
    }

    /**
     * The deploy lock's lease, renewed every third of it while the rollout runs. Default: 1 minute.
     *
     * @param lockLease positive
     * @return this builder
     * @throws IllegalArgumentException if {@code lockLease} is null, zero or negative
     */
    public Builder lockLease(Duration lockLease) {
      this.lockLease = Durations.requirePositive("lockLease", lockLease);
      return this;
    }

    /**
     * Whether the pre-flight's warnings (e.g. a host no load balancer has checked lately, whose
     * drain would only be a fixed wait) keep the rollout from starting too, like its errors.
     * Default: false, warnings are shown and the rollout goes on.
     *
     * @param strict true to treat warnings as errors
     * @return this builder
     */
    public Builder strictPreflight(boolean strict) {
      this.strictPreflight = strict;
      return this;
    }

    /**
     * What to run on a host to put it back on the old version when the rollout halts, with the
     * {@link #stepDefaults}; null (the default) for no rollback. See {@link #rollback(Step, StepOptions)}.
     *
     * @param rollback the rollback step, or null for none
     * @return this builder
     */
    public Builder rollback(Step rollback) {
      this.rollback = rollback == null ? null : new ConfiguredStep(rollback, null);
      return this;
    }

    /**
     * What to run on a host to put it back on the old version when the rollout halts (e.g. a
     * {@link CommandStep} or {@link SshCommandStep} that deploys and restarts the old version),
     * with its own time limit and retry policy. Default: no rollback.
     *
     * <p>When the rollout halts (more failed hosts than {@link #maxFailures}, a failed or
     * unconfirmed canary, a failed batch hook, a gate), and once the hosts in progress have ended
     * as {@link #onFailure} says, the rollout rolls back, one host at a time, newest first: every
     * host it rolled ({@code DONE}), then every host it resumed past ({@code SKIPPED}: an earlier
     * run of the same deploy rolled it), and first of all a failed host whose restart step ran (it
     * may run the new version, or half of it). A host that failed before its restart is not
     * touched: it runs the old version, left as the failure policy says. Each host goes through
     * the rollout's own steps, hooks included, with the {@linkplain #restartStep restart step}
     * replaced by this one: shunt, drain, rollback, readiness, unshunt, rotation.
     *
     * <p>A host whose rollback fails stops the rollback: it is left as {@link #onFailure} says,
     * and the hosts after it keep the new version. A cancel, the rollout's time limit or the lost
     * deploy lock stop the rollback too, as they stop a rollout. A rollout that was cancelled,
     * timed out or lost its lock does not roll back. The report's {@link RolloutReport#rollback()}
     * says what was rolled back; the journal marks each host {@code ROLLING_BACK}, then
     * {@code ROLLED_BACK}, and a {@link #resume resumed} rollout refuses to start over such a
     * journal (its pre-flight says why): start a new rollout instead.
     *
     * @param rollback puts a host back on the old version
     * @param options its time limit and retry policy
     * @return this builder
     * @throws IllegalArgumentException if {@code rollback} or {@code options} is null
     */
    public Builder rollback(Step rollback, StepOptions options) {
      require(rollback != null, "rollback must be set, was null");
      require(options != null, "options must be set, was null");
      this.rollback = new ConfiguredStep(rollback, options);
      return this;
    }

    /**
     * The name of the step that a {@link #rollback} replaces. Default: the only step of kind
     * {@link dev.shunt.StepDescription.Kind#COMMAND COMMAND}; name it when the steps have none or
     * several (e.g. a migration besides the restart).
     *
     * @param name the name of the step to replace, or null for the default
     * @return this builder
     */
    public Builder restartStep(String name) {
      this.restartStep = name;
      return this;
    }

    /**
     * A gate after each batch: for a bake time, the error rate and latency of the hosts just rolled
     * are compared with those not yet rolled (or with the same hosts before their restart), and the
     * rollout halts, as after a failure, when a threshold is crossed. The plan shows it, the report
     * keeps each verdict ({@link RolloutReport#gates()}); batches do not overlap while it gates
     * ({@link #overlapRotation}). The pre-flight reads its source once: a source that cannot be read
     * keeps the rollout from starting. Default: none.
     *
     * @param gate the gate, or null for none
     * @return this builder
     */
    public Builder gate(MetricsGate gate) {
      this.gate = gate;
      return this;
    }

    /**
     * Checks what the setters cannot check alone (the required fields, and the fields that depend
     * on each other) and builds the rollout.
     *
     * @return the rollout, not yet started
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public Rollout build() {
      require(service != null, "service must be set, was null");
      require(!hosts.isEmpty(), "hosts must name at least one host, was " + hosts);
      require(store != null, "store must be set, was null");
      require(!steps.isEmpty(), "steps must be at least one step and no null, was []");
      require(canary < hosts.size(),
          "canary must be >= 0 and fewer than the hosts (" + hosts.size() + "), was " + canary);
      require(canary > 0 || (confirmCanary == null && canaryPause.isZero()),
          "canaryPause and confirmCanary need a canary >= 1, was canary " + canary);
      require(!overlapRotation || pauseBetweenBatches.isZero(),
          "pauseBetweenBatches must be zero with overlapRotation, was " + pauseBetweenBatches);
      require(deployLock != null || lockOwner == null, "lockOwner needs a deployLock, was '" + lockOwner + "'");
      requireRestartStep();
      return new Rollout(new RolloutConfig(service, hosts, store, steps, stepDefaults, beforeEachHost, afterEachHost,
          listener, clock, batchSize, canary, canaryPause, confirmCanary, maxFailures, onFailure, pauseBetweenBatches,
          overlapRotation, beforeEachBatch, afterEachBatch, timeout, loadBalancer, typicalStartTime, rolloutId, resume,
          deployLock, deployLock == null ? null : lockOwner == null ? defaultOwner() : lockOwner, lockLease,
          strictPreflight, rollback, restartStep, gate));
    }

    /** A rollback needs exactly one step to replace: the one named {@code restartStep}, or the only COMMAND step. */
    private void requireRestartStep() {
      if (rollback == null) {
        require(restartStep == null, "restartStep needs a rollback, was '" + restartStep + "'");
        return;
      }
      List<String> names = steps.stream().map(step -> step.step().name()).toList();
      if (restartStep != null) {
        long named = names.stream().filter(restartStep::equals).count();
        require(named == 1, "restartStep must name exactly one of the steps " + names + ", was '" + restartStep
            + "' (" + named + " steps have that name)");
        return;
      }
      List<String> commands = steps.stream().map(ConfiguredStep::step)
          .filter(step -> step.describe().kind() == dev.shunt.StepDescription.Kind.COMMAND).map(Step::name).toList();
      require(commands.size() == 1, "rollback needs the restart step it replaces: restartStep was not set and the"
          + " steps have " + commands.size() + " of kind COMMAND " + commands + " (of " + names + "), not exactly"
          + " one; set restartStep to the name of the restart");
    }

    private static void require(boolean rule, String message) {
      if (!rule) {
        throw new IllegalArgumentException(message);
      }
    }

    private static void requireNotNegative(String field, Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException(field + " must be zero or positive, was " + value);
      }
    }
  }
}
