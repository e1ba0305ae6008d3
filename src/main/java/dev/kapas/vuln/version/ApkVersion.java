package dev.kapas.vuln.version;

import java.util.List;

/**
 * apk-tools' order: {@code digits{.digits}[letter]{_suffix[digits]}[~hash][-rN]}, compared token
 * by token. Pre-release suffixes ({@code alpha beta pre rc}) sort before the end of the version,
 * post-release ones ({@code cvs svn git hg p}) after it; a dotted component with a leading zero
 * compares as a string (as Gentoo does); commit hashes compare as strings. Once the tokens of equal
 * kind run out, the version whose next token is "earlier" in the grammar is newer ({@code 1.3.1 >
 * 1.3-r0}); a string that breaks the grammar stops being compared there.
 */
public final class ApkVersion implements VersionOrder {
  private static final int INITIAL_DIGIT = 0;
  private static final int DIGIT = 1;
  private static final int LETTER = 2;
  private static final int SUFFIX = 3;
  private static final int SUFFIX_NO = 4;
  private static final int COMMIT_HASH = 5;
  private static final int REVISION_NO = 6;
  private static final int END = 7;
  private static final int INVALID = 8;
  /** Suffix ranks; the absence of a suffix ranks {@link #NO_SUFFIX}. */
  private static final List<String> SUFFIXES = List.of("", "alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p");
  private static final int NO_SUFFIX = 5;

  /** The current token of one version string and where the next one starts. */
  private static final class Tokens {
    final String s;
    int pos;
    int type;
    String value = "";
    int suffix;

    Tokens(String s) {
      this.s = s;
      type = INITIAL_DIGIT;
      digits();
    }

    private void digits() {
      int start = pos;
      while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
        pos++;
      }
      value = s.substring(start, pos);
      if (value.isEmpty()) {
        type = INVALID;
      }
    }

    private String span(boolean hex) {
      int start = pos;
      while (pos < s.length() && (hex ? isHex(s.charAt(pos)) : s.charAt(pos) >= 'a' && s.charAt(pos) <= 'z')) {
        pos++;
      }
      return s.substring(start, pos);
    }

    void next() {
      if (pos >= s.length()) {
        type = END;
        return;
      }
      char c = s.charAt(pos);
      if (c >= 'a' && c <= 'z') {
        if (type > DIGIT) {
          type = INVALID;
          return;
        }
        value = String.valueOf(c);
        type = LETTER;
        pos++;
      } else if (c == '.' || (c >= '0' && c <= '9')) {
        if (c == '.') {
          if (type > DIGIT) {
            type = INVALID;
            return;
          }
          pos++;
        }
        if (type == INITIAL_DIGIT || type == DIGIT) {
          type = DIGIT;
        } else if (type == SUFFIX) {
          type = SUFFIX_NO;
        } else {
          type = INVALID;
          return;
        }
        digits();
      } else if (c == '_') {
        if (type > SUFFIX_NO) {
          type = INVALID;
          return;
        }
        pos++;
        value = span(false);
        int rank = value.isEmpty() ? -1 : SUFFIXES.indexOf(value);
        if (rank <= 0 || rank == NO_SUFFIX) {
          type = INVALID;
          return;
        }
        suffix = rank;
        type = SUFFIX;
      } else if (c == '~') {
        if (type >= COMMIT_HASH) {
          type = INVALID;
          return;
        }
        pos++;
        value = span(true);
        type = value.isEmpty() ? INVALID : COMMIT_HASH;
      } else if (c == '-') {
        if (type >= REVISION_NO || !s.startsWith("-r", pos)) {
          type = INVALID;
          return;
        }
        pos += 2;
        type = REVISION_NO;
        digits();
      } else {
        type = INVALID;
      }
    }
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int compareTokens(Tokens a, Tokens b) {
    return switch (a.type) {
      case DIGIT -> a.value.startsWith("0") || b.value.startsWith("0")
          ? Integer.signum(a.value.compareTo(b.value))
          : Versions.compareDigits(a.value, b.value);
      case INITIAL_DIGIT, SUFFIX_NO, REVISION_NO -> Versions.compareDigits(a.value, b.value);
      case LETTER -> Integer.signum(a.value.charAt(0) - b.value.charAt(0));
      case SUFFIX -> Integer.compare(a.suffix, b.suffix);
      default -> Integer.signum(a.value.compareTo(b.value));
    };
  }

  @Override
  public int compare(String a, String b) {
    Tokens x = new Tokens(a.strip());
    Tokens y = new Tokens(b.strip());
    while (x.type == y.type && x.type < END) {
      int c = compareTokens(x, y);
      if (c != 0) {
        return c;
      }
      x.next();
      y.next();
    }
    if (x.type == y.type) {
      return 0;
    }
    if (x.type == SUFFIX && x.suffix < NO_SUFFIX) {
      return -1;
    }
    if (y.type == SUFFIX && y.suffix < NO_SUFFIX) {
      return 1;
    }
    return x.type > y.type ? -1 : 1;
  }
}
