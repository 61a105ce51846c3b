package dev.shunt.workflow.cli;

import dev.shunt.DeployLock;
import dev.shunt.DisruptionBudget;
import dev.shunt.InstanceKey;
import dev.shunt.LockGrant;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code shunt status [HOST] [--json]}. */
@Command(name = "status", sortOptions = false,
    description = {"Prints the status of one host, or of the whole service: every shunted host, how many hosts"
        + " the store knows, the disruption budget, the maintenance flag and who holds the deploy lock.",
        "Lines: 'checkout/web-1: in rotation', 'checkout/web-1: shunted since … (reason) by owner until …',"
            + " 'checkout: 2 shunted of 4 known host(s); budget 25%% = 1; maintenance off',"
            + " 'checkout: deploy lock free' (or held by its owner, with reason, until when and token)."})
final class StatusCommand implements Callable<Integer> {
  @ParentCommand
  private ShuntCli cli;

  @Spec
  private CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "HOST", description = "The host. Default: the whole service.")
  private String host;

  @Option(names = "--json", description = "Print one JSON object instead of lines.")
  private boolean json;

  @Override
  public Integer call() {
    String service = cli.service(spec);
    if (host != null) {
      InstanceKey key = InstanceKey.of(service, host);
      ShuntStatus status = cli.withStore(store -> store.status(key));
      cli.out().println(json ? StatusText.json(key, status) : StatusText.line(key, status));
      return ShuntCli.OK;
    }
    record ServiceStatus(Map<InstanceKey, ShuntStatus> shunted, int knownHosts, Optional<DisruptionBudget> budget,
        Optional<MaintenanceFlag> maintenance, boolean lockOffered, Optional<LockGrant> lockHolder) {}
    ServiceStatus status = cli.withOpenedStore(opened -> {
      StatusStore store = opened.store();
      Optional<DeployLock> lock = opened.deployLock();
      return new ServiceStatus(store.shuntedInstances(service), store.hosts(service).size(), store.budget(service),
          store.maintenance(service), lock.isPresent(), lock.flatMap(held -> held.holder(service)));
    });
    if (json) {
      cli.out().println(StatusText.json(service, status.shunted(), status.knownHosts(), status.budget(),
          status.maintenance(), status.lockHolder()));
    } else {
      StatusText.byHost(status.shunted()).forEach(entry -> cli.out().println(StatusText.line(entry.getKey(), entry.getValue())));
      cli.out().println(StatusText.summary(service, status.shunted().size(), status.knownHosts(), status.budget(),
          status.maintenance()));
      cli.out().println(StatusText.lock(service, status.lockOffered(), status.lockHolder()));
    }
    return ShuntCli.OK;
  }
}
