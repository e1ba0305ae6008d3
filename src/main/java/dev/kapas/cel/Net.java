package dev.kapas.cel;

import static dev.cel.common.CelFunctionDecl.newFunctionDeclaration;
import static dev.cel.common.CelOverloadDecl.newGlobalOverload;
import static dev.cel.common.CelOverloadDecl.newMemberOverload;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import java.util.Arrays;
import java.util.List;

/**
 * The Kubernetes IP and CIDR libraries ({@code ip()}, {@code cidr()} and their methods), with Go
 * {@code net/netip}'s strict parsing: no leading zeros, no zones, no IPv4-mapped IPv6 addresses.
 */
final class Net implements Library {
  static final OpaqueType IP_TYPE = OpaqueType.create("net.IP");
  static final OpaqueType CIDR_TYPE = OpaqueType.create("net.CIDR");

  /** An address: 4 or 16 bytes. */
  record Ip(byte[] bytes) {
    int family() {
      return bytes.length == 4 ? 4 : 6;
    }

    int bit(int i) {
      return (bytes[i / 8] >> (7 - i % 8)) & 1;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Ip other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return format(this);
    }
  }

  record Cidr(Ip ip, int bits) {
    Ip masked() {
      byte[] b = ip.bytes.clone();
      for (int i = bits; i < b.length * 8; i++) {
        b[i / 8] &= (byte) ~(1 << (7 - i % 8));
      }
      return new Ip(b);
    }

    boolean contains(Ip addr) {
      if (addr.family() != ip.family()) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        if (addr.bit(i) != ip.bit(i)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return format(ip) + "/" + bits;
    }
  }

  @Override
  public List<CelType> types() {
    return List.of(IP_TYPE, CIDR_TYPE);
  }

  @Override
  public List<CelFunctionDecl> declarations() {
    var s = SimpleType.STRING;
    var b = SimpleType.BOOL;
    var i = SimpleType.INT;
    return List.of(
        newFunctionDeclaration("ip", newGlobalOverload("string_to_ip", IP_TYPE, s)),
        newFunctionDeclaration("isIP", newGlobalOverload("is_ip", b, s)),
        newFunctionDeclaration("ip.isCanonical", newGlobalOverload("ip_is_canonical", b, s)),
        newFunctionDeclaration("family", newMemberOverload("ip_family", i, IP_TYPE)),
        newFunctionDeclaration("isUnspecified", newMemberOverload("ip_is_unspecified", b, IP_TYPE)),
        newFunctionDeclaration("isLoopback", newMemberOverload("ip_is_loopback", b, IP_TYPE)),
        newFunctionDeclaration("isLinkLocalMulticast",
            newMemberOverload("ip_is_link_local_multicast", b, IP_TYPE)),
        newFunctionDeclaration("isLinkLocalUnicast",
            newMemberOverload("ip_is_link_local_unicast", b, IP_TYPE)),
        newFunctionDeclaration("isGlobalUnicast", newMemberOverload("ip_is_global_unicast", b, IP_TYPE)),
        newFunctionDeclaration("cidr", newGlobalOverload("string_to_cidr", CIDR_TYPE, s)),
        newFunctionDeclaration("isCIDR", newGlobalOverload("is_cidr", b, s)),
        newFunctionDeclaration("containsIP",
            newMemberOverload("cidr_contains_ip_ip", b, CIDR_TYPE, IP_TYPE),
            newMemberOverload("cidr_contains_ip_string", b, CIDR_TYPE, s)),
        newFunctionDeclaration("containsCIDR",
            newMemberOverload("cidr_contains_cidr", b, CIDR_TYPE, CIDR_TYPE),
            newMemberOverload("cidr_contains_cidr_string", b, CIDR_TYPE, s)),
        newFunctionDeclaration("ip", newMemberOverload("cidr_ip", IP_TYPE, CIDR_TYPE)),
        newFunctionDeclaration("masked", newMemberOverload("cidr_masked", CIDR_TYPE, CIDR_TYPE)),
        newFunctionDeclaration("prefixLength", newMemberOverload("cidr_prefix_length", i, CIDR_TYPE)),
        newFunctionDeclaration("string",
            newGlobalOverload("ip_to_string", s, IP_TYPE),
            newGlobalOverload("cidr_to_string", s, CIDR_TYPE)));
  }

