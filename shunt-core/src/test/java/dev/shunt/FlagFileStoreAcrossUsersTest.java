package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shunt.testing.FlagFileStoreTool;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real users on one store, as on a host where the deploy tool runs as root and the app as its
 * own user: root writes with a umask of 077, {@code nobody} (group {@code nogroup}, the store's
 * group) reads. Runs as root, here and in CI; skipped, saying why, only when not root.
 */
class FlagFileStoreAcrossUsersTest {
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  @TempDir
  Path base;

  private Path store;

  @BeforeEach
  void createStoreSharedWithNogroup() throws IOException {
    FlagFileModesTest.assumeRoot("only root can act as a second user");
    assertTrue(Files.isExecutable(SETPRIV), SETPRIV + " (util-linux) is needed to run the app side as nobody");
    // nobody must reach the store through the test's own directory, but need not list it.
    Files.setAttribute(base, "unix:mode", 0711);
    store = Files.createDirectory(base.resolve("flags"));
    GroupPrincipal nogroup = store.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("nogroup");
    Files.getFileAttributeView(store, PosixFileAttributeView.class).setGroup(nogroup);
    Files.setAttribute(store, "unix:mode", 02770);
  }

  @Test
  void appRunningAsAnotherUserReadsTheShuntAndMaintenanceRootWroteUnderUmask077() throws Exception {
    run(List.of("sh", "-c", "umask 077 && exec \"$@\"", "sh"), "deploy");

    List<String> app = run(List.of(SETPRIV.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups"), "app");

    assertThat(app).containsExactly("shunted", "maintenance on");
  }

  @Test
  void rootReadsTheReportsTheAppWroteAndUnshuntsRemovingThem() throws Exception {
    run(List.of("sh", "-c", "umask 077 && exec \"$@\"", "sh"), "deploy");
    run(List.of(SETPRIV.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups"), "app");
    StatusStore root = StatusStore.flagFiles(store);
    InstanceKey web1 = InstanceKey.of("checkout", "web-1");

    assertThat(root.reports(web1)).singleElement().satisfies(report -> assertThat(report.nacked()).isTrue());
    root.unshunt(web1);
    assertThat(root.reports(web1)).isEmpty();
  }

  @Test
  void userWhoCannotReadTheShuntFlagIsToldSoInsteadOfInRotation() throws Exception {
    run(List.of("sh", "-c", "umask 077 && exec \"$@\"", "sh"), "deploy");
    Path flag = store.resolve("checkout").resolve("web-1.shunt");
    Files.setAttribute(flag, "unix:mode", 0600);

    List<String> app = run(List.of(SETPRIV.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups"), "status");

    assertThat(app).singleElement().satisfies(line -> assertThat(line)
        .startsWith("cannot read shunt flag " + flag + ": permission denied; it may be set")
        .contains("'Flag files' in docs/HEALTH.md"));
  }

  /** Runs {@link FlagFileStoreTool} {@code command} on the store behind {@code prefix}; its standard output. */
  private List<String> run(List<String> prefix, String command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(prefix);
    line.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:-UsePerfData", "-Xmx64m", "-cp", classPath(), FlagFileStoreTool.class.getName(),
        command, store.toString(), "checkout", "web-1"));
    Process process = new ProcessBuilder(line).directory(base.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", line).isTrue();
    assertThat(process.exitValue()).as("exit status of %s", line).isZero();
    return new String(output, StandardCharsets.UTF_8).lines().toList();
  }

  /**
   * shunt-core's classes and test classes, copied where nobody can read them: the build's own
   * directory may be under a home that only root can enter.
   */
  private String classPath() throws IOException {
    return copyForEveryone(StatusStore.class, "main") + File.pathSeparator
        + copyForEveryone(FlagFileStoreTool.class, "test");
  }

  private Path copyForEveryone(Class<?> type, String name) throws IOException {
    Path from;
    try {
      from = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Path to = base.resolve("classes-" + name);
    if (Files.exists(to)) {
      return to;
    }
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path copy = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
          Files.setAttribute(copy, "unix:mode", 0755);
        } else {
          Files.copy(file, copy);
          Files.setAttribute(copy, "unix:mode", 0644);
        }
      }
    }
    return to;
  }
}
