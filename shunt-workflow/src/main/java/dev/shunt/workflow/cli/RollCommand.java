package dev.shunt.workflow.cli;

import dev.shunt.ClusterGate;
import dev.shunt.InstanceKey;
import dev.shunt.LockHeldException;
import dev.shunt.OpenedStore;
import dev.shunt.ShuntException;
import dev.shunt.ShuntStatus;
import dev.shunt.Step;
import dev.shunt.internal.InstanceKeyRules;
import dev.shunt.workflow.AwaitCheckersStep;
import dev.shunt.workflow.AwaitHaproxyDrainStep;
import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.ConsoleProgress;
import dev.shunt.workflow.FailurePolicy;
import dev.shunt.workflow.HostCount;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.InFlightWait;
import dev.shunt.workflow.LoadBalancerChecks;
import dev.shunt.workflow.MemcachedFlushStep;
import dev.shunt.workflow.PreflightFailedException;
import dev.shunt.workflow.PreflightProblem;
import dev.shunt.workflow.RetryPolicy;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutPlan;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.RolloutRun;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.StepOptions;
import dev.shunt.workflow.gate.MetricsGate;
import dev.shunt.workflow.gate.MetricsSource;
import dev.shunt.workflow.internal.ConsoleListener;
import dev.shunt.workflow.internal.ShuntLeft;
import dev.shunt.workflow.lb.LoadBalancer;
import dev.shunt.workflow.lb.LoadBalancerStep;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code shunt roll HOST...}: a rolling restart in batches: shunt, drain, restart (locally or over
 * SSH), readiness, optional cache flush, unshunt, back in rotation; or its plan, or the clean-up
 * after a rollout that crashed. Every option meets {@link Rollout#builder()} in
 * {@link #rollout(String)} and {@link #onStore}.
 */
@Command(name = "roll", sortOptions = false,
    description = {"Restarts the hosts in batches: shunt, wait for the drain, restart, wait until --ready-url"
        + " answers, flush caches, unshunt, wait until the load balancer sends traffic again. Takes the service's"
        + " deploy lock from the store while it runs, and never takes out more hosts than the budget allows.",
        "A failing step ends its host, which stays shunted (see --on-failure); once more hosts failed than"
            + " --max-failures allows, the rollout halts after the batch: the hosts after it are not touched."
            + " Prints progress and a summary; exits 1 when the rollout halted, timed out or had failed hosts,"
            + " 4 when another rollout holds the lock, 130 when SIGINT or SIGTERM cancelled it.",
        "Before it touches anything, a pre-flight checks every host: HAProxy has its server (--drain haproxy:…, --lb),"
            + " --ready-url is a valid URL for it, its name resolves, its SSH host key is known, a load balancer"
            + " checked its responder in the last 2 minutes, its requests in flight are counted. Errors stop the"
            + " rollout with exit 2, each on a line of its own; warnings are printed as it starts (--plan shows"
            + " both). With --cluster-safe, the pre-flight also asks the Hazelcast cluster for its members and safety.",
        "Ctrl-C (or SIGTERM) lets the hosts in progress finish their steps (for --grace at most), starts no other"
            + " host and prints where each host was left."})
final class RollCommand implements Callable<Integer> {
  @ParentCommand
  private ShuntCli cli;

  @Spec
  private CommandSpec spec;

  @Parameters(arity = "1..*", split = ",", paramLabel = "HOST", description = "The hosts, in order.")
  private List<String> hosts;

  @Option(names = "--restart", required = true, paramLabel = "COMMAND",
      description = "The shell line that restarts a host; {host} is replaced by the host. Run here with sh -c,"
          + " or on the host over SSH with --ssh-user.")
  private String restart;

  @Option(names = "--restart-timeout", paramLabel = "DURATION", defaultValue = "5m",
      description = "How long the restart may take. Default: ${DEFAULT-VALUE}.")
  private Duration restartTimeout;

  @Option(names = "--rollback", paramLabel = "COMMAND",
      description = "The shell line that puts a host back on the old version, e.g. 'deploy --version=old &&"
          + " systemctl restart app'; {host} is replaced by the host, run as --restart is (here, or over SSH with"
          + " --ssh-user, with the --secret-env variables, masked alike). When the rollout halts, every host it"
          + " rolled (and a failed host whose restart ran) is rolled back, one at a time, newest first, through the"
          + " same steps with this command instead of the restart; a failing rollback stops there. A rollout that"
          + " rolled back cannot be --resume'd. Default: none, a halted rollout leaves the hosts as they are.")
  private String rollback;

  @Option(names = "--rollback-timeout", paramLabel = "DURATION",
      description = "How long the rollback command may take. Default: --restart-timeout.")
  private Duration rollbackTimeout;

  @Option(names = "--ready-url", required = true, paramLabel = "URL",
      description = "The application's URL that answers once a host is up again, e.g. http://{host}:8080/;"
          + " not the shunted health path.")
  private String readyUrl;

  @Option(names = "--ready-status", paramLabel = "STATUSES", defaultValue = "200-399",
      description = "The statuses that count as ready. Default: ${DEFAULT-VALUE}.")
  private StatusRange readyStatus;

  @Option(names = "--ready-timeout", paramLabel = "DURATION", defaultValue = "60s",
      description = "How long a host may take to be ready. Default: ${DEFAULT-VALUE}.")
  private Duration readyTimeout;

  @Option(names = "--ready-interval", paramLabel = "DURATION", defaultValue = "500ms",
      description = "The pause between two readiness requests. Default: ${DEFAULT-VALUE}.")
  private Duration readyInterval;

  @Option(names = "--ready-host-header", paramLabel = "HOST", description = "The Host header of readiness requests.")
  private String readyHostHeader;

  @Option(names = "--flush-memcached", paramLabel = "HOST:PORT",
      description = "A memcached to empty (flush_all) once a host is ready, before it is unshunted; {host} is"
          + " replaced by the host, e.g. {host}:11211. Repeatable. Default: none.")
  private List<String> flushMemcached;

  @Option(names = "--drain", paramLabel = "METHOD", defaultValue = "checkers",
      description = "How the drain is known: checkers (each load balancer's health checks answered \"down\" --fall"
          + " times, as the host's responder records them), haproxy:UNIXSOCKET or haproxy:HOST:PORT (HAProxy's"
          + " runtime API reports the server out of rotation with no session), or lb (no health-check shunt at all:"
          + " only the --lb load balancers take the host out and put it back). Default: ${DEFAULT-VALUE}.")
  private DrainMethod drain;

  @Option(names = "--haproxy-backend", paramLabel = "NAME",
      description = "With --drain haproxy:…, the backend whose servers are the hosts. Default: the service.")
  private String haproxyBackend;

  @Option(names = "--haproxy-server", paramLabel = "TEMPLATE",
      description = "With --drain haproxy:…, each host's server name in the backend: {host} is replaced by the host,"
          + " {index} by its position in the host list from 1, e.g. app-{index}. The pre-flight checks that HAProxy"
          + " has each. Default: {host}.")
  private String haproxyServer;

  @Option(names = "--lb", paramLabel = "KIND:ADDRESS",
      description = "A load balancer to drive through its own API, in front of the hosts: before each restart, take the"
          + " host's server out of every one and wait until every one reports it drained; after readiness, put it back"
          + " in every one and wait until every one reports it in rotation. haproxy:UNIXSOCKET or haproxy:tcp://HOST:PORT"
          + " (the runtime API, level admin); varnish:INSTANCE (varnishadm -n INSTANCE backend.set_health, on this"
          + " machine); nginx:UPSTREAMFILE[,config=PATH][,pid=PATH][,prefix=PATH][,nginx=PATH] (marks the server down"
          + " there and reloads nginx; defaults config=/etc/nginx/nginx.conf, pid=/run/nginx.pid, no prefix, nginx on"
          + " the PATH); caddy:http://HOST:PORT (the admin API: confirms that Caddy has no request in progress"
          + " after the health-check drain; not with --drain lb, and with --fall 1 --rise 1 for Caddy 2.6). Repeatable (two HAProxies: give both). Beside the health-check shunt,"
          + " or instead of it with --drain lb. The pre-flight asks each about each host's server. Default: none.")
  private List<LoadBalancerSpec> loadBalancers = List.of();

  @Option(names = "--lb-backend", paramLabel = "NAME",
      description = "With --lb haproxy:…, the backend of servers named without one. Default: the service.")
  private String lbBackend;

  @Option(names = "--lb-server", paramLabel = "TEMPLATE",
      description = "With --lb, each host's server name in the load balancers: {host} is replaced by the host, {index}"
          + " by its position in the host list from 1; for HAProxy SERVER or BACKEND/SERVER, e.g. app-{index}."
          + " Default: {host}.")
  private String lbServer;

  @Option(names = "--lb-maint",
      description = "With --lb haproxy:…, take servers out with 'state maint' rather than 'state drain': no request at"
          + " all, sticky ones included, and no health checks meanwhile. Default: drain.")
  private boolean lbMaint;

  @Option(names = "--lb-timeout", paramLabel = "DURATION", defaultValue = "60s",
      description = "With --lb, how long to wait for the drain (then the host is put back and fails, not restarted)"
          + " and for the rotation (then the host fails, reported where it is left out). Default: ${DEFAULT-VALUE}.")
  private Duration lbTimeout;

  @Option(names = "--gate", paramLabel = "SOURCE",
      description = "A metrics gate after each batch (the canary's and the last included): for --bake, compare the"
          + " error rate (and with --max-p99-ratio the latency) of the hosts just rolled with those not yet rolled, or"
          + " with the same hosts before their restart, and halt the rollout when --max-error-rate is crossed on at"
          + " least --min-requests requests. haproxy:UNIXSOCKET or haproxy:tcp://HOST:PORT (HAProxy's own per-server"
          + " counters, show stat, any socket level; see --gate-backend, --gate-server) or prometheus:URL (each host's"
          + " Prometheus endpoint, {host} and {index} replaced, e.g. prometheus:http://{host}:9100/metrics). The"
          + " pre-flight reads it once: a source that cannot be read stops the rollout before anything is touched;"
          + " one that fails mid-rollout halts it. Default: none.")
  private GateSpec metricsSource;

  @Option(names = "--gate-backend", paramLabel = "NAME",
      description = "With --gate haproxy:…, the backend of the hosts' servers. Default: the service.")
  private String gateBackend;

  @Option(names = "--gate-server", paramLabel = "TEMPLATE",
      description = "With --gate haproxy:…, each host's server: {host}, {index}, e.g. app-{index}. Default: {host}.")
  private String gateServer;

  @Option(names = "--gate-requests", paramLabel = "NAME",
      description = "With --gate prometheus:…, the request counter labelled by status, e.g. http_requests_total."
          + " Default: http_server_requests_seconds_count (Micrometer).")
  private String gateRequests;

  @Option(names = "--gate-status-label", paramLabel = "LABEL",
      description = "With --gate prometheus:…, the counter's status label, e.g. code. Default: status.")
  private String gateStatusLabel;

  @Option(names = "--gate-histogram", paramLabel = "NAME",
      description = "With --gate prometheus:…, the latency histogram without _bucket, or none."
          + " Default: http_server_requests_seconds (Micrometer).")
  private String gateHistogram;

  @Option(names = "--bake", paramLabel = "DURATION", defaultValue = "30s",
      description = "With --gate, how long to watch the hosts after each batch. Default: ${DEFAULT-VALUE}.")
  private Duration bake;

  @Option(names = "--canary-bake", paramLabel = "DURATION",
      description = "With --gate, how long to watch the canary batch. Default: twice --bake.")
  private Duration canaryBake;

  @Option(names = "--max-error-rate", paramLabel = "PERCENT", defaultValue = "1%",
      description = "With --gate, the highest share of 5xx answers of the hosts just rolled, e.g. 1%% or 0.5%%."
          + " Default: ${DEFAULT-VALUE}.")
  private String maxErrorRate;

  @Option(names = "--max-error-ratio", paramLabel = "N",
      description = "With --gate, also needed to halt on errors: the hosts just rolled fail more than N times as often"
          + " as the baseline (a fleet that already fails can roll a version that fails no more). Default: none.")
  private Double maxErrorRatio;

  @Option(names = "--max-p99-ratio", paramLabel = "N",
      description = "With --gate, halt when the p99 latency of the hosts just rolled is more than N times the"
          + " baseline's (HAProxy: its average over each server's last 1024 responses). Default: none.")
  private Double maxP99Ratio;

  @Option(names = "--min-requests", paramLabel = "N", defaultValue = "100",
      description = "With --gate, the fewest requests a side must have to be judged: never halt on one error of a"
          + " quiet service. Default: ${DEFAULT-VALUE}.")
  private long minRequests;

  @Option(names = "--gate-too-few", paramLabel = "pass|halt", defaultValue = "pass",
      description = "With --gate, what to do when the hosts just rolled still had fewer than --min-requests after"
          + " twice the bake: pass (with a note in the report) or halt. Default: ${DEFAULT-VALUE}.")
  private String gateTooFew;

  @Option(names = "--in-flight", paramLabel = "WAIT", defaultValue = "when-counted",
      description = "With --drain checkers, whether the drain also waits until the host's responder reports no"
          + " request in flight: when-counted (wherever the responder counts them; where nothing counts them, it"
          + " does not wait and says so), required (never go on an unknown count: wait the whole --drain-timeout),"
          + " ignored (only the health checks). Default: ${DEFAULT-VALUE}. The haproxy drain always waits for 0"
          + " sessions.")
  private InFlightWait inFlight;

  @Option(names = "--in-flight-zero", description = "Same as --in-flight required.")
  private boolean inFlightZero;

  @Option(names = "--strict-preflight",
      description = "Make the pre-flight's warnings (e.g. a host no load balancer checked in the last 2 minutes, a"
          + " host whose requests in flight nobody counts) stop the rollout too, like its errors (exit 2).")
  private boolean strictPreflight;

  @Option(names = "--cluster-safe",
      description = "The hosts' applications are members of the store's Hazelcast cluster (hazelcast://): before each"
          + " restart, wait until the cluster is safe (no partition migration, every backup in sync); after each"
          + " readiness, wait until the host's member is back (the cluster has its full size again) and the cluster"
          + " is safe. A wait that does not end within --cluster-safe-timeout fails the host. The pre-flight reports"
          + " fewer members than --cluster-members (an error) and a cluster not safe at the start (a warning).")
  private boolean clusterSafe;

  @Option(names = "--cluster-members", paramLabel = "N",
      description = "With --cluster-safe, the member count the cluster must have before and after each restart."
          + " Default: after a restart, the count seen before it.")
  private Integer clusterMembers;

  @Option(names = "--cluster-safe-timeout", paramLabel = "DURATION", defaultValue = "5m",
      description = "With --cluster-safe, how long each wait for the cluster may take. Default: ${DEFAULT-VALUE}.")
  private Duration clusterSafeTimeout;

  @Option(names = "--cluster-safe-interval", paramLabel = "DURATION", defaultValue = "1s",
      description = "With --cluster-safe, the pause between two questions to the cluster. Default: ${DEFAULT-VALUE}.")
  private Duration clusterSafeInterval;

  @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "How long to wait for the drain; then the restart goes on as after a fixed wait."
          + " Default: ${DEFAULT-VALUE}.")
  private Duration drainTimeout;

  @Option(names = "--fail-on-drain-timeout",
      description = "Fail the host (it stays shunted, not restarted) when the drain is not seen within"
          + " --drain-timeout, rather than going on as after a fixed wait. Either way a drain fails at once when the"
          + " host's responder is seen answering \"up\" well after the shunt: it does not see it.")
  private boolean failOnDrainTimeout;

  @Option(names = "--rotation-timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "How long to wait for the checkers to see a host up again; then the next host goes."
          + " Default: ${DEFAULT-VALUE}.")
  private Duration rotationTimeout;

  @Option(names = "--fall", paramLabel = "N", defaultValue = "3",
      description = "The load balancer's fall: \"down\" answers each health checker must have had before the"
          + " restart. Default: ${DEFAULT-VALUE}.")
  private int fall;

  @Option(names = "--rise", paramLabel = "N", defaultValue = "2",
      description = "The load balancer's rise: \"up\" answers each health checker must have had before the next"
          + " host. Default: ${DEFAULT-VALUE}.")
  private int rise;

  @Option(names = "--inter", paramLabel = "DURATION", defaultValue = "2s",
      description = "The load balancer's check interval; with --fall and --rise it tells the plan when a drain or"
          + " rotation timeout is too short. Default: ${DEFAULT-VALUE} (HAProxy's).")
  private Duration inter;

  @Mixin
  private ShuntRequestOptions shunt;

  @Option(names = "--batch", paramLabel = "N|P%", defaultValue = "1",
      description = "Hosts rolled at once: a count, or a percentage of the hosts (rounded up). Default: ${DEFAULT-VALUE}.")
  private HostCount batch;

  @Option(names = "--pause", paramLabel = "DURATION",
      description = "The pause after each batch but the last. Default: none.")
  private Duration pause;

  @Option(names = "--canary", paramLabel = "N", defaultValue = "0",
      description = "Roll the first N hosts alone first; a failure there always halts. Default: ${DEFAULT-VALUE}.")
  private int canary;

  @Option(names = "--canary-pause", paramLabel = "DURATION",
      description = "The pause after the canary batch, e.g. to watch error rates. Default: none.")
  private Duration canaryPause;

  @Option(names = "--max-failures", paramLabel = "N|P%", defaultValue = "0",
      description = "Failed hosts tolerated, a count or a percentage of the hosts (rounded down); one more halts"
          + " the rollout after its batch. Default: ${DEFAULT-VALUE}.")
  private HostCount maxFailures;

  @Option(names = "--on-failure", paramLabel = "POLICY", defaultValue = "leave-shunted",
      description = "What happens to a host whose steps failed: leave-shunted (left as the failed step left it,"
          + " for someone to look at: shunted, out of the --lb load balancers, each named in the report) or unshunt"
          + " (put back in rotation: unshunted, and back in every --lb load balancer). Default: ${DEFAULT-VALUE}.")
  private FailurePolicy onFailure;

  @Option(names = "--retries", paramLabel = "N", defaultValue = "0",
      description = "Retries of the restart and of readiness after an error that can pass (connection refused,"
          + " timeouts), with exponential backoff from 500 ms, ±50%% jitter; never after a command exited non-zero,"
          + " an SSH login or host-key failure, or a readiness wait that used its whole timeout."
          + " Default: ${DEFAULT-VALUE}.")
  private int retries;

  @Option(names = "--step-timeout", paramLabel = "DURATION",
      description = "A time limit for every step on a host, retries included, on top of the step's own timeout;"
          + " a step over it is interrupted and its host fails. Default: none.")
  private Duration stepTimeout;

  @Option(names = "--timeout", paramLabel = "DURATION",
      description = "A time limit for the whole rollout: the steps in progress are interrupted, their hosts fail,"
          + " no other host starts. Default: none.")
  private Duration timeout;

  @Option(names = "--no-lock", description = "Do not take the service's deploy lock. Default: take it, so that two"
      + " rollouts of the service never run at once; a held lock exits 4.")
  private boolean noLock;

  @Option(names = "--lock-lease", paramLabel = "DURATION", defaultValue = "10m",
      description = "The deploy lock's lease, renewed every third of it while the rollout runs: how long a crashed"
          + " rollout keeps others out. The lock's owner is --owner. Default: ${DEFAULT-VALUE}.")
  private Duration lockLease;

  @Option(names = "--plan", description = "Print what the rollout would do (batches, steps, time limits, warnings,"
      + " the pre-flight's findings) and exit 0, touching nothing; warnings also go to standard error. With"
      + " pre-flight errors it lists them on standard error too and exits 2, as the rollout would.")
  private boolean plan;

  @Option(names = "--resume", description = "Skip the hosts the service's journal shows done by an earlier rollout"
      + " that halted, crashed or was cancelled.")
  private boolean resume;

  @Option(names = "--clean-up", description = "Do not roll: put back in rotation every host the journal shows an"
      + " earlier rollout started or failed (unshunted, and back in every --lb load balancer that still has it out),"
      + " clear the journal, and print those hosts; if a load balancer refuses, exit 1 naming it, keeping the journal.")
  private boolean cleanUp;

  @Option(names = "--report", paramLabel = "FILE", description = "Write the rollout's JSON report (every host, step,"
      + " duration, attempt and outcome) to FILE once it ends, however it ends; created or truncated, readable by"
      + " its owner only (0600), never through a symbolic link (a link is refused).")
  private Path report;

  @Option(names = "--report-html", paramLabel = "FILE", description = "Write the rollout's report as one HTML page"
      + " (summary, warnings, a timeline of every host's steps, the load balancer's readings; no network needed) to"
      + " FILE once it ends, however it ends; like --report, 0600 and never through a symbolic link. The command"
      + " report-html makes the same page from a --report file.")
  private Path reportHtml;

  @Option(names = "--progress", paramLabel = "MODE", description = "How progress shows: tty (a status line at the"
      + " bottom of the terminal: hosts done, in progress, failed and left, the batch, the time elapsed and left),"
      + " plain (a line of those counts after each host; no escape codes) or none (the event lines only). Default:"
      + " tty when standard output is a terminal, else plain.")
  private ConsoleProgress progress;

  @Option(names = {"-q", "--quiet"}, description = "Print only the warnings, a halt and the summary at the end:"
      + " no line per step.")
  private boolean quiet;

  @Option(names = "--secret-env", paramLabel = "VARIABLE", description = "Hand this variable of shunt's environment"
      + " to the restart command and the --rollback command (over SSH: read by its shell from stdin, never on a command line) and show its value"
      + " as **** in every output: console, report, journal, plan and errors. Repeatable.")
  private List<String> secretEnv = List.of();

  @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "5m",
      description = "On SIGINT or SIGTERM, how long the hosts in progress may take to finish their steps before"
          + " they are interrupted and left as they are. Default: ${DEFAULT-VALUE}.")
  private Duration grace;

  @Mixin
  private SshOptions ssh;

  @Override
  public Integer call() {
    String service = cli.service(spec);
    checkCombinations();
    Rollout.Builder configured = rollout(service, null);
    return cli.withOpenedStore(opened -> {
      Rollout rollout = onStore(clusterSafe ? rollout(service, clusterGate(opened)) : configured, opened).build();
      if (plan) {
        return plan(service, rollout);
      }
      if (cleanUp) {
        return cleanUp(service, rollout);
      }
      return roll(service, rollout);
    });
  }

  /**
   * The rollout these options describe, but for its store: the one place where options meet
   * {@link Rollout#builder()}, with {@link #onStore}. With a {@code gate}, its steps go around the
   * restart: just before it, and just after readiness.
   */
  private Rollout.Builder rollout(String service, ClusterGate gate) {
    StepOptions limits = stepTimeout == null ? StepOptions.none() : StepOptions.none().withTimeout(stepTimeout);
    StepOptions retried = limits.withRetry(retries == 0 ? RetryPolicy.none()
        : RetryPolicy.builder().maxAttempts(retries + 1).build());
    Rollout.Builder rollout = Rollout.builder()
        .service(service)
        .hosts(hosts)
        .listener(new ConsoleListener(cli.out(), consoleProgress()))
        .clock(cli.clock())
        .stepDefaults(limits);
    boolean shunts = !drain.loadBalancersOnly();
    if (shunts) {
      rollout.step(ShuntStep.shunt(shunt.request("rolling restart"))).step(drainStep(service));
    }
    // One instance of each for both steps: Caddy's remembers which servers the take-out took out.
    String backend = lbBackend != null ? lbBackend : service;
    List<LoadBalancer> drivenLoadBalancers = loadBalancers.stream().map(spec -> spec.loadBalancer(backend, lbMaint))
        .toList();
    if (!loadBalancers.isEmpty()) {
      rollout.step(loadBalancerStep(LoadBalancerStep.takeOut(), drivenLoadBalancers));
    }
    if (gate != null) {
      rollout.step(gate.beforeRestart());
    }
    rollout.step(ssh.command("restart", restart, restartTimeout, secretEnv, cli::environment, this::usage), retried)
        .step(AwaitHttpStep.builder().url(readyUrl).expectStatus(readyStatus.min(), readyStatus.max())
            .timeout(readyTimeout).interval(readyInterval).hostHeader(readyHostHeader).build(), retried);
    if (gate != null) {
      rollout.step(gate.afterReadiness());
    }
    if (flushMemcached != null) {
      rollout.step(MemcachedFlushStep.builder().servers(flushMemcached).build());
    }
    if (shunts) {
      rollout.step(ShuntStep.unshunt());
    }
    if (!loadBalancers.isEmpty()) {
      // After the unshunt: a load balancer that checks the host puts it back only once its checks pass.
      rollout.step(loadBalancerStep(LoadBalancerStep.putBack(), drivenLoadBalancers));
    }
    if (shunts) {
      rollout.step(AwaitCheckersStep.rotation().times(rise).timeout(rotationTimeout).build());
    }
    if (rollback != null) {
      rollout.rollback(ssh.command("rollback", rollback, rollbackTimeout != null ? rollbackTimeout : restartTimeout,
          secretEnv, cli::environment, this::usage), retried).restartStep("restart");
    }
    if (metricsSource != null) {
      rollout.gate(metricsGate(service));
    }
    rollout.loadBalancer(LoadBalancerChecks.of(fall, rise, inter))
        .batchSize(batch)
        .canary(canary)
        .maxFailures(maxFailures)
        .onFailure(onFailure)
        .resume(resume)
        .strictPreflight(strictPreflight);
    if (pause != null) {
      rollout.pauseBetweenBatches(pause);
    }
    if (canaryPause != null) {
      rollout.canaryPause(canaryPause);
    }
    if (timeout != null) {
      rollout.timeout(timeout);
    }
    return rollout;
  }

  /** {@code rollout} on the opened store, under its deploy lock unless {@code --no-lock}. */
  private Rollout.Builder onStore(Rollout.Builder rollout, OpenedStore opened) {
    rollout.store(opened.store());
    if (!noLock) {
      opened.deployLock().ifPresentOrElse(
          lock -> rollout.deployLock(lock).lockOwner(shunt.owner()).lockLease(lockLease),
          () -> cli.err().println("shunt: warning: the store " + cli.storeSpec() + " offers no deploy lock;"
              + " rolling without one"));
    }
    return rollout;
  }

  /** The gate of {@code --cluster-safe}: the opened store's, with the options' settings. */
  private ClusterGate clusterGate(OpenedStore opened) {
    ClusterGate gate = opened.clusterGate().orElseThrow(() -> usage("--cluster-safe needs a store whose cluster"
        + " it can watch, such as hazelcast://HOST:PORT?cluster=NAME (the cluster the hosts' applications are members"
        + " of); the store " + cli.storeSpec() + " has none"))
        .withTimeout(clusterSafeTimeout).withPollInterval(clusterSafeInterval);
    return clusterMembers == null ? gate : gate.withExpectedMembers(clusterMembers);
  }

  /** The gate of {@code --gate}, with the options' thresholds. */
  private MetricsGate metricsGate(String service) {
    MetricsSource source = metricsSource.source(gateBackend != null ? gateBackend : service, gateServer, gateRequests,
        gateStatusLabel, gateHistogram);
    double errorRate = percent("--max-error-rate", maxErrorRate);
    try {
      // The builder refuses a bad value as it is given, the rest at build(): each a usage error of --gate.
      return MetricsGate.builder().source(source)
          .bake(bake).canaryBake(canaryBake).maxErrorRate(errorRate)
          .maxErrorRatio(maxErrorRatio).maxLatencyRatio(maxP99Ratio).minRequests(minRequests)
          .tooFewRequests(gateTooFew.equals("halt") ? MetricsGate.TooFewRequests.HALT : MetricsGate.TooFewRequests.PASS)
          .build();
    } catch (IllegalArgumentException e) {
      throw usage("--gate: " + e.getMessage());
    }
  }

  private double percent(String option, String value) {
    if (!value.matches("\\d+(\\.\\d+)?%")) {
      throw usage(option + " must be a percentage such as 1% or 0.5%, was '" + value + "'");
    }
    return Double.parseDouble(value.substring(0, value.length() - 1)) / 100;
  }

  /** The take-out or put-back of {@code --lb}, on every load balancer given. */
  private LoadBalancerStep loadBalancerStep(LoadBalancerStep.Builder step, List<LoadBalancer> loadBalancers) {
    loadBalancers.forEach(step::loadBalancer);
    return step.server(lbServer != null ? lbServer : "{host}").timeout(lbTimeout).build();
  }

  private Step drainStep(String service) {
    if (drain.asksHaproxy()) {
      return AwaitHaproxyDrainStep.builder().runtimeApi(drain.haproxy())
          .backend(haproxyBackend != null ? haproxyBackend : service)
          .server(haproxyServer != null ? haproxyServer : "{host}").timeout(drainTimeout)
          .failOnTimeout(failOnDrainTimeout).build();
    }
    return AwaitCheckersStep.drain().times(fall).timeout(drainTimeout).failOnTimeout(failOnDrainTimeout)
        .inFlight(inFlightZero ? InFlightWait.REQUIRED : inFlight).build();
  }

  /** Usage errors found before the store is opened. */
  private void checkCombinations() {
    hosts.forEach(InstanceKeyRules::requireHostName);
    if (retries < 0) {
      throw usage("--retries must be >= 0, was " + retries);
    }
    if (clusterMembers != null && clusterMembers < 1) {
      throw usage("--cluster-members must be >= 1, was " + clusterMembers);
    }
    if (!clusterSafe) {
      ParseResult given = spec.commandLine().getParseResult();
      List.of("--cluster-members", "--cluster-safe-timeout", "--cluster-safe-interval").stream()
          .filter(given::hasMatchedOption).findFirst().ifPresent(option -> {
            throw usage(option + " goes with --cluster-safe");
          });
    }
    if (rollbackTimeout != null && rollback == null) {
      throw usage("--rollback-timeout goes with --rollback");
    }
    if (metricsSource == null) {
      List.of("--gate-backend", "--gate-server", "--gate-requests", "--gate-status-label", "--gate-histogram", "--bake",
          "--canary-bake", "--max-error-rate", "--max-error-ratio", "--max-p99-ratio", "--min-requests", "--gate-too-few")
          .stream().filter(spec.commandLine().getParseResult()::hasMatchedOption).findFirst().ifPresent(option -> {
            throw usage(option + " goes with --gate");
          });
    } else {
      if (!metricsSource.haproxy() && (gateBackend != null || gateServer != null)) {
        throw usage((gateBackend != null ? "--gate-backend" : "--gate-server") + " goes with --gate haproxy:…");
      }
      if (metricsSource.haproxy() && (gateRequests != null || gateStatusLabel != null || gateHistogram != null)) {
        throw usage("--gate-requests, --gate-status-label and --gate-histogram go with --gate prometheus:…");
      }
      if (!gateTooFew.equals("pass") && !gateTooFew.equals("halt")) {
        throw usage("--gate-too-few must be pass or halt, was '" + gateTooFew + "'");
      }
      metricsGate(cli.service(spec));
    }
    if (cleanUp && (plan || resume)) {
      throw usage("--clean-up excludes --plan and --resume: it does not roll");
    }
    if (report != null && (plan || cleanUp)) {
      throw usage("--report needs a rollout: not with --plan or --clean-up");
    }
    if (reportHtml != null && (plan || cleanUp)) {
      throw usage("--report-html needs a rollout: not with --plan or --clean-up");
    }
    if (quiet && progress != null) {
      throw usage("--quiet excludes --progress: it shows no progress");
    }
    if (report != null && report.toAbsolutePath().normalize().equals(reportHtml == null ? null
        : reportHtml.toAbsolutePath().normalize())) {
      throw usage("--report and --report-html name the same file, " + report + ": name two");
    }
    if (report != null) {
      ReportFile.problem("--report", report).ifPresent(problem -> {
        throw usage(problem);
      });
    }
    if (reportHtml != null) {
      ReportFile.problem("--report-html", reportHtml).ifPresent(problem -> {
        throw usage(problem);
      });
    }
    ParseResult parsed = spec.commandLine().getParseResult();
    if (loadBalancers.isEmpty()) {
      if (drain.loadBalancersOnly()) {
        throw usage("--drain lb needs at least one --lb: the load balancers to take the hosts out of");
      }
      List.of("--lb-backend", "--lb-server", "--lb-maint", "--lb-timeout").stream().filter(parsed::hasMatchedOption)
          .findFirst().ifPresent(option -> {
            throw usage(option + " goes with --lb");
          });
    }
    if (drain.loadBalancersOnly()) {
      loadBalancers.stream().filter(spec -> !spec.takesOutByItself()).findFirst().ifPresent(spec -> {
        throw usage("--lb " + spec + " cannot take a host out by itself (Caddy 2.6 takes it out through its health"
            + " check): give it with the health-check drain (--drain checkers --fall 1 --rise 1), not --drain lb");
      });
      List.of("--drain-timeout", "--fail-on-drain-timeout", "--rotation-timeout", "--in-flight", "--in-flight-zero")
          .stream().filter(parsed::hasMatchedOption).findFirst().ifPresent(option -> {
            throw usage(option + " goes with the health-check drain, not --drain lb (see --lb-timeout)");
          });
    }
    boolean inFlightGiven = parsed.hasMatchedOption("--in-flight");
    if (drain.asksHaproxy() && (inFlightZero || inFlightGiven)) {
      throw usage((inFlightZero ? "--in-flight-zero" : "--in-flight") + " goes with --drain checkers: the haproxy"
          + " drain always waits for 0 sessions");
    }
    if (inFlightZero && inFlightGiven && inFlight != InFlightWait.REQUIRED) {
      throw usage("--in-flight-zero means --in-flight required, but --in-flight " + optionValue(inFlight)
          + " was given: choose one");
    }
    if (!drain.asksHaproxy() && (haproxyBackend != null || haproxyServer != null)) {
      throw usage((haproxyBackend != null ? "--haproxy-backend" : "--haproxy-server")
          + " goes with --drain haproxy:UNIXSOCKET or haproxy:HOST:PORT");
    }
  }

  /**
   * Prints the plan, its pre-flight's findings included; exits 2, as the rollout would, when the
   * pre-flight found an error, so that a pipeline that checks the plan first stops there.
   */
  private int plan(String service, Rollout rollout) {
    RolloutPlan planned = rollout.plan();
    cli.out().print(planned.toText());
    planned.warnings().forEach(warning -> cli.err().println("shunt: warning: " + warning));
    if (planned.preflightErrors().isEmpty()) {
      return ShuntCli.OK;
    }
    refused(service, planned.preflight());
    return ShuntCli.USAGE;
  }

  private void refused(String service, List<PreflightProblem> problems) {
    cli.err().println("shunt: the pre-flight of the rollout of " + service + " found " + problems.stream()
        .filter(PreflightProblem::isError).count() + " error(s); nothing was touched:");
    problems.forEach(problem -> cli.err().println("shunt: pre-flight: " + problem));
  }

  private int cleanUp(String service, Rollout rollout) {
    List<String> restored;
    try {
      restored = rollout.cleanUp();
    } catch (LockHeldException held) {
      throw held;
    } catch (ShuntException leftOut) {
      // A load balancer that refused the put-back: not the store's failure, so not StoreUnavailableException's words.
      cli.err().println("shunt: " + leftOut.getMessage());
      return ShuntCli.FAILED;
    }
    restored.forEach(host -> cli.out().println(StatusText.line(InstanceKey.of(service, host), ShuntStatus.inRotation())));
    cli.out().println(service + ": clean-up put " + restored.size() + " host(s) back in rotation");
    return ShuntCli.OK;
  }

  private int roll(String service, Rollout rollout) {
    RolloutRun run;
    try {
      run = rollout.start();
    } catch (PreflightFailedException refused) {
      refused(service, refused.problems());
      return ShuntCli.USAGE;
    }
    cli.holdExitUntilDone();
    try {
      run.cancelOnShutdown(grace);
    } catch (IllegalStateException shuttingDown) {
      run.cancel();
    }
    RolloutReport result = run.await();
    int exit = exitCode(service, result);
    boolean written = write(report, "report", result::toJson);
    written &= write(reportHtml, "HTML report", result::toHtml);
    return written || exit != ShuntCli.OK ? exit : ShuntCli.FAILED;
  }

  /** Writes {@code text} to {@code file} unless it is null; says why it could not on standard error. */
  private boolean write(Path file, String what, Supplier<String> text) {
    if (file == null) {
      return true;
    }
    try {
      ReportFile.write(file, text.get());
      return true;
    } catch (IOException e) {
      cli.err().println("shunt: cannot write the " + what + " to " + file + ": " + e.getMessage());
      return false;
    }
  }

  /** {@code --quiet}, {@code --progress}, else a status line on the process's own terminal, else plain lines. */
  private ConsoleProgress consoleProgress() {
    if (quiet) {
      return ConsoleProgress.QUIET;
    }
    if (progress != null) {
      return progress;
    }
    return cli.onTerminal() ? ConsoleProgress.STATUS_LINE : ConsoleProgress.PLAIN;
  }

  /** Reads {@code --progress}: {@code tty}, {@code plain} or {@code none}. */
  static ConsoleProgress consoleProgress(String value) {
    return switch (value) {
      case "tty" -> ConsoleProgress.STATUS_LINE;
      case "plain" -> ConsoleProgress.PLAIN;
      case "none" -> ConsoleProgress.NONE;
      default -> throw new IllegalArgumentException("'" + value + "' is not one of [tty, plain, none]");
    };
  }

  /** Says on standard error where a rollout that did not succeed left its hosts; its exit code. */
  private int exitCode(String service, RolloutReport result) {
    if (result.succeeded()) {
      return ShuntCli.OK;
    }
    String how = "shunt: rollout of " + service + " " + switch (result.outcome()) {
      case CANCELLED -> "cancelled";
      case TIMED_OUT -> "timed out";
      case HALTED -> "halted";
      case COMPLETED -> "completed with failures";
    } + ": ";
    List<HostReport> stopped = result.hosts().stream().filter(host -> host.outcome() == HostReport.Outcome.FAILED
        || host.outcome() == HostReport.Outcome.CANCELLED).toList();
    for (HostReport host : stopped) {
      // After a rollback, where the rollback left the host.
      HostReport last = result.rollback().stream().flatMap(rollback -> rollback.hosts().stream())
          .filter(back -> back.host().equals(host.host())).findFirst().orElse(host);
      cli.err().println(how + host.host() + (host.outcome() == HostReport.Outcome.FAILED ? " failed" : " was cancelled")
          + host.failedStep().map(step -> " at " + step.step()).orElse("") + (last == host ? "" : ", then its"
          + " rollback " + (last.outcome() == HostReport.Outcome.DONE ? "succeeded" : "did not")) + "; it is left "
          + (last.statusAfter().shunted() ? "shunted " + ShuntLeft.until(last.statusAfter())
              : ShuntLeft.unshunted(last)) + ShuntLeft.outOf(last));
    }
    result.rollback().ifPresent(rollback -> cli.err().println(how + rollback));
    List<String> untouched = result.hosts(HostReport.Outcome.UNTOUCHED);
    if (stopped.isEmpty() || !untouched.isEmpty() && result.outcome() == RolloutReport.Outcome.CANCELLED) {
      cli.err().println(how + result.hosts(HostReport.Outcome.DONE).size() + " host(s) done; " + untouched.size()
          + " not started, in rotation" + (untouched.isEmpty() ? "" : ": " + untouched));
    }
    return result.outcome() == RolloutReport.Outcome.CANCELLED ? ShuntCli.CANCELLED : ShuntCli.FAILED;
  }

  /** Reads {@code --on-failure}: a {@link FailurePolicy} in lower case with dashes, e.g. {@code leave-shunted}. */
  static FailurePolicy failurePolicy(String value) {
    return Arrays.stream(FailurePolicy.values()).filter(policy -> optionValue(policy).equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("'" + value + "' is not one of "
            + Arrays.stream(FailurePolicy.values()).map(RollCommand::optionValue).toList()));
  }

  /** Reads {@code --in-flight}: an {@link InFlightWait} in lower case with dashes, e.g. {@code when-counted}. */
  static InFlightWait inFlightWait(String value) {
    return Arrays.stream(InFlightWait.values()).filter(wait -> optionValue(wait).equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("'" + value + "' is not one of "
            + Arrays.stream(InFlightWait.values()).map(RollCommand::optionValue).toList()));
  }

  private static String optionValue(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
