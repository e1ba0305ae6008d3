package dev.kapas.report;

import java.util.Locale;
import java.util.function.IntPredicate;

/** Text from the scanned input, made safe for where a report puts it. */
final class Text {
  private Text() {}

  /** Spells every code point that {@code allowed} rejects as {@code \\uXXXX}. */
  static String escape(String s, IntPredicate allowed) {
    // Most text needs nothing escaped: hand it back as it is (reports escape every message).
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (!allowed.test(cp)) {
        break;
      }
      i += Character.charCount(cp);
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      if (allowed.test(cp)) {
        sb.appendCodePoint(cp);
      } else {
        sb.append(String.format(Locale.ROOT, "\\u%04X", cp));
      }
    });
    return sb.toString();
  }

  /** What XML 1.0 can carry: no C0 controls but tab and newlines, no lone surrogates. */
  static boolean xmlChar(int cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD
        || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
  }

  /**
   * What a terminal shows as itself: no control characters and no bidirectional overrides, so
   * that input cannot move the cursor, change colours, break a line or reorder what is shown.
   */
  static boolean terminalChar(int cp) {
    if (cp >= 0x10000) {
      return true;
    }
    boolean control = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
    boolean bidi = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    return !control && !bidi && !Character.isSurrogate((char) cp);
  }
}
