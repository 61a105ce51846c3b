package dev.shunt.workflow.cli;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code shunt shunt [HOST] [--reason R] [--owner O] [--ttl D]}. */
@Command(name = "shunt", sortOptions = false,
    description = {"Takes a host out of rotation: its health check answers \"down\" until it is unshunted"
        + " (or its --ttl ends).",
        "Prints its status: 'checkout/web-1: shunted since … (reason) by owner until …'. Shunting a shunted"
            + " host renews it."})
final class ShuntCommand implements Callable<Integer> {
  @ParentCommand
  private ShuntCli cli;

  @Spec
  private CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "HOST", description = "The host. Default: this machine's host name.")
  private String host;

  @Mixin
  private ShuntRequestOptions shunt;

  @Override
  public Integer call() {
    InstanceKey key = cli.key(spec, host);
    ShuntRequest request = shunt.request("");
    ShuntStatus status = cli.withStore(store -> store.shunt(key, request));
    cli.out().println(StatusText.line(key, status));
    return ShuntCli.OK;
  }
}
