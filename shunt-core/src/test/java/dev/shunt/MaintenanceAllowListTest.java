package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which paths maintenance mode passes on while it is on, asked of the responder directly with
 * paths as clients send them: an allow-list or the health path holds for a path only when it
 * holds both for the path decoded and for the path with its dot segments resolved.
 */
class MaintenanceAllowListTest {
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final MaintenanceFlag UPGRADE = MaintenanceFlag.of("database upgrade", "ops", Instant.now());

  private final StatusStore store = StatusStore.inMemory();
  private final HealthResponder health = HealthResponder.builder().store(store).key(KEY).build();

  @BeforeEach
  void maintenanceIsOn() {
    store.startMaintenance("checkout", UPGRADE);
  }

  private MaintenanceResponder.Builder maintenance() {
    return MaintenanceResponder.builder().store(store).service("checkout").healthResponder(health)
        .allowedPaths("/assets/.*", "/robots\\.txt");
  }

  private static Optional<HealthAnswer> answer(MaintenanceResponder responder, String path) {
    return responder.answer(new RequestInfo("GET", path, "192.0.2.10"));
  }

  private static boolean passesOn(MaintenanceResponder responder, String path) {
    return answer(responder, path).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/assets/app.css", "/assets/img/logo.png", "/assets/my%20app.css", "/assets//app.css",
      "/assets/app.css;v=2", "/assets/img/../app.css", "/robots.txt"})
  void pathUnderAnAllowedPathEveryWayItIsReadIsPassedOn(String path) {
    assertThat(passesOn(maintenance().build(), path)).as(path).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/assets/../admin", "/assets/%2e%2e/admin", "/assets/%2E%2E/admin", "/assets/.%2e/admin",
      "/assets/..;/admin", "/assets/..;x=1/admin", "/assets//../admin", "/assets/img/../../admin"})
  void pathThatLeavesAnAllowedPathByDotSegmentsGetsThePage(String path) {
    Optional<HealthAnswer> answer = answer(maintenance().build(), path);

    assertThat(answer).as(path).hasValueSatisfying(page -> assertThat(page.status()).isEqualTo(503));
  }

  @Test
  void pathThatEntersAnAllowedPathByDotSegmentsGetsThePage() {
    // an application that takes the path as sent routes it under /admin
    assertThat(passesOn(maintenance().build(), "/admin/../assets/app.css")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/assets/..%2fadmin", "/assets/..%2Fadmin", "/assets%2fapp.css", "/assets/%252e%252e/admin",
      "/assets/..%5cadmin", "/assets/..\\admin"})
  void encodedSlashBackslashOrPercentMatchesNoAllowedPath(String path) {
    assertThat(passesOn(maintenance().build(), path)).as(path).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/assets/%zz.css", "/assets/app%2", "/assets/%C3.css", "/assets/%00.css"})
  void pathThatCannotBeDecodedIsNotAllowListed(String path) {
    assertThat(passesOn(maintenance().build(), path)).as(path).isFalse();
  }

  @Test
  void allowedPathsOfTheFlagAreMatchedTheSameWay() {
    store.startMaintenance("checkout", UPGRADE.withAllowedPaths("/docs/.*"));
    MaintenanceResponder responder = maintenance().allowedPaths().build();

    assertThat(passesOn(responder, "/docs/intro")).isTrue();
    assertThat(passesOn(responder, "/docs/../admin")).isFalse();
    assertThat(passesOn(responder, "/docs/%2e%2e/admin")).isFalse();
  }

  @Test
  void healthPathOfTheResponderIsPassedOnButNotAPathThatLeavesIt() {
    HealthResponder prefixed = HealthResponder.builder().store(store).key(KEY).pathPrefix("/health/").build();
    MaintenanceResponder responder = maintenance().healthResponder(prefixed).build();

    assertThat(passesOn(responder, "/health/live")).isTrue();
    assertThat(passesOn(responder, "/health/../admin")).isFalse();
    assertThat(passesOn(responder, "/health/%2e%2e/admin")).isFalse();
  }

  @Test
  void healthPathGivenAsAPredicateIsMatchedTheSameWay() {
    MaintenanceResponder responder = maintenance().healthPath(path -> path.startsWith("/status/")).build();

    assertThat(passesOn(responder, "/status/live")).isTrue();
    assertThat(passesOn(responder, "/status/../admin")).isFalse();
    assertThat(passesOn(responder, "/status/%2e%2e/admin")).isFalse();
    assertThat(passesOn(responder, "/status/%zz")).isFalse();
  }

  @Test
  void allowedClientIsPassedOnWhateverItsPath() {
    store.startMaintenance("checkout", UPGRADE.withAllowedClients("192.0.2.0/24"));

    assertThat(passesOn(maintenance().build(), "/assets/%zz")).isTrue();
  }
}
