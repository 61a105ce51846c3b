package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class HostAndPortTest {

  @Test
  void hostWithoutPortTakesTheDefault() {
    assertThat(HostAndPort.parse("web-1", 22)).isEqualTo(new HostAndPort("web-1", 22));
  }

  @Test
  void portInTheHostWins() {
    assertThat(HostAndPort.parse("web-1:2222", 22)).isEqualTo(new HostAndPort("web-1", 2222));
  }

  @Test
  void bracketedIpv6AddressMayNameAPort() {
    assertThat(HostAndPort.parse("[2001:db8::1]:2222", 22)).isEqualTo(new HostAndPort("2001:db8::1", 2222));
    assertThat(HostAndPort.parse("[::1]", 22)).isEqualTo(new HostAndPort("::1", 22));
  }

  @Test
  void bareIpv6AddressHasNoPort() {
    assertThat(HostAndPort.parse("2001:db8::1", 22)).isEqualTo(new HostAndPort("2001:db8::1", 22));
  }

  @Test
  void printsIpv6InBrackets() {
    assertThat(new HostAndPort("::1", 22)).hasToString("[::1]:22");
    assertThat(new HostAndPort("web-1", 2222)).hasToString("web-1:2222");
  }

  @Test
  void rejectsPortThatIsNotANumberFrom1To65535() {
    assertThatIllegalArgumentException().isThrownBy(() -> HostAndPort.parse("web-1:ssh", 22))
        .withMessage("host 'web-1:ssh' names port 'ssh', which is not from 1 to 65535");
    assertThatIllegalArgumentException().isThrownBy(() -> HostAndPort.parse("web-1:0", 22))
        .withMessage("host 'web-1:0' names port '0', which is not from 1 to 65535");
  }

  @Test
  void rejectsUnclosedBracket() {
    assertThatIllegalArgumentException().isThrownBy(() -> HostAndPort.parse("[::1:22", 22))
        .withMessage("host '[::1:22' opens '[' but does not close it");
  }
}
