package dev.shunt.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A block of IP addresses, {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a single address is a
 * block of one ({@code /32} or {@code /128}). Matches by comparing the first {@code prefix} bits
 * of the addresses' bytes; an IPv4 address never falls in an IPv6 block nor the other way round.
 *
 * <p>Only literal addresses are accepted, never host names, so parsing never asks DNS. Immutable
 * and thread-safe.
 */
public final class Cidr {
  private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
  /** Starts with a hex digit or a colon and has a colon: what getByName takes as an IPv6 literal. */
  private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

  private final byte[] network;
  private final int prefix;

  private Cidr(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /**
   * Parses {@code text}: an IPv4 or IPv6 address, optionally followed by {@code /prefix} (0 to
   * 32, or 0 to 128). Bits past the prefix are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}).
   *
   * @throws IllegalArgumentException saying what is wrong with {@code text}, without repeating it
   */
  public static Cidr parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("it is null");
    }
    int slash = text.indexOf('/');
    String addressText = slash < 0 ? text : text.substring(0, slash);
    byte[] address = address(addressText)
        .orElseThrow(() -> new IllegalArgumentException("not a literal IPv4 or IPv6 address, optionally with a"
            + " /prefix (e.g. 10.0.0.1, 10.0.0.0/8, 2001:db8::/32)"))
        .getAddress();
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String prefixText = text.substring(slash + 1);
      if (!prefixText.matches("[0-9]{1,3}") || Integer.parseInt(prefixText) > bits) {
        throw new IllegalArgumentException("the prefix length must be from 0 to " + bits + " for an IPv"
            + (bits == 32 ? 4 : 6) + " address");
      }
      prefix = Integer.parseInt(prefixText);
    }
    return new Cidr(masked(address, prefix), prefix);
  }

  /**
   * {@code text} as an address, if it is a literal IPv4 or IPv6 address; an IPv6 zone
   * ({@code %eth0}) is dropped. Never asks DNS.
   */
  public static Optional<InetAddress> address(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String literal = text.strip();
    int zone = literal.indexOf('%');
    if (zone >= 0) {
      literal = literal.substring(0, zone);
    }
    if (IPV4.matcher(literal).matches()) {
      byte[] bytes = new byte[4];
      String[] parts = literal.split("\\.");
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(parts[i]);
        if (octet > 255) {
          return Optional.empty();
        }
        bytes[i] = (byte) octet;
      }
      return Optional.of(byAddress(bytes));
    }
    if (IPV6.matcher(literal).matches()) {
      // getByName parses such a string as an IPv6 literal, and fails rather than ask DNS.
      try {
        return Optional.of(InetAddress.getByName(literal));
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Whether {@code address} is in this block. */
  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == network.length && Arrays.equals(masked(bytes, prefix), network);
  }

  /** The prefix length: how many leading bits an address must share with the block. */
  public int prefix() {
    return prefix;
  }

  private static byte[] masked(byte[] address, int prefix) {
    byte[] masked = address.clone();
    for (int i = 0; i < masked.length; i++) {
      int bitsInThisByte = Math.max(0, Math.min(8, prefix - i * 8));
      masked[i] &= (byte) (0xff00 >> bitsInThisByte);
    }
    return masked;
  }

  private static InetAddress byAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException("4 or 16 bytes are always an address", impossible);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr that && prefix == that.prefix && Arrays.equals(network, that.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  @Override
  public String toString() {
    return byAddress(network).getHostAddress() + "/" + prefix;
  }
}
