package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.sidecar.Sidecar;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A responder that cannot read the store, met the way it happens: the app runs the real
 * {@link Sidecar} as {@code nobody} and owns its service directory, but shares no group with root,
 * so root's flag ({@code 0640}, root's group) is unreadable to it; it answers "up" and writes its
 * reports where root reads them. The rollout must stop the host before its restart, although its
 * drain would go on after a timeout. Runs as root, here and in CI; skipped, saying why, only when
 * not root.
 */
@Tag("drill") // long: run by .ci/run through -Pdrills, not by ./mvnw install
class DrainUnseenShuntAcrossUsersTest {
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");

  @TempDir
  Path base;

  private Path flags;
  private Process sidecar;
  private Thread loadBalancer;
  private final AtomicBoolean checking = new AtomicBoolean(true);

  @BeforeEach
  void appOwnsItsServiceDirectoryButSharesNoGroupWithRoot() throws IOException {
    boolean root = "root".equals(System.getProperty("user.name"));
    assertTrue(root || !"true".equals(System.getenv("CI")), "CI runs as root, but this is not: only root can act as a second user");
    assumeTrue(root, "not run as root: only root can act as a second user");
    assertTrue(Files.isExecutable(SETPRIV), SETPRIV + " (util-linux) is needed to run the app as nobody");
    Files.setAttribute(base, "unix:mode", 0711);
    flags = Files.createDirectory(base.resolve("flags"));
    Files.setAttribute(flags, "unix:mode", 0755);
    Path service = Files.createDirectory(flags.resolve("checkout"));
    UserPrincipalLookupService users = service.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal nobody = users.lookupPrincipalByName("nobody");
    GroupPrincipal nogroup = users.lookupPrincipalByGroupName("nogroup");
    PosixFileAttributeView view = Files.getFileAttributeView(service, PosixFileAttributeView.class);
    view.setOwner(nobody);
    view.setGroup(nogroup);
    Files.setAttribute(service, "unix:mode", 0755);
  }

  @AfterEach
  void stopTheAppAndItsChecks() throws InterruptedException {
    checking.set(false);
    if (loadBalancer != null) {
      loadBalancer.join(Duration.ofSeconds(10).toMillis());
    }
    if (sidecar != null) {
      sidecar.destroy();
      sidecar.waitFor();
    }
  }

  @Test
  void rolloutStopsTheHostBeforeItsRestartWhenItsResponderCannotReadTheShunt() throws Exception {
    int port = freePort();
    Path log = base.resolve("sidecar.log");
    sidecar = new ProcessBuilder(SETPRIV.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData", "-Xmx64m",
        "-cp", coreClassesForEveryone().toString(), Sidecar.class.getName(),
        "--flags", flags.toString(), "--service", "checkout", "--host", "web-1", "--listen", "127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    StatusStore store = StatusStore.flagFiles(flags);
    loadBalancer = checkEvery(Duration.ofMillis(500), URI.create("http://127.0.0.1:" + port + "/health"));
    awaitAReport(store);
    AtomicBoolean restarted = new AtomicBoolean();

    RolloutReport report = Rollout.builder().service("checkout").hosts(List.of("web-1")).store(store)
        .listener(RolloutListener.silent())
        .step(ShuntStep.shunt(ShuntRequest.of("rolling restart", "ci")))
        .step(AwaitCheckersStep.drain().timeout(Duration.ofMinutes(2)).shuntSeenWithin(Duration.ofSeconds(2)).build())
        .step(Step.named("restart", context -> restarted.set(true)))
        .step(ShuntStep.unshunt())
        .build().run();

    assertThat(restarted).as("restarted").isFalse();
    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.hosts()).singleElement().satisfies(host -> {
      assertThat(host.outcome()).isEqualTo(HostReport.Outcome.FAILED);
      assertThat(host.failedStep()).hasValueSatisfying(step -> assertThat(step.outcome())
          .contains("web-1's health responder does not see its shunt: it answered 'up' to 127.0.0.1 up x")
          .contains("the app's user cannot read the store"));
    });
    assertThat(store.status(WEB_1).shunted()).as("left shunted").isTrue();
    assertThat(Files.readString(log)).as("the app's own log").contains("cannot read shunt flag");
  }

