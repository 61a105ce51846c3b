package dev.shunt.workflow.cli;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntStatus;
import picocli.CommandLine.Command;

/** {@code shunt unshunt [HOST]}. */
@Command(name = "unshunt",
    description = {"Puts a host back in rotation. Unshunting a host in rotation does nothing.",
        "Prints its status: 'checkout/web-1: in rotation'."})
final class UnshuntCommand extends HostCommand {

  @Override
  public Integer call() {
    InstanceKey key = key();
    ShuntStatus status = cli.withStore(store -> {
      store.unshunt(key);
      return store.status(key);
    });
    cli.out().println(StatusText.line(key, status));
    return ShuntCli.OK;
  }
}
