package dev.shunt.workflow;

import com.jcraft.jsch.Session;
import dev.shunt.ShuntTimeoutException;
import dev.shunt.Step;
import dev.shunt.StepContext;
import dev.shunt.StepDescription;
import dev.shunt.workflow.SshException.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a command on the host over SSH (JSch), e.g. {@code sudo systemctl restart app}. Every line
 * the command prints (stdout and stderr) is reported with the host in front; a non-zero exit
 * status fails the step with the status and the last lines of stderr; running past the command
 * timeout closes the connection and fails the step with a {@link ShuntTimeoutException}. Every
 * other failure is an {@link SshException} whose {@linkplain SshException#kind() kind} says what
 * went wrong and whether a retry can help.
 *
 * <p><b>The command</b> is one shell line, run by the login shell of {@code user} on the host, as
 * {@code ssh host 'line'} would. {@code {host}} in it is replaced by the host exactly as the
 * rollout names it. The line is not quoted for you: quote arguments that hold spaces or shell
 * characters the way you would on that shell ({@code 'single quotes'} for a literal string), and
 * never paste untrusted text into it. Stdin is at end-of-file at once. Output is decoded as UTF-8.
 *
 * <p><b>The host</b> may name its port, {@code web-1:2222} or {@code [2001:db8::1]:2222}; that
 * port wins over {@link Builder#port(int)}. A bare IPv6 address has no port.
 *
 * <p><b>Host keys</b> are checked strictly against {@link Builder#knownHosts(Path)}, which is
 * required: an unknown or changed key fails the step (never retried, never added to the file)
 * with the key's type and fingerprint and the command that fixes it. For a port other than 22
 * the file names the host {@code [web-1]:2222}, as OpenSSH writes it. Only
 * {@link Builder#insecureAcceptAnyHostKey()} turns the check off.
 *
 * <p><b>Authentication</b>: a private key file (OpenSSH, PEM, PKCS#8 or PuTTY; with its
 * passphrase if it is encrypted), or the keys of a running ssh-agent, and/or a password. Keys are
 * offered before the password. A password or passphrase never appears in {@link #toString()},
 * in exceptions or in the log.
 *
 * <p><b>Secrets</b> for the command, {@link Builder#secretEnv(String, String)}: each becomes an
 * exported variable of the command's shell, sent over the connection's stdin and read there with
 * the shell's {@code read} built-in ({@code IFS= read -r NAME; export NAME; } goes before the
 * line), so the value is in no command line, here or on the host, and needs no {@code AcceptEnv}
 * on the server. The login shell must be a POSIX shell (sh, bash, dash, ksh, zsh), and a value must
 * not hold a line break. The step masks the values ({@link Secrets#MASK}), and the password and
 * passphrase too, in the command's output, its outcome and its exception messages; a
 * {@link Rollout} masks them in everything else it writes.
 *
 * <p><b>Time limits</b>: connecting (TCP connect, handshake and login each) must finish within
 * {@code connectTimeout}; once connected, a host that stops answering for three keep-alives (one
 * every {@code connectTimeout}) ends the step as {@link Kind#CONNECTION_LOST}. The command must
 * finish within {@code commandTimeout}; past it the step asks the server to kill the command
 * ({@code KILL}; OpenSSH 7.9 and later honour this for the command's own process) and closes
 * the connection. Processes the command started in the background may survive: run a command
 * that must not outlive the limit under {@code timeout(1)} on the host. As in
 * {@link CommandStep}, the step waits at most a second for output after the command exited, and
 * a step interrupted while the command runs closes the connection the same way and throws
 * {@link InterruptedException}. (JSch swallows an interrupt that arrives while it opens the
 * command's channel; the step then runs until the command ends or times out.)
 *
 * <p>Defaults: name {@code ssh}, port 22, connect timeout 10 seconds, command timeout 5 minutes.
 * {@code user}, {@code command}, one way to authenticate and {@code knownHosts} (or
 * {@code insecureAcceptAnyHostKey()}) are required. Immutable and thread-safe: each run opens its
 * own connection.
 */
public final class SshCommandStep implements Step, PreflightCheck, UsesSecrets {
  // The configuration, kept as given for toBuilder() and the descriptions.
  private final String name;
  private final String user;
  private final int port;
  private final String commandTemplate;
  private final Function<String, String> command;
  private final Path privateKey;
  private final String passphrase;
  private final boolean agent;
  private final Path agentSocket;
  private final String password;
  private final Path knownHosts;
  private final boolean insecureAcceptAnyHostKey;
  private final Duration connectTimeout;
  private final Duration commandTimeout;
  private final Map<String, String> secretEnv;
  private final Secrets secrets;

  // The parts, each doing one job.
  private final SshLogin login;
  private final SshHostKeys hostKeys;
  private final SshConnector connector;
  private final SshExec exec;

  private SshCommandStep(Builder builder) {
    this.name = builder.name;
    this.user = builder.user;
    this.port = builder.port;
    this.commandTemplate = builder.commandTemplate;
    this.command = builder.command;
    this.privateKey = builder.privateKey;
    this.passphrase = builder.passphrase;
    this.agent = builder.agent;
    this.agentSocket = builder.agentSocket;
    this.password = builder.password;
    this.knownHosts = builder.knownHosts;
    this.insecureAcceptAnyHostKey = builder.insecureAcceptAnyHostKey;
    this.connectTimeout = builder.connectTimeout;
    this.commandTimeout = builder.commandTimeout;
    this.secretEnv = Collections.unmodifiableMap(new LinkedHashMap<>(builder.secretEnv));
    List<String> values = new ArrayList<>(secretEnv.values());
    if (password != null) {
      values.add(password);
    }
    if (passphrase != null) {
      values.add(passphrase);
    }
    this.secrets = Secrets.of(values);
    this.login = new SshLogin(privateKey, passphrase, agent, agentSocket, password);
    this.hostKeys = new SshHostKeys(knownHosts, insecureAcceptAnyHostKey);
    this.connector = new SshConnector(user, login, hostKeys, connectTimeout);
    this.exec = new SshExec(connectTimeout, commandTimeout, secretEnv, secrets);
  }

  /**
   * A builder; {@code user}, {@code command}, authentication and {@code knownHosts} are required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder that starts from this step's settings, secrets included.
   *
   * @return a new builder with this step's settings
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The values of {@code secretEnv}, the password and the passphrase. */
  @Override
  public Secrets secrets() {
    return secrets;
  }

  @Override
  public void run(StepContext context) throws InterruptedException {
    HostAndPort address;
    try {
      address = HostAndPort.parse(context.host(), port);
    } catch (IllegalArgumentException e) {
      throw new SshException(Kind.OTHER, "cannot connect: " + e.getMessage(), e);
    }
    String line = command.apply(context.host());
    Session session;
    try {
      session = connector.connect(address);
    } catch (SshException e) {
      throw masked(e);
    }
    try {
      exec.run(session, line, address, context);
    } catch (SshException e) {
      throw masked(e);
    } catch (ShuntTimeoutException e) {
      throw new ShuntTimeoutException(secrets.mask(e.getMessage()), e.timeout());
    } finally {
      session.disconnect();
    }
  }

  /** {@code e}, or the same failure with its message masked when it shows a secret. */
  private SshException masked(SshException e) {
    String message = secrets.mask(e.getMessage());
    return message.equals(e.getMessage()) ? e : new SshException(e.kind(), message, e.getCause());
  }

  /**
   * Checks, without connecting, that the host names a valid port, that its name resolves, and
   * (unless host keys are not checked) that {@code knownHosts} holds a key for it, under the
   * name SSH will look for ({@code host}, or {@code [host]:port} for another port than 22).
   */
  @Override
  public List<PreflightProblem> preflight(PreflightContext context) {
    HostAndPort address;
    try {
      address = HostAndPort.parse(context.host(), port);
    } catch (IllegalArgumentException e) {
      return List.of(context.error(name, e.getMessage()));
    }
    List<PreflightProblem> problems = new ArrayList<>();
    HostNames.unresolved(address.host()).ifPresent(problem -> problems.add(context.error(name, "SSH: " + problem)));
    hostKeys.preflightProblem(address).ifPresent(problem -> problems.add(context.error(name, problem)));
    return problems;
  }

  @Override
  public String name() {
    return name;
  }

  /** Its time limit is the connect timeout plus the command timeout; no secret is shown. */
  @Override
  public StepDescription describe() {
    StepDescription description = StepDescription.of(name, StepDescription.Kind.COMMAND)
        .withTimeout(connectTimeout.plus(commandTimeout))
        .with("command", secrets.mask(commandTemplate != null ? commandTemplate : command.apply("{host}")))
        .with("target", user + "@{host}:" + port)
        .with("hostKeys", hostKeys.describe())
        .with("connectTimeout", connectTimeout).with("commandTimeout", commandTimeout);
    return secretEnv.isEmpty() ? description : description.with("secretEnv", secretEnv.keySet());
  }

  /** The settings, with {@code ***} in place of the password and the passphrase. */
  @Override
  public String toString() {
    List<String> settings = login.settings();
    settings.add(hostKeys.toString());
    settings.add("connectTimeout=" + connectTimeout);
    settings.add("commandTimeout=" + commandTimeout);
    if (!secretEnv.isEmpty()) {
      settings.add("secretEnv=" + secretEnv.keySet());
    }
    String line = secrets.mask(commandTemplate != null ? commandTemplate : command.apply("{host}"));
    return name + "(" + user + "@{host}:" + port + " '" + line + "', " + String.join(", ", settings) + ")";
  }

  /**
   * Configures an {@link SshCommandStep}. Not thread-safe. Each setter checks its value as it is given and throws
   * {@link IllegalArgumentException} naming the field, the value and the rule; {@link #build()}
   * checks what is missing and the fields that depend on each other.
   */
  public static final class Builder {
    private String name = "ssh";
    private String user;
    private int port = 22;
    private String commandTemplate;
    private Function<String, String> command;
    private Path privateKey;
    private String passphrase;
    private boolean agent;
    private Path agentSocket;
    private String password;
    private Path knownHosts;
    private boolean insecureAcceptAnyHostKey;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration commandTimeout = Duration.ofMinutes(5);
    private final Map<String, String> secretEnv = new LinkedHashMap<>();

    private Builder() {}

    private Builder(SshCommandStep step) {
      this.name = step.name;
      this.user = step.user;
      this.port = step.port;
      this.commandTemplate = step.commandTemplate;
      this.command = step.command;
      this.privateKey = step.privateKey;
      this.passphrase = step.passphrase;
      this.agent = step.agent;
      this.agentSocket = step.agentSocket;
      this.password = step.password;
      this.knownHosts = step.knownHosts;
      this.insecureAcceptAnyHostKey = step.insecureAcceptAnyHostKey;
      this.connectTimeout = step.connectTimeout;
      this.commandTimeout = step.commandTimeout;
      this.secretEnv.putAll(step.secretEnv);
    }

    /**
     * The step's name in progress lines and reports, e.g. {@code restart}.
     *
     * @param name the step's name; not blank
     * @return this builder
     */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was " + quoted(name));
      }
      this.name = name;
      return this;
    }

    /**
     * The user to log in as.
     *
     * @param user the remote user's name
     * @return this builder
     */
    public Builder user(String user) {
      if (user == null || user.isBlank()) {
        throw new IllegalArgumentException("user must not be blank, was " + quoted(user));
      }
      this.user = user;
      return this;
    }

    /**
     * The SSH port, for hosts that do not name their own ({@code web-1:2222}).
     *
     * @param port from 1 to 65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be from 1 to 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The shell line to run; {@code {host}} in it is replaced by the host. Quote it for the remote
     * shell: it is run as written.
     *
     * @param line the shell line, with {@code {host}} replaced
     * @return this builder
     */
    public Builder command(String line) {
      if (line == null) {
        throw new IllegalArgumentException("command must be set, was null");
      }
      if (line.isBlank()) {
        throw new IllegalArgumentException("command must not be blank, was " + quoted(line));
      }
      this.commandTemplate = line;
      this.command = host -> line.replace("{host}", host);
      return this;
    }

    /**
     * The shell line to run on a host, computed.
     *
     * @param command gives the shell line for a host
     * @return this builder
     */
    public Builder command(Function<String, String> command) {
      if (command == null) {
        throw new IllegalArgumentException("command must be set, was null");
      }
      this.commandTemplate = null;
      this.command = command;
      return this;
    }

    /**
     * Logs in with the private key in this file; the key must not be encrypted.
     *
     * @param file the private key's file
     * @return this builder
     */
    public Builder privateKey(Path file) {
      return privateKey(file, null);
    }

    /**
     * Logs in with the private key in this file, decrypted with {@code passphrase} (null: not encrypted).
     *
     * @param file the private key's file
     * @param passphrase the key's passphrase, or null
     * @return this builder
     */
    public Builder privateKey(Path file, String passphrase) {
      this.privateKey = file;
      this.passphrase = passphrase;
      return this;
    }

    /**
     * Logs in with the keys of the ssh-agent that {@code SSH_AUTH_SOCK} names when the step runs.
     * Talks to the agent over the JDK's own UNIX domain sockets: no native library needed.
     *
     * @return this builder
     */
    public Builder agent() {
      this.agent = true;
      this.agentSocket = null;
      return this;
    }

    /**
     * Logs in with the keys of the ssh-agent listening on this UNIX domain socket.
     *
     * @param socket the agent's socket
     * @return this builder
     */
    public Builder agent(Path socket) {
      this.agent = true;
      this.agentSocket = socket;
      return this;
    }

    /**
     * Logs in with this password (after any key was refused).
     *
     * @param password the user's password; masked in all output
     * @return this builder
     */
    public Builder password(String password) {
      if (password != null && password.isEmpty()) {
        throw new IllegalArgumentException("password must not be empty, was ''");
      }
      this.password = password;
      return this;
    }

    /**
     * The known_hosts file (OpenSSH format, hashed names allowed) that host keys are checked against.
     *
     * @param file a known_hosts file
     * @return this builder
     */
    public Builder knownHosts(Path file) {
      this.knownHosts = file;
      return this;
    }

    /**
     * Accepts any host key without checking it: anyone between this machine and the host can then
     * read the session and the password. For throw-away test hosts only.
     *
     * @return this builder
     */
    public Builder insecureAcceptAnyHostKey() {
      this.insecureAcceptAnyHostKey = true;
      return this;
    }

    /**
     * How long connecting may take: the TCP connect, the handshake and the login, each.
     *
     * @param connectTimeout positive
     * @return this builder
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Durations.requirePositive("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * How long the command may run before it is killed and the step fails.
     *
     * @param commandTimeout positive
     * @return this builder
     */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = Durations.requirePositive("commandTimeout", commandTimeout);
      return this;
    }

    /**
     * Exports the variable {@code name} with {@code value} to the command on the host, sent over
     * stdin (see the class comment), and masks {@code value} in everything the step and its
     * rollout write: e.g. {@code .secretEnv("TOKEN", System.getenv("DEPLOY_TOKEN"))} with the line
     * {@code deploy --token-from-env TOKEN}. Repeatable; a name given again replaces its value.
     *
     * @param name the variable's name
     * @param value its value, masked in all output
     * @return this builder
     */
    public Builder secretEnv(String name, String value) {
      SecretEnv.requireValid(name, value);
      if (value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("secretEnv " + name + " must not hold a line break or NUL over SSH,"
            + " was a value with one (its value is not shown)");
      }
      secretEnv.put(name, value);
      return this;
    }

    /**
     * Validates and builds the step.
     *
     * @return a new, immutable step
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public SshCommandStep build() {
      if (user == null) {
        throw new IllegalArgumentException("user must not be blank, was null");
      }
      if (command == null) {
        throw new IllegalArgumentException("command must be set, was null");
      }
      if (privateKey == null && !agent && password == null) {
        throw new IllegalArgumentException(
            "authentication must be set, was none: call privateKey(file), agent() or password(password)");
      }
      if (privateKey != null && agent) {
        throw new IllegalArgumentException("privateKey and agent must not both be set, was privateKey=" + privateKey
            + " and agent=" + (agentSocket == null ? "SSH_AUTH_SOCK" : agentSocket) + ": choose one");
      }
      if (knownHosts == null && !insecureAcceptAnyHostKey) {
        throw new IllegalArgumentException("knownHosts must be set, was null: host keys are checked against a"
            + " known_hosts file (call insecureAcceptAnyHostKey() only for throw-away test hosts)");
      }
      if (knownHosts != null && insecureAcceptAnyHostKey) {
        throw new IllegalArgumentException("knownHosts must not be set with insecureAcceptAnyHostKey(), was "
            + knownHosts + ": choose one");
      }
      return new SshCommandStep(this);
    }

    private static String quoted(String value) {
      return value == null ? null : "'" + value + "'";
    }
  }
}