  @Test
  void defaultDrainFailsOnTheResponderSayingItCannotReadTheFlagBeforeItsTimeoutInASteadyState() throws Exception {
    int port = freePort();
    Path log = base.resolve("sidecar.log");
    sidecar = startSidecarAsNobody(port, log);
    StatusStore store = StatusStore.flagFiles(flags);
    loadBalancer = checkEvery(Duration.ofSeconds(1), URI.create("http://127.0.0.1:" + port + "/health"));
    awaitSteadyInRotation(store);
    AwaitCheckersStep drain = AwaitCheckersStep.drain().build();
    AtomicBoolean restarted = new AtomicBoolean();

    long began = System.nanoTime();
    RolloutReport report = Rollout.builder().service("checkout").hosts(List.of("web-1")).store(store)
        .listener(RolloutListener.silent())
        .step(ShuntStep.shunt(ShuntRequest.of("rolling restart", "ci")))
        .step(drain)
        .step(Step.named("restart", context -> restarted.set(true)))
        .step(ShuntStep.unshunt())
        .build().run();
    Duration took = Duration.ofNanos(System.nanoTime() - began);

    assertThat(drain.describe().timeout()).as("the default drain's timeout").hasValue(Duration.ofSeconds(30));
    assertThat(restarted).as("restarted").isFalse();
    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.hosts()).singleElement().satisfies(host -> assertThat(host.failedStep())
        .hasValueSatisfying(step -> assertThat(step.outcome())
            .contains("web-1's health responder does not see its shunt: it answered 'up' to 127.0.0.1 up x")
            .contains("the responder says it cannot read the store: cannot read shunt flag "
                + flags.resolve("checkout").resolve("web-1.shunt") + ": permission denied")
            .doesNotContain("within PT30S")));
    assertThat(took).as("failed on the responder's word, not at the drain's 30 s timeout")
        .isLessThan(Duration.ofSeconds(30));
    assertThat(store.status(WEB_1).shunted()).as("left shunted").isTrue();
  }

  private Process startSidecarAsNobody(int port, Path log) throws IOException, URISyntaxException {
    return new ProcessBuilder(SETPRIV.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData", "-Xmx64m",
        "-cp", coreClassesForEveryone().toString(), Sidecar.class.getName(),
        "--flags", flags.toString(), "--service", "checkout", "--host", "web-1", "--listen", "127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /**
   * Waits until the checker's report says ten "up" answers in a row: from the eleventh on, a
   * responder in rotation rewrites it only at its 30 s heartbeat, or when something changes.
   */
  private void awaitSteadyInRotation(StatusStore store) throws InterruptedException {
    for (int i = 0; i < 900 && store.reports(WEB_1).stream().noneMatch(r -> !r.nacked() && r.consecutive() >= 10); i++) {
      assertThat(sidecar.isAlive()).as("the sidecar runs").isTrue();
      Thread.sleep(100);
    }
    assertThat(store.reports(WEB_1)).as("ten checks answered 'up' within 90 s")
        .anySatisfy(r -> assertThat(r.consecutive()).isGreaterThanOrEqualTo(10));
  }

  /** A load balancer's health checks: a GET every {@code interval} until the test ends. */
  private Thread checkEvery(Duration interval, URI health) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Thread checks = new Thread(() -> {
      while (checking.get()) {
        try {
          client.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
          // Not listening yet, or going away: a load balancer checks again.
        } catch (InterruptedException e) {
          return;
        }
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "load-balancer-checks");
    checks.setDaemon(true);
    checks.start();
    return checks;
  }

  private void awaitAReport(StatusStore store) throws InterruptedException {
    for (int i = 0; i < 600 && store.reports(WEB_1).isEmpty(); i++) {
      assertThat(sidecar.isAlive()).as("the sidecar runs").isTrue();
      Thread.sleep(100);
    }
    assertThat(store.reports(WEB_1)).as("the app reported a check within 60 s").isNotEmpty();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** shunt-core's classes, copied where nobody can read them: the build's directory may be under root's home. */
  private Path coreClassesForEveryone() throws IOException, URISyntaxException {
    Path from = Path.of(StatusStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path to = base.resolve(from.getFileName().toString().endsWith(".jar") ? "shunt-core.jar" : "classes");
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path copy = Files.isDirectory(from) ? to.resolve(from.relativize(file).toString()) : to;
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