  @Override
  public List<CelFunctionBinding> bindings() {
    return List.of(
        CelFunctionBinding.from("string_to_ip", String.class, Net::ip),
        CelFunctionBinding.from("is_ip", String.class, s -> parseIp(s) instanceof Ip),
        CelFunctionBinding.from("ip_is_canonical", String.class, s -> format(ip(s)).equals(s)),
        CelFunctionBinding.from("ip_family", Ip.class, ip -> (long) ip.family()),
        CelFunctionBinding.from("ip_is_unspecified", Ip.class, Net::isUnspecified),
        CelFunctionBinding.from("ip_is_loopback", Ip.class, Net::isLoopback),
        CelFunctionBinding.from("ip_is_link_local_multicast", Ip.class, Net::isLinkLocalMulticast),
        CelFunctionBinding.from("ip_is_link_local_unicast", Ip.class, Net::isLinkLocalUnicast),
        CelFunctionBinding.from("ip_is_global_unicast", Ip.class, Net::isGlobalUnicast),
        CelFunctionBinding.from("string_to_cidr", String.class, Net::cidr),
        CelFunctionBinding.from("is_cidr", String.class, s -> parseCidr(s) instanceof Cidr),
        CelFunctionBinding.from("cidr_contains_ip_ip", Cidr.class, Ip.class, Cidr::contains),
        CelFunctionBinding.from("cidr_contains_ip_string", Cidr.class, String.class,
            (c, s) -> c.contains(ip(s))),
        CelFunctionBinding.from("cidr_contains_cidr", Cidr.class, Cidr.class, Net::containsCidr),
        CelFunctionBinding.from("cidr_contains_cidr_string", Cidr.class, String.class,
            (c, s) -> containsCidr(c, cidr(s))),
        CelFunctionBinding.from("cidr_ip", Cidr.class, Cidr::ip),
        CelFunctionBinding.from("cidr_masked", Cidr.class, c -> new Cidr(c.masked(), c.bits())),
        CelFunctionBinding.from("cidr_prefix_length", Cidr.class, c -> (long) c.bits()),
        CelFunctionBinding.from("ip_to_string", Ip.class, Net::format),
        CelFunctionBinding.from("cidr_to_string", Cidr.class, Cidr::toString));
  }

  static Ip ip(String s) {
    Object parsed = parseIp(s);
    if (parsed instanceof Ip ip) {
      return ip;
    }
    throw new CelRuntimeError("IP Address \"" + s + "\" parse error during conversion from string: "
        + parsed);
  }

  static Cidr cidr(String s) {
    Object parsed = parseCidr(s);
    if (parsed instanceof Cidr c) {
      return c;
    }
    throw new CelRuntimeError("network address parse error during conversion from string: " + parsed);
  }

  private static boolean containsCidr(Cidr outer, Cidr inner) {
    return inner.bits() >= outer.bits() && outer.contains(inner.ip());
  }

  /** An {@link Ip}, or a String saying why {@code s} is not one. */
  static Object parseIp(String s) {
    if (s.contains("%")) {
      return "IP address with zone value is not allowed";
    }
    Object parsed = s.indexOf(':') >= 0 ? parseV6(s) : s.indexOf('.') >= 0 ? parseV4(s, 0, s.length())
        : "ParseAddr(\"" + s + "\"): unable to parse IP";
    if (parsed instanceof byte[] b) {
      Ip ip = new Ip(b);
      return isV4Mapped(ip) ? "IPv4-mapped IPv6 address is not allowed" : ip;
    }
    return "ParseAddr(\"" + s + "\"): " + parsed;
  }

  static Object parseCidr(String s) {
    int slash = s.lastIndexOf('/');
    if (slash < 0) {
      return "netip.ParsePrefix(\"" + s + "\"): no '/'";
    }
    Object addr = parseIp(s.substring(0, slash));
    if (!(addr instanceof Ip ip)) {
      return "netip.ParsePrefix(\"" + s + "\"): " + addr;
    }
    String bits = s.substring(slash + 1);
    int max = ip.bytes.length * 8;
    if (!bits.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(bits) > max) {
      return "netip.ParsePrefix(\"" + s + "\"): bad bits after slash: \"" + bits + "\"";
    }
    return new Cidr(ip, Integer.parseInt(bits));
  }

