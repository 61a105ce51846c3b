package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.internal.InstanceKeyRules;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class InstanceKeyTest {
  private static final String RULE = " must be 1 to 200 of the characters [A-Za-z0-9._:-], and not '.' or '..', was ";
  private static final String LEADING_DASH_RULE = " must not start with '-' (a command given it, as in 'ssh {host}',"
      + " would read it as an option), was ";

  @Test
  void serviceWithASpaceIsRejectedNamingFieldAndValue() {
    assertThatThrownBy(() -> InstanceKey.of("check out", "web-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service" + RULE + "'check out'");
  }

  @Test
  void hostWithASlashIsRejectedNamingFieldAndValue() {
    assertThatThrownBy(() -> InstanceKey.of("checkout", "../web-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host" + RULE + "'../web-1'");
  }

  @Test
  void nullServiceIsRejectedAsNull() {
    assertThatThrownBy(() -> InstanceKey.of(null, "web-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service" + RULE + "null");
  }

  @Test
  void emptyHostIsRejected() {
    assertThatThrownBy(() -> InstanceKey.of("checkout", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host" + RULE + "''");
  }

  @Test
  void namesMayBe200CharactersLongButNotMore() {
    String longest = "h".repeat(200);

    assertThat(InstanceKey.of("checkout", longest).host()).isEqualTo(longest);
    assertThatThrownBy(() -> InstanceKey.of("checkout", longest + "h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host" + RULE + "'" + longest + "h'");
  }

  @Test
  void hostMayCarryAPort() {
    InstanceKey key = InstanceKey.of("checkout", "web-1.example.com:8081");

    assertThat(key.service()).isEqualTo("checkout");
    assertThat(key.host()).isEqualTo("web-1.example.com:8081");
  }

  @Test
  void printsAsServiceSlashHost() {
    assertThat(InstanceKey.of("checkout", "web-1:8081")).hasToString("checkout/web-1:8081");
  }

  @Test
  void localKeyIsNamedByThisMachinesHostName() throws Exception {
    InstanceKey key = InstanceKey.local("checkout");

    assertThat(key).isEqualTo(InstanceKey.of("checkout", InetAddress.getLocalHost().getHostName()));
  }

  @Test
  void requireServiceNameReturnsAValidName() {
    assertThat(InstanceKeyRules.requireServiceName("checkout")).isEqualTo("checkout");
  }

  @Test
  void requireServiceNameRejectsAnInvalidNameNamingTheValue() {
    assertThatThrownBy(() -> InstanceKeyRules.requireServiceName("check/out"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service" + RULE + "'check/out'");
  }

  @Test
  void dotAndDotDotAreRejectedSoNoKeyResolvesOutsideAStoreDirectory() {
    assertThatThrownBy(() -> InstanceKey.of("..", "web-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service must be").hasMessageContaining("was '..'");
    assertThatThrownBy(() -> InstanceKey.of("checkout", "."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host must be").hasMessageContaining("was '.'");
  }

  @Test
  void hostStartingWithADashIsRejectedSoSshHostNeverReadsItAsAnOption() {
    assertThatThrownBy(() -> InstanceKey.of("checkout", "-V"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host" + LEADING_DASH_RULE + "'-V'");
    assertThatThrownBy(() -> InstanceKeyRules.requireHostName("--help"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host" + LEADING_DASH_RULE + "'--help'");
  }

  @Test
  void serviceStartingWithADashIsRejectedByTheSameRule() {
    assertThatThrownBy(() -> InstanceKeyRules.requireServiceName("-checkout"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service" + LEADING_DASH_RULE + "'-checkout'");
  }

  @Test
  void aDashInsideOrAtTheEndOfANameIsAllowed() {
    assertThat(InstanceKey.of("check-out-", "web-1-").host()).isEqualTo("web-1-");
  }
}
