package dev.shunt.workflow;

import static dev.shunt.workflow.TestSshServer.PASSWORD;
import static dev.shunt.workflow.TestSshServer.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import dev.shunt.ShuntTimeoutException;
import dev.shunt.workflow.SshException.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link SshCommandStep} against a real SSH server in this JVM that runs the real {@code /bin/sh}. */
class SshCommandStepTest {
  private static final String PASSPHRASE = "open-sesame-passphrase";

  @TempDir
  static Path serverDir;

  private static TestSshServer server;
  private static Path knownHosts;
  private static Path encryptedKey;
  private static Path plainKey;

  @TempDir
  Path dir;

  private final RecordingContext context = RecordingContext.forHost("127.0.0.1");

  /** Processes a test started on the server; killed after each test whatever happened. */

  @BeforeAll
  static void startServer() throws Exception {
    JSch jsch = new JSch();
    KeyPair encrypted = KeyPair.genKeyPair(jsch, KeyPair.ECDSA, 256);
    KeyPair plain = KeyPair.genKeyPair(jsch, KeyPair.ECDSA, 256);
    encryptedKey = writePrivateKey(encrypted, "id_ecdsa_encrypted", PASSPHRASE.getBytes(StandardCharsets.UTF_8));
    plainKey = writePrivateKey(plain, "id_ecdsa", null);
    Path authorizedKeys = serverDir.resolve("authorized_keys");
    try (OutputStream out = Files.newOutputStream(authorizedKeys)) {
      encrypted.writePublicKey(out, "encrypted");
      plain.writePublicKey(out, "plain");
    }
    server = TestSshServer.start(serverDir, authorizedKeys);
    knownHosts = server.writeKnownHosts(serverDir.resolve("known_hosts"), server.hostKey());
  }

