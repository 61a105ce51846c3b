package dev.shunt.workflow.cli;

import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.workflow.AwaitCheckersStep;
import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.CommandStep;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.SshCommandStep;
import dev.shunt.workflow.internal.ConsoleListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code shunt roll HOST...}: a rolling restart, one host after another: shunt, drain, restart
 * (locally or over SSH), readiness, unshunt, back in rotation.
 */
@Command(name = "roll", sortOptions = false,
    description = {"Restarts the hosts one after another: shunt, wait for the drain, restart, wait until"
        + " --ready-url answers, unshunt, wait until the load balancer sends traffic again.",
        "A failing step halts the rollout: that host stays shunted, the hosts after it are not touched."
            + " Prints progress and a summary; exits 1 when the rollout halted."})
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

  @Option(names = "--fall", paramLabel = "N", defaultValue = "3",
      description = "\"Down\" answers each health checker must have had before the restart: the load balancer's"
          + " fall. Default: ${DEFAULT-VALUE}.")
  private int fall;

  @Option(names = "--rise", paramLabel = "N", defaultValue = "2",
      description = "\"Up\" answers each health checker must have had before the next host: the load balancer's"
          + " rise. Default: ${DEFAULT-VALUE}.")
  private int rise;

  @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "How long to wait for the drain; then the restart goes on as after a fixed wait."
          + " Default: ${DEFAULT-VALUE}.")
  private Duration drainTimeout;

  @Option(names = "--rotation-timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "How long to wait for the checkers to see a host up again; then the next host goes."
          + " Default: ${DEFAULT-VALUE}.")
  private Duration rotationTimeout;

  @Mixin
  private ShuntRequestOptions shunt;

  @Option(names = "--ssh-user", paramLabel = "USER", description = "Run the restart on the host over SSH, as USER.")
  private String sshUser;

  @Option(names = "--ssh-port", paramLabel = "PORT", defaultValue = "22",
      description = "The SSH port of hosts that name none (web-1:2222 does). Default: ${DEFAULT-VALUE}.")
  private int sshPort;

  @Option(names = "--ssh-key", paramLabel = "FILE", description = "Log in with this private key (not encrypted).")
  private Path sshKey;

  @Option(names = "--ssh-agent", description = "Log in with the keys of the ssh-agent at $SSH_AUTH_SOCK.")
  private boolean sshAgent;

  @Option(names = "--ssh-password-env", paramLabel = "VARIABLE",
      description = "Log in with the password in this environment variable.")
  private String sshPasswordVariable;

  @Option(names = "--known-hosts", paramLabel = "FILE",
      description = "The known_hosts file host keys are checked against. Default: ~/.ssh/known_hosts.")
  private Path knownHosts;

  @Option(names = "--insecure-accept-any-host-key",
      description = "Do not check host keys: for throw-away test hosts only.")
  private boolean insecureAcceptAnyHostKey;

  @Option(names = "--ssh-connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
      description = "How long connecting over SSH may take. Default: ${DEFAULT-VALUE}.")
  private Duration sshConnectTimeout;

  @Override
  public Integer call() {
    String service = cli.service(spec);
    List<Step> steps = steps();
    RolloutReport report = cli.withStore(store ->
        rollout(service, steps, store, new ConsoleListener(cli.out())).build().run());
    if (report.succeeded()) {
      return ShuntCli.OK;
    }
    HostReport failed = report.hosts().stream().filter(host -> host.outcome() == HostReport.Outcome.FAILED)
        .findFirst().orElseThrow();
    cli.err().println("shunt: rollout of " + service + " halted: " + failed.host() + " failed at "
        + failed.failedStep().orElseThrow().step() + "; it is left "
        + (failed.statusAfter().shunted() ? "shunted" : "in rotation"));
    return ShuntCli.FAILED;
  }

  /** The rollout these options describe: the one place where options meet {@link Rollout#builder()}. */
  private Rollout.Builder rollout(String service, List<Step> steps, StatusStore store, RolloutListener listener) {
    return Rollout.builder()
        .service(service)
        .hosts(hosts)
        .store(store)
        .steps(steps)
        .listener(listener)
        .clock(cli.clock());
  }

  private List<Step> steps() {
    return List.of(
        ShuntStep.shunt(shunt.request("rolling restart")),
        AwaitCheckersStep.drain().times(fall).timeout(drainTimeout).build(),
        restartStep(),
        AwaitHttpStep.builder().url(readyUrl).expectStatus(readyStatus.min(), readyStatus.max())
            .timeout(readyTimeout).interval(readyInterval).hostHeader(readyHostHeader).build(),
        ShuntStep.unshunt(),
        AwaitCheckersStep.rotation().times(rise).timeout(rotationTimeout).build());
  }

  private Step restartStep() {
    if (sshUser == null) {
      if (sshKey != null || sshAgent || sshPasswordVariable != null || knownHosts != null || insecureAcceptAnyHostKey) {
        throw usage("the --ssh-* options, --known-hosts and --insecure-accept-any-host-key need --ssh-user");
      }
      return CommandStep.builder().name("restart").command("sh", "-c", restart).timeout(restartTimeout).build();
    }
    SshCommandStep.Builder ssh = SshCommandStep.builder().name("restart").user(sshUser).port(sshPort)
        .command(restart).commandTimeout(restartTimeout).connectTimeout(sshConnectTimeout);
    if (sshKey == null && !sshAgent && sshPasswordVariable == null) {
      throw usage("--ssh-user needs a way to log in: --ssh-key FILE, --ssh-agent or --ssh-password-env VARIABLE");
    }
    if (sshKey != null) {
      ssh.privateKey(sshKey);
    }
    if (sshAgent) {
      ssh.agent();
    }
    if (sshPasswordVariable != null) {
      String password = cli.environment(sshPasswordVariable);
      if (password == null || password.isEmpty()) {
        throw usage("--ssh-password-env names " + sshPasswordVariable + ", which is not set");
      }
      ssh.password(password);
    }
    if (insecureAcceptAnyHostKey) {
      if (knownHosts != null) {
        throw usage("--known-hosts and --insecure-accept-any-host-key exclude each other: choose one");
      }
      ssh.insecureAcceptAnyHostKey();
    } else {
      ssh.knownHosts(knownHosts != null ? knownHosts : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
    }
    return ssh.build();
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
