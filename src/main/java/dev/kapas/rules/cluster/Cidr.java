package dev.kapas.rules.cluster;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** An IPv4 or IPv6 network in CIDR notation, as NetworkPolicy ipBlocks write them. */
record Cidr(BigInteger network, int prefix, int bits) {

  /** Parses {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a /32 or /128. Never resolves names. */
  static Optional<Cidr> parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    String address = slash < 0 ? t : t.substring(0, slash);
    boolean v6 = address.contains(":");
    if (address.isEmpty() || !address.matches(v6 ? "[0-9A-Fa-f:.]+" : "[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
      return Optional.empty();
    }
    int bits = v6 ? 128 : 32;
    try {
      int prefix = slash < 0 ? bits : Integer.parseInt(t.substring(slash + 1));
      if (prefix < 0 || prefix > bits) {
        return Optional.empty();
      }
      byte[] bytes = InetAddress.getByName(address).getAddress(); // a literal: no lookup
      if (bytes.length * 8 != bits) {
        return Optional.empty();
      }
      BigInteger value = new BigInteger(1, bytes);
      BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
          .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
      return Optional.of(new Cidr(value.and(mask), prefix, bits));
    } catch (NumberFormatException | UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** Whether every address of {@code other} lies in this network. */
  boolean contains(Cidr other) {
    if (other.bits != bits || other.prefix < prefix) {
      return false;
    }
    return other.network.shiftRight(bits - prefix).equals(network.shiftRight(bits - prefix));
  }

  boolean isEverything() {
    return prefix == 0;
  }
}
