package dev.shunt.workflow.cli;

import dev.shunt.InstanceKey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A command on one host of the service, this machine by default, as the gem's rake tasks are. */
abstract class HostCommand implements Callable<Integer> {
  @ParentCommand
  ShuntCli cli;

  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "HOST", description = "The host. Default: this machine's host name.")
  private String host;

  /** The key of the host in the service. */
  InstanceKey key() {
    return cli.key(spec, host);
  }
}
