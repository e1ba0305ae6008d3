package dev.kapas.vuln.version;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RubyGems' order (Gem::Version): a {@code -} reads as {@code .pre.}; the version splits into
 * numbers and letter runs; trailing zeros of the numeric part and of the part after the first
 * letters do not count; segment by segment, a string is older than a number (so {@code 1.0.a} is a
 * pre-release of {@code 1.0}), numbers compare by value and strings alphabetically.
 */
public final class GemVersion implements VersionOrder {
  private static final Pattern VALID = Pattern.compile("\\s*[0-9]+(?>\\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?\\s*");
  private static final Pattern SEGMENT = Pattern.compile("[0-9]+|[a-zA-Z]+");

  @Override
  public int compare(String a, String b) {
    List<String> x = canonical(a);
    List<String> y = canonical(b);
    int n = Math.max(x.size(), y.size());
    for (int i = 0; i < n; i++) {
      String l = i < x.size() ? x.get(i) : "0";
      String r = i < y.size() ? y.get(i) : "0";
      boolean ln = SemVer.isNumeric(l);
      boolean rn = SemVer.isNumeric(r);
      int c = ln && rn ? Versions.compareDigits(l, r) : ln != rn ? (ln ? 1 : -1) : Integer.signum(l.compareTo(r));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static List<String> canonical(String version) {
    if (!VALID.matcher(version).matches()) {
      throw new InvalidVersionException("RubyGems", version);
    }
    String v = version.strip().replace("-", ".pre.");
    List<String> segments = new ArrayList<>();
    Matcher m = SEGMENT.matcher(v);
    while (m.find()) {
      segments.add(m.group());
    }
    int firstString = 0;
    while (firstString < segments.size() && SemVer.isNumeric(segments.get(firstString))) {
      firstString++;
    }
    List<String> out = new ArrayList<>(dropTrailingZeros(segments.subList(0, firstString)));
    out.addAll(dropTrailingZeros(segments.subList(firstString, segments.size())));
    return out;
  }

  private static List<String> dropTrailingZeros(List<String> segments) {
    int end = segments.size();
    while (end > 0 && SemVer.isNumeric(segments.get(end - 1)) && Versions.compareDigits(segments.get(end - 1), "0") == 0) {
      end--;
    }
    return segments.subList(0, end);
  }
}
