package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.shunt.DeployLock;
import dev.shunt.workflow.cli.ShuntCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code shunt roll} as operators run it, in a JVM of its own ({@code java -cp …
 * dev.shunt.workflow.cli.ShuntCli}), over three demo backends that are processes of their own,
 * stopped with SIGTERM (what Ctrl-C, {@code kill} and a CI runner's cancel send) while it restarts
 * the first backend.
 */
class ShuntCliSignalTest {
  private static final long WAIT_MILLIS = 60_000;

  @TempDir
  Path directory;

  @Test
  void sigtermLetsTheHostInProgressFinishStartsNoOtherAndExits130WithTheReport() throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.empty())) {
      List<String> hosts = fleet.hosts();
      Map<String, Long> pidsBefore = hosts.stream().collect(Collectors.toMap(Function.identity(), fleet::pid));
      Path go = directory.resolve("go");
      Path out = directory.resolve("roll.out");
      Path err = directory.resolve("roll.err");
      Path report = directory.resolve("report.json");
      // The restart waits for the test, so that SIGTERM surely comes while the first host is in progress.
      String restart = "i=0; while [ ! -e '" + go + "' ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done;"
          + " sh '" + fleet.controlScript() + "' restart {host}";
      Process roll = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", HaproxyRequirement.classpath(), ShuntCli.class.getName(),
          "--store", "file:" + fleet.flagDirectory(), "--service", DemoBackend.SERVICE,
          "roll", String.join(",", hosts), "--restart", restart, "--ready-url", "http://{host}/",
          "--drain-timeout", "200ms", "--rotation-timeout", "200ms", "--report", report.toString())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      try {
        awaitLine(out, "[" + hosts.get(0) + "] restart ...");
        roll.destroy();
        awaitLine(out, "HALTING: cancelled");
        Files.createFile(go);
        assertThat(roll.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS)).as("the roll exited").isTrue();
      } finally {
        roll.destroyForcibly();
      }

      String printed = Files.readString(out);
      assertThat(roll.exitValue()).as(printed + Files.readString(err)).isEqualTo(ShuntCli.CANCELLED);
      assertThat(fleet.pid(hosts.get(0))).as("the first backend's process").isNotEqualTo(pidsBefore.get(hosts.get(0)));
      assertThat(DemoFleet.isRunning(pidsBefore.get(hosts.get(0)))).isFalse();
      for (String untouched : hosts.subList(1, 3)) {
        assertThat(fleet.pid(untouched)).as("the process of %s", untouched).isEqualTo(pidsBefore.get(untouched));
      }
      assertThat(fleet.store().shuntedInstances(DemoBackend.SERVICE)).as("hosts out of rotation").isEmpty();
      assertThat(printed).contains("demo: rollout CANCELLED in ", "1 done, 0 failed, 2 untouched",
          "  " + hosts.get(0) + ": DONE in ", "  " + hosts.get(1) + ": UNTOUCHED; in rotation",
          "  " + hosts.get(2) + ": UNTOUCHED; in rotation");
      assertThat(printed).containsPattern("\\[" + hosts.get(0) + "] rotation ok in \\d+ ms");
      assertThat(Files.readString(err)).isEqualTo("shunt: rollout of demo cancelled: 1 host(s) done; 2 not started,"
          + " in rotation: " + hosts.subList(1, 3) + "\n");
      assertThat(Files.readString(report)).contains("\"outcome\":\"CANCELLED\"", "\"outcome\":\"DONE\"",
          "\"outcome\":\"UNTOUCHED\"");
      assertThat(DeployLock.flagFiles(fleet.flagDirectory()).holder(DemoBackend.SERVICE)).as("the deploy lock").isEmpty();
    }
  }

  /** Waits, a minute at most, until {@code file} holds a line containing {@code text}. */
  private static void awaitLine(Path file, String text) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(file) && Files.readString(file).contains(text)) {
        return;
      }
      Thread.sleep(50);
    }
    fail("'" + text + "' did not appear in " + file + " within " + WAIT_MILLIS + " ms:\n"
        + (Files.exists(file) ? Files.readString(file) : "(no such file)"));
  }
}
