package dev.shunt.workflow.cli;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code shunt unshunt [HOST]}. */
@Command(name = "unshunt",
    description = {"Puts a host back in rotation. Unshunting a host in rotation does nothing.",
        "Prints its status: 'checkout/web-1: in rotation'."})
final class UnshuntCommand implements Callable<Integer> {
  @ParentCommand
  private ShuntCli cli;

  @Spec
  private CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "HOST", description = "The host. Default: this machine's host name.")
  private String host;

  @Override
  public Integer call() {
    InstanceKey key = cli.key(spec, host);
    ShuntStatus status = cli.withStore(store -> {
      store.unshunt(key);
      return store.status(key);
    });
    cli.out().println(StatusText.line(key, status));
    return ShuntCli.OK;
  }
}