  /** Four dotted decimal octets, no leading zeros (Go rejects them since 1.17). */
  private static Object parseV4(String s, int from, int to) {
    byte[] out = new byte[4];
    int field = 0;
    int value = -1;
    int digits = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (digits == 1 && value == 0) {
          return "IPv4 field has octet with leading zero";
        }
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        digits++;
        if (value > 255) {
          return "IPv4 field has value >255";
        }
      } else if (c == '.') {
        if (digits == 0) {
          return "IPv4 field must have at least one digit";
        }
        if (field == 3) {
          return "IPv4 address too long";
        }
        out[field++] = (byte) value;
        value = -1;
        digits = 0;
      } else {
        return "unexpected character";
      }
    }
    if (digits == 0) {
      return "IPv4 field must have at least one digit";
    }
    if (field < 3) {
      return "IPv4 address too short";
    }
    out[3] = (byte) value;
    return out;
  }

  private static Object parseV6(String s) {
    byte[] out = new byte[16];
    int ellipsis = -1;
    int i = 0;
    if (s.startsWith("::")) {
      ellipsis = 0;
      i = 2;
      if (i == s.length()) {
        return out;
      }
    }
    int n = 0;
    while (n < 16) {
      int off = i;
      int acc = 0;
      while (off < s.length() && Character.digit(s.charAt(off), 16) >= 0 && off - i < 4) {
        acc = acc * 16 + Character.digit(s.charAt(off), 16);
        off++;
      }
      if (off < s.length() && Character.digit(s.charAt(off), 16) >= 0) {
        return "each colon-separated field must have at most 4 hex digits";
      }
      if (off == i) {
        return "each colon-separated field must have at least one digit (at \"" + s.substring(i) + "\")";
      }
      if (off < s.length() && s.charAt(off) == '.') {
        if (ellipsis < 0 && n != 12) {
          return "embedded IPv4 address must replace the final 2 fields of the address";
        }
        if (n + 4 > 16) {
          return "too many hex fields to fit an embedded IPv4 at the end of the address";
        }
        Object v4 = parseV4(s, i, s.length());
        if (v4 instanceof String err) {
          return err;
        }
        System.arraycopy((byte[]) v4, 0, out, n, 4);
        n += 4;
        i = s.length();
        break;
      }
      out[n] = (byte) (acc >> 8);
      out[n + 1] = (byte) acc;
      n += 2;
      i = off;
      if (i == s.length()) {
        break;
      }
      if (s.charAt(i) != ':') {
        return "unexpected character, want colon";
      } else if (i + 1 == s.length()) {
        return "colon must be followed by more characters";
      }
      i++;
      if (s.charAt(i) == ':') {
        if (ellipsis >= 0) {
          return "multiple :: in address";
        }
        ellipsis = n;
        i++;
        if (i == s.length()) {
          break;
        }
      }
    }
    if (i != s.length()) {
      return "trailing garbage after address";
    }
    if (n < 16) {
      if (ellipsis < 0) {
        return "address string too short";
      }
      int shift = 16 - n;
      for (int j = n - 1; j >= ellipsis; j--) {
        out[j + shift] = out[j];
      }
      Arrays.fill(out, ellipsis, ellipsis + shift, (byte) 0);
    } else if (ellipsis >= 0) {
      return "the :: must expand to at least one field of zeros";
    }
    return out;
  }

  private static boolean isV4Mapped(Ip ip) {
    if (ip.bytes.length != 16) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (ip.bytes[i] != 0) {
        return false;
      }
    }
    return ip.bytes[10] == (byte) 0xff && ip.bytes[11] == (byte) 0xff;
  }

  /** Go's {@code netip.Addr.String()}: dotted quad, or RFC 5952 IPv6 (lowercase, longest zero run as ::). */
  static String format(Ip ip) {
    byte[] b = ip.bytes;
    if (b.length == 4) {
      return (b[0] & 255) + "." + (b[1] & 255) + "." + (b[2] & 255) + "." + (b[3] & 255);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 255) << 8) | (b[2 * i + 1] & 255);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLen - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  private static boolean isUnspecified(Ip ip) {
    for (byte x : ip.bytes) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLoopback(Ip ip) {
    if (ip.family() == 4) {
      return (ip.bytes[0] & 255) == 127;
    }
    for (int i = 0; i < 15; i++) {
      if (ip.bytes[i] != 0) {
        return false;
      }
    }
    return ip.bytes[15] == 1;
  }

  private static boolean isMulticast(Ip ip) {
    return ip.family() == 4 ? (ip.bytes[0] & 0xf0) == 0xe0 : (ip.bytes[0] & 255) == 0xff;
  }

  private static boolean isLinkLocalMulticast(Ip ip) {
    return ip.family() == 4
        ? (ip.bytes[0] & 255) == 224 && ip.bytes[1] == 0 && ip.bytes[2] == 0
        : (ip.bytes[0] & 255) == 0xff && (ip.bytes[1] & 0x0f) == 0x02;
  }

  private static boolean isLinkLocalUnicast(Ip ip) {
    return ip.family() == 4
        ? (ip.bytes[0] & 255) == 169 && (ip.bytes[1] & 255) == 254
        : (ip.bytes[0] & 255) == 0xfe && (ip.bytes[1] & 0xc0) == 0x80;
  }

  private static boolean isGlobalUnicast(Ip ip) {
    if (ip.family() == 4 && Arrays.equals(ip.bytes, new byte[] {-1, -1, -1, -1})) {
      return false;
    }
    return !isUnspecified(ip) && !isLoopback(ip) && !isMulticast(ip) && !isLinkLocalUnicast(ip);
  }
}
