package dev.shunt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntStatus;
import dev.shunt.hazelcast.HazelcastCluster;
import dev.shunt.hazelcast.HazelcastStatusStore;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code target/shunt.jar} as a user runs it: {@code java -jar shunt.jar ...} in a child JVM, with
 * nothing on its class path but the jar.
 */
class ShuntJarIT {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(1);

  private static final Path JAR = Path.of(System.getProperty("shunt.jar", "target/shunt.jar"));

  @Test
  void helpListsTheCommandsAndExitsZero() {
    ChildJava.Run run = shunt("--help");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).startsWith("Usage: shunt ");
    assertThat(run.out()).contains("status", "shunt", "unshunt", "budget", "wait-for-http", "maintenance", "roll",
        "lock");
  }

  @Test
  void statusOfAnEmptyMemoryStoreSaysNothingIsShunted() {
    ChildJava.Run run = shunt("--store", "memory:", "--service", "checkout", "status");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo("checkout: 0 shunted of 0 known host(s); no budget; maintenance off\n"
        + "checkout: deploy lock free\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void aShuntInFlagFilesIsSeenByTheNextRun(@TempDir Path flags) {
    String store = "file:" + flags;

    ChildJava.Run shunted = shunt("--store", store, "--service", "checkout", "shunt", "web-1", "--reason", "deploy",
        "--owner", "ci");
    ChildJava.Run status = shunt("--store", store, "--service", "checkout", "status", "web-1", "--json");

    assertThat(shunted.exit()).as(shunted.toString()).isZero();
    assertThat(status.exit()).as(status.toString()).isZero();
    assertThat(status.out()).startsWith("{\"service\":\"checkout\",\"host\":\"web-1\",\"shunted\":true,"
        + "\"reason\":\"deploy\",\"owner\":\"ci\",");
  }

  @Test
  void aHazelcastStoreSpecReachesTheCluster() {
    String store = "hazelcast://" + String.join(",", CLUSTER.memberAddresses()) + "?cluster=" + CLUSTER.clusterName();

    ChildJava.Run run = shunt("--store", store, "--service", "checkout", "shunt", "web-1", "--reason", "deploy", "--owner", "ci");

    ShuntStatus stored = HazelcastStatusStore.builder(CLUSTER.member(0)).build().status(InstanceKey.of("checkout", "web-1"));
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(stored.reason()).isEqualTo("deploy");
    assertThat(run.out()).isEqualTo("checkout/web-1: " + stored + "\n");
  }

  @Test
  void anUnknownSchemeIsRefusedNamingEveryStoreTheJarHolds() {
    ChildJava.Run run = shunt("--store", "nosuch:", "--service", "checkout", "status");

    assertThat(run.exit()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("unknown scheme 'nosuch:'", "memory:", "file:", "hazelcast:");
  }

  @Test
  void everyBundledLibraryIsNamedInTheThirdPartyList() throws IOException {
    String list = entry("META-INF/THIRD-PARTY.txt");
    List<String> missing = new ArrayList<>();
    for (String jar : bundledLibraries()) {
      // ~/.m2/repository/GROUP/PATH/ARTIFACT/VERSION/ARTIFACT-VERSION.jar
      Path path = Path.of(jar);
      String version = path.getParent().getFileName().toString();
      String artifact = path.getParent().getParent().getFileName().toString();
      if (!list.contains(":" + artifact + " " + version + " ")) {
        missing.add(artifact + " " + version);
      }
    }

    assertThat(missing).as("bundled in shunt.jar but not named in META-INF/THIRD-PARTY.txt").isEmpty();
    assertThat(entry("META-INF/LICENSE")).contains("Apache License", "Version 2.0");
    assertThat(entry("META-INF/services/dev.shunt.StatusStoreProvider"))
        .contains("dev.shunt.hazelcast.internal.HazelcastStoreProvider");
  }

  /** The runtime class path shunt.jar was made from, less shunt's own modules. */
  private static List<String> bundledLibraries() {
    String bundled = System.getProperty("shunt.bundled");
    if (bundled == null || bundled.isBlank()) {
      fail("the system property shunt.bundled is not set: run this test through Maven (failsafe)");
    }
    return Arrays.stream(bundled.split(File.pathSeparator))
        // shunt's own modules: from the reactor (target/) or from a repository (shunt-*.jar)
        .filter(jar -> !Path.of(jar).getFileName().toString().startsWith("shunt-") && !jar.contains("/target/"))
        .toList();
  }

  private static String entry(String name) throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      if (jar.getEntry(name) == null) {
        fail(JAR + " has no " + name);
      }
      try (InputStream in = jar.getInputStream(jar.getEntry(name))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  private static ChildJava.Run shunt(String... args) {
    if (!Files.isRegularFile(JAR)) {
      fail(JAR.toAbsolutePath() + " is missing: it is made by `./mvnw package` in shunt-cli");
    }
    List<String> command = new ArrayList<>(List.of("-jar", JAR.toString()));
    command.addAll(List.of(args));
    return ChildJava.java(command);
  }
}
