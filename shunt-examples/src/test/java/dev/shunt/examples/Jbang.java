package dev.shunt.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * JBang ({@code dev.jbang:jbang-cli}, main class {@code dev.jbang.Main}) in a child JVM on this
 * test's class path: offline, its cache under {@code target/jbang}. Scripts resolve their
 * {@code //DEPS} on {@code dev.shunt} modules, and {@code shunt-bom} that gives their version, from
 * {@code ~/.m2} (or {@code $JBANG_REPO}), where {@code ./mvnw install} puts them.
 */
final class Jbang {
  /** The example scripts, beside this module's sources. */
  static final Path SCRIPTS = Path.of("jbang").toAbsolutePath();
  private static final Path HOME = Path.of("target", "jbang").toAbsolutePath();
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final String VERSION = "0.1.0-SNAPSHOT";
  private static final List<String> MODULES = List.of("shunt-core", "shunt-hazelcast", "shunt-workflow");
  /** What {@code jbang run} exits with after printing the java command line its shell wrapper would run. */
  private static final int PRINTED_COMMAND = 255;

  /** What a process returned and printed. */
  record Outcome(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Jbang() {}

  /**
   * Fails, saying what to run, unless every module the scripts depend on is in {@code ~/.m2} and
   * no older than the classes this build compiled for it.
   */
  static void requireInstalledModules() {
    installProblem(repository()).ifPresent(problem -> fail(problem));
  }

  /** The Maven repository JBang resolves from: {@code $JBANG_REPO} when set, as in JBang, else {@code ~/.m2/repository}. */
  private static Path repository() {
    String jbangRepo = System.getenv("JBANG_REPO");
    return jbangRepo != null && !jbangRepo.isBlank() ? Path.of(jbangRepo)
        : Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  /** What keeps the scripts from resolving this build's modules from the Maven repository {@code repository}. */
  static Optional<String> installProblem(Path repository) {
    for (String module : MODULES) {
      Path jar = repository.resolve(Path.of("dev", "shunt", module, VERSION, module + "-" + VERSION + ".jar"));
      if (!Files.isRegularFile(jar)) {
        return Optional.of(jar + " is missing: the JBang scripts resolve the " + module + " " + VERSION + " they"
            + " declare from ~/.m2; run the tests with `./mvnw -B install`, which installs it before shunt-examples"
            + " is tested");
      }
      Path classes = Path.of("..", module, "target", "classes");
      if (newest(classes).compareTo(modified(jar)) > 0) {
        return Optional.of(jar + " is older than " + classes.toAbsolutePath().normalize() + ": the JBang scripts"
            + " would use the stale one; run the tests with `./mvnw -B install`, which installs it before"
            + " shunt-examples is tested");
      }
    }
    Path bom = repository.resolve(Path.of("dev", "shunt", "shunt-bom", VERSION, "shunt-bom-" + VERSION + ".pom"));
    if (!Files.isRegularFile(bom)) {
      return Optional.of(bom + " is missing: the JBang scripts take the versions of shunt's modules from shunt-bom "
          + VERSION + " in ~/.m2; run the tests with `./mvnw -B install`, which installs it before shunt-examples"
          + " is tested");
    }
    Path bomSource = Path.of("..", "shunt-bom", "pom.xml");
    if (Files.isRegularFile(bomSource) && mismatch(bomSource, bom)) {
      return Optional.of(bom + " differs from " + bomSource.toAbsolutePath().normalize() + ": the JBang scripts would"
          + " use the stale one; run the tests with `./mvnw -B install`, which installs it before shunt-examples is"
          + " tested");
    }
    return Optional.empty();
  }

  /** {@code jbang build --fresh SCRIPT}: resolves and compiles it anew. */
  static Outcome build(Path script) {
    return execute(jbang("build", "--fresh", script.toString()));
  }

  /**
   * Runs {@code script} with {@code args} as {@code jbang SCRIPT ARGS} would: asks {@code jbang run}
   * for the java command line (compiling the script if its cache holds no build of it), then runs
   * that line with {@code sh}.
   */
  static Outcome run(Path script, String... args) {
    List<String> command = jbang("run", script.toString());
    command.addAll(List.of(args));
    Outcome printed = execute(command);
    List<String> lines = printed.out().lines().filter(line -> !line.isBlank()).toList();
    if (printed.exit() != PRINTED_COMMAND || lines.isEmpty()) {
      fail("jbang run did not print the command line to run " + script + ":\n" + printed);
    }
    return execute(List.of("sh", "-c", "exec " + lines.get(lines.size() - 1)));
  }

  private static List<String> jbang(String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", HaproxyRequirement.classpath(), "dev.jbang.Main", "--offline"));
    command.addAll(List.of(args));
    return command;
  }

  private static Outcome execute(List<String> command) {
    Path out = null;
    Path err = null;
    try {
      Files.createDirectories(HOME);
      out = Files.createTempFile(HOME, "out", ".txt");
      err = Files.createTempFile(HOME, "err", ".txt");
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().put("JBANG_DIR", HOME.toString());
      Process process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        fail(command + " did not finish within " + TIMEOUT + ":\n" + Files.readString(out) + Files.readString(err));
      }
      return new Outcome(process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a leftover under target/ does no harm
      }
    }
  }

  private static FileTime newest(Path directory) {
    if (!Files.isDirectory(directory)) {
      return FileTime.fromMillis(0);
    }
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).map(Jbang::modified).max(FileTime::compareTo)
          .orElse(FileTime.fromMillis(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the installed copy of a POM differs from its source (install keeps a POM as it is). */
  private static boolean mismatch(Path source, Path installed) {
    try {
      return Files.mismatch(source, installed) != -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
