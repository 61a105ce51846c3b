package dev.shunt.workflow.cli;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

  @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "Why, for operators.")
  private String reason;

  @Option(names = "--owner", paramLabel = "NAME", description = "Who or what shunts it. Default: user@host of this"
      + " process.")
  private String owner;

  @Option(names = "--ttl", paramLabel = "DURATION", description = "Back in rotation by itself after this long,"
      + " e.g. 15m. Default: never.")
  private Duration ttl;

  @Override
  public Integer call() {
    InstanceKey key = cli.key(spec, host);
    ShuntRequest request = ShuntRequest.of(reason, owner != null ? owner : ShuntCli.defaultOwner());
    ShuntRequest shunt = ttl == null ? request : request.withTtl(ttl);
    ShuntStatus status = cli.withStore(store -> store.shunt(key, shunt));
    cli.out().println(StatusText.line(key, status));
    return ShuntCli.OK;
  }
}
