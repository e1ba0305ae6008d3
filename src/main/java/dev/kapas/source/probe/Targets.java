package dev.kapas.source.probe;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The hosts a probe may contact: exactly what the user named — host names, IPv4 and IPv6
 * addresses, and CIDR blocks (every address in the block, as nmap does). Nothing else is ever
 * contacted.
 */
public final class Targets {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?");

  private Targets() {}

  /** A user's target that is not a host, address or CIDR block; the message does not repeat the target. */
  public static final class BadTarget extends Exception {
    public BadTarget(String message) {
      super(message);
    }
  }

  /** How many addresses {@code spec} stands for, without expanding it. */
  public static BigInteger count(String spec) throws BadTarget {
    int slash = spec.indexOf('/');
    if (slash < 0) {
      check(spec);
      return BigInteger.ONE;
    }
    byte[] base = address(spec.substring(0, slash), spec);
    int prefix = prefix(spec.substring(slash + 1), base.length * 8, spec);
    return BigInteger.ONE.shiftLeft(base.length * 8 - prefix);
  }

  /** The hosts {@code spec} stands for, in address order; call {@link #count} first for the cap. */
  public static List<String> expand(String spec) throws BadTarget {
    int slash = spec.indexOf('/');
    if (slash < 0) {
      return List.of(check(spec));
    }
    byte[] base = address(spec.substring(0, slash), spec);
    int bits = base.length * 8;
    int prefix = prefix(spec.substring(slash + 1), bits, spec);
    BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
        .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
    BigInteger first = new BigInteger(1, base).and(mask);
    long n = BigInteger.ONE.shiftLeft(bits - prefix).longValueExact();
    List<String> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      out.add(text(first.add(BigInteger.valueOf(i)), base.length));
    }
    return out;
  }

  /** {@code host:port}, with IPv6 addresses in brackets. */
  public static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  public static boolean isIpLiteral(String host) {
    return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
  }

  /** Whether two address literals name the same address ({@code ::1} and {@code 0:0::1}). */
  static boolean sameAddress(String a, String b) {
    if (!isIpLiteral(a) || !isIpLiteral(b)) {
      return false;
    }
    try {
      return InetAddress.getByName(a).equals(InetAddress.getByName(b));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String check(String host) throws BadTarget {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (isIpLiteral(h)) {
      address(h, host);
      return h;
    }
    if (!HOST.matcher(h).matches() || h.length() > 253) {
      throw new BadTarget("not a host name, IP address or CIDR block");
    }
    return h;
  }

  private static byte[] address(String text, String spec) throws BadTarget {
    if (!isIpLiteral(text)) {
      throw new BadTarget("a CIDR block needs an IP address before the /, not `" + text + "`");
    }
    if (IPV4.matcher(text).matches()) {
      for (String part : text.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          throw new BadTarget(what(text, spec) + "not an IPv4 address");
        }
      }
    } else if (!text.matches("[0-9A-Fa-f:.]+")) {
      throw new BadTarget(what(text, spec) + "not an IPv6 address");
    }
    try {
      // a literal: InetAddress parses it without a DNS lookup
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      throw new BadTarget(what(text, spec) + "not an IP address");
    }
  }

  /** Names the part of a CIDR block that is wrong; nothing when it is the whole target. */
  private static String what(String text, String spec) {
    return text.equals(spec) ? "" : "`" + text + "` is ";
  }

  private static int prefix(String text, int bits, String spec) throws BadTarget {
    if (!text.matches("\\d{1,3}") || Integer.parseInt(text) > bits) {
      throw new BadTarget("the prefix length must be 0 to " + bits);
    }
    return Integer.parseInt(text);
  }

  private static String text(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    byte[] addr = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, addr, length - copy, copy);
    if (length == 4) {
      return (addr[0] & 0xff) + "." + (addr[1] & 0xff) + "." + (addr[2] & 0xff) + "." + (addr[3] & 0xff);
    }
    return ipv6(addr);
  }

  /** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as {@code ::}. */
  static String ipv6(byte[] addr) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((addr[2 * i] & 0xff) << 8) | (addr[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
