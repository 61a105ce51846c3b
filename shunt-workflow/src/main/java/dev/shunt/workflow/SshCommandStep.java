package dev.shunt.workflow;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UnixDomainSocketFactory;
import dev.shunt.ShuntTimeoutException;
import dev.shunt.Step;
import dev.shunt.StepContext;
import dev.shunt.StepDescription;
import dev.shunt.workflow.SshException.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
  private static final long OUTPUT_GRACE_MILLIS = 1000;
  private static final long POLL_MILLIS = 10;
  private static final int KEEPALIVES_MISSED_BEFORE_DISCONNECT = 3;

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
  }

  /** A builder; {@code user}, {@code command}, authentication and {@code knownHosts} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this step's settings, secrets included. */
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
    JSch jsch = new JSch();
    Session session;
    try {
      session = connect(jsch, address);
    } catch (SshException e) {
      throw masked(e);
    }
    try {
      execute(session, line, address, context);
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

  /** What goes to the command's stdin: each secret value on a line, read by the prefix of {@link #remoteLine}. */
  private byte[] secretInput() {
    StringBuilder input = new StringBuilder();
    secretEnv.values().forEach(value -> input.append(value).append('\n'));
    return input.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The line the host runs: the secrets read from stdin and exported, then {@code line}. */
  private String remoteLine(String line) {
    StringBuilder remote = new StringBuilder();
    secretEnv.keySet().forEach(name -> remote.append("IFS= read -r ").append(name).append("; export ").append(name)
        .append("; "));
    return remote.append(line).toString();
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
    if (!insecureAcceptAnyHostKey) {
      String knownName = address.port() == 22 ? address.host() : "[" + address.host() + "]:" + address.port();
      String keyscan = "ssh-keyscan" + (address.port() == 22 ? "" : " -p " + address.port()) + " " + address.host()
          + " >> " + knownHosts;
      if (!Files.isReadable(knownHosts)) {
        problems.add(context.error(name, "SSH host keys: " + knownHosts + (Files.exists(knownHosts)
            ? " cannot be read" : " does not exist") + ", so the host key of " + address + " cannot be checked."
            + " Check the key's fingerprint with the host's owner, then add it: " + keyscan));
      } else {
        try {
          JSch jsch = new JSch();
          jsch.setKnownHosts(knownHosts.toString());
          HostKey[] keys = jsch.getHostKeyRepository().getHostKey(knownName, null);
          if (keys == null || keys.length == 0) {
            problems.add(context.error(name, "SSH host keys: " + knownHosts + " has no key for " + knownName
                + ", so the connection would be refused. Check the key's fingerprint with the host's owner, then add"
                + " it: " + keyscan));
          }
        } catch (JSchException e) {
          problems.add(context.error(name, "SSH host keys: cannot read " + knownHosts + ": " + e.getMessage()));
        }
      }
    }
    return problems;
  }

  private Session connect(JSch jsch, HostAndPort address) {
    List<String> methods = new ArrayList<>();
    if (privateKey != null) {
      addPrivateKey(jsch, address);
      methods.add("publickey");
    }
    if (agent) {
      useAgent(jsch, address);
      methods.add("publickey");
    }
    if (password != null) {
      methods.add("password");
    }
    Session session = null;
    try {
      if (knownHosts != null) {
        jsch.setKnownHosts(knownHosts.toString());
      }
      session = jsch.getSession(user, address.host(), address.port());
      session.setConfig("StrictHostKeyChecking", insecureAcceptAnyHostKey ? "no" : "yes");
      session.setConfig("PreferredAuthentications", String.join(",", methods));
      if (password != null) {
        session.setPassword(password.getBytes(StandardCharsets.UTF_8));
      }
      session.setDaemonThread(true);
      session.setServerAliveInterval(millis(connectTimeout));
      session.setServerAliveCountMax(KEEPALIVES_MISSED_BEFORE_DISCONNECT);
      session.connect(millis(connectTimeout));
      return session;
    } catch (JSchException e) {
      throw connectFailure(e, jsch, session, address);
    }
  }

  private void addPrivateKey(JSch jsch, HostAndPort address) {
    try {
      jsch.addIdentity(privateKey.toString(), passphrase == null ? null : passphrase.getBytes(StandardCharsets.UTF_8));
      for (Identity identity : jsch.getIdentityRepository().getIdentities()) {
        if (identity.isEncrypted()) {
          throw new SshException(Kind.AUTH_FAILED, "cannot log in to " + address + ": private key " + privateKey
              + " is encrypted; give its passphrase with privateKey(path, passphrase)");
        }
      }
    } catch (JSchException e) {
      throw new SshException(Kind.AUTH_FAILED,
          "cannot log in to " + address + ": cannot use private key " + privateKey + ": " + e.getMessage(), e);
    }
  }

  private void useAgent(JSch jsch, HostAndPort address) {
    Path socket = agentSocket;
    if (socket == null) {
      String variable = System.getenv("SSH_AUTH_SOCK");
      if (variable == null || variable.isBlank()) {
        throw new SshException(Kind.AUTH_FAILED,
            "cannot log in to " + address + ": agent() is set but SSH_AUTH_SOCK is not: is ssh-agent running?");
      }
      socket = Path.of(variable);
    }
    SSHAgentConnector connector;
    try {
      connector = new SSHAgentConnector(new UnixDomainSocketFactory(), socket);
    } catch (AgentProxyException e) {
      throw new SshException(Kind.AUTH_FAILED, "cannot log in to " + address + ": cannot reach ssh-agent: " + e.getMessage(), e);
    }
    if (!connector.isAvailable()) {
      throw new SshException(Kind.AUTH_FAILED, "cannot log in to " + address + ": no ssh-agent answers at " + socket);
    }
    jsch.setIdentityRepository(new AgentIdentityRepository(connector));
  }

  private SshException connectFailure(JSchException e, JSch jsch, Session session, HostAndPort address) {
    if (e instanceof JSchHostKeyException) {
      return hostKeyFailure((JSchHostKeyException) e, jsch, session.getHostKey(), address);
    }
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException) {
        boolean timedOut = String.valueOf(cause.getMessage()).contains("timed out");
        return new SshException(timedOut ? Kind.CONNECT_TIMEOUT : Kind.CONNECTION_REFUSED,
            "cannot connect to " + address + ": " + cause.getMessage(), e);
      }
      if (cause instanceof SocketTimeoutException) {
        return new SshException(Kind.CONNECT_TIMEOUT,
            "cannot connect to " + address + ": no answer within " + connectTimeout, e);
      }
      if (cause instanceof UnknownHostException) {
        return new SshException(Kind.UNKNOWN_HOST, "cannot connect to " + address + ": unknown host " + address.host(), e);
      }
      if (cause instanceof IOException) {
        return new SshException(Kind.NETWORK, "cannot connect to " + address + ": " + cause, e);
      }
    }
    String message = String.valueOf(e.getMessage());
    if (message.startsWith("Auth fail") || message.startsWith("Auth cancel")) {
      return new SshException(Kind.AUTH_FAILED,
          "cannot log in to " + address + " as " + user + ": the server refused " + credentials(), e);
    }
    if (message.startsWith("connection is closed by foreign host")) {
      return new SshException(Kind.NETWORK, "cannot connect to " + address + ": the server hung up during the handshake", e);
    }
    return new SshException(Kind.OTHER, "cannot connect to " + address + ": " + message, e);
  }

  /** Says which key the host offered, what known_hosts holds instead, and the command that fixes it. */
  private SshException hostKeyFailure(JSchHostKeyException e, JSch jsch, HostKey offered, HostAndPort address) {
    String key = offered == null ? "a key" : offered.getType() + " key " + offered.getFingerPrint(jsch);
    String keyscan = "ssh-keyscan" + (address.port() == 22 ? "" : " -p " + address.port()) + " " + address.host()
        + " >> " + knownHosts;
    if (e instanceof JSchUnknownHostKeyException) {
      String where = Files.exists(knownHosts) ? knownHosts + " has no key for it" : knownHosts + " does not exist";
      return new SshException(Kind.HOST_KEY_UNKNOWN, "unknown host key for " + address + ": the host offered " + key
          + " and " + where + ". Check that fingerprint with the host's owner, then add the key: " + keyscan, e);
    }
    if (e instanceof JSchChangedHostKeyException) {
      String knownName = address.port() == 22 ? address.host() : "[" + address.host() + "]:" + address.port();
      return new SshException(Kind.HOST_KEY_CHANGED, "host key for " + address + " has CHANGED: the host offered " + key
          + ", not the key " + knownHosts + " holds for it. Someone may be intercepting the connection, or the host was"
          + " reinstalled. Only if the change is expected, replace the old key: ssh-keygen -R '" + knownName + "' -f "
          + knownHosts + " && " + keyscan, e);
    }
    return new SshException(Kind.HOST_KEY_REJECTED, "host key for " + address + " rejected (" + key + "): " + e.getMessage(), e);
  }

  /** Which credentials were offered, for messages: never the secrets themselves. */
  private String credentials() {
    List<String> offered = new ArrayList<>();
    if (privateKey != null) {
      offered.add("private key " + privateKey);
    }
    if (agent) {
      offered.add("the keys of ssh-agent");
    }
    if (password != null) {
      offered.add("the password");
    }
    return String.join(" and ", offered);
  }

  private void execute(Session session, String line, HostAndPort address, StepContext context)
      throws InterruptedException {
    ChannelExec channel;
    OutputPump output;
    try {
      channel = (ChannelExec) session.openChannel("exec");
      if (channel == null) {
        throw new JSchException("the session could not open a channel");
      }
      channel.setCommand(remoteLine(line));
      channel.setInputStream(new ByteArrayInputStream(secretInput()));
      InputStream stdout = channel.getInputStream();
      InputStream stderr = channel.getErrStream();
      channel.connect(millis(connectTimeout));
      output = new OutputPump(stdout, stderr, context, "shunt-ssh-output-" + context.host(), secrets);
    } catch (JSchException | IOException e) {
      if (!session.isConnected()) {
        // The exec request may have reached the server before the connection dropped.
        throw new SshException(Kind.CONNECTION_LOST, "lost the connection to " + address + " while starting '" + line
            + "'; it may have run", e);
      }
      throw new SshException(Kind.OTHER, "cannot start '" + line + "' on " + address + ": " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + commandTimeout.toNanos();
    long outputDeadline = 0;
    try {
      while (!channel.isClosed()) {
        long now = System.nanoTime();
        if (channel.getExitStatus() != -1) {
          if (outputDeadline == 0) {
            outputDeadline = now + TimeUnit.MILLISECONDS.toNanos(OUTPUT_GRACE_MILLIS);
          } else if (now - outputDeadline >= 0) {
            break;
          }
        }
        if (now - deadline >= 0) {
          stop(channel, output);
          throw new ShuntTimeoutException("'" + line + "' on " + address + " did not finish within " + commandTimeout
              + "; killed it and closed the connection", commandTimeout);
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      stop(channel, output);
      throw e;
    }
    if (outputDeadline == 0) {
      outputDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OUTPUT_GRACE_MILLIS);
    }
    output.awaitEnd(outputDeadline);
    output.close();
    int exit = channel.getExitStatus();
    channel.disconnect();
    if (exit == -1 && !session.isConnected()) {
      throw new SshException(Kind.CONNECTION_LOST,
          "lost the connection to " + address + " while '" + line + "' ran; it may have run in part" + output.lastErrors());
    }
    if (exit == -1) {
      String signal = channel.getExitSignal();
      throw new SshException(Kind.COMMAND_FAILED, "'" + line + "' on " + address + " ended without an exit status"
          + (signal == null ? "" : " (killed by signal " + signal + ")") + output.lastErrors());
    }
    if (exit != 0) {
      throw new SshException(Kind.COMMAND_FAILED,
          "'" + line + "' on " + address + " exited with status " + exit + output.lastErrors());
    }
    context.outcome("exit status 0");
  }

  /** Asks the server to kill the command, then closes the channel: best effort, the session goes next. */
  private static void stop(ChannelExec channel, OutputPump output) {
    output.close();
    try {
      channel.sendSignal("KILL");
    } catch (Exception e) {
      // The server may not take signals, or the channel is gone already: closing it is what counts.
    }
    channel.disconnect();
  }

  /** Milliseconds for JSch, where 0 means "no limit": a positive duration stays at least 1 ms. */
  private static int millis(Duration duration) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
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
        .with("hostKeys", insecureAcceptAnyHostKey ? "ANY (insecure)" : knownHosts)
        .with("connectTimeout", connectTimeout).with("commandTimeout", commandTimeout);
    return secretEnv.isEmpty() ? description : description.with("secretEnv", secretEnv.keySet());
  }

  /** The settings, with {@code ***} in place of the password and the passphrase. */
  @Override
  public String toString() {
    List<String> settings = new ArrayList<>();
    if (privateKey != null) {
      settings.add("privateKey=" + privateKey + (passphrase == null ? "" : ", passphrase=***"));
    }
    if (agent) {
      settings.add("agent=" + (agentSocket == null ? "SSH_AUTH_SOCK" : agentSocket));
    }
    if (password != null) {
      settings.add("password=***");
    }
    settings.add(insecureAcceptAnyHostKey ? "insecureAcceptAnyHostKey" : "knownHosts=" + knownHosts);
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

    /** The step's name in progress lines and reports, e.g. {@code restart}. */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was " + quoted(name));
      }
      this.name = name;
      return this;
    }

    /** The user to log in as. */
    public Builder user(String user) {
      if (user == null || user.isBlank()) {
        throw new IllegalArgumentException("user must not be blank, was " + quoted(user));
      }
      this.user = user;
      return this;
    }

    /** The SSH port, for hosts that do not name their own ({@code web-1:2222}). */
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

    /** The shell line to run on a host, computed. */
    public Builder command(Function<String, String> command) {
      if (command == null) {
        throw new IllegalArgumentException("command must be set, was null");
      }
      this.commandTemplate = null;
      this.command = command;
      return this;
    }

    /** Logs in with the private key in this file; the key must not be encrypted. */
    public Builder privateKey(Path file) {
      return privateKey(file, null);
    }

    /** Logs in with the private key in this file, decrypted with {@code passphrase} (null: not encrypted). */
    public Builder privateKey(Path file, String passphrase) {
      this.privateKey = file;
      this.passphrase = passphrase;
      return this;
    }

    /**
     * Logs in with the keys of the ssh-agent that {@code SSH_AUTH_SOCK} names when the step runs.
     * Talks to the agent over the JDK's own UNIX domain sockets: no native library needed.
     */
    public Builder agent() {
      this.agent = true;
      this.agentSocket = null;
      return this;
    }

    /** Logs in with the keys of the ssh-agent listening on this UNIX domain socket. */
    public Builder agent(Path socket) {
      this.agent = true;
      this.agentSocket = socket;
      return this;
    }

    /** Logs in with this password (after any key was refused). */
    public Builder password(String password) {
      if (password != null && password.isEmpty()) {
        throw new IllegalArgumentException("password must not be empty, was ''");
      }
      this.password = password;
      return this;
    }

    /** The known_hosts file (OpenSSH format, hashed names allowed) that host keys are checked against. */
    public Builder knownHosts(Path file) {
      this.knownHosts = file;
      return this;
    }

    /**
     * Accepts any host key without checking it: anyone between this machine and the host can then
     * read the session and the password. For throw-away test hosts only.
     */
    public Builder insecureAcceptAnyHostKey() {
      this.insecureAcceptAnyHostKey = true;
      return this;
    }

    /** How long connecting may take: the TCP connect, the handshake and the login, each. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Durations.requirePositive("connectTimeout", connectTimeout);
      return this;
    }

    /** How long the command may run before it is killed and the step fails. */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = Durations.requirePositive("commandTimeout", commandTimeout);
      return this;
    }

    /**
     * Exports the variable {@code name} with {@code value} to the command on the host, sent over
     * stdin (see the class comment), and masks {@code value} in everything the step and its
     * rollout write: e.g. {@code .secretEnv("TOKEN", System.getenv("DEPLOY_TOKEN"))} with the line
     * {@code deploy --token-from-env TOKEN}. Repeatable; a name given again replaces its value.
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
