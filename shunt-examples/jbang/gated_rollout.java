///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS dev.shunt:shunt-bom:0.1.0-SNAPSHOT@pom
//DEPS dev.shunt:shunt-workflow
//DEPS dev.shunt:shunt-hazelcast

// A deploy behind HAProxy that stops itself when the new version misbehaves: each host is
// shunted, drained (HAProxy's own session count, read on its runtime API), restarted by a local
// command, waited for, and unshunted. After each batch, a metrics gate watches HAProxy's counters
// for the bake: when the hosts just rolled answer more than --max-error-rate of their requests with
// a 5xx (judged on at least --min-requests), the rollout halts, and with --rollback each host it
// rolled is put back on the old version, newest first, through the same steps. The JSON and HTML
// reports show every verdict, the rates the gate read, and the rollback.
//
//   jbang gated_rollout.java --socket /run/haproxy/admin.sock --backend web \
//       --restart 'sudo systemctl restart web@{host}' --rollback 'sudo deploy-previous {host}' \
//       --ready-url 'http://{host}:8080/' --canary 1 --batch 2 --html report.html web-1 web-2 web-3 web-4
//   (add --plan to print the batches, steps, gate and warnings without touching anything)

import dev.shunt.LockHeldException;
import dev.shunt.OpenedStore;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStores;
import dev.shunt.workflow.AwaitHaproxyDrainStep;
import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.CommandStep;
import dev.shunt.workflow.HaproxyRuntimeApi;
import dev.shunt.workflow.HostCount;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.gate.HaproxyMetricsSource;
import dev.shunt.workflow.gate.MetricsGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "gated_rollout", mixinStandardHelpOptions = true,
    description = "Restarts the hosts behind HAProxy in batches; halts, and rolls back, when they answer more 5xx.")
class gated_rollout implements Callable<Integer> {
  @Option(names = "--store", defaultValue = "${env:SHUNT_STORE:-file:/var/run/shunt}",
      description = "file:DIR or hazelcast://HOST:PORT?cluster=NAME. Default: ${DEFAULT-VALUE}.")
  String store;

  @Option(names = "--service", defaultValue = "web", description = "The service. Default: ${DEFAULT-VALUE}.")
  String service;

  @Option(names = "--socket", required = true, description = "HAProxy's runtime API socket (any level).")
  Path socket;

  @Option(names = "--backend", required = true, description = "The HAProxy backend; its servers are named as the hosts.")
  String backend;

  @Option(names = "--restart", required = true, description = "The shell line that deploys and restarts a host;"
      + " {host} is replaced.")
  String restart;

  @Option(names = "--rollback", description = "The shell line that puts a host back on the old version. Default:"
      + " none (a halt leaves the hosts rolled as they are).")
  String rollback;

  @Option(names = "--ready-url", required = true, description = "Answers once a host is up, e.g. http://{host}:8080/.")
  String readyUrl;

  @Option(names = "--canary", defaultValue = "1", description = "Hosts in the first batch. Default: ${DEFAULT-VALUE}.")
  int canary;

  @Option(names = "--batch", defaultValue = "1", description = "Hosts restarted at once after the canary: 2, or"
      + " 25%% of them. Default: ${DEFAULT-VALUE}.")
  String batch;

  @Option(names = "--bake", defaultValue = "PT30S", description = "How long the gate watches after each batch (twice"
      + " that after the canary). Default: ${DEFAULT-VALUE}.")
  Duration bake;

  @Option(names = "--max-error-rate", defaultValue = "0.01", description = "Halt above this share of 5xx answers."
      + " Default: ${DEFAULT-VALUE}.")
  double maxErrorRate;

  @Option(names = "--min-requests", defaultValue = "200", description = "Judge on at least this many requests a side."
      + " Default: ${DEFAULT-VALUE}.")
  long minRequests;

  @Option(names = "--report", description = "Write the JSON report here.")
  Path report;

  @Option(names = "--html", description = "Write the HTML report here.")
  Path html;

  @Option(names = "--plan", description = "Print what would be done, and warnings, without doing it.")
  boolean plan;

  @Parameters(arity = "1..*", description = "The hosts, in order, named as HAProxy's servers.")
  List<String> hosts;

  public static void main(String[] args) {
    System.exit(new CommandLine(new gated_rollout()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    HaproxyRuntimeApi haproxy = HaproxyRuntimeApi.unixSocket(socket);
    try (OpenedStore opened = StatusStores.open(store)) {
      Rollout.Builder rollout = Rollout.builder()
          .service(service)
          .hosts(hosts)
          .store(opened.store())
          .canary(canary)
          .batchSize(HostCount.parse(batch))
          .steps(List.of(
              ShuntStep.shunt(ShuntRequest.of("deploy", System.getProperty("user.name"))
                  .withTtl(Duration.ofMinutes(30))),
              AwaitHaproxyDrainStep.builder().runtimeApi(haproxy).backend(backend).build(),
              CommandStep.builder().name("restart").command("sh", "-c", restart).build(),
              AwaitHttpStep.builder().url(readyUrl).build(),
              ShuntStep.unshunt()))
          .gate(MetricsGate.builder()
              .source(HaproxyMetricsSource.builder().runtimeApi(haproxy).backend(backend).build())
              .bake(bake)
              .maxErrorRate(maxErrorRate)
              .minRequests(minRequests)
              .build());
      if (rollback != null) {
        rollout.rollback(CommandStep.builder().name("rollback").command("sh", "-c", rollback).build());
      }
      opened.deployLock().ifPresent(lock -> rollout.deployLock(lock).lockLease(Duration.ofMinutes(5)));
      if (plan) {
        System.out.print(rollout.build().plan().toText());
        return 0;
      }
      RolloutReport done = rollout.build().start().cancelOnShutdown(Duration.ofMinutes(5)).await();
      if (report != null) {
        Files.writeString(report, done.toJson());
      }
      if (html != null) {
        Files.writeString(html, done.toHtml());
        System.out.println("HTML report: " + html.toAbsolutePath());
      }
      return done.succeeded() ? 0 : 1;
    } catch (LockHeldException held) {
      System.err.println(held.getMessage());
      return 4;
    }
  }
}
