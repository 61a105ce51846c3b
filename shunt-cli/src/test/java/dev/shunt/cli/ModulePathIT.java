package dev.shunt.cli;

import static dev.shunt.cli.ChildJava.java;
import static dev.shunt.cli.ChildJava.javac;
import static dev.shunt.cli.ChildJava.pathOf;
import static dev.shunt.cli.ChildJava.resolvedJars;
import static dev.shunt.cli.ChildJava.sources;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.cli.ChildJava.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * shunt on the module path, as a modular application uses it: a consumer module that requires
 * {@code dev.shunt.workflow} is compiled with {@code javac --module-path} against the jars a build
 * resolves (shunt's three, OkHttp, JSch, resilience4j, picocli, Hazelcast…) and run with
 * {@code java --module-path … -m}. The consumer's source is in src/test/resources/consumer.
 */
class ModulePathIT {

  @Test
  void aConsumerModuleRollsHostsThroughThePublicApi(@TempDir Path classes) {
    String modulePath = pathOf(resolvedJars());
    List<String> compile = new ArrayList<>(List.of("-d", classes.toString(), "--module-path", modulePath,
        "--class-path", classes.toString()));
    compile.addAll(sources("consumer"));
    Run compiled = javac(compile);

    Run run = java(List.of("--module-path", modulePath + java.io.File.pathSeparator + classes,
        "--module", "consumer/consumer.Main"));

    assertThat(compiled.exit()).as(compiled.toString()).isZero();
    assertThat(run.exit()).as(run.toString()).isZero();
    // Two hosts; on the first the flaky step failed once and resilience4j retried it, with no SLF4J
    // on the module path; AwaitHttpStep (OkHttp) got its 200.
    assertThat(run.out()).contains("rollout: COMPLETED, flaky attempts: 3");
    assertThat(run.out()).contains("[web-1] ready ok", "[web-2] ready ok");
    assertThat(run.out()).contains("shunted after the rollout: [checkout/web-3], by consumer, lapses: true");
    // dev.shunt.hazelcast joined the module graph through its `provides StatusStoreProvider`.
    assertThat(run.out()).contains("stores: store spec 'nope:x' has an unknown scheme", "memory:", "file:",
        "hazelcast:");
  }

  @Test
  void aConsumerModuleCannotReadShuntsInternalPackages(@TempDir Path classes) {
    List<String> compile = new ArrayList<>(List.of("-d", classes.toString(), "--module-path",
        pathOf(resolvedJars()), "--class-path", classes.toString()));
    compile.addAll(sources("sneaky"));

    Run compiled = javac(compile);

    assertThat(compiled.exit()).as(compiled.toString()).isNotZero();
    assertThat(compiled.err()).contains(
        "package dev.shunt.internal is declared in module dev.shunt, which does not export it to module sneaky",
        "package dev.shunt.workflow.internal is declared in module dev.shunt.workflow, which does not export it",
        "package dev.shunt.hazelcast.internal is declared in module dev.shunt.hazelcast, which does not export it");
  }

  @Test
  void theCommandLineRunsAsAModule() {
    Run run = java(List.of("--module-path", pathOf(resolvedJars()),
        "--module", "dev.shunt.workflow/dev.shunt.workflow.cli.ShuntCli",
        "--store", "memory:", "--service", "checkout", "status"));

    // picocli reads the commands' fields through `opens dev.shunt.workflow.cli to info.picocli`.
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo("checkout: 0 shunted of 0 known host(s); no budget; maintenance off\n"
        + "checkout: deploy lock free\n");
  }
}
