///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS dev.shunt:shunt-bom:0.1.0-SNAPSHOT@pom
//DEPS dev.shunt:shunt-workflow
//DEPS dev.shunt:shunt-hazelcast

// The Apache + Capistrano maintenance recipe, on shunt's Java API. The recipe was:
//
//   before 'deploy:update' do apache.lock end      # touch tmp/maintenance.txt: every request gets 503.html
//   after 'deploy:update' do
//     apache.restart                                # touch tmp/restart.txt
//     apache.unlock                                 # rm tmp/maintenance.txt
//   end
//   after 'deploy:update' do memcached.flush end   # flush_all
//
// Here: maintenance on for the service (503, Retry-After and the page for everyone but the allowed
// paths and clients; health checks are never caught, so the load balancer keeps every host), then
// every host restarted at once (nobody is served meanwhile) and waited for until it answers, under
// the deploy lock that goes with the store, maintenance off once all of them do, then
// the cache flush as a local command. If a host does not come back, maintenance stays on (until
// --max-duration) and the script exits 1. The application answers from the same store with
// shunt's MaintenanceResponder.
//
//   jbang maintenance_deploy.java --store file:/var/run/shunt --service shop \
//       --restart 'ssh {host} touch /srv/shop/current/tmp/restart.txt' --ready-url 'http://{host}:8080/' \
//       --flush-cache "printf 'flush_all\r\n' | nc -q1 127.0.0.1 11211" web-1 web-2

import dev.shunt.MaintenanceFlag;
import dev.shunt.OpenedStore;
import dev.shunt.StatusStore;
import dev.shunt.StatusStores;
import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.CommandStep;
import dev.shunt.workflow.HostCount;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "maintenance_deploy", mixinStandardHelpOptions = true,
    description = "Maintenance on, restart every host and wait until it answers, maintenance off, flush the cache.")
class maintenance_deploy implements Callable<Integer> {
  @Option(names = "--store", defaultValue = "${env:SHUNT_STORE:-file:/var/run/shunt}",
      description = "file:DIR or hazelcast://HOST:PORT?cluster=NAME. Default: ${DEFAULT-VALUE}.")
  String store;

  @Option(names = "--service", required = true, description = "The service, e.g. shop.")
  String service;

  @Option(names = "--reason", defaultValue = "deploy", description = "What visitors are told. Default: ${DEFAULT-VALUE}.")
  String reason;

  @Option(names = "--max-duration", defaultValue = "PT30M",
      description = "Maintenance ends by itself after this long, even if the script dies. Default: ${DEFAULT-VALUE}.")
  Duration maxDuration;

  @Option(names = "--allow-path", defaultValue = "/assets/.*,/robots.txt", split = ",",
      description = "Paths served as usual (regular expressions). Default: ${DEFAULT-VALUE}.")
  List<String> allowedPaths;

  @Option(names = "--restart", required = true, description = "Restarts one host; {host} is replaced.")
  String restart;

  @Option(names = "--ready-url", required = true, description = "Answers once a host is up, e.g. http://{host}:8080/.")
  String readyUrl;

  @Option(names = "--flush-cache", description = "A local command run after maintenance is off.")
  String flushCache;

  @Parameters(arity = "1..*", description = "The hosts.")
  List<String> hosts;

  public static void main(String[] args) {
    System.exit(new CommandLine(new maintenance_deploy()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (OpenedStore opened = StatusStores.open(store)) {
      StatusStore status = opened.store();
      Instant now = Instant.now();
      // apache:lock
      status.startMaintenance(service, MaintenanceFlag.of(reason, System.getProperty("user.name"), now)
          .withUntil(now.plus(maxDuration))
          .withAllowedPaths(allowedPaths.toArray(String[]::new)));
      System.out.println(service + ": maintenance on");
      // apache:restart, then wait until each host answers again
      Rollout.Builder rollout = Rollout.builder()
          .service(service)
          .hosts(hosts)
          .store(status)
          .listener(RolloutListener.console(System.out))
          .batchSize(HostCount.ofPercent(100))
          .steps(List.of(
              CommandStep.builder().name("restart").command("sh", "-c", restart).build(),
              AwaitHttpStep.builder().url(readyUrl).timeout(Duration.ofMinutes(2)).build()));
      opened.deployLock().ifPresent(rollout::deployLock);
      RolloutReport report = rollout.build().run();
      if (!report.succeeded()) {
        System.err.println(service + ": maintenance stays on until " + now.plus(maxDuration)
            + "; end it with: jbang shunt.java --store " + store + " --service " + service + " maintenance off");
        return 1;
      }
      // apache:unlock
      status.endMaintenance(service);
      System.out.println(service + ": maintenance off");
    }
    if (flushCache != null) {
      // memcached:flush, as a local command
      int exit = new ProcessBuilder("sh", "-c", flushCache).inheritIO().start().waitFor();
      if (exit != 0) {
        System.err.println("the cache flush exited with status " + exit);
        return 1;
      }
    }
    return 0;
  }
}
