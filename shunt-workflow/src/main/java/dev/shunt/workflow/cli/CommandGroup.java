package dev.shunt.workflow.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A command whose work is in its subcommands ({@code maintenance on|off}, {@code budget set|show|clear}). */
abstract class CommandGroup implements Callable<Integer> {
  @ParentCommand
  ShuntCli cli;

  @Spec
  CommandSpec spec;

  /** Without a subcommand: the usage, and a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(cli.err());
    return ShuntCli.USAGE;
  }

  /** The service, for the subcommand {@code name} (whose help a usage error points to). */
  String service(String subcommand) {
    return cli.service(spec.subcommands().get(subcommand).getCommandSpec());
  }
}
