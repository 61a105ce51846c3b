package dev.shunt.workflow.cli;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code shunt shunt [HOST] [--reason R] [--owner O] [--ttl D]}. */
@Command(name = "shunt", sortOptions = false,
    description = {"Takes a host out of rotation: its health check answers \"down\" until it is unshunted"
        + " (or its --ttl ends).",
        "Prints its status: 'checkout/web-1: shunted since … (reason) by owner until …'. Shunting a shunted"
            + " host renews it."})
final class ShuntCommand extends HostCommand {
  @Mixin
  private ShuntRequestOptions shunt;

  @Override
  public Integer call() {
    InstanceKey key = key();
    ShuntRequest request = shunt.request("");
    ShuntStatus status = cli.withStore(store -> store.shunt(key, request));
    cli.out().println(StatusText.line(key, status));
    return ShuntCli.OK;
  }
}
