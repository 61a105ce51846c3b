package dev.shunt.workflow;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real browser for the HTML report's tests: Debian's {@code chromium}, headless. Under
 * {@code CI=true} a missing one fails the test; elsewhere the test is skipped, saying how to
 * install it. Each call starts a browser of its own with a profile in {@code target/}.
 */
final class HeadlessChromium {
  private static final long TIMEOUT_SECONDS = 120;

  private final Path executable;
  private final Path work;

  private HeadlessChromium(Path executable, Path work) {
    this.executable = executable;
    this.work = work;
  }

  /** The browser, working in {@code work}; or a failed (CI) or skipped (elsewhere) test. */
  static HeadlessChromium in(Path work) throws IOException {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin";
    Optional<Path> found = Arrays.stream(path.split(":")).filter(dir -> !dir.isEmpty())
        .flatMap(dir -> List.of(Path.of(dir, "chromium"), Path.of(dir, "chromium-browser")).stream())
        .filter(Files::isExecutable).findFirst();
    if (found.isEmpty() && "true".equals(System.getenv("CI"))) {
      fail("chromium is not installed, and CI=true: install it with `apt-get install -y chromium` (.ci/run does this)");
    }
    assumeTrue(found.isPresent(), "chromium is not installed: this test needs it (apt-get install -y chromium); skipped");
    Files.createDirectories(work);
    return new HeadlessChromium(found.get(), work);
  }

  /** What the browser made of a page: its DOM after its scripts ran, and what it logged. */
  record Visit(String dom, String log) {
    /** The console messages of the page that report an error nobody caught. */
    List<String> uncaughtErrors() {
      return log.lines().filter(line -> line.contains(":CONSOLE") && line.contains("Uncaught")).toList();
    }
  }

  /** Opens {@code page} and returns its DOM once loaded, with the browser's log (its console included). */
  Visit dumpDom(Path page) throws IOException, InterruptedException {
    Path dom = work.resolve("dom.html");
    Path log = work.resolve("chromium.log");
    run(List.of("--enable-logging=stderr", "--v=0", "--dump-dom", page.toUri().toString()), dom, log);
    return new Visit(Files.readString(dom, StandardCharsets.UTF_8), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Opens {@code page} in a window {@code width} x {@code height} and saves what it shows as PNG {@code png}. */
  void screenshot(Path page, int width, int height, Path png) throws IOException, InterruptedException {
    Files.deleteIfExists(png);
    run(List.of("--hide-scrollbars", "--window-size=" + width + "," + height,
        "--screenshot=" + png.toAbsolutePath(), page.toUri().toString()), work.resolve("screenshot.out"),
        work.resolve("screenshot.log"));
    if (!Files.isRegularFile(png)) {
      fail("chromium wrote no screenshot to " + png + "; its log: " + Files.readString(work.resolve("screenshot.log")));
    }
  }

  private void run(List<String> arguments, Path stdout, Path stderr) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--no-first-run", "--disable-extensions", "--user-data-dir=" + work.resolve("profile")));
    command.addAll(arguments);
    Process browser = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
        .start();
    if (!browser.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      browser.descendants().forEach(ProcessHandle::destroyForcibly);
      browser.destroyForcibly().waitFor();
      fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
    }
  }
}
