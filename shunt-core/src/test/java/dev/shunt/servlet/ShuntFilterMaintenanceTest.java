package dev.shunt.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.HealthResponder;
import dev.shunt.InstanceKey;
import dev.shunt.MaintenanceFlag;
import dev.shunt.MaintenanceResponder;
import dev.shunt.StatusStore;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ShuntFilter} with a {@link MaintenanceResponder}, in a real Jetty 12. */
class ShuntFilterMaintenanceTest {
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final MaintenanceFlag UPGRADE = MaintenanceFlag.of("database upgrade", "ops", Instant.now());

  private final StatusStore store = StatusStore.inMemory();
  private final HealthResponder health = HealthResponder.builder().store(store).key(KEY).build();
  private JettyApp app;

  private MaintenanceResponder.Builder maintenance() {
    return MaintenanceResponder.builder().store(store).service("checkout").healthResponder(health);
  }

  private JettyApp serve(MaintenanceResponder.Builder maintenance) {
    app = JettyApp.start(health, maintenance.build());
    return app;
  }

  @AfterEach
  void stopJetty() {
    if (app != null) {
      app.close();
    }
  }

  private static void assertApp(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("app");
  }

  private static void assertMaintenancePage(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("Down for maintenance", "database upgrade");
  }

  @Test
  void whileOnAnAppPathGetsTheMaintenancePageWithRetryAfter() {
    serve(maintenance());
    store.startMaintenance("checkout", UPGRADE);

    HttpResponse<String> response = app.get("/orders");

    assertMaintenancePage(response);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("7200");
  }

  @Test
  void whileOnTheHealthPathIsStillAnswered200() {
    serve(maintenance());
    store.startMaintenance("checkout", UPGRADE);

    HttpResponse<String> response = app.get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void whileOffAnAppPathReachesTheApp() {
    serve(maintenance());

    assertApp(app.get("/orders"));
  }

  @Test
  void whileOffThePagePathRedirectsToTheSite() {
    serve(maintenance());

    HttpResponse<String> response = app.get("/503.html");

    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().firstValue("Location")).hasValue("/");
  }

  @Test
  void maintenanceDecidesBeforeTheRequestIsCountedInFlight() throws Exception {
    List<Integer> inFlightWhenAsked = new CopyOnWriteArrayList<>();
    serve(maintenance().healthPath(path -> {
      inFlightWhenAsked.add(health.inFlight().current());
      return health.handles(path);
    }));
    store.startMaintenance("checkout", UPGRADE);

    assertMaintenancePage(app.get("/orders"));
    app.awaitFinished("/orders");

    assertThat(inFlightWhenAsked).containsExactly(0);
    assertThat(health.inFlight().current()).isZero();
  }

  @Test
  void forwardedForLineTheProxyAppendedNamesTheClient() {
    serve(maintenance().trustedProxies("127.0.0.1"));
    store.startMaintenance("checkout", UPGRADE.withAllowedClients("203.0.113.0/24"));

    assertApp(app.send(app.request("GET", "/orders")
        .header("X-Forwarded-For", "198.51.100.9").header("X-Forwarded-For", "203.0.113.7").build()));
  }

  @Test
  void addressAClientSentInAForwardedForLineOfItsOwnIsNotBelieved() {
    serve(maintenance().trustedProxies("127.0.0.1"));
    store.startMaintenance("checkout", UPGRADE.withAllowedClients("203.0.113.0/24"));

    // HAProxy's "option forwardfor" adds a line after the one the client sent.
    assertMaintenancePage(app.send(app.request("GET", "/orders")
        .header("X-Forwarded-For", "203.0.113.7").header("X-Forwarded-For", "198.51.100.9").build()));
  }

  /** {@code GET path} sent exactly as given: no client resolves its dot segments or re-encodes it. */
  private String rawGet(String path) throws Exception {
    return app.rawExchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  }

  @Test
  void pathThatLeavesAnAllowedPathByDotSegmentsGetsThePage() throws Exception {
    serve(maintenance().allowedPaths("/assets/.*"));
    store.startMaintenance("checkout", UPGRADE);

    assertThat(rawGet("/assets/../admin")).startsWith("HTTP/1.1 503 ").contains("Down for maintenance");
    assertThat(rawGet("/assets/app.css")).startsWith("HTTP/1.1 200 ").endsWith("app");
  }

  @Test
  void encodedDotSegmentsAreRefusedByJettyItselfByDefault() throws Exception {
    serve(maintenance().allowedPaths("/assets/.*"));
    store.startMaintenance("checkout", UPGRADE);

    assertThat(rawGet("/assets/%2e%2e/admin")).startsWith("HTTP/1.1 400 ").contains("Ambiguous URI path segment");
  }

  @Test
  void encodedDotSegmentsThatALenientJettyLetsThroughGetThePage() throws Exception {
    app = JettyApp.startLenient(health, maintenance().allowedPaths("/assets/.*").build());
    store.startMaintenance("checkout", UPGRADE);

    assertThat(rawGet("/assets/%2e%2e/admin")).startsWith("HTTP/1.1 503 ").contains("Down for maintenance");
    assertThat(rawGet("/assets/..%2fadmin")).startsWith("HTTP/1.1 503 ").contains("Down for maintenance");
    assertThat(rawGet("/assets/../admin")).startsWith("HTTP/1.1 503 ").contains("Down for maintenance");
    assertThat(rawGet("/assets/app.css")).startsWith("HTTP/1.1 200 ").endsWith("app");
  }
}
