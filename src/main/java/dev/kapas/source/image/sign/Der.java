package dev.kapas.source.image.sign;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One DER element (ITU-T X.690): its tag, and where its header and contents lie in the bytes it
 * was read from; enough to walk a CMS timestamp token without a library. Single-byte tags only
 * (what CMS and RFC 3161 use); lengths of up to four bytes. Malformed input is an {@link
 * IllegalArgumentException}.
 */
record Der(byte[] bytes, int tag, int start, int contentStart, int end) {
  static final int INTEGER = 0x02;
  static final int OCTET_STRING = 0x04;
  static final int OID = 0x06;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;
  static final int GENERALIZED_TIME = 0x18;

  /** The element that fills {@code bytes}. */
  static Der parse(byte[] bytes) {
    Der d = at(bytes, 0, bytes.length);
    if (d.end != bytes.length) {
      throw new IllegalArgumentException("trailing bytes after the DER element");
    }
    return d;
  }

  private static Der at(byte[] b, int start, int limit) {
    if (start + 2 > limit) {
      throw new IllegalArgumentException("DER element cut short");
    }
    int tag = b[start] & 0xff;
    if ((tag & 0x1f) == 0x1f) {
      throw new IllegalArgumentException("multi-byte DER tag");
    }
    int len = b[start + 1] & 0xff;
    int at = start + 2;
    if (len > 0x80) {
      int n = len & 0x7f;
      if (n > 4 || at + n > limit) {
        throw new IllegalArgumentException("DER length too long");
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (b[at++] & 0xff);
      }
    } else if (len == 0x80) {
      throw new IllegalArgumentException("indefinite DER length");
    }
    if (len < 0 || at + len > limit) {
      throw new IllegalArgumentException("DER element longer than its container");
    }
    return new Der(b, tag, start, at, at + len);
  }

  /** The elements inside a constructed one. */
  List<Der> children() {
    List<Der> out = new ArrayList<>();
    for (int at = contentStart; at < end; ) {
      Der d = at(bytes, at, end);
      out.add(d);
      at = d.end;
    }
    return out;
  }

  /** The child at {@code i}, which must have {@code tag}. */
  Der child(int i, int tag) {
    List<Der> c = children();
    if (i >= c.size() || c.get(i).tag != tag) {
      throw new IllegalArgumentException("DER element " + i + " is not of tag 0x" + Integer.toHexString(tag));
    }
    return c.get(i);
  }

  byte[] content() {
    return Arrays.copyOfRange(bytes, contentStart, end);
  }

  /** The whole element, header included. */
  byte[] encoded() {
    return Arrays.copyOfRange(bytes, start, end);
  }

  /** An OBJECT IDENTIFIER's dotted form. */
  String oid() {
    if (tag != OID || end == contentStart) {
      throw new IllegalArgumentException("not an OBJECT IDENTIFIER");
    }
    StringBuilder s = new StringBuilder();
    long v = 0;
    boolean first = true;
    for (int i = contentStart; i < end; i++) {
      v = (v << 7) | (bytes[i] & 0x7f);
      if ((bytes[i] & 0x80) == 0) {
        if (first) {
          s.append(v < 80 ? v / 40 : 2).append('.').append(v < 80 ? v % 40 : v - 80);
          first = false;
        } else {
          s.append('.').append(v);
        }
        v = 0;
      }
    }
    return s.toString();
  }
}
