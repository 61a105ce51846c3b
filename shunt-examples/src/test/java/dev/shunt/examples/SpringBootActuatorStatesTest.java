package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.InstanceKey;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a real Spring Boot app with shunt-core answers on shunt's health path, its own path, the
 * actuator's health endpoint and its readiness and liveness probes, in each state: in rotation,
 * shunted, in maintenance, shutting down; with the defaults, and with {@code
 * shunt.readiness.bridge=true}. The store is flag files, written by the test as a deploy tool would.
 */
class SpringBootActuatorStatesTest {
  private static final String[] PATHS = {"/health", "/", "/actuator/health", "/actuator/health/readiness",
      "/actuator/health/liveness"};

  /** The apps of these tests run on the Spring Boot the build names: 3.5 by default, 4.0 under {@code -Pspring-boot-4}. */
  @Test
  void theAppsRunOnTheSpringBootTheBuildNames() {
    String expected = System.getProperty("shunt.test.spring-boot.version");
    assertThat(expected).as("-Dshunt.test.spring-boot.version, set by shunt-examples' POM").isNotBlank();
    assertThat(org.springframework.boot.SpringBootVersion.getVersion()).isEqualTo(expected);
  }

  @Test
  void withTheDefaultsOnlyShuntsHealthPathAndTheShuntIndicatorFollowTheShunt(@TempDir Path directory) throws Exception {
    Path flags = Files.createDirectories(directory.resolve("flags"));
    StatusStore store = StatusStore.flagFiles(flags);
    int port = DemoFleet.freePorts(1).get(0);
    InstanceKey key = InstanceKey.of(SpringApp.SERVICE, SpringApp.host(port));
    try (SpringApp app = SpringApp.start(directory, flags, port, "--shunt.healthcheck-timeout=60s",
        "--management.endpoints.web.exposure.include=health,metrics").awaitStarted()) {
      assertThat(answers(app)).as("in rotation").isEqualTo(expected(200, 200, 200, 200, 200));
      assertThat(shuntComponent(app)).contains("\"status\":\"UP\"", "\"state\":\"in-rotation\"");

      store.shunt(key, ShuntRequest.of("deploy 42", "ci"));
      assertThat(answers(app)).as("shunted").isEqualTo(expected(503, 200, 503, 200, 200));
      assertThat(shuntComponent(app)).contains("\"status\":\"OUT_OF_SERVICE\"", "\"shuntReason\":\"deploy 42\"");
      // The auto-configured HealthResponderMetrics, bound by the actuator: the answers of /health by
      // state. An answer is counted once it has been sent, so the count may trail the client a moment.
      assertThat(awaitBody(app, "/actuator/metrics/shunt.health.answers?tag=state:shunted",
          "{\"statistic\":\"COUNT\",\"value\":1.0}")).contains("\"name\":\"shunt.health.answers\"");
      awaitBody(app, "/actuator/metrics/shunt.health.answers?tag=state:in_rotation",
          "{\"statistic\":\"COUNT\",\"value\":1.0}");

      store.unshunt(key);
      store.startMaintenance(SpringApp.SERVICE, MaintenanceFlag.of("database upgrade", "ops", Instant.now()));
      assertThat(answers(app)).as("in maintenance").isEqualTo(expected(200, 503, 200, 200, 200));
      assertThat(shuntComponent(app)).contains("\"status\":\"UP\"", "\"maintenance\":true",
          "\"maintenanceReason\":\"database upgrade\"");

      store.endMaintenance(SpringApp.SERVICE);
      app.jvm().terminate();
      awaitStatus(app, "/actuator/health", 503);
      // Readiness 503: Spring Boot itself publishes REFUSING_TRAFFIC when the context begins to close.
      assertThat(answersDuringShutdown(app)).as("shutting down").isEqualTo(expected(503, 200, 503, 503, 200));
      finishDrain(app);
    }
  }