  /** Writes a private key in OpenSSH's own format, as {@code ssh-keygen -t ecdsa} does, readable by its owner only. */
  private static Path writePrivateKey(KeyPair key, String name, byte[] passphrase) throws Exception {
    Path file = serverDir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      key.writeOpenSSHv1PrivateKey(out, passphrase);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @RegisterExtension
  final StartedProcesses processes = new StartedProcesses();

  /** A step that logs in with the password and checks the host key against the right known_hosts. */
  private static SshCommandStep.Builder ssh(String command) {
    return SshCommandStep.builder().user(USER).port(server.port()).password(PASSWORD).knownHosts(knownHosts)
        .command(command).commandTimeout(Duration.ofSeconds(10));
  }

  /** The same, without credentials. */
  private static SshCommandStep.Builder sshWithoutCredentials(String command) {
    return SshCommandStep.builder().user(USER).port(server.port()).knownHosts(knownHosts).command(command);
  }

  private long pidIn(Path file) throws Exception {
    return processes.pidIn(file, Duration.ofSeconds(5));
  }

  /** Waits until the step logged {@code line}: the command runs and the step watches it. */
  private void awaitLine(String line) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!context.lines().contains(line)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never logged '" + line + "', got " + context.lines());
      }
      Thread.sleep(10);
    }
  }

  /** Whether the process is gone within a short grace (the server needs a moment to kill it). */
  private static boolean goneSoon(long pid) throws InterruptedException {
    return StartedProcesses.goneWithin(pid, Duration.ofSeconds(3));
  }

  private static SshException sshFailure(Throwable thrown) {
    assertThat(thrown).isInstanceOf(SshException.class);
    return (SshException) thrown;
  }

  @Test
  void aSecretReachesTheRemoteCommandAsAnExportedVariableAndIsMaskedInItsOutput() throws Exception {
    String token = CommandStepSecretsTest.TOKEN;
    ssh("printf %s \"$TOKEN\" | sha256sum | cut -d' ' -f1; sh -c 'echo \"child sees $TOKEN\"'")
        .secretEnv("TOKEN", token).build().run(context);

    assertThat(context.lines()).containsExactly(CommandStepSecretsTest.sha256(token), "child sees ****");
  }

  @Test
  void aFailedRemoteCommandMasksTheSecretAndThePasswordInItsMessage() {
    String token = CommandStepSecretsTest.TOKEN;
    SshCommandStep step = ssh("echo \"refused $TOKEN with $1\" >&2; exit 4").secretEnv("TOKEN", token).build();

    assertThatThrownBy(() -> step.run(context)).isInstanceOf(SshException.class)
        .hasMessageContaining("exited with status 4").hasMessageContaining("refused **** with")
        .hasMessageNotContaining(token);
    assertThat(step.secrets().mask("password " + PASSWORD)).isEqualTo("password ****");
    assertThat(step.describe().toString()).contains("secretEnv=[TOKEN]").doesNotContain(token);
  }

  @Test
  void aSecretWithALineBreakIsRefusedForSsh() {
    assertThatThrownBy(() -> ssh("true").secretEnv("TOKEN", "two\nlines").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secretEnv TOKEN must not hold a line break or NUL over SSH, was a value with one (its value is"
            + " not shown)");
  }

  @Test
  void logsEveryLineOfStdoutAndStderr() throws Exception {
    ssh("for i in 1 2 3; do echo out-$i; echo err-$i >&2; done").build().run(context);

    assertThat(context.lines()).containsExactlyInAnyOrder("out-1", "out-2", "out-3", "err-1", "err-2", "err-3");
    assertThat(context.lines().stream().filter(line -> line.startsWith("out-"))).containsExactly("out-1", "out-2", "out-3");
    assertThat(context.lines().stream().filter(line -> line.startsWith("err-"))).containsExactly("err-1", "err-2", "err-3");
  }

  @Test
  void successfulCommandReportsExitStatusZero() throws Exception {
    ssh("true").build().run(context);

    assertThat(context.outcome()).isEqualTo("exit status 0");
  }

  @Test
  void nonZeroExitFailsWithTheStatusAndTheLastStderrLines() {
    String script = "echo starting; for i in 1 2 3 4 5 6 7; do echo problem-$i >&2; done; echo 'disk full' >&2; exit 3";

    assertThatThrownBy(() -> ssh(script).build().run(context))
        .isInstanceOfSatisfying(SshException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.COMMAND_FAILED);
          assertThat(e.retryable()).isFalse();
        })
        .hasMessageContaining("on 127.0.0.1:" + server.port() + " exited with status 3")
        .hasMessageEndingWith("problem-4 / problem-5 / problem-6 / problem-7 / disk full");
  }

  @Test
  void replacesHostInTheCommand() throws Exception {
    ssh("echo restarting app on {host}").build().run(context);

    assertThat(context.lines()).containsExactly("restarting app on 127.0.0.1");
  }

  @Test
  void runsTheLineThroughTheRemoteShell() throws Exception {
    ssh("x='quoted words'; echo \"$x\" | tr a-z A-Z").build().run(context);

    assertThat(context.lines()).containsExactly("QUOTED WORDS");
  }

  @Test
  void portInTheHostWinsOverThePortSetting() throws Exception {
    RecordingContext hostWithPort = RecordingContext.forHost("127.0.0.1:" + server.port());

    ssh("echo on {host}").port(closedPort()).build().run(hostWithPort);

    assertThat(hostWithPort.lines()).containsExactly("on 127.0.0.1:" + server.port());
  }

  @Test
  void invalidPortInTheHostFailsWithoutConnecting() {
    RecordingContext badHost = RecordingContext.forHost("127.0.0.1:http");

    assertThatThrownBy(() -> ssh("true").build().run(badHost))
        .satisfies(thrown -> assertThat(sshFailure(thrown).kind()).isEqualTo(Kind.OTHER))
        .hasMessageContaining("host '127.0.0.1:http' names port 'http'");
  }

  @Test
  void commandReadingStdinSeesEndOfInputAtOnce() throws Exception {
    ssh("cat; echo stdin closed").commandTimeout(Duration.ofSeconds(3)).build().run(context);

    assertThat(context.lines()).containsExactly("stdin closed");
  }

  @Test
  void logsInWithAPassword() throws Exception {
    sshWithoutCredentials("echo hello").password(PASSWORD).build().run(context);

    assertThat(context.lines()).containsExactly("hello");
  }

  @Test
  void logsInWithAPrivateKey() throws Exception {
    sshWithoutCredentials("echo hello").privateKey(plainKey).build().run(context);

    assertThat(context.lines()).containsExactly("hello");
  }

  @Test
  void logsInWithAnEncryptedPrivateKeyAndItsPassphrase() throws Exception {
    sshWithoutCredentials("echo hello").privateKey(encryptedKey, PASSPHRASE).build().run(context);

    assertThat(context.lines()).containsExactly("hello");
  }

  @Test
  void logsInWithTheKeysOfAnSshAgent() throws Exception {
    boolean agentInstalled = onPath("ssh-agent") && onPath("ssh-add");
    if (!agentInstalled && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true but ssh-agent/ssh-add are missing: .ci/run installs openssh-client");
    }
    assumeTrue(agentInstalled, "needs ssh-agent and ssh-add (Debian: apt-get install -y openssh-client); skipped");
    Path socket = dir.resolve("agent.sock");
    Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!Files.exists(socket) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      ProcessBuilder add = new ProcessBuilder("ssh-add", plainKey.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      add.environment().put("SSH_AUTH_SOCK", socket.toString());
      assertThat(add.start().waitFor()).as("ssh-add exit status").isZero();

      sshWithoutCredentials("echo hello").agent(socket).build().run(context);

      assertThat(context.lines()).containsExactly("hello");
    } finally {
      agent.destroy();
    }
  }

  private static boolean onPath(String program) {
    return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }

  @Test
  void wrongPasswordFailsAsAuthFailedNotRetryableWithoutThePassword() {
    String wrong = "wrong-password-123";

    assertThatThrownBy(() -> sshWithoutCredentials("true").password(wrong).build().run(context))
        .satisfies(thrown -> {
          SshException e = sshFailure(thrown);
          assertThat(e.kind()).isEqualTo(Kind.AUTH_FAILED);
          assertThat(e.retryable()).isFalse();
        })
        .hasMessage("cannot log in to 127.0.0.1:" + server.port() + " as deploy: the server refused the password")
        .satisfies(thrown -> assertThat(stackTraceOf(thrown)).doesNotContain(wrong));
  }

  @Test
  void wrongPassphraseFailsAsAuthFailedWithoutThePassphrase() {
    String wrong = "wrong-passphrase-456";

    assertThatThrownBy(() -> sshWithoutCredentials("true").privateKey(encryptedKey, wrong).build().run(context))
        .satisfies(thrown -> assertThat(sshFailure(thrown).kind()).isEqualTo(Kind.AUTH_FAILED))
        .hasMessageContaining("cannot use private key " + encryptedKey)
        .satisfies(thrown -> assertThat(stackTraceOf(thrown)).doesNotContain(wrong));
  }

  @Test
  void encryptedKeyWithoutPassphraseFailsAsAuthFailed() {
    assertThatThrownBy(() -> sshWithoutCredentials("true").privateKey(encryptedKey).build().run(context))
        .satisfies(thrown -> assertThat(sshFailure(thrown).kind()).isEqualTo(Kind.AUTH_FAILED))
        .hasMessageContaining("private key " + encryptedKey + " is encrypted");
  }

  private static String stackTraceOf(Throwable thrown) {
    StringWriter text = new StringWriter();
    thrown.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

  @Test
  void unknownHostKeyFailsAsHostKeyUnknownNamingTheHostTheFingerprintAndTheFix() throws Exception {
    Path empty = Files.createFile(dir.resolve("known_hosts"));

    assertThatThrownBy(() -> ssh("true").knownHosts(empty).build().run(context))
        .satisfies(thrown -> {
          SshException e = sshFailure(thrown);
          assertThat(e.kind()).isEqualTo(Kind.HOST_KEY_UNKNOWN);
          assertThat(e.retryable()).isFalse();
        })
        .hasMessageStartingWith("unknown host key for 127.0.0.1:" + server.port())
        .hasMessageContaining(server.hostKeyFingerprint())
        .hasMessageContaining(empty + " has no key for it")
        .hasMessageEndingWith("ssh-keyscan -p " + server.port() + " 127.0.0.1 >> " + empty);
    assertThat(Files.readString(empty)).as("the key is never added").isEmpty();
  }

  @Test
  void missingKnownHostsFileFailsAsHostKeyUnknown() {
    Path missing = dir.resolve("no-such-known_hosts");

    assertThatThrownBy(() -> ssh("true").knownHosts(missing).build().run(context))
        .satisfies(thrown -> assertThat(sshFailure(thrown).kind()).isEqualTo(Kind.HOST_KEY_UNKNOWN))
        .hasMessageContaining(missing + " does not exist");
    assertThat(missing).doesNotExist();
  }

  @Test
  void changedHostKeyFailsAsHostKeyChanged() throws Exception {
    Path stale = server.writeKnownHosts(dir.resolve("known_hosts"), server.otherHostKey().getPublic());
    String before = Files.readString(stale);

    assertThatThrownBy(() -> ssh("true").knownHosts(stale).build().run(context))
        .satisfies(thrown -> {
          SshException e = sshFailure(thrown);
          assertThat(e.kind()).isEqualTo(Kind.HOST_KEY_CHANGED);
          assertThat(e.retryable()).isFalse();
        })
        .hasMessageStartingWith("host key for 127.0.0.1:" + server.port() + " has CHANGED")
        .hasMessageContaining(server.hostKeyFingerprint())
        .hasMessageContaining("ssh-keygen -R '[127.0.0.1]:" + server.port() + "' -f " + stale);
    assertThat(Files.readString(stale)).as("known_hosts untouched").isEqualTo(before);
  }

  @Test
  void insecureAcceptAnyHostKeyConnectsWithoutKnownHosts() throws Exception {
    SshCommandStep.builder().user(USER).port(server.port()).password(PASSWORD).insecureAcceptAnyHostKey()
        .command("echo hello").build().run(context);

    assertThat(context.lines()).containsExactly("hello");
  }

  @Test
  void refusedConnectionFailsAsConnectionRefusedAndIsRetryable() throws Exception {
    int port = closedPort();

    assertThatThrownBy(() -> ssh("true").port(port).build().run(context))
        .satisfies(thrown -> {
          SshException e = sshFailure(thrown);
          assertThat(e.kind()).isEqualTo(Kind.CONNECTION_REFUSED);
          assertThat(e.retryable()).isTrue();
        })
        .hasMessageStartingWith("cannot connect to 127.0.0.1:" + port);
  }

  @Test
  void serverThatNeverAnswersFailsAsConnectTimeoutAndIsRetryable() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      SshCommandStep step = ssh("true").port(silent.getLocalPort()).connectTimeout(Duration.ofMillis(300)).build();
      long start = System.nanoTime();

      assertThatThrownBy(() -> step.run(context))
          .satisfies(thrown -> {
            SshException e = sshFailure(thrown);
            assertThat(e.kind()).isEqualTo(Kind.CONNECT_TIMEOUT);
            assertThat(e.retryable()).isTrue();
          })
          .hasMessage("cannot connect to 127.0.0.1:" + silent.getLocalPort() + ": no answer within PT0.3S");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  /** A port nothing listens on. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void commandRunningPastTheTimeoutIsKilledAndFails() throws Exception {
    Path pidFile = dir.resolve("command.pid");
    SshCommandStep step = ssh("echo $$ > " + pidFile + "; exec sleep 30").commandTimeout(Duration.ofMillis(500)).build();
    long start = System.nanoTime();

    assertThatThrownBy(() -> step.run(context))
        .isInstanceOfSatisfying(ShuntTimeoutException.class,
            e -> assertThat(e.timeout()).isEqualTo(Duration.ofMillis(500)))
        .hasMessageContaining("did not finish within PT0.5S");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(goneSoon(pidIn(pidFile))).as("command process gone on the server").isTrue();
  }

  @Test
  void interruptedCommandIsKilled() throws Exception {
    Path pidFile = dir.resolve("command.pid");
    SshCommandStep step = ssh("echo $$ > " + pidFile + "; echo started; exec sleep 30").build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread runner = new Thread(() -> {
      try {
        step.run(context);
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    runner.start();
    long pid = pidIn(pidFile);
    awaitLine("started");

    runner.interrupt();
    runner.join(2000);

    assertThat(runner.isAlive()).as("step returned after the interrupt").isFalse();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(goneSoon(pid)).as("command process gone on the server").isTrue();
  }

  @Test
  void connectionDroppedWhileTheCommandRunsFailsAsConnectionLostNotRetryable() throws Exception {
    Path pidFile = dir.resolve("command.pid");
    SshCommandStep step = ssh("echo $$ > " + pidFile + "; echo started; exec sleep 30").build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread runner = new Thread(() -> {
      try {
        step.run(context);
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    runner.start();
    pidIn(pidFile);
    awaitLine("started");

    server.dropConnections();
    runner.join(3000);

    assertThat(runner.isAlive()).as("step returned after the drop").isFalse();
    assertThat(thrown.get()).isInstanceOfSatisfying(SshException.class, e -> {
      assertThat(e.kind()).isEqualTo(Kind.CONNECTION_LOST);
      assertThat(e.retryable()).isFalse();
    });
  }
}
