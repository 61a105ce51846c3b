package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.testing.CapturedLog;
import dev.shunt.testing.MutableClock;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Maintenance mode, through the JDK HttpServer adapter, in front of an application and its health checks. */
class MaintenanceResponderTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final MaintenanceFlag UPGRADE = MaintenanceFlag.of("database upgrade", "ops", NOW);

  private final MutableClock clock = new MutableClock(NOW);
  private final StatusStore store = StatusStore.inMemory(clock);
  private final HealthResponder health = HealthResponder.builder().store(store).key(KEY).clock(clock).build();
  private MaintenanceServer server;

  private MaintenanceResponder.Builder maintenance() {
    return MaintenanceResponder.builder().store(store).service("checkout").healthResponder(health).clock(clock);
  }

  private MaintenanceServer serve(MaintenanceResponder.Builder maintenance) {
    if (server != null) {
      server.close();
    }
    server = MaintenanceServer.start(maintenance.build(), health);
    return server;
  }

  private MaintenanceServer serve() {
    return serve(maintenance());
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static void assertApp(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("app");
  }

  private static void assertMaintenancePage(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("Down for maintenance");
  }

  @Test
  void whileOffEveryRequestReachesTheApplication() {
    serve();

    assertApp(server.get("/"));
    assertApp(server.send("POST", "/orders"));
  }

  @Test
  void whileOnEveryRequestGets503AndTheMaintenancePage() {
    serve();
    store.startMaintenance("checkout", UPGRADE);

    assertMaintenancePage(server.get("/"));
    assertMaintenancePage(server.get("/orders/42"));
    assertMaintenancePage(server.send("POST", "/orders"));
  }

  @Test
  void pageIsHtmlWithTheReasonInIt() {
    serve();
    store.startMaintenance("checkout", UPGRADE);

    HttpResponse<String> response = server.get("/");

    assertThat(response.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(response.body()).startsWith("<!DOCTYPE html>").contains("<p>database upgrade</p>");
  }

  @Test
  void reasonIsHtmlEscapedIntoThePage() {
    serve();
    store.startMaintenance("checkout", MaintenanceFlag.of("<script>alert('x')</script> & \"more\"", "ops", NOW));

    HttpResponse<String> response = server.get("/");

    assertThat(response.body())
        .contains("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;</p>")
        .doesNotContain("<script>");
  }

  @Test
  void flagWithoutReasonGivesTheDefaultReason() {
    serve();
    store.startMaintenance("checkout", MaintenanceFlag.of("", "", NOW));

    assertThat(server.get("/").body()).contains("<p>" + MaintenanceResponder.DEFAULT_REASON + "</p>");
  }

  @Test
  void defaultReasonIsConfigurable() {
    serve(maintenance().defaultReason("Wartungsarbeiten"));
    store.startMaintenance("checkout", MaintenanceFlag.of("", "", NOW));

    assertThat(server.get("/").body()).contains("<p>Wartungsarbeiten</p>");
  }

  @Test
  void pageIsNeverCached() {
    serve();
    store.startMaintenance("checkout", UPGRADE);

    assertThat(server.get("/").headers().allValues("Cache-Control")).containsExactly("no-store");
  }

  @Test
  void customPageTemplateGetsTheEscapedReasonAtEveryPlaceholder() {
    serve(maintenance().pageTemplate("<h1>{{reason}}</h1><p>Sorry: {{reason}}</p>"));
    store.startMaintenance("checkout", MaintenanceFlag.of("a < b", "ops", NOW));

    HttpResponse<String> response = server.get("/");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("<h1>a &lt; b</h1><p>Sorry: a &lt; b</p>");
  }

  @Test
  void customPageTemplateWithoutPlaceholderIsSentAsItIs() {
    serve(maintenance().pageTemplate("<h1>Back soon</h1>"));
    store.startMaintenance("checkout", UPGRADE);

    assertThat(server.get("/").body()).isEqualTo("<h1>Back soon</h1>");
  }

  @Test
  void statusIsConfigurable() {
    serve(maintenance().status(500));
    store.startMaintenance("checkout", UPGRADE);

    assertThat(server.get("/").statusCode()).isEqualTo(500);
  }

  @Test
  void clientThatPrefersJsonGetsTheErrorAsJson() {
    serve();
    store.startMaintenance("checkout", MaintenanceFlag.of("database \"upgrade\"", "ops", NOW));

    HttpResponse<String> response = server.send("GET", "/api/orders", "Accept", "application/json");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(response.body())
        .isEqualTo("{\"error\":\"Service Unavailable\",\"message\":\"database \\\"upgrade\\\"\"}\n");
  }

  @ParameterizedTest(name = "Accept: {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "''                                                                 | html",
      "*/*                                                                | html",
      "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8     | html",
      "application/json                                                   | json",
      "APPLICATION/JSON                                                   | json",
      "application/*                                                      | json",
      "application/json, text/html;q=0.9                                  | json",
      "text/html;q=0.5, application/json;q=0.6                            | json",
      "application/json;q=0.5, text/html                                  | html",
      "application/json, text/html                                        | html",
      "application/json;q=0, */*                                          | html",
      "application/json, */*;q=0.1                                        | json",
      "text/html;q=0.2, application/*;q=0.3, application/json;q=0.1       | html",
      "application/json;q=oops, text/html;q=0.1                           | html",
      "application/json;q=1.5, text/html;q=0.1                            | html",
      "text/plain                                                         | html"})
  void bodyIsChosenByTheAcceptHeader(String accept, String expected) {
    serve();
    store.startMaintenance("checkout", UPGRADE);

    HttpResponse<String> response = accept.isEmpty()
        ? server.get("/")
        : server.send("GET", "/", "Accept", accept);

    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .isEqualTo(expected.equals("json") ? "application/json" : "text/html; charset=utf-8");
  }

  @Test
  void retryAfterIsTwoHoursByDefault() {
    serve();
    store.startMaintenance("checkout", UPGRADE);

    assertThat(server.get("/").headers().firstValue("Retry-After")).contains("7200");
  }

  @Test
  void retryAfterIsConfigurable() {
    serve(maintenance().retryAfter(Duration.ofMinutes(5)));
    store.startMaintenance("checkout", UPGRADE);

    assertThat(server.get("/").headers().firstValue("Retry-After")).contains("300");
  }

  @Test
  void retryAfterCountsDownToTheFlagsUntil() {
    serve();
    store.startMaintenance("checkout", UPGRADE.withUntil(NOW.plusSeconds(90)));

    clock.advance(Duration.ofSeconds(30));

    assertThat(server.get("/").headers().firstValue("Retry-After")).contains("60");
  }

  @Test
  void retryAfterRoundsTheTimeLeftUpToWholeSeconds() {
    serve();
    store.startMaintenance("checkout", UPGRADE.withUntil(NOW.plusMillis(90_200)));

    assertThat(server.get("/").headers().firstValue("Retry-After")).contains("91");
  }

  @Test
  void retryAfterCanBeLeftOutEvenWhenTheFlagHasAnUntil() {
    serve(maintenance().sendRetryAfter(false));
    store.startMaintenance("checkout", UPGRADE.withUntil(NOW.plusSeconds(90)));

    HttpResponse<String> response = server.get("/");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).isEmpty();
  }

  @Test
  void maintenanceWhoseUntilPassedLetsRequestsThroughAgain() {
    serve();
    store.startMaintenance("checkout", UPGRADE.withUntil(NOW.plusSeconds(90)));
    assertMaintenancePage(server.get("/"));

    clock.advance(Duration.ofSeconds(90));

    assertApp(server.get("/"));
  }

  @Test
  void endedMaintenanceLetsRequestsThroughAgain() {
    serve();
    store.startMaintenance("checkout", UPGRADE);
    assertMaintenancePage(server.get("/"));

    store.endMaintenance("checkout");

    assertApp(server.get("/"));
  }

  @Test
  void healthChecksAreAnsweredByTheHealthResponderWhileMaintenanceIsOn() {
    serve();
    store.startMaintenance("checkout", UPGRADE);

    HttpResponse<String> check = server.get("/health");

    assertThat(check.statusCode()).isEqualTo(200);
    assertThat(check.body()).isEqualTo("ok\n");
  }

  @Test
  void healthChecksStillTellAShuntWhileMaintenanceIsOn() {
    serve();
    store.startMaintenance("checkout", UPGRADE);
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));

    assertThat(server.get("/health").statusCode()).isEqualTo(503);
    assertThat(server.get("/health").body()).isEqualTo("shunted\n");
  }

  @Test
  void healthChecksAreAnsweredWhicheverFilterComesFirst() {
    server = MaintenanceServer.startHealthFirst(maintenance().build(), health);
    store.startMaintenance("checkout", UPGRADE);

    assertThat(server.get("/health").statusCode()).isEqualTo(200);
    assertMaintenancePage(server.get("/"));
  }

  @Test
  void healthPathGivenAsAPredicateIsPassedOn() {
    serve(maintenance().healthPath(path -> path.startsWith("/status/")));
    store.startMaintenance("checkout", UPGRADE);

    assertApp(server.get("/status/live"));
    assertMaintenancePage(server.get("/status"));
  }

  @Test
  void allowedPathsOfTheResponderReachTheApplication() {
    serve(maintenance().allowedPaths("/assets/.*", "/robots\\.txt"));
    store.startMaintenance("checkout", UPGRADE);

    assertApp(server.get("/assets/site.css"));
    assertApp(server.get("/robots.txt"));
  }

  @Test
  void allowedPathsMatchTheWholePath() {
    serve(maintenance().allowedPaths("/assets/.*", "/robots\\.txt"));
    store.startMaintenance("checkout", UPGRADE);

    assertMaintenancePage(server.get("/robots.txt.bak"));
    assertMaintenancePage(server.get("/robotsXtxt"));
    assertMaintenancePage(server.get("/app/assets/x.css"));
  }

  @Test
  void pathThatLeavesAnAllowedPathByDotSegmentsGetsThePageAsSentOrEncoded() {
    serve(maintenance().allowedPaths("/assets/.*"));
    store.startMaintenance("checkout", UPGRADE);

    assertThat(server.rawGet("/assets/../admin")).startsWith("HTTP/1.1 503 ").contains("Down for maintenance");
    assertThat(server.rawGet("/assets/%2e%2e/admin")).startsWith("HTTP/1.1 503 ").contains("Down for maintenance");
    assertThat(server.rawGet("/assets/app.css")).startsWith("HTTP/1.1 200 ").endsWith("app");
  }

  @Test
  void healthPathPrefixLeftByDotSegmentsGetsThePage() {
    HealthResponder prefixed = HealthResponder.builder().store(store).key(KEY).clock(clock).pathPrefix("/health/")
        .build();
    server = MaintenanceServer.start(maintenance().healthResponder(prefixed).build(), prefixed);
    store.startMaintenance("checkout", UPGRADE);

    assertThat(server.rawGet("/health/live")).startsWith("HTTP/1.1 200 ").endsWith("ok\n");
    assertThat(server.rawGet("/health/%2e%2e/admin")).startsWith("HTTP/1.1 503 ").contains("Down for maintenance");
  }

  @Test
  void allowedPathsOfTheFlagReachTheApplication() {
    serve();
    store.startMaintenance("checkout", UPGRADE.withAllowedPaths("/api/status", "/docs/.*"));

    assertApp(server.get("/api/status"));
    assertApp(server.get("/docs/intro"));
    assertMaintenancePage(server.get("/api/orders"));
  }

  @Test
  void allowedClientOfTheFlagReachesTheApplication() {
    serve();
    store.startMaintenance("checkout", UPGRADE.withAllowedClients("10.0.0.0/8", "127.0.0.0/8"));

    assertApp(server.get("/"));
  }

  @Test
  void clientOutsideTheFlagsAllowedClientsGetsThePage() {
    serve();
    store.startMaintenance("checkout", UPGRADE.withAllowedClients("10.0.0.0/8", "::1"));

    assertMaintenancePage(server.get("/"));
  }

  @Test
  void forwardedForFromATrustedProxyNamesTheClient() {
    serve(maintenance().trustedProxies("127.0.0.1"));
    store.startMaintenance("checkout", UPGRADE.withAllowedClients("203.0.113.0/24"));

    assertApp(server.send("GET", "/", "X-Forwarded-For", "203.0.113.7"));
    assertMaintenancePage(server.send("GET", "/", "X-Forwarded-For", "198.51.100.9"));
  }

  @Test
  void forwardedForFromAnUntrustedConnectionIsIgnored() {
    serve(maintenance().trustedProxies("10.0.0.0/8"));
    store.startMaintenance("checkout", UPGRADE.withAllowedClients("203.0.113.0/24"));

    assertMaintenancePage(server.send("GET", "/", "X-Forwarded-For", "203.0.113.7"));
  }

  @Test
  void forwardedForIsIgnoredWhenNoProxyIsTrusted() {
    serve();
    store.startMaintenance("checkout", UPGRADE.withAllowedClients("203.0.113.0/24"));

    assertMaintenancePage(server.send("GET", "/", "X-Forwarded-For", "203.0.113.7"));
  }

  @Test
  void clientIsTheRightMostForwardedAddressThatIsNoTrustedProxy() {
    serve(maintenance().trustedProxies("127.0.0.1", "10.0.0.0/8"));
    store.startMaintenance("checkout", UPGRADE.withAllowedClients("203.0.113.0/24"));

    assertApp(server.send("GET", "/", "X-Forwarded-For", "198.51.100.9, 203.0.113.7, 10.0.0.5"));
  }

  @Test
  void addressAClientPutInFrontOfItsOwnIsNotBelieved() {
    serve(maintenance().trustedProxies("127.0.0.1"));
    store.startMaintenance("checkout", UPGRADE.withAllowedClients("203.0.113.0/24"));

    // The client sent "X-Forwarded-For: 203.0.113.7"; the proxy added the client's real address.
    assertMaintenancePage(server.send("GET", "/", "X-Forwarded-For", "203.0.113.7, 198.51.100.9"));
  }

  @Test
  void addressAClientSentInAForwardedForLineOfItsOwnIsNotBelieved() {
    serve(maintenance().trustedProxies("127.0.0.1"));
    store.startMaintenance("checkout", UPGRADE.withAllowedClients("203.0.113.0/24"));

    // HAProxy's "option forwardfor" adds a line after the one the client sent.
    assertMaintenancePage(server.send("GET", "/",
        "X-Forwarded-For", "203.0.113.7", "X-Forwarded-For", "198.51.100.9"));
  }

  @Test
  void forwardedForLineTheProxyAppendedNamesTheClient() {
    serve(maintenance().trustedProxies("127.0.0.1"));
    store.startMaintenance("checkout", UPGRADE.withAllowedClients("203.0.113.0/24"));

    assertApp(server.send("GET", "/",
        "X-Forwarded-For", "198.51.100.9", "X-Forwarded-For", "203.0.113.7"));
  }

  @Test
  void forwardedAddressThatIsNoIpAddressIsAllowedNothing() {
    serve(maintenance().trustedProxies("127.0.0.1"));
    store.startMaintenance("checkout", UPGRADE.withAllowedClients("0.0.0.0/0", "::/0"));

    assertMaintenancePage(server.send("GET", "/", "X-Forwarded-For", "unknown"));
  }

  @Test
  void forwardedAddressesWithPortsAreUnderstood() {
    serve(maintenance().trustedProxies("127.0.0.1"));
    store.startMaintenance("checkout", UPGRADE.withAllowedClients("203.0.113.7", "2001:db8::7"));

    assertApp(server.send("GET", "/", "X-Forwarded-For", "203.0.113.7:51234"));
    assertApp(server.send("GET", "/", "X-Forwarded-For", "[2001:db8::7]:51234"));
  }

  @Test
  void pagePathRedirectsToTheSiteWhileMaintenanceIsOff() {
    serve();

    HttpResponse<String> response = server.get("/503.html");

    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().firstValue("Location")).contains("/");
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
  }

  @Test
  void pagePathIsTheMaintenancePageWhileMaintenanceIsOn() {
    serve();
    store.startMaintenance("checkout", UPGRADE);

    assertMaintenancePage(server.get("/503.html"));
  }

  @Test
  void pagePathIsConfigurable() {
    serve(maintenance().pagePath("/maintenance"));

    assertThat(server.get("/maintenance").statusCode()).isEqualTo(302);
    assertApp(server.get("/503.html"));
  }

  @Test
  void headGetsTheStatusAndHeadersWithoutABody() {
    serve();
    store.startMaintenance("checkout", UPGRADE);

    HttpResponse<String> response = server.send("HEAD", "/");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).contains("7200");
    assertThat(response.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void storeThatCannotBeReadLetsEveryRequestThroughAndIsLoggedOnce() {
    HealthResponder healthOnBrokenStore = HealthResponder.builder().store(UnreadableStatusStore.create()).key(KEY).build();
    server = MaintenanceServer.start(MaintenanceResponder.builder()
        .store(UnreadableStatusStore.create()).service("checkout").healthResponder(healthOnBrokenStore).build(),
        healthOnBrokenStore);

    try (CapturedLog log = CapturedLog.of(MaintenanceResponder.class)) {
      assertApp(server.get("/"));
      assertApp(server.get("/orders"));
      assertThat(server.get("/503.html").statusCode()).isEqualTo(200);

      assertThat(log.messages()).containsExactly("cannot read the maintenance flag of checkout, letting requests"
          + " through: dev.shunt.ShuntException: cannot reach the store to read the maintenance flag of checkout");
    }
  }

  @Test
  void flagFileWithMalformedEntriesStillGivesThePageWithoutThem(@TempDir Path directory) throws IOException {
    StatusStore files = StatusStore.flagFiles(directory, clock);
    Files.createDirectories(directory.resolve("checkout"));
    Files.writeString(directory.resolve("checkout").resolve("maintenance.txt"),
        "reason=database upgrade\nsince=garbage\nallowedPath.1=/[unclosed\nallowedPath.2=/assets/.*\n"
            + "allowedClient.1=office\n");
    serve(MaintenanceResponder.builder().store(files).service("checkout").healthResponder(health).clock(clock));

    assertThat(server.get("/").body()).contains("<p>database upgrade</p>");
    assertApp(server.get("/assets/site.css"));
  }

  @Test
  void touchedFlagFileIsMaintenanceWithTheDefaultReason(@TempDir Path directory) throws IOException {
    StatusStore files = StatusStore.flagFiles(directory, clock);
    serve(MaintenanceResponder.builder().store(files).service("checkout").healthResponder(health).clock(clock));
    assertApp(server.get("/"));

    Files.createDirectories(directory.resolve("checkout"));
    Files.createFile(directory.resolve("checkout").resolve("maintenance.txt"));

    HttpResponse<String> response = server.get("/");
    assertMaintenancePage(response);
    assertThat(response.body()).contains(MaintenanceResponder.DEFAULT_REASON);
  }
}
