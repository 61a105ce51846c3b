package dev.shunt.workflow;

import dev.shunt.ShuntTimeoutException;
import dev.shunt.Step;
import dev.shunt.StepContext;
import dev.shunt.StepDescription;
import dev.shunt.StepFailedException;
import dev.shunt.workflow.internal.ProcessTree;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * the step waits at most a second for output after the command exited; such a process is left
 * running when the command exits by itself.
 *
 * <p><b>Nothing outlives a stopped command.</b> When the command runs past its timeout, or the
 * step is interrupted ({@link RolloutRun#cancelNow()}, a time limit of the rollout), the command
 * is killed (SIGKILL) with every process it started, and the step returns once none is left
 * (giving up after 5 seconds, and naming the survivors in its failure and log). What that covers:
 * <ul>
 *   <li><b>Linux</b> (with {@code /proc} and util-linux or BusyBox {@code setsid}, as on every
 *       common distribution): children, grandchildren, and the processes that detached from their
 *       parent (a double fork, {@code nohup ... &}, even {@code setsid}). The command runs as the
 *       leader of a session and process group of its own, with a variable unique to the run in
 *       its environment ({@code SHUNT_STEP_RUN_<id>=1}); the kill ends the group at once, then
 *       every process in the session, with the variable, or a child of one of those, until none
 *       is left. What can escape: a process that left the session <em>and</em> removed the
 *       variable from its environment ({@code setsid env -i ...}) after its parent died; one
 *       running as another user (under {@code sudo}), which shunt may not signal (it is named
 *       as a survivor); and what another program starts for the command (a service that
 *       {@code systemctl} has systemd start), which is not the command's. Without a
 *       {@code setsid} program the command shares the JVM's session and group, and a process
 *       that removed the variable escapes once its parent died.
 *   <li><b>Other systems</b> (macOS: no {@code /proc}): the command and its descendants, looked up
 *       again until none is left, and with a {@code setsid} program on the path also its process
 *       group; a process whose parent died before it was seen (a double fork) can escape.
 * </ul>
 * In its own session the command has no controlling terminal: a command that would prompt on the
 * terminal (a password, an unknown SSH host key) fails instead of waiting for an answer, and a
 * Ctrl-C reaches shunt, not the command; the rollout ends the command if it cancels it.
 *
 * <p><b>Secrets</b> reach the command through its environment, never its arguments (which
 * {@code ps} shows every user): {@link Builder#secretEnv(String, String)} sets a variable for the
 * command, and the step masks its value ({@link Secrets#MASK}) in the command's output, its
 * outcome and its exception messages; a {@link Rollout} masks it in everything else it writes.
 * The command otherwise inherits the JVM's environment.
 *
 * <p>Defaults: name {@code command}, timeout 5 minutes, the JVM's working directory, no secret.
 * Immutable and thread-safe; {@link #toString()} and {@link #describe()} name the secret
 * variables, never their values.
 */
public final class CommandStep implements Step, UsesSecrets {
  private static final long OUTPUT_GRACE_MILLIS = 1000;

  private final String name;
  private final Function<String, List<String>> command;
  private final Duration timeout;
  private final Path directory;
  private final Map<String, String> secretEnv;
  private final Secrets secrets;

  private CommandStep(Builder builder) {
    this.name = builder.name;
    this.command = builder.command;
    this.timeout = builder.timeout;
    this.directory = builder.directory;
    this.secretEnv = Collections.unmodifiableMap(new LinkedHashMap<>(builder.secretEnv));
    this.secrets = Secrets.of(secretEnv.values());
  }

  /**
   * A builder; {@code command} is required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Secrets secrets() {
    return secrets;
  }

  @Override
  public void run(StepContext context) throws InterruptedException {
    List<String> arguments = List.copyOf(command.apply(context.host()));
    if (arguments.isEmpty()) {
      throw new StepFailedException("cannot start the command for " + context.host() + ": it has no arguments");
    }
    String shown = secrets.mask(arguments.toString());
    ProcessBuilder builder = new ProcessBuilder(arguments);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    builder.environment().putAll(secretEnv);
    ProcessTree tree;
    try {
      tree = ProcessTree.start(builder);
    } catch (IOException e) {
      throw new StepFailedException("cannot start " + shown + ": " + secrets.mask(e.getMessage()), e);
    }
    Process process = tree.process();
    OutputPump output = null;
    boolean finished;
    try {
      process.getOutputStream().close();
      output = new OutputPump(process.getInputStream(), process.getErrorStream(), context,
          "shunt-command-output-" + context.host(), secrets);
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      kill(tree, output, context, shown);
      throw new StepFailedException("cannot start " + shown + ": " + secrets.mask(e.getMessage()), e);
    } catch (InterruptedException | RuntimeException | Error e) {
      kill(tree, output, context, shown);
      throw e;
    }
    if (!finished) {
      String notKilled = secrets.mask(kill(tree, output, context, shown));
      throw new ShuntTimeoutException(shown + " did not finish within " + timeout + "; killed it" + notKilled,
          timeout);
    }
    output.awaitEnd(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OUTPUT_GRACE_MILLIS));
    output.close();
    int exit = process.exitValue();
    if (exit != 0) {
      throw new StepFailedException(shown + " exited with status " + exit + output.lastErrors());
    }
    context.outcome("exit status 0");
  }

  /**
   * Kills the command and every process it started, and stops logging their output; returns
   * {@code ""}, or {@code ", but not [...]"} naming the processes that outlived the kill (also logged).
   */
  private String kill(ProcessTree tree, OutputPump output, StepContext context, String arguments) {
    List<String> survivors = tree.kill();
    if (output != null) {
      output.close();
    }
    if (survivors.isEmpty()) {
      return "";
    }
    context.log(secrets.mask("killed " + arguments + ", but these processes it started outlived the kill: "
        + survivors));
    return ", but not " + survivors;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public StepDescription describe() {
    StepDescription description = StepDescription.of(name, StepDescription.Kind.COMMAND).withTimeout(timeout)
        .with("command", secrets.mask(command.apply("{host}").toString()));
    return secretEnv.isEmpty() ? description : description.with("secretEnv", secretEnv.keySet());
  }

  @Override
  public String toString() {
    return name + "(" + secrets.mask(command.apply("{host}").toString()) + ", timeout=" + timeout
        + (secretEnv.isEmpty() ? "" : ", secretEnv=" + secretEnv.keySet()) + ")";
  }

  /**
   * Configures a {@link CommandStep}. Not thread-safe. Each setter checks its value as it is given and throws
   * {@link IllegalArgumentException} naming the field, the value and the rule; {@link #build()}
   * checks what is missing and the fields that depend on each other.
   */
  public static final class Builder {
    private String name = "command";
    private Function<String, List<String>> command;
    private Duration timeout = Duration.ofMinutes(5);
    private Path directory;
    private final Map<String, String> secretEnv = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The step's name in progress lines and reports, e.g. {@code restart}.
     *
     * @param name the step's name; not blank
     * @return this builder
     */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was " + (name == null ? null : "'" + name + "'"));
      }
      this.name = name;
      return this;
    }

    /**
     * The command's arguments; {@code {host}} in any of them is replaced by the host. A host
     * never starts with {@code -} ({@link dev.shunt.InstanceKey}), so an argument that starts
     * with {@code {host}}, as in {@code ssh {host} …}, is never read as an option.
     *
     * @param arguments the program and its arguments; at least the program
     * @return this builder
     */
    public Builder command(String... arguments) {
      List<String> template = List.copyOf(Arrays.asList(arguments));
      if (template.isEmpty()) {
        throw new IllegalArgumentException("command must have at least one argument, was []");
      }
      this.command = host -> template.stream().map(argument -> argument.replace("{host}", host)).toList();
      return this;
    }

    /**
     * The command's arguments for a host, computed.
     *
     * @param command gives the program and its arguments for a host; not null
     * @return this builder
     */
    public Builder command(Function<String, List<String>> command) {
      if (command == null) {
        throw new IllegalArgumentException("command must be set, was null");
      }
      this.command = command;
      return this;
    }

    /**
     * How long the command may run before it is killed and the step fails.
     *
     * @param timeout the longest run; positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Durations.requirePositive("timeout", timeout);
      return this;
    }

    /**
     * The working directory of the command.
     *
     * @param directory the working directory, or null for the JVM's
     * @return this builder
     */
    public Builder directory(Path directory) {
      this.directory = directory;
      return this;
    }

    /**
     * Sets the environment variable {@code name} to {@code value} for the command, and masks
     * {@code value} in everything the step and its rollout write: e.g.
     * {@code .secretEnv("TOKEN", System.getenv("DEPLOY_TOKEN"))} with the command
     * {@code sh -c 'curl -H "Authorization: Bearer $TOKEN" …'}. Repeatable; a name given again
     * replaces its value. The value never goes into the command's arguments.
     *
     * @param name the variable's name
     * @param value its value, masked in all output
     * @return this builder
     */
    public Builder secretEnv(String name, String value) {
      SecretEnv.requireValid(name, value);
      secretEnv.put(name, value);
      return this;
    }

    /**
     * Validates and builds the step.
     *
     * @return a new, immutable step
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public CommandStep build() {
      if (command == null) {
        throw new IllegalArgumentException("command must be set, was null");
      }
      return new CommandStep(this);
    }
  }
}
