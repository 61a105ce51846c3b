package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a maintenance flag accepts, so that every flag a store holds can be applied as it is. */
class MaintenanceFlagTest {
  private static final Instant SINCE = Instant.parse("2026-11-23T10:00:00Z");
  private static final MaintenanceFlag FLAG = MaintenanceFlag.of("database upgrade", "ops", SINCE);

  @Test
  void ofMakesAFlagWithNoEndAndNothingAllowed() {
    assertThat(FLAG).isEqualTo(new MaintenanceFlag("database upgrade", "ops", SINCE, null, List.of(), List.of()));
  }

  @Test
  void withersReplaceOnlyTheirPart() {
    MaintenanceFlag flag = FLAG.withUntil(SINCE.plusSeconds(60))
        .withAllowedPaths("/assets/.*").withAllowedClients("10.0.0.0/8")
        .withAllowedPaths("/robots\\.txt");

    assertThat(flag).isEqualTo(new MaintenanceFlag("database upgrade", "ops", SINCE, SINCE.plusSeconds(60),
        List.of("/robots\\.txt"), List.of("10.0.0.0/8")));
  }

  @Test
  void flagIsOnUntilJustBeforeItsUntil() {
    MaintenanceFlag flag = FLAG.withUntil(SINCE.plusSeconds(60));

    assertThat(flag.isOnAt(SINCE.plusSeconds(60).minusNanos(1))).isTrue();
    assertThat(flag.isOnAt(SINCE.plusSeconds(60))).isFalse();
    assertThat(FLAG.isOnAt(Instant.MAX)).isTrue();
  }

  @Test
  void listsAreCopied() {
    List<String> paths = new ArrayList<>(List.of("/assets/.*"));
    MaintenanceFlag flag = new MaintenanceFlag("", "", SINCE, null, paths, List.of());

    paths.add("/more");

    assertThat(flag.allowedPaths()).containsExactly("/assets/.*");
  }

  @Test
  void untilNotAfterSinceIsRefused() {
    assertThatThrownBy(() -> FLAG.withUntil(SINCE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("until must be after since (2026-11-23T10:00:00Z), was 2026-11-23T10:00:00Z");
  }

  @Test
  void allowedPathThatIsNoRegularExpressionIsRefused() {
    assertThatThrownBy(() -> FLAG.withAllowedPaths("/assets/.*", "/[unclosed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowedPaths must hold regular expressions, was '/[unclosed':"
            + " Unclosed character class near index 9");
  }

  @Test
  void allowedClientThatIsNoAddressIsRefused() {
    assertThatThrownBy(() -> FLAG.withAllowedClients("10.0.0.0/8", "office.example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowedClients must hold IP addresses or CIDR blocks, was 'office.example.com':"
            + " not a literal IPv4 or IPv6 address, optionally with a /prefix (e.g. 10.0.0.1, 10.0.0.0/8, 2001:db8::/32)");
  }

  @Test
  void allowedClientWithTooLongAPrefixIsRefused() {
    assertThatThrownBy(() -> FLAG.withAllowedClients("10.0.0.0/40"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowedClients must hold IP addresses or CIDR blocks, was '10.0.0.0/40':"
            + " the prefix length must be from 0 to 32 for an IPv4 address");
  }

  @Test
  void nullInAnAllowListIsRefused() {
    assertThatThrownBy(() -> new MaintenanceFlag("", "", SINCE, null, Arrays.asList("/a", null), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowedPaths must not hold null, was [/a, null]");
  }

  @Test
  void missingAllowListIsRefused() {
    assertThatThrownBy(() -> new MaintenanceFlag("", "", SINCE, null, List.of(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowedClients must be a list (empty for none), was null");
  }
}
