package dev.shunt.workflow.cli;

import dev.shunt.MaintenanceFlag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shunt maintenance on|off}: the service's site-wide maintenance flag. */
@Command(name = "maintenance",
    description = "Turns the service's maintenance mode on or off: while it is on, every request that is not"
        + " allowed gets 503 and the maintenance page; health checks are never caught.")
final class MaintenanceCommand extends CommandGroup {
  @Command(name = "on", sortOptions = false,
      description = {"Turns maintenance on, replacing the flag the service had.",
          "Prints 'checkout: maintenance on since … (reason) by owner until …'."})
  int on(
      @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "",
          description = "What clients are told, e.g. \"database upgrade\".") String reason,
      @Option(names = "--owner", paramLabel = "NAME",
          description = "Who turns it on. Default: user@host of this process.") String owner,
      @Option(names = "--until", paramLabel = "WHEN", description = "When it ends by itself: an instant"
          + " (2026-11-23T10:00:00Z) or a duration from now (2h). Default: never.") Instant until,
      @Option(names = "--allow-path", paramLabel = "REGEX", description = "A path served as usual, e.g."
          + " '/assets/.*'; repeatable.") List<String> allowedPaths,
      @Option(names = "--allow-client", paramLabel = "CIDR", description = "A client IP address or block served"
          + " as usual, e.g. 10.1.0.0/16; repeatable.") List<String> allowedClients) {
    String service = service("on");
    MaintenanceFlag flag = new MaintenanceFlag(reason, owner != null ? owner : ShuntCli.defaultOwner(),
        cli.clock().instant(), until, listOf(allowedPaths), listOf(allowedClients));
    cli.withStore(store -> {
      store.startMaintenance(service, flag);
      return flag;
    });
    cli.out().println(StatusText.maintenance(service, Optional.of(flag)));
    return ShuntCli.OK;
  }

  @Command(name = "off", description = {"Turns maintenance off. Doing so when it is off does nothing.",
      "Prints 'checkout: maintenance off'."})
  int off() {
    String service = service("off");
    Optional<MaintenanceFlag> flag = cli.withStore(store -> {
      store.endMaintenance(service);
      return store.maintenance(service);
    });
    cli.out().println(StatusText.maintenance(service, flag));
    return ShuntCli.OK;
  }

  private static List<String> listOf(List<String> values) {
    return values == null ? List.of() : new ArrayList<>(values);
  }
}