  @Test
  void withTheReadinessBridgeShuntAndSpringsReadinessFollowEachOther(@TempDir Path directory) throws Exception {
    Path flags = Files.createDirectories(directory.resolve("flags"));
    StatusStore store = StatusStore.flagFiles(flags);
    int port = DemoFleet.freePorts(1).get(0);
    InstanceKey key = InstanceKey.of(SpringApp.SERVICE, SpringApp.host(port));
    try (SpringApp app = SpringApp.start(directory, flags, port, "--shunt.healthcheck-timeout=60s",
        "--shunt.readiness.bridge=true", "--shunt.readiness.interval=100ms").awaitStarted()) {
      awaitStatus(app, "/health", 200);
      assertThat(answers(app)).as("in rotation").isEqualTo(expected(200, 200, 200, 200, 200));

      store.shunt(key, ShuntRequest.of("deploy 42", "ci"));
      awaitStatus(app, "/actuator/health/readiness", 503);
      assertThat(answers(app)).as("shunted").isEqualTo(expected(503, 200, 503, 503, 200));

      store.unshunt(key);
      awaitStatus(app, "/actuator/health/readiness", 200);
      assertThat(answers(app)).as("back in rotation").isEqualTo(expected(200, 200, 200, 200, 200));

      assertThat(app.body("/readiness/refuse")).isEqualTo("refusing");
      assertThat(answers(app)).as("the app refuses traffic").isEqualTo(expected(503, 200, 503, 503, 200));
      assertThat(app.body("/readiness/accept")).isEqualTo("accepting");
      assertThat(answers(app)).as("the app accepts traffic again").isEqualTo(expected(200, 200, 200, 200, 200));

      store.startMaintenance(SpringApp.SERVICE, MaintenanceFlag.of("database upgrade", "ops", Instant.now()));
      assertThat(answers(app)).as("in maintenance").isEqualTo(expected(200, 503, 200, 200, 200));
      store.endMaintenance(SpringApp.SERVICE);

      app.jvm().terminate();
      awaitStatus(app, "/actuator/health/readiness", 503);
      assertThat(answersDuringShutdown(app)).as("shutting down").isEqualTo(expected(503, 200, 503, 503, 200));
      finishDrain(app);
    }
  }

  /**
   * The {@code shunt} component of the actuator's health answer, as JSON text: its status and its
   * details (Spring Boot 3 writes the status first, 4 the details).
   */
  private static String shuntComponent(SpringApp app) throws Exception {
    String body = app.body("/actuator/health");
    int start = body.indexOf("\"shunt\":{");
    assertThat(start).as("the shunt component in %s", body).isNotNegative();
    int from = start + "\"shunt\":".length();
    int depth = 0;
    for (int i = from; i < body.length(); i++) {
      char c = body.charAt(i);
      depth += c == '{' ? 1 : c == '}' ? -1 : 0;
      if (depth == 0) {
        return body.substring(from, i + 1);
      }
    }
    throw new AssertionError("the shunt component is not closed in " + body);
  }

  private static Map<String, Integer> expected(int... statuses) {
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (int i = 0; i < PATHS.length; i++) {
      expected.put(PATHS[i], statuses[i]);
    }
    return expected;
  }

  private static Map<String, Integer> answers(SpringApp app) {
    Map<String, Integer> answers = new LinkedHashMap<>();
    for (String path : PATHS) {
      answers.put(path, app.status(path));
    }
    return answers;
  }

  /**
   * {@link #answers} while the app drains: its one {@code /health} check is a NACK of the three
   * this checker gets before the drain ends, so the app is still there for the rest.
   */
  private static Map<String, Integer> answersDuringShutdown(SpringApp app) {
    return answers(app);
  }

  /** Two more NACKs for this checker: the drain ends, Spring stops the server, the app exits. */
  private static void finishDrain(SpringApp app) {
    app.status("/health");
    app.status("/health");
    app.jvm().awaitExit(Duration.ofSeconds(60));
    assertThat(app.jvm().err()).contains("drained (DRAINED)");
  }

  /** The body of {@code path} once it contains {@code expected}; fails after 10 s. */
  private static String awaitBody(SpringApp app, String path, String expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String body = app.body(path);
    while (!body.contains(expected) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      body = app.body(path);
    }
    assertThat(body).as("GET %s", path).contains(expected);
    return body;
  }

  private static void awaitStatus(SpringApp app, String path, int status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (app.status(path) != status && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(app.status(path)).as("GET %s", path).isEqualTo(status);
  }
}
