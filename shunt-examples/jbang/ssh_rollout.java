///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS dev.shunt:shunt-bom:0.1.0-SNAPSHOT@pom
//DEPS dev.shunt:shunt-workflow
//DEPS dev.shunt:shunt-hazelcast

// A rolling restart over SSH: the shunt_cache gem's Capistrano task (shunt, sleep 10, restart,
// wait_for_http, unshunt), with the drain waited for rather than slept: each host is shunted,
// HAProxy's health checks must see it "down" `fall` times, it is restarted over SSH (host keys
// checked against known_hosts), the application must answer, it is unshunted, and HAProxy must
// see it "up" `rise` times. Hosts go in batches (--batch 2 or 25%); a shunt never takes more hosts
// out than the service's disruption budget allows (set it once with `shunt budget set 25%`), and
// the deploy lock that goes with the store keeps a second rollout of the service out. A failure
// halts after its batch: that host stays shunted, the ones after it are not touched. Ctrl-C lets
// the hosts in progress finish and starts no other. Each host runs shunt's HealthResponder on the
// same store.
//
//   jbang ssh_rollout.java --store hazelcast://10.0.0.1:5701?cluster=shunt --service checkout \
//       --user deploy --key ~/.ssh/id_ed25519 --restart 'sudo systemctl restart checkout' \
//       --ready-url 'http://{host}:8080/' --batch 2 web-1 web-2 web-3 web-4
//   (add --plan to print the batches, steps and warnings without touching anything)

import dev.shunt.LockHeldException;
import dev.shunt.OpenedStore;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStores;
import dev.shunt.workflow.AwaitCheckersStep;
import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.HostCount;
import dev.shunt.workflow.LoadBalancerChecks;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.SshCommandStep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ssh_rollout", mixinStandardHelpOptions = true,
    description = "Restarts the hosts over SSH, one after another, each out of the load balancer meanwhile.")
class ssh_rollout implements Callable<Integer> {
  @Option(names = "--store", defaultValue = "${env:SHUNT_STORE:-file:/var/run/shunt}",
      description = "file:DIR or hazelcast://HOST:PORT?cluster=NAME. Default: ${DEFAULT-VALUE}.")
  String store;

  @Option(names = "--service", required = true, description = "The service, e.g. checkout.")
  String service;

  @Option(names = "--user", required = true, description = "The SSH user.")
  String user;

  @Option(names = "--key", description = "The private key. Default: the keys of the running ssh-agent.")
  Path key;

  @Option(names = "--known-hosts", defaultValue = "${sys:user.home}/.ssh/known_hosts",
      description = "Host keys are checked against it. Default: ${DEFAULT-VALUE}.")
  Path knownHosts;

  @Option(names = "--restart", required = true, description = "The shell line run on each host; {host} is replaced.")
  String restart;

  @Option(names = "--ready-url", required = true, description = "Answers once a host is up, e.g. http://{host}:8080/.")
  String readyUrl;

  @Option(names = "--fall", defaultValue = "3", description = "HAProxy's fall. Default: ${DEFAULT-VALUE}.")
  int fall;

  @Option(names = "--rise", defaultValue = "2", description = "HAProxy's rise. Default: ${DEFAULT-VALUE}.")
  int rise;

  @Option(names = "--inter", defaultValue = "PT2S", description = "HAProxy's inter. Default: ${DEFAULT-VALUE}.")
  Duration inter;

  @Option(names = "--batch", defaultValue = "1", description = "Hosts restarted at once: 2, or 25%% of them."
      + " Default: ${DEFAULT-VALUE}.")
  String batch;

  @Option(names = "--plan", description = "Print what would be done, and warnings, without doing it.")
  boolean plan;

  @Parameters(arity = "1..*", description = "The hosts, in order.")
  List<String> hosts;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ssh_rollout()).execute(args));
  }

  @Override
  public Integer call() {
    SshCommandStep.Builder ssh = SshCommandStep.builder().name("restart").user(user).knownHosts(knownHosts)
        .command(restart);
    if (key != null) {
      ssh.privateKey(key);
    } else {
      ssh.agent();
    }
    try (OpenedStore opened = StatusStores.open(store)) {
      Rollout.Builder rollout = Rollout.builder()
          .service(service)
          .hosts(hosts)
          .store(opened.store())
          .listener(RolloutListener.console(System.out))
          .batchSize(HostCount.parse(batch))
          .loadBalancer(LoadBalancerChecks.of(fall, rise, inter))
          .steps(List.of(
              ShuntStep.shunt(ShuntRequest.of("rolling restart", System.getProperty("user.name"))
                  .withTtl(Duration.ofMinutes(30))),
              AwaitCheckersStep.drain().times(fall).build(),
              ssh.build(),
              AwaitHttpStep.builder().url(readyUrl).build(),
              ShuntStep.unshunt(),
              AwaitCheckersStep.rotation().times(rise).build()));
      opened.deployLock().ifPresent(lock -> rollout.deployLock(lock).lockLease(Duration.ofMinutes(5)));
      if (plan) {
        System.out.print(rollout.build().plan().toText());
        return 0;
      }
      RolloutReport report = rollout.build().start().cancelOnShutdown(Duration.ofMinutes(5)).await();
      return report.succeeded() ? 0 : 1;
    } catch (LockHeldException held) {
      System.err.println(held.getMessage());
      return 4;
    }
  }
}
