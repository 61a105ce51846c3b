package dev.shunt.workflow.cli;

import dev.shunt.workflow.cli.CliFixture.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the {@code shunt roll} tests share: the command line in this JVM over real HTTP backends on
 * 127.0.0.1, where the restarts (a local command) and the readiness requests write to one log, in
 * the order they happen. {@link #roll} waits 50 ms for drain and rotation (nobody checks the health
 * path) and polls readiness every 50 ms for 1 s.
 */
abstract class RollTestBase {
  @TempDir
  Path directory;

  @TempDir
  Path flags;

  /** The command line and its store; set by {@link #useStore}. */
  CliFixture cli;

  private final List<TestBackend> backends = new CopyOnWriteArrayList<>();

  /** Runs the test's commands on {@code kind}, with flag files in {@link #flags}. */
  void useStore(CliFixture.Store kind) {
    cli = CliFixture.on(kind, flags);
  }

  @AfterEach
  void stopBackends() {
    backends.forEach(TestBackend::close);
  }

  /** A backend answering {@code status}; each request logs {@code ready HOST: shunted HOSTS}. */
  String backend(int status) throws IOException {
    TestBackend backend = TestBackend.start(status, host -> append("ready " + host + ": shunted "
        + backends.stream().map(TestBackend::host).filter(h -> cli.store().status(cli.key(h)).shunted()).toList()));
    backends.add(backend);
    return backend.host();
  }

  /** The backend of {@code host}. */
  TestBackend backendOf(String host) {
    return backends.stream().filter(backend -> backend.host().equals(host)).findFirst().orElseThrow();
  }

  /** What was logged, in order. */
  List<String> events() throws IOException {
    Path log = log();
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  /** The hosts restarted, in order. */
  List<String> restarted() throws IOException {
    return events().stream().filter(line -> line.startsWith("restart ")).map(line -> line.substring(8)).toList();
  }

  /** The restart command: logs {@code restart HOST}. */
  String restartCommand() {
    return "echo restart {host} >> '" + log() + "'";
  }

  /** {@code roll} with the fast settings and {@link #restartCommand()}, then {@code hostsAndOptions}. */
  Result roll(String... hostsAndOptions) {
    return rollWith(restartCommand(), hostsAndOptions);
  }

  /** {@code roll} with the fast settings and {@code restart}, then {@code hostsAndOptions}. */
  Result rollWith(String restart, String... hostsAndOptions) {
    return cli.runOnService(Stream.concat(Stream.of("roll", "--restart", restart, "--ready-url", "http://{host}/",
        "--ready-interval", "50ms", "--ready-timeout", "1s", "--drain-timeout", "50ms", "--rotation-timeout", "50ms"),
        Stream.of(hostsAndOptions)).toArray(String[]::new));
  }

  /** A port on 127.0.0.1 where nothing listens. */
  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private Path log() {
    return directory.resolve("events.log");
  }

  private void append(String line) {
    try {
      Files.writeString(log(), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
