package dev.shunt.cli;

import static dev.shunt.cli.ChildJava.java;
import static dev.shunt.cli.ChildJava.javac;
import static dev.shunt.cli.ChildJava.pathOf;
import static dev.shunt.cli.ChildJava.resolvedJars;
import static dev.shunt.cli.ChildJava.sources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.shunt.cli.ChildJava.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What shunt's dependencies do in a user's build, where the user's BOM may pick other versions
 * (docs/DEPENDENCIES.md): OkHttp with an older kotlin-stdlib, and no SLF4J of shunt's own.
 */
class DependencyWeightIT {

  /**
   * A BOM that manages Kotlin (Spring Boot 3.x's gives 1.9.25) replaces the kotlin-stdlib that
   * okhttp-jvm asks for. The consumer's rollout, with its HTTP readiness wait through OkHttp, runs
   * in a child JVM whose class path has that kotlin-stdlib instead; 1.8.0 is the oldest that
   * docs/DEPENDENCIES.md names as working.
   */
  @ParameterizedTest
  @ValueSource(strings = {"1.8.0", "1.9.25"})
  void okHttpRunsWithTheKotlinStdlibABomManages(String version, @TempDir Path classes) {
    Path dir = Path.of(System.getProperty("kotlin.stdlib.dir", "target/kotlin-stdlib"));
    Path older = dir.resolve("kotlin-stdlib-" + version + ".jar");
    if (!Files.isRegularFile(older)) {
      fail(older + " is missing: shunt-cli's POM copies it there before the integration tests");
    }
    List<Path> jars = resolvedJars().stream()
        .map(jar -> jar.getFileName().toString().startsWith("kotlin-stdlib-") ? older : jar)
        .toList();
    assertThat(jars).as("the resolved jars hold a kotlin-stdlib to replace").contains(older);
    List<String> compile = new ArrayList<>(List.of("-d", classes.toString(), "-cp", pathOf(jars)));
    compile.addAll(sources("consumer/consumer"));
    Run compiled = javac(compile);

    Run run = java(List.of("-cp", pathOf(jars) + java.io.File.pathSeparator + classes, "consumer.Main"));

    assertThat(compiled.exit()).as(compiled.toString()).isZero();
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("rollout: COMPLETED", "[web-1] ready ok in", "HTTP 200 from http://127.0.0.1:");
  }

  /**
   * resilience4j asks for slf4j-api 1.7, which could win over a user's slf4j 2 and leave its backend
   * unseen; shunt-workflow excludes it (nothing shunt runs calls SLF4J: ModulePathIT retries a step
   * without it), so a user's build gets SLF4J only from the user.
   */
  @Test
  void shuntPullsNoSlf4j() {
    List<String> names = resolvedJars().stream().map(jar -> jar.getFileName().toString()).toList();

    assertThat(names).isNotEmpty().noneMatch(name -> name.startsWith("slf4j-"));
  }
}
