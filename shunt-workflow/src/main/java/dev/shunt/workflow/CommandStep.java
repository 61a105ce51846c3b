package dev.shunt.workflow;

import dev.shunt.ShuntTimeoutException;
import dev.shunt.Step;
import dev.shunt.StepContext;
import dev.shunt.StepDescription;
import dev.shunt.StepFailedException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs a command on this machine for a host, e.g. {@code systemctl restart app} or a script
 * that reaches the host its own way. Every line the command prints (stdout and stderr) is
 * reported with the host in front; a non-zero exit status, or running past the timeout (the
 * command is then killed), fails the step with the exit status and the last lines of stderr.
 *
 * <p>The command is a list of arguments, not a shell line: {@code {host}} in any argument is
 * replaced by the host. Wrap it in {@code sh -c} for shell syntax. A command that leaves a
 * process running in the background should redirect that process's output, as init scripts do;
 * the step waits at most a second for output after the command exited. If the rollout is
 * interrupted, the command and its children are killed.
 *
 * <p>Defaults: name {@code command}, timeout 5 minutes, the JVM's working directory.
 * Immutable and thread-safe.
 */
public final class CommandStep implements Step {
  private static final long OUTPUT_GRACE_MILLIS = 1000;

  private final String name;
  private final Function<String, List<String>> command;
  private final Duration timeout;
  private final Path directory;

  private CommandStep(Builder builder) {
    this.name = builder.name;
    this.command = builder.command;
    this.timeout = builder.timeout;
    this.directory = builder.directory;
  }

  /** A builder; {@code command} is required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void run(StepContext context) throws InterruptedException {
    List<String> arguments = List.copyOf(command.apply(context.host()));
    if (arguments.isEmpty()) {
      throw new StepFailedException("cannot start the command for " + context.host() + ": it has no arguments");
    }
    ProcessBuilder builder = new ProcessBuilder(arguments);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    Process process;
    try {
      process = builder.start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new StepFailedException("cannot start " + arguments + ": " + e.getMessage(), e);
    }
    OutputPump output = new OutputPump(process.getInputStream(), process.getErrorStream(), context,
        "shunt-command-output-" + context.host());
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      kill(process);
      output.close();
      throw e;
    }
    if (!finished) {
      kill(process);
      output.close();
      throw new ShuntTimeoutException(arguments + " did not finish within " + timeout + "; killed it", timeout);
    }
    output.awaitEnd(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OUTPUT_GRACE_MILLIS));
    output.close();
    int exit = process.exitValue();
    if (exit != 0) {
      throw new StepFailedException(arguments + " exited with status " + exit + output.lastErrors());
    }
    context.outcome("exit status 0");
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public StepDescription describe() {
    return StepDescription.of(name, StepDescription.Kind.COMMAND).withTimeout(timeout)
        .with("command", command.apply("{host}"));
  }

  @Override
  public String toString() {
    return name + "(" + command.apply("{host}") + ", timeout=" + timeout + ")";
  }

  /** Configures a {@link CommandStep}. Not thread-safe. */
  public static final class Builder {
    private String name = "command";
    private Function<String, List<String>> command;
    private Duration timeout = Duration.ofMinutes(5);
    private Path directory;

    private Builder() {}

    /** The step's name in progress lines and reports, e.g. {@code restart}. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The command's arguments; {@code {host}} in any of them is replaced by the host. */
    public Builder command(String... arguments) {
      List<String> template = List.copyOf(Arrays.asList(arguments));
      if (template.isEmpty()) {
        throw new IllegalArgumentException("command must have at least one argument, was []");
      }
      this.command = host -> template.stream().map(argument -> argument.replace("{host}", host)).toList();
      return this;
    }

    /** The command's arguments for a host, computed. */
    public Builder command(Function<String, List<String>> command) {
      this.command = command;
      return this;
    }

    /** How long the command may run before it is killed and the step fails. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** The working directory of the command. */
    public Builder directory(Path directory) {
      this.directory = directory;
      return this;
    }

    /**
     * Validates and builds the step.
     *
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public CommandStep build() {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was " + (name == null ? null : "'" + name + "'"));
      }
      if (command == null) {
        throw new IllegalArgumentException("command must be set, was null");
      }
      Durations.requirePositive("timeout", timeout);
      return new CommandStep(this);
    }
  }
}
