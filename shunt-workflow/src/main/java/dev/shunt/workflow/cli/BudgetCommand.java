package dev.shunt.workflow.cli;

import dev.shunt.DisruptionBudget;
import dev.shunt.InstanceKey;
import dev.shunt.StatusStore;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code shunt budget set|show|clear}: the service's disruption budget. */
@Command(name = "budget",
    description = {"Sets, shows or clears the service's disruption budget: how many of its hosts may be out of"
        + " rotation at once, whoever shunts them. A shunt beyond it is refused (exit 5); a rollout waits for room.",
        "Each prints 'checkout: budget 2; 1 of 4 known host(s) out: [web-1]' (or 'no budget', or 'budget 25%% = 1')."})
final class BudgetCommand extends CommandGroup {
  @Command(name = "set", description = {"Sets the budget, replacing the one the service had. Hosts already out"
      + " stay out, even beyond the new budget."})
  int set(@Parameters(paramLabel = "N|P%", description = "A count of hosts such as 2, or a percentage of the hosts"
      + " the store knows such as 25%% (rounded down, at least 1).") DisruptionBudget budget) {
    String service = service("set");
    return print(service, cli.withStore(store -> {
      store.setBudget(service, budget);
      return Budget.of(store, service);
    }));
  }

  @Command(name = "show", description = "Shows the budget, how many hosts the store knows and which are out.")
  int show() {
    String service = service("show");
    return print(service, cli.withStore(store -> Budget.of(store, service)));
  }

  @Command(name = "clear", description = "Removes the budget: shunts are no longer limited. Clearing none does"
      + " nothing.")
  int clear() {
    String service = service("clear");
    return print(service, cli.withStore(store -> {
      store.clearBudget(service);
      return Budget.of(store, service);
    }));
  }

  private int print(String service, Budget budget) {
    cli.out().println(StatusText.budget(service, budget.budget(), budget.knownHosts(), budget.out()));
    return ShuntCli.OK;
  }

  /** The budget of a service as the store holds it now, with its known hosts and the hosts out. */
  private record Budget(Optional<DisruptionBudget> budget, int knownHosts, Set<String> out) {
    static Budget of(StatusStore store, String service) {
      return new Budget(store.budget(service), store.hosts(service).size(),
          store.shuntedInstances(service).keySet().stream().map(InstanceKey::host).collect(Collectors.toSet()));
    }
  }
}
