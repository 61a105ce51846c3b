package dev.shunt.workflow.cli;

import dev.shunt.workflow.cli.CliFixture.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * {@code shunt roll} in this JVM over real HTTP backends on 127.0.0.1: the restarts (a local
 * command) and the readiness requests write to one log, in the order they happen. Drain and
 * rotation wait 50 ms (nobody checks the health path), readiness polls every 50 ms for 1 s.
 */
final class RollFixture implements AutoCloseable {
  private final CliFixture cli;
  private final Path log;
  private final List<TestBackend> backends = new CopyOnWriteArrayList<>();

  private RollFixture(CliFixture cli, Path log) {
    this.cli = cli;
    this.log = log;
  }

  /** A fixture on {@code kind}, flag files in {@code flags}, its log in {@code directory}. */
  static RollFixture on(CliFixture.Store kind, Path directory, Path flags) {
    return new RollFixture(CliFixture.on(kind, flags), directory.resolve("events.log"));
  }

  /** The command line and its store. */
  CliFixture cli() {
    return cli;
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
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  /** The hosts restarted, in order. */
  List<String> restarted() throws IOException {
    return events().stream().filter(line -> line.startsWith("restart ")).map(line -> line.substring(8)).toList();
  }

  /** The restart command: logs {@code restart HOST}. */
  String restartCommand() {
    return "echo restart {host} >> '" + log + "'";
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

  private void append(String line) {
    try {
      Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    backends.forEach(TestBackend::close);
  }
}
