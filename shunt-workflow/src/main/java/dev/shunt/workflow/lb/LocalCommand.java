package dev.shunt.workflow.lb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A load balancer's own command-line tool ({@code varnishadm}, {@code varnishstat}, {@code nginx})
 * run on this machine with a time limit; its exit status and output (stdout and stderr together,
 * through a temporary file, so no thread reads it).
 */
record LocalCommand(int exitStatus, String output) {

  /**
   * Runs {@code command}; kills it after {@code timeout}.
   *
   * @param what names the load balancer, for the messages
   * @throws LoadBalancerException if it cannot be started, does not end in time or is interrupted
   */
  static LocalCommand run(String what, List<String> command, Duration timeout) {
    Path output = null;
    try {
      output = Files.createTempFile("shunt-lb-", ".out");
      Process process;
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      } catch (IOException e) {
        throw new LoadBalancerException(what + ": cannot run '" + command.get(0) + "': " + e.getMessage()
            + "; is it installed on this machine (or give its path)?", e);
      }
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          throw new LoadBalancerException(what + ": '" + String.join(" ", command) + "' did not end within " + timeout);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new LoadBalancerException(what + ": interrupted while running '" + String.join(" ", command) + "'", e);
      }
      return new LocalCommand(process.exitValue(), new String(Files.readAllBytes(output), java.nio.charset.StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new LoadBalancerException(what + ": cannot run '" + String.join(" ", command) + "': " + e.getMessage(), e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          // a temporary file left behind harms nothing
        }
      }
    }
  }

  boolean succeeded() {
    return exitStatus == 0;
  }
}
