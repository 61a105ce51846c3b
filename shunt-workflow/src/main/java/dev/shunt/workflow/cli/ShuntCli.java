package dev.shunt.workflow.cli;

import dev.shunt.BudgetExceededException;
import dev.shunt.DeployLock;
import dev.shunt.DisruptionBudget;
import dev.shunt.InstanceKey;
import dev.shunt.LockGrant;
import dev.shunt.LockHeldException;
import dev.shunt.OpenedStore;
import dev.shunt.ShuntException;
import dev.shunt.StatusStore;
import dev.shunt.StatusStores;
import dev.shunt.internal.InstanceKeyRules;
import dev.shunt.workflow.ConsoleProgress;
import dev.shunt.workflow.FailurePolicy;
import dev.shunt.workflow.InFlightWait;
import dev.shunt.workflow.HostCount;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code shunt} command line: the counterpart of the Ruby gem's rake tasks, for operators
 * and deploy scripts.
 *
 * <pre>
 * shunt [--store SPEC] [--service NAME] COMMAND
 *   status [HOST] [--json]             one host, or the service: shunted hosts, known hosts, budget, maintenance,
 *                                      deploy lock
 *   shunt [HOST] [--reason R] [--owner O] [--ttl 15m]
 *   unshunt [HOST]                     HOST defaults to this machine's host name, as the gem's tasks do
 *   budget set N|P%  |  budget show  |  budget clear
 *   wait-for-http URL [--expect 200-399] [--tries 10] [--interval 6s] [--read-timeout 10s] [--host-header H]
 *   maintenance on [--reason R] [--until 2h|2026-11-23T10:00:00Z] [--allow-path REGEX]... [--allow-client CIDR]...
 *   maintenance off
 *   roll HOST... --restart CMD --ready-url URL [--batch N|P%] [--canary N] [--plan] [--resume] [--clean-up] ...
 *   lock show  |  lock release --owner OWNER    the deploy lock roll takes; release a crashed rollout's at once
 * </pre>
 *
 * <p><b>Store.</b> {@code --store SPEC} names the store as {@link StatusStores#open(String)} reads it:
 * {@code file:/var/run/shunt}, {@code memory:}, or {@code hazelcast://10.0.0.1:5701?cluster=shunt}
 * (with {@code shunt-hazelcast} on the class path). Default: the environment variable
 * {@code SHUNT_STORE}, else {@value #DEFAULT_STORE}. {@code --service NAME} defaults to
 * {@code SHUNT_SERVICE}. Both may be given before or after the command. The store is opened for
 * one command and closed after it; {@code roll} takes the deploy lock that belongs with it
 * ({@link OpenedStore#deployLock()}), which {@code status} and {@code lock} show and
 * {@code lock release} takes from a named owner. {@code wait-for-http} uses no store and takes
 * neither option after its name.
 *
 * <p><b>Exit codes</b>, stable:
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>{@value #OK}</td><td>done</td></tr>
 *   <tr><td>{@value #FAILED}</td><td>the work failed: the rollout halted, timed out or completed
 *       with failed hosts, the URL never answered as expected, or an unexpected error (its message
 *       on standard error)</td></tr>
 *   <tr><td>{@value #USAGE}</td><td>a usage error: an unknown or missing option, an invalid value,
 *       host, service or store spec; standard error says which and how to get help</td></tr>
 *   <tr><td>{@value #STORE_UNAVAILABLE}</td><td>the store could not be opened, read or written (a
 *       cluster that cannot be reached, a directory that cannot be written)</td></tr>
 *   <tr><td>{@value #LOCK_HELD}</td><td>{@code roll}: another rollout of the service holds the
 *       deploy lock; standard error names its holder, reason and until when, and the command that
 *       releases it; {@code lock release}: another owner holds it; nothing was done</td></tr>
 *   <tr><td>{@value #BUDGET_EXCEEDED}</td><td>{@code shunt}: the service's disruption budget is
 *       used up; standard error lists the hosts out; nothing was changed</td></tr>
 *   <tr><td>{@value #LOCK_FREE}</td><td>{@code lock release}: the deploy lock is free (released, or
 *       its lease ended); nothing was released</td></tr>
 *   <tr><td>{@value #CANCELLED}</td><td>{@code roll} was cancelled (SIGINT/Ctrl-C or SIGTERM): the
 *       hosts in progress finished their steps (or were stopped after {@code --grace}), no other
 *       host was started; the summary and the report say where each host was left</td></tr>
 * </table>
 * Results go to standard output, one line each ({@code checkout/web-1: in rotation}); errors to
 * standard error, starting with {@code shunt: }. {@code --help} works on every command.
 *
 * <p>Embeddable and testable: {@link #run(String[], PrintWriter, PrintWriter)} runs one command
 * line and returns its exit code without exiting the JVM. Each call parses its own command line
 * and opens its own store, so calls are independent and may run on several threads at once.
 * Only {@link #main(String[])} holds the JVM's exit on a signal until a rollout has stopped, and
 * then exits with {@value #CANCELLED}.
 */
@Command(name = "shunt",
    description = "Takes hosts out of a load balancer's rotation and puts them back; rolls restarts.",
    subcommands = {StatusCommand.class, ShuntCommand.class, UnshuntCommand.class, BudgetCommand.class,
        WaitForHttpCommand.class, MaintenanceCommand.class, RollCommand.class, LockCommand.class,
        ReportHtmlCommand.class},
    scope = ScopeType.INHERIT,
    sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:done",
        "1:failed: the rollout halted, timed out or had failed hosts, the URL never answered as expected,"
            + " or an unexpected error",
        "2:usage error: an unknown or missing option, an invalid value, host, service or store spec; roll: the"
            + " pre-flight found errors (each printed on a line of its own), nothing was touched",
        "3:the store could not be opened, read or written",
        "4:roll: another rollout holds the service's deploy lock; lock release: another owner holds it;"
            + " nothing was done",
        "5:shunt: the service's disruption budget is used up; nothing was changed",
        "6:lock release: the deploy lock is free; nothing was released",
        "130:roll was cancelled (SIGINT, SIGTERM): hosts in progress finished, no other host started"})
public final class ShuntCli implements Callable<Integer> {
  /** Exit code: done. */
  public static final int OK = 0;
  /** Exit code: the work failed (rollout halted, URL never ready, unexpected error). */
  public static final int FAILED = 1;
  /** Exit code: a usage error. */
  public static final int USAGE = 2;
  /** Exit code: the store could not be opened, read or written. */
  public static final int STORE_UNAVAILABLE = 3;
  /** Exit code: another rollout holds the service's deploy lock; nothing was done. */
  public static final int LOCK_HELD = 4;
  /** Exit code: the service's disruption budget is used up; nothing was changed. */
  public static final int BUDGET_EXCEEDED = 5;
  /** Exit code: {@code lock release} found the deploy lock free; nothing was released. */
  public static final int LOCK_FREE = 6;
  /** Exit code: the rollout was cancelled by SIGINT or SIGTERM (128 + SIGINT's 2, as shells report Ctrl-C). */
  public static final int CANCELLED = 130;
  /** The store when neither {@code --store} nor {@code SHUNT_STORE} names one. */
  public static final String DEFAULT_STORE = "file:/var/run/shunt";

  /** The commands that use no store: they do not take the inherited {@code --store} and {@code --service}. */
  private static final Set<Class<?>> STORELESS = Set.of(WaitForHttpCommand.class, ReportHtmlCommand.class);
  private static final Set<String> STORE_OPTIONS = Set.of("--store", "--service");

  /** Held so that the level set on it is not lost when java.util.logging lets go of the logger. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  @Option(names = "--store", paramLabel = "SPEC", scope = ScopeType.INHERIT,
      description = "The status store: file:DIR, memory: or hazelcast://HOST:PORT[,HOST:PORT]?cluster=NAME."
          + " Default: $SHUNT_STORE, else " + DEFAULT_STORE + ".")
  private String store;

  @Option(names = "--service", paramLabel = "NAME", scope = ScopeType.INHERIT,
      description = "The service, e.g. checkout. Default: $SHUNT_SERVICE.")
  private String service;

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
  private boolean help;

  @Spec
  private CommandSpec spec;

  private final Map<String, String> environment;
  private final Function<String, OpenedStore> stores;
  private final Clock clock;
  private final boolean ownsProcess;
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
  private Thread exitHook;
  private PrintWriter out;
  private PrintWriter err;

  ShuntCli(Map<String, String> environment, Function<String, OpenedStore> stores, Clock clock) {
    this(environment, stores, clock, false);
  }

  private ShuntCli(Map<String, String> environment, Function<String, OpenedStore> stores, Clock clock,
      boolean ownsProcess) {
    this.environment = Map.copyOf(environment);
    this.stores = Objects.requireNonNull(stores, "stores");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ownsProcess = ownsProcess;
  }

  /**
   * Runs the command line and exits the JVM with its exit code. On SIGINT or SIGTERM during a
   * rollout the JVM exits only once the rollout has stopped and its summary and report are out.
   */
  public static void main(String[] args) {
    // A Hazelcast client logs its start-up at INFO: noise for a command line. Warnings still show.
    HAZELCAST_LOG.setLevel(Level.WARNING);
    Charset charset = Charset.defaultCharset();
    int exit = new ShuntCli(System.getenv(), StatusStores::open, Clock.systemUTC(), true)
        .execute(args, new PrintWriter(System.out, true, charset), new PrintWriter(System.err, true, charset));
    System.exit(exit);
  }

  /**
   * Runs one command line, e.g. {@code --store file:/tmp/flags --service checkout status web-1},
   * with the process's environment, writing results to {@code out} and errors to {@code err}.
   *
   * @return the exit code (see the class description)
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return new ShuntCli(System.getenv(), StatusStores::open, Clock.systemUTC()).execute(args, out, err);
  }

  /** Runs {@code args}; the result of {@link #run(String[], PrintWriter, PrintWriter)}. */
  int execute(String[] args, PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
    CommandLine line = new CommandLine(this);
    withoutStoreOptions(line);
    line.setOut(out);
    line.setErr(err);
    line.setParameterExceptionHandler((e, arguments) -> usageError(e.getCommandLine(), e.getMessage()));
    line.setExecutionExceptionHandler((e, command, parsed) -> failure(command, e));
    line.registerConverter(Duration.class, new DurationConverter());
    line.registerConverter(Instant.class, new InstantConverter(clock));
    line.registerConverter(StatusRange.class, StatusRange::parse);
    line.registerConverter(DisruptionBudget.class, reading(DisruptionBudget::parse));
    line.registerConverter(HostCount.class, reading(HostCount::parse));
    line.registerConverter(FailurePolicy.class, reading(RollCommand::failurePolicy));
    line.registerConverter(InFlightWait.class, reading(RollCommand::inFlightWait));
    line.registerConverter(ConsoleProgress.class, reading(RollCommand::consoleProgress));
    line.registerConverter(DrainMethod.class, DrainMethod::parse);
    line.registerConverter(LoadBalancerSpec.class, LoadBalancerSpec::parse);
    line.registerConverter(GateSpec.class, GateSpec::parse);
    int exit = FAILED;
    try {
      exit = line.execute(args);
      return exit;
    } finally {
      out.flush();
      err.flush();
      releaseExit(exit);
    }
  }

  /**
   * Holds the JVM's exit, once it began shutting down on a signal, until the command has returned;
   * then exits with the command's code. A command that stops cleanly on a signal (a rollout
   * cancelled by its own shutdown hook) calls this first, so that its summary and report are
   * written and its exit code is the one the process ends with. Does nothing unless this command
   * line was started by {@link #main}: embedded, the JVM is its owner's.
   */
  void holdExitUntilDone() {
    if (ownsProcess && exitHook == null) {
      exitHook = new Thread(() -> Runtime.getRuntime().halt(exitCode.join()), "shunt-exit");
      Runtime.getRuntime().addShutdownHook(exitHook);
    }
  }

  private void releaseExit(int exit) {
    exitCode.complete(exit);
    if (exitHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(exitHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it halts with this exit code
      }
    }
  }

  /**
   * Takes the inherited {@code --store} and {@code --service} off the commands that use no store,
   * so that their help shows only their own options. They are still taken before the command name.
   */
  private static void withoutStoreOptions(CommandLine line) {
    line.getSubcommands().values().stream()
        .filter(command -> STORELESS.contains(command.getCommandSpec().userObject().getClass()))
        .map(CommandLine::getCommandSpec)
        .forEach(command -> command.options().stream()
            .filter(option -> option.inherited() && STORE_OPTIONS.contains(option.longestName()))
            .toList()
            .forEach(command::remove));
  }

  /** A converter from a parser that names what is wrong in an {@link IllegalArgumentException}. */
  private static <T> ITypeConverter<T> reading(Function<String, T> parse) {
    return value -> {
      try {
        return parse.apply(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    };
  }

  /** Without a command: the usage, and a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(err);
    return USAGE;
  }

  private int failure(CommandLine command, Exception e) {
    if (e instanceof StoreUnavailableException unavailable) {
      err.println("shunt: store unavailable (" + unavailable.spec() + "): " + unavailable.getMessage());
      return STORE_UNAVAILABLE;
    }
    if (e instanceof LockHeldException held) {
      lockHeld(held);
      return LOCK_HELD;
    }
    if (e instanceof BudgetExceededException exceeded) {
      err.println("shunt: " + exceeded.getMessage() + "; nothing was changed");
      return BUDGET_EXCEEDED;
    }
    if (e instanceof IllegalArgumentException) {
      return usageError(command, e.getMessage());
    }
    err.println("shunt: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    return FAILED;
  }

  /**
   * Says who holds the lock and both ways out: wait for its lease to end, or release it by naming
   * its owner; and that {@code --resume} and {@code --clean-up} need the lock too.
   */
  private void lockHeld(LockHeldException held) {
    String lockCommand = "shunt --store " + StatusText.shellWord(storeSpec()) + " --service " + held.service()
        + " lock ";
    err.println("shunt: " + held.getMessage() + "; nothing was done.");
    LockGrant holder = held.holder();
    if (holder == null) {
      err.println("shunt: see who holds it now with: " + lockCommand + "show");
    } else {
      err.println("shunt: if that rollout still runs, let it end. If it crashed, wait until its lease ends at "
          + holder.expiresAt() + " (in " + StatusText.span(Duration.between(clock.instant(), holder.expiresAt()))
          + "), or release the lock now with:");
      err.println("  " + lockCommand + "release --owner " + StatusText.shellWord(holder.owner()));
    }
    err.println("shunt: roll --resume and roll --clean-up need the lock too: while it is held they exit 4 as well."
        + " Once it is free, --resume skips the hosts that rollout finished, and --clean-up puts back in rotation"
        + " the hosts it left out.");
  }

  /** The deploy lock of {@code opened}; a usage error when its store offers none. */
  DeployLock deployLock(OpenedStore opened) {
    return opened.deployLock().orElseThrow(() -> new IllegalArgumentException("the store " + storeSpec()
        + " offers no deploy lock"));
  }

  private int usageError(CommandLine command, String message) {
    err.println("shunt: " + message);
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
    return USAGE;
  }

  /**
   * Whether results go to this process's terminal: this command line was started by {@link #main},
   * whose standard output is a terminal ({@link ConsoleProgress#detect()}).
   */
  boolean onTerminal() {
    return ownsProcess && ConsoleProgress.detect() == ConsoleProgress.STATUS_LINE;
  }

  /** Where results go. */
  PrintWriter out() {
    return out;
  }

  /** Where errors and warnings go. */
  PrintWriter err() {
    return err;
  }

  /** The clock for {@code since} and {@code until}. */
  Clock clock() {
    return clock;
  }

  /** The store spec: {@code --store}, else {@code SHUNT_STORE}, else {@value #DEFAULT_STORE}. */
  String storeSpec() {
    if (store != null) {
      return store;
    }
    String fromEnvironment = environment("SHUNT_STORE");
    return fromEnvironment != null ? fromEnvironment : DEFAULT_STORE;
  }

  /** The environment variable {@code name}, or null. */
  String environment(String name) {
    return environment.get(name);
  }

  /** The service: {@code --service}, else {@code SHUNT_SERVICE}; a usage error when neither is set. */
  String service(CommandSpec command) {
    String name = service != null ? service : environment("SHUNT_SERVICE");
    if (name == null) {
      throw new ParameterException(command.commandLine(), "--service is required (or set SHUNT_SERVICE)");
    }
    return InstanceKeyRules.requireServiceName(name);
  }

  /** The key of {@code host} in the service, or of this machine when {@code host} is null. */
  InstanceKey key(CommandSpec command, String host) {
    return InstanceKey.of(service(command), host != null ? host : localHostName());
  }

  /** Who acts when nobody says: {@code user@host} of this process. */
  static String defaultOwner() {
    return System.getProperty("user.name") + "@" + localHostName();
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot determine this machine's host name (" + e.getMessage()
          + "): name the host", e);
    }
  }

  /** {@link #withOpenedStore} for an action on the store alone. */
  <T> T withStore(Function<StatusStore, T> action) {
    return withOpenedStore(opened -> action.apply(opened.store()));
  }

  /**
   * Opens the store, applies {@code action} to it and closes it. A failure to open, use or close
   * it becomes a {@link StoreUnavailableException}; a malformed spec stays an
   * {@link IllegalArgumentException} (a usage error); a refusal (a {@link LockHeldException} or
   * {@link BudgetExceededException}) stays what it is, for its own exit code.
   */
  <T> T withOpenedStore(Function<OpenedStore, T> action) {
    String spec = storeSpec();
    OpenedStore opened;
    try {
      opened = stores.apply(spec);
    } catch (ShuntException e) {
      throw new StoreUnavailableException(spec, e);
    }
    try (opened) {
      return action.apply(opened);
    } catch (LockHeldException | BudgetExceededException refused) {
      throw refused;
    } catch (ShuntException e) {
      throw new StoreUnavailableException(spec, e);
    }
  }
}
