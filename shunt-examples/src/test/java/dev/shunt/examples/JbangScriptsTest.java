package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.InstanceKey;
import dev.shunt.StatusStore;
import dev.shunt.examples.Jbang.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JBang scripts in {@code shunt-examples/jbang}: every one compiles against the installed
 * modules it declares, the SSH and gated rollouts print their plans, and the command line and the
 * maintenance deploy run against real demo backends (separate processes restarted by their init-style script) and flag files.
 */
class JbangScriptsTest {
  @TempDir
  Path directory;

  @BeforeAll
  static void modulesAreInstalled() {
    Jbang.requireInstalledModules();
  }

  static Stream<Path> scripts() throws IOException {
    try (Stream<Path> files = Files.list(Jbang.SCRIPTS)) {
      return files.filter(file -> file.toString().endsWith(".java")).sorted().toList().stream();
    }
  }

  @Test
  void missingModuleIsReportedWithTheCommandToRun() {
    Path empty = directory.resolve("repository");

    assertThat(Jbang.installProblem(empty)).hasValue(empty.resolve(
        "dev/shunt/shunt-core/0.1.0-SNAPSHOT/shunt-core-0.1.0-SNAPSHOT.jar") + " is missing: the JBang scripts resolve"
        + " the shunt-core 0.1.0-SNAPSHOT they declare from ~/.m2; run the tests with `./mvnw -B install`, which"
        + " installs it before shunt-examples is tested");
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void scriptCompiles(Path script) {
    Outcome build = Jbang.build(script);

    assertThat(build.exit()).as("%s", build).isZero();
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void scriptDeclaresJava17TheBomAndTheModulesItUses(Path script) throws IOException {
    String source = Files.readString(script);

    // Versions come from the BOM alone: one line to change on an upgrade, and the modules always match.
    assertThat(source).contains("\n//JAVA 17+\n").containsPattern(
        "\n//DEPS dev\\.shunt:shunt-bom:0\\.1\\.0-SNAPSHOT@pom\n(//DEPS dev\\.shunt:shunt-[a-z]+\n)+");
  }

  @Test
  void missingBomIsReportedWithTheCommandToRun() throws IOException {
    Path repository = directory.resolve("repository");
    for (String module : List.of("shunt-core", "shunt-hazelcast", "shunt-workflow")) {
      Path jar = repository.resolve("dev/shunt/" + module + "/0.1.0-SNAPSHOT/" + module + "-0.1.0-SNAPSHOT.jar");
      Files.createDirectories(jar.getParent());
      Files.createFile(jar);
    }

    assertThat(Jbang.installProblem(repository)).hasValue(repository.resolve(
        "dev/shunt/shunt-bom/0.1.0-SNAPSHOT/shunt-bom-0.1.0-SNAPSHOT.pom") + " is missing: the JBang scripts take"
        + " the versions of shunt's modules from shunt-bom 0.1.0-SNAPSHOT in ~/.m2; run the tests with"
        + " `./mvnw -B install`, which installs it before shunt-examples is tested");
  }

  @Test
  void commandLineScriptShuntsAndReportsOnFlagFiles() {
    String store = "file:" + directory;

    Outcome shunt = Jbang.run(Jbang.SCRIPTS.resolve("shunt.java"), "--store", store, "--service", "checkout",
        "shunt", "web-1", "--reason", "deploy 42", "--owner", "ci");
    Outcome status = Jbang.run(Jbang.SCRIPTS.resolve("shunt.java"), "--store", store, "--service", "checkout",
        "status", "--json");

    assertThat(shunt.exit()).as("%s", shunt).isZero();
    assertThat(StatusStore.flagFiles(directory).status(InstanceKey.of("checkout", "web-1")).reason())
        .isEqualTo("deploy 42");
    assertThat(status.out()).startsWith("{\"service\":\"checkout\",\"maintenance\":null,\"shunted\":[{\"service\":"
        + "\"checkout\",\"host\":\"web-1\",\"shunted\":true,\"reason\":\"deploy 42\",\"owner\":\"ci\",");
  }

  @Test
  void commandLineScriptRollsTheDemoFleet() throws IOException {
    try (DemoFleet fleet = DemoFleet.start(directory, 2, HaproxyRequirement.classpath(), Optional.empty())) {
      Map<String, Long> pidsBefore = fleet.pids();

      Outcome roll = Jbang.run(Jbang.SCRIPTS.resolve("shunt.java"), "--store", "file:" + fleet.flagDirectory(),
          "--service", DemoBackend.SERVICE, "roll", String.join(",", fleet.hosts()), "--batch", "2",
          "--restart", "sh " + fleet.controlScript() + " restart {host}", "--ready-url", "http://{host}/",
          "--drain-timeout", "200ms", "--rotation-timeout", "200ms");

      assertThat(roll.exit()).as("%s", roll).isZero();
      assertThat(roll.out()).contains("batch 1/1: " + String.join(", ", fleet.hosts()),
          "demo: rollout completed in ", "2 done, 0 failed, 0 untouched");
      assertRestarted(fleet, pidsBefore);
      assertThat(fleet.store().shuntedInstances(DemoBackend.SERVICE)).isEmpty();
    }
  }

  @Test
  void sshRolloutScriptPlansBatchesWithoutTouchingAnything() {
    Outcome plan = Jbang.run(Jbang.SCRIPTS.resolve("ssh_rollout.java"), "--store", "file:" + directory,
        "--service", "checkout", "--user", "deploy", "--restart", "sudo systemctl restart checkout",
        "--ready-url", "http://{host}:8080/", "--batch", "50%", "--plan", "web-1", "web-2", "web-3", "web-4");

    assertThat(plan.exit()).as("%s", plan).isZero();
    assertThat(plan.out()).startsWith("Rollout of checkout: 4 host(s) in 2 batch(es)\n"
        + "  batch 1 (web-1, web-2)\n  batch 2 (web-3, web-4)\n");
    assertThat(StatusStore.flagFiles(directory).hosts("checkout")).isEmpty();
  }

  @Test
  void gatedRolloutScriptPlansTheCanaryTheGateAndTheRollbackWithoutTouchingAnything() {
    Outcome plan = Jbang.run(Jbang.SCRIPTS.resolve("gated_rollout.java"), "--store", "file:" + directory,
        "--service", "checkout", "--socket", directory.resolve("admin.sock").toString(), "--backend", "checkout",
        "--restart", "sudo systemctl restart checkout", "--rollback", "sudo deploy-previous checkout",
        "--ready-url", "http://{host}:8080/", "--canary", "1", "--batch", "2", "--bake", "PT20S",
        "--max-error-rate", "0.02", "--min-requests", "300", "--plan", "web-1", "web-2", "web-3");

    assertThat(plan.exit()).as("%s", plan).isZero();
    assertThat(plan.out()).startsWith("Rollout of checkout: 3 host(s) in 2 batch(es)\n"
        + "  canary batch 1 (web-1)\n  batch 2 (web-2, web-3)\n")
        .contains("On a halt, roll back one host at a time, newest first", "Gate: metrics gate after each batch:"
            + " haproxy unix:" + directory.resolve("admin.sock"), "bake PT20S (canary PT40S)", "halts above 2.00 % errors",
            "judges at least 300 requests a side");
    assertThat(StatusStore.flagFiles(directory).hosts("checkout")).isEmpty();
  }

  @Test
  void maintenanceScriptRestartsTheDemoFleetUnderMaintenanceThenFlushesTheCache() throws IOException {
    Path flushed = directory.resolve("cache-flushed");
    try (DemoFleet fleet = DemoFleet.start(directory, 2, HaproxyRequirement.classpath(), Optional.empty())) {
      Map<String, Long> pidsBefore = fleet.pids();

      Outcome deploy = Jbang.run(Jbang.SCRIPTS.resolve("maintenance_deploy.java"),
          "--store", "file:" + fleet.flagDirectory(), "--service", DemoBackend.SERVICE,
          "--restart", "sh " + fleet.controlScript() + " restart {host}", "--ready-url", "http://{host}/",
          "--flush-cache", "touch " + flushed, fleet.hosts().get(0), fleet.hosts().get(1));

      assertThat(deploy.exit()).as("%s", deploy).isZero();
      List<String> lines = deploy.out().lines().toList();
      assertThat(lines.get(0)).isEqualTo("demo: maintenance on");
      assertThat(lines.get(lines.size() - 1)).isEqualTo("demo: maintenance off");
      assertThat(deploy.out()).contains("demo: rollout completed in ");
      assertRestarted(fleet, pidsBefore);
      assertThat(fleet.store().maintenance(DemoBackend.SERVICE)).isEmpty();
      assertThat(flushed).exists();
    }
  }

  private static void assertRestarted(DemoFleet fleet, Map<String, Long> pidsBefore) {
    for (String host : fleet.hosts()) {
      assertThat(fleet.pid(host)).as("pid of %s after the restart", host).isNotEqualTo(pidsBefore.get(host));
      assertThat(DemoFleet.isRunning(pidsBefore.get(host))).as("the old process of %s", host).isFalse();
    }
  }
}
