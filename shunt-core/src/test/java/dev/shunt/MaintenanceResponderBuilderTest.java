package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which settings a {@link MaintenanceResponder} takes, their defaults, and what it refuses at build. */
class MaintenanceResponderBuilderTest {
  private static final StatusStore STORE = StatusStore.inMemory();
  private static final RequestInfo HOME = new RequestInfo("GET", "/", "192.0.2.1");

  private static MaintenanceResponder.Builder valid() {
    return MaintenanceResponder.builder().store(STORE).service("checkout").healthPath("/health"::equals);
  }

  private static void assertRefused(MaintenanceResponder.Builder builder, String message) {
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void defaultsAre503ForTwoHoursWithTheDefaultPage() {
    StatusStore store = StatusStore.inMemory();
    store.startMaintenance("checkout", MaintenanceFlag.of("database upgrade", "ops", Instant.now()));
    MaintenanceResponder responder = valid().store(store).build();

    HealthAnswer answer = responder.answer(HOME).orElseThrow();

    assertThat(answer).isEqualTo(new HealthAnswer(503, Map.of(
        "Cache-Control", "no-store",
        "Content-Type", "text/html; charset=utf-8",
        "Retry-After", "7200",
        "Vary", "Accept"),
        MaintenanceResponder.DEFAULT_PAGE_TEMPLATE.replace("{{reason}}", "database upgrade")));
    assertThat(responder).hasToString("MaintenanceResponder{checkout, status=503, retryAfter=PT2H,"
        + " allowedPaths=[], trustedProxies=[], pagePath=/503.html}");
  }

  @Test
  void toBuilderKeepsEverySetting() {
    MaintenanceResponder responder = valid().status(500).retryAfter(Duration.ofMinutes(1)).sendRetryAfter(false)
        .allowedPaths("/assets/.*").trustedProxies("10.0.0.0/8").pagePath("/maintenance").build();

    MaintenanceResponder copy = responder.toBuilder().build();

    assertThat(copy).hasToString(responder.toString());
    assertThat(copy.service()).isEqualTo("checkout");
  }

  @Test
  void missingStoreIsRefused() {
    assertRefused(valid().store(null), "store must be set, was null");
  }

  @Test
  void serviceThatIsNoNameIsRefused() {
    assertRefused(valid().service("check out"),
        "service must be 1 to 200 of the characters [A-Za-z0-9._:-], and not '.' or '..', was 'check out'");
  }

  @Test
  void missingServiceIsRefused() {
    assertRefused(valid().service(null), "service must be 1 to 200 of the characters [A-Za-z0-9._:-], and not '.' or '..', was null");
  }

  @Test
  void missingHealthPathIsRefused() {
    assertRefused(MaintenanceResponder.builder().store(STORE).service("checkout"),
        "healthResponder or healthPath must be set, was null:"
            + " maintenance must never answer the load balancer's health checks");
  }

  @Test
  void nullHealthResponderIsRefused() {
    assertRefused(valid().healthResponder(null),
        "healthResponder or healthPath must be set, was null:"
            + " maintenance must never answer the load balancer's health checks");
  }

  @Test
  void statusOutside400To599IsRefused() {
    assertRefused(valid().status(200), "status must be from 400 to 599, was 200");
    assertRefused(valid().status(600), "status must be from 400 to 599, was 600");
  }

  @Test
  void retryAfterThatIsNotPositiveIsRefused() {
    assertRefused(valid().retryAfter(Duration.ZERO), "retryAfter must be positive, was PT0S");
    assertRefused(valid().retryAfter(Duration.ofSeconds(-1)), "retryAfter must be positive, was PT-1S");
    assertRefused(valid().retryAfter(null), "retryAfter must be positive, was null");
  }

  @Test
  void missingPageTemplateIsRefused() {
    assertRefused(valid().pageTemplate(null), "pageTemplate must be set, was null");
  }

  @Test
  void missingDefaultReasonIsRefused() {
    assertRefused(valid().defaultReason(null), "defaultReason must be set, was null");
  }

  @Test
  void allowedPathThatIsNoRegularExpressionIsRefused() {
    assertRefused(valid().allowedPaths("/assets/.*", "/assets/("),
        "allowedPaths must hold regular expressions, was '/assets/(': Unclosed group near index 9");
  }

  @Test
  void nullAllowedPathIsRefused() {
    assertRefused(valid().allowedPaths("/assets/.*", null), "allowedPaths must hold regular expressions, was null");
  }

  @Test
  void trustedProxyThatIsNoAddressIsRefused() {
    assertRefused(valid().trustedProxies("10.0.0.0/8", "lb.internal"),
        "trustedProxies must hold IP addresses or CIDR blocks, was 'lb.internal': not a literal IPv4 or IPv6"
            + " address, optionally with a /prefix (e.g. 10.0.0.1, 10.0.0.0/8, 2001:db8::/32)");
  }

  @Test
  void trustedProxyWithTooLongAPrefixIsRefused() {
    assertRefused(valid().trustedProxies("2001:db8::/200"),
        "trustedProxies must hold IP addresses or CIDR blocks, was '2001:db8::/200': the prefix length must be"
            + " from 0 to 128 for an IPv6 address");
  }

  @Test
  void pagePathWithoutLeadingSlashIsRefused() {
    assertRefused(valid().pagePath("503.html"), "pagePath must start with '/', was '503.html'");
    assertRefused(valid().pagePath(null), "pagePath must start with '/', was null");
  }

  @Test
  void missingClockIsRefused() {
    assertRefused(valid().clock(null), "clock must be set, was null");
  }
}
