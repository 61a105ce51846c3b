package dev.shunt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CidrTest {

  private static InetAddress ip(String literal) {
    return Cidr.address(literal).orElseThrow();
  }

  @Test
  void ipv4BlockContainsTheAddressesThatShareItsPrefix() {
    Cidr block = Cidr.parse("10.1.0.0/16");

    assertThat(block.contains(ip("10.1.0.0"))).isTrue();
    assertThat(block.contains(ip("10.1.255.255"))).isTrue();
    assertThat(block.contains(ip("10.2.0.0"))).isFalse();
    assertThat(block.contains(ip("9.1.0.1"))).isFalse();
  }

  @Test
  void prefixNeedNotEndOnAByte() {
    Cidr block = Cidr.parse("192.0.2.0/28");

    assertThat(block.contains(ip("192.0.2.15"))).isTrue();
    assertThat(block.contains(ip("192.0.2.16"))).isFalse();
  }

  @Test
  void addressWithoutPrefixIsABlockOfItselfOnly() {
    Cidr single = Cidr.parse("192.0.2.7");

    assertThat(single.prefix()).isEqualTo(32);
    assertThat(single.contains(ip("192.0.2.7"))).isTrue();
    assertThat(single.contains(ip("192.0.2.6"))).isFalse();
  }

  @Test
  void slash32IsASingleAddress() {
    Cidr single = Cidr.parse("192.0.2.7/32");

    assertThat(single.contains(ip("192.0.2.7"))).isTrue();
    assertThat(single.contains(ip("192.0.2.8"))).isFalse();
  }

  @Test
  void slash0ContainsEveryAddressOfItsFamilyOnly() {
    assertThat(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
    assertThat(Cidr.parse("0.0.0.0/0").contains(ip("2001:db8::1"))).isFalse();
    assertThat(Cidr.parse("::/0").contains(ip("2001:db8::1"))).isTrue();
    assertThat(Cidr.parse("::/0").contains(ip("203.0.113.9"))).isFalse();
  }

  @Test
  void ipv6BlockContainsTheAddressesThatShareItsPrefix() {
    Cidr block = Cidr.parse("2001:db8::/32");

    assertThat(block.contains(ip("2001:db8:ffff::1"))).isTrue();
    assertThat(block.contains(ip("2001:db9::1"))).isFalse();
  }

  @Test
  void slash128IsASingleIpv6Address() {
    Cidr single = Cidr.parse("2001:db8::7/128");

    assertThat(single.contains(ip("2001:db8:0:0:0:0:0:7"))).isTrue();
    assertThat(single.contains(ip("2001:db8::8"))).isFalse();
  }

  @Test
  void ipv4BlockNeverContainsAnIpv6AddressNorTheOtherWayRound() {
    assertThat(Cidr.parse("127.0.0.1").contains(ip("::1"))).isFalse();
    assertThat(Cidr.parse("::1").contains(ip("127.0.0.1"))).isFalse();
  }

  @Test
  void ipv4MappedIpv6AddressIsTheIpv4AddressItMaps() {
    assertThat(Cidr.parse("10.0.0.0/8").contains(ip("::ffff:10.1.2.3"))).isTrue();
  }

  @Test
  void bitsPastThePrefixAreIgnored() {
    assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
    assertThat(Cidr.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
  }

  @Test
  void ipv6ZoneIsDropped() {
    assertThat(Cidr.parse("fe80::/10").contains(ip("fe80::1%1"))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "example.com", "256.0.0.1", "10.0.0", "10.0.0.1.2", "010.0.0.1",
      "10.0.0.-1", "", " ", "::g", ".::1", "1.2.3.4/", "1.2.3.4/x", "1.2.3.4/-1"})
  void whatIsNoLiteralAddressIsRefusedWithoutAskingDns(String text) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Cidr.address(text)).isEmpty();
  }

  @Test
  void noLiteralAddressIsRefusedWithTheRuleAndExamples() {
    assertThatThrownBy(() -> Cidr.parse("office"))
        .hasMessage("not a literal IPv4 or IPv6 address, optionally with a /prefix"
            + " (e.g. 10.0.0.1, 10.0.0.0/8, 2001:db8::/32)");
  }

  @Test
  void prefixLongerThanTheAddressIsRefused() {
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33"))
        .hasMessage("the prefix length must be from 0 to 32 for an IPv4 address");
    assertThatThrownBy(() -> Cidr.parse("2001:db8::/129"))
        .hasMessage("the prefix length must be from 0 to 128 for an IPv6 address");
  }
}
