package dev.kapas.source.helm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps lines of a rendered document back to lines of the template that produced it, and names
 * the values a template line reads.
 *
 * <p>The heuristic: every template line becomes a pattern (its literal text, each {@code {{ }}}
 * action a wildcard, indentation ignored). A rendered document is first given the {@code
 * ---}-separated part of the template it matches best, then its lines are matched in order
 * against that part's lines, each only against the lines that share its first word, nearest
 * first (so the work grows with the rendered lines, not with their product with the template's).
 * A rendered line left unmatched was written by an action ({@code include}, {@code toYaml ... |
 * nindent}): it is attributed to the action line between its matched neighbours, or, inside a
 * loop, to a matching line before. A line none of this explains has no template line.
 *
 * <p>Values: an output action's pipeline names the values it reads ({@code .Values.a.b},
 * {@code $.Values.a}, {@code .x} inside {@code with}/{@code range} of a value, variables bound to
 * values). A line written by {@code toYaml} of one value is that value's key plus the rendered
 * key path below it.
 */
final class TemplateMap {
  private static final Pattern ACTION = Pattern.compile("\\{\\{-?(.*?)-?}}", Pattern.DOTALL);
  private static final Pattern REF = Pattern.compile(
      "(?<![\\w.)\\]])(\\$\\w*)?((?:\\.[A-Za-z_][\\w-]*)+|\\.(?![\\w.]))");
  private static final Pattern ASSIGN = Pattern.compile("^(?:range\\s+)?(?:\\$\\w+\\s*,\\s*)?(\\$\\w+)\\s*:?=\\s*(.*)$");
  private static final Set<String> CONTROL = Set.of("if", "else", "end", "range", "with", "define", "block", "break", "continue");
  private static final String ROOT = "";
  private static final String UNKNOWN = null;
  /** How many template lines one rendered line is tested against, at most, in each direction. */
  private static final int MAX_TESTS = 64;
  /** Fewer literal characters than this ({@code :}, {@code - }) make a line's pattern match almost anything. */
  private static final int WEAK_LITERAL = 3;

  private final String[] lines;
  private final Pattern[] patterns;
  private final int[] literalChars;
  private final boolean[] writes;
  private final List<List<String>> refs = new ArrayList<>();
  private final int[] segmentOf;
  private final int[] nindent;
  private final int[] nextWriterAt;
  private final Map<String, int[]> byFirstWord = new HashMap<>();
  private int[] segmentStarts;
  private int[] actionFirst;

  TemplateMap(String template) {
    this.lines = template.split("\n", -1);
    int n = lines.length;
    patterns = new Pattern[n];
    literalChars = new int[n];
    writes = new boolean[n];
    segmentOf = new int[n];
    nindent = new int[n];
    nextWriterAt = new int[n];
    for (int i = 0; i < n; i++) {
      refs.add(new ArrayList<>());
    }
    analyse(template);
    index();
  }

  /** Indentation (0-based column of the first non-blank) of template line {@code i}. */
  int indent(int i) {
    return indentOf(lines[i]);
  }

  /** The values an output action on template line {@code i} reads, e.g. {@code securityContext.privileged}. */
  List<String> valueRefs(int i) {
    return refs.get(i);
  }

  private void analyse(String template) {
    int[] lineStarts = new int[lines.length];
    for (int i = 1, pos = 0; i < lines.length; i++) {
      pos += lines[i - 1].length() + 1;
      lineStarts[i] = pos;
    }
    // a list, not a Deque: an unknown dot is null, which ArrayDeque refuses
    List<String> dots = new ArrayList<>();
    dots.add(ROOT);
    Map<String, String> vars = new HashMap<>();
    List<int[]> spans = new ArrayList<>();
    Matcher m = ACTION.matcher(template);
    while (m.find()) {
      int line = lineOf(lineStarts, m.start());
      int endLine = lineOf(lineStarts, m.end() - 1);
      String body = m.group(1).strip();
      spans.add(new int[] {m.start(), m.end(), line, endLine});
      if (body.startsWith("/*")) {
        continue;
      }
      String word = body.split("[\\s(]", 2)[0];
      String dot = dots.get(dots.size() - 1);
      Matcher assign = ASSIGN.matcher(body);
      if (word.equals("end")) {
        if (dots.size() > 1) {
          dots.remove(dots.size() - 1);
        }
      } else if (word.equals("with") || word.equals("range")) {
        String expr = body.substring(word.length()).strip();
        Matcher a = ASSIGN.matcher(body);
        if (a.matches()) {
          expr = a.group(2);
        }
        List<String> r = resolve(expr, dot, vars);
        String base = r.size() == 1 ? r.get(0) + (word.equals("range") ? "[*]" : "") : UNKNOWN;
        if (a.matches()) {
          vars.put(a.group(1), base);
        }
        dots.add(base);
      } else if (word.equals("if")) {
        dots.add(dot);
      } else if (word.equals("define") || word.equals("block")) {
        dots.add(UNKNOWN);
      } else if (assign.matches()) {
        List<String> r = resolve(assign.group(2), dot, vars);
        vars.put(assign.group(1), r.size() == 1 ? r.get(0) : UNKNOWN);
      } else if (!CONTROL.contains(word)) {
        writes[line] = true;
        for (String ref : resolve(body, dot, vars)) {
          if (!refs.get(line).contains(ref)) {
            refs.get(line).add(ref);
          }
        }
      }
    }
    for (int i = 0; i < lines.length; i++) {
      patterns[i] = pattern(lineStarts[i], lines[i], spans, i);
    }
  }

  /** The line's text as a regex: literal parts quoted, actions as wildcards, blanks flexible. */
  private Pattern pattern(int start, String line, List<int[]> spans, int index) {
    StringBuilder re = new StringBuilder();
    int pos = 0;
    int literal = 0;
    for (int[] span : spans) {
      if (span[3] < index || span[2] > index) {
        continue;
      }
      int from = Math.max(0, span[0] - start);
      int to = Math.min(line.length(), span[1] - start);
      String text = line.substring(Math.min(pos, from), from);
      literal += text.strip().length();
      re.append(quote(text)).append(".*?");
      pos = Math.max(pos, to);
    }
    String rest = line.substring(Math.min(pos, line.length()));
    literal += rest.strip().length();
    re.append(quote(rest));
    literalChars[index] = literal;
    return literal == 0 ? null : Pattern.compile("\\s*" + re + "\\s*");
  }

  private static String quote(String text) {
    StringBuilder sb = new StringBuilder();
    for (String part : text.split("\\s+", -1)) {
      if (sb.length() > 0 || part.isEmpty()) {
        sb.append("\\s*");
      }
      if (!part.isEmpty()) {
        sb.append(Pattern.quote(part));
      }
    }
    return sb.toString();
  }

  private static int lineOf(int[] lineStarts, int offset) {
    int lo = 0;
    int hi = lineStarts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (lineStarts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** The value keys an expression reads, with {@code .} bound to {@code dot}. */
  static List<String> resolve(String expr, String dot, Map<String, String> vars) {
    String code = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`", "\"\"");
    Set<String> out = new LinkedHashSet<>();
    Matcher m = REF.matcher(code);
    while (m.find()) {
      String prefix = m.group(1);
      String path = m.group(2);
      String key = null;
      if ("$".equals(prefix) || (prefix == null && ROOT.equals(dot))) {
        if (path.startsWith(".Values.")) {
          key = path.substring(".Values.".length());
        }
      } else if (prefix == null) {
        if (dot != null) {
          key = path.equals(".") ? dot : dot + path;
        }
      } else {
        String bound = vars.get(prefix);
        if (bound != null && !bound.isEmpty()) {
          key = path.equals(".") ? bound : bound + path;
        }
      }
      if (key != null && !key.isEmpty()) {
        out.add(key);
      }
    }
    Matcher v = Pattern.compile("(\\$\\w+)(?![\\w.])").matcher(code);
    while (v.find()) {
      String bound = vars.get(v.group(1));
      if (bound != null && !bound.isEmpty()) {
        out.add(bound);
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * For each rendered line, the template line it came from (-1 when it cannot be told: the
   * finding then names the template file without a line rather than a wrong one), and whether it
   * was written by an action rather than matched literally.
   */
  record Alignment(int[] templateLine, boolean[] written) {}

  /**
   * Aligns one rendered document. Linear in its lines: each rendered line is tested only against
   * the few template lines that share its first word (and the lines that begin with an action),
   * nearest first.
   */
  Alignment align(List<String> rendered) {
    int r = rendered.size();
    int[] match = new int[r];
    java.util.Arrays.fill(match, -1);
    int[] segment = bestSegment(rendered);
    int cursor = segment[0];
    for (int i = 0; i < r; i++) {
      String line = rendered.get(i);
      if (line.isBlank()) {
        continue;
      }
      int j = nextMatch(line, cursor, segment[0], segment[1]);
      if (j >= 0) {
        match[i] = j;
        cursor = j + 1;
      }
    }
    int[] out = new int[r];
    boolean[] written = new boolean[r];
    int[] next = new int[r];
    int following = segment[1];
    for (int i = r - 1; i >= 0; i--) {
      next[i] = following;
      if (match[i] >= 0) {
        following = match[i];
      }
    }
    int prev = -1;
    for (int i = 0; i < r; i++) {
      if (match[i] >= 0) {
        out[i] = match[i];
        prev = match[i];
        continue;
      }
      int from = Math.max(prev, segment[0]);
      out[i] = writer(rendered.get(i), from, Math.max(next[i], from + 1), prev);
      written[i] = out[i] >= 0;
      if (out[i] < 0 && !rendered.get(i).isBlank()) {
        out[i] = nextMatch(rendered.get(i), segment[0], segment[0], segment[1]);
      }
    }
    return new Alignment(out, written);
  }

  /**
   * The template lines [from, to) the document came from: the {@code ---}-separated part of the
   * template whose lines the document matches most (a template may hold several objects, each
   * rendered as its own document, some of them conditional or repeated).
   */
  private int[] bestSegment(List<String> rendered) {
    int segments = segmentStarts.length;
    if (segments == 1) {
      return new int[] {0, lines.length};
    }
    int[] votes = new int[segments];
    for (String line : rendered) {
      if (line.isBlank()) {
        continue;
      }
      int[] candidates = candidates(line);
      for (int s = 0; s < segments; s++) {
        int end = segmentEnd(s);
        int tested = 0;
        for (int k = firstAtOrAfter(candidates, segmentStarts[s]); k < candidates.length && candidates[k] < end
            && tested < MAX_TESTS; k++, tested++) {
          if (patterns[candidates[k]].matcher(line).matches()) {
            votes[s] += 1 + literalChars[candidates[k]];
            break;
          }
        }
      }
    }
    int best = 0;
    for (int s = 1; s < segments; s++) {
      if (votes[s] > votes[best]) {
        best = s;
      }
    }
    return new int[] {segmentStarts[best], segmentEnd(best)};
  }

  private int segmentEnd(int segment) {
    return segment + 1 < segmentStarts.length ? segmentStarts[segment + 1] : lines.length;
  }

  /**
   * The first template line at or after {@code cursor} (within [from, to)) that the rendered line
   * matches, preferring one at the same indentation among the next few; failing that, the
   * nearest one before the cursor, where a loop's body repeats. -1 when none matches.
   */
  private int nextMatch(String line, int cursor, int from, int to) {
    int[] candidates = candidates(line);
    int indent = indentOf(line);
    int forward = -1;
    int start = firstAtOrAfter(candidates, Math.max(cursor, from));
    for (int k = start, tested = 0; k < candidates.length && candidates[k] < to && tested < MAX_TESTS;
        k++, tested++) {
      int j = candidates[k];
      int writer = nextWriter(cursor);
      if (literalChars[j] < WEAK_LITERAL && writer >= cursor && writer < j) {
        // `{{ $k }}: {{ $v }}` matches almost any line: past an action that writes lines, those
        // lines are more likely the action's output than a jump ahead
        continue;
      }
      if (patterns[j].matcher(line).matches()) {
        if (indent(j) == indent) {
          return j;
        }
        forward = forward < 0 ? j : forward;
      }
    }
    if (forward >= 0) {
      return forward;
    }
    for (int k = start - 1, tested = 0; k >= 0 && candidates[k] >= from && tested < MAX_TESTS; k--, tested++) {
      if (patterns[candidates[k]].matcher(line).matches()) {
        return candidates[k];
      }
    }
    return -1;
  }

  private static int firstAtOrAfter(int[] sorted, int value) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Template lines with literal text that could match {@code line}, ascending: those whose first
   * word is the line's first word, and those that begin with an action.
   */
  private int[] candidates(String line) {
    return byFirstWord.getOrDefault(firstWord(line), actionFirst);
  }

  private static String firstWord(String text) {
    String stripped = text.strip();
    int end = 0;
    while (end < stripped.length() && !Character.isWhitespace(stripped.charAt(end))) {
      end++;
    }
    return stripped.substring(0, end);
  }

  /** Indexes the template's lines: by first word, by {@code ---} part, and the action lines' {@code nindent}. */
  private void index() {
    Map<String, List<Integer>> words = new HashMap<>();
    List<Integer> startsWithAction = new ArrayList<>();
    List<Integer> starts = new ArrayList<>(List.of(0));
    Pattern indentArg = Pattern.compile("n?indent\\s+(\\d+)");
    for (int j = 0; j < lines.length; j++) {
      String stripped = lines[j].strip();
      if (stripped.equals("---") && j > 0) {
        starts.add(j);
      }
      segmentOf[j] = starts.size() - 1;
      Matcher n = indentArg.matcher(lines[j]);
      nindent[j] = writes[j] && n.find() ? Integer.parseInt(n.group(1)) : -1;
      if (patterns[j] == null) {
        continue;
      }
      String word = firstWord(stripped);
      int action = word.indexOf("{{");
      if (action >= 0) {
        startsWithAction.add(j);
      } else {
        words.computeIfAbsent(word, w -> new ArrayList<>()).add(j);
      }
    }
    segmentStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    actionFirst = startsWithAction.stream().mapToInt(Integer::intValue).toArray();
    words.forEach((word, js) -> byFirstWord.put(word, merge(js, actionFirst)));
    int next = -1;
    for (int j = lines.length - 1; j >= 0; j--) {
      if (writes[j]) {
        next = j;
      }
      nextWriterAt[j] = next;
    }
  }

  private static int[] merge(List<Integer> a, int[] b) {
    int[] out = new int[a.size() + b.length];
    int i = 0;
    int k = 0;
    int o = 0;
    while (i < a.size() || k < b.length) {
      out[o++] = k >= b.length || i < a.size() && a.get(i) < b[k] ? a.get(i++) : b[k++];
    }
    return out;
  }

  /**
   * The action line that wrote a line found between template lines {@code from} and {@code to}:
   * the one whose {@code nindent} matches the line's indentation, else the first; -1 when there
   * is none.
   */
  private int writer(String renderedLine, int from, int to, int prev) {
    int best = -1;
    int indent = indentOf(renderedLine);
    int seen = 0;
    for (int j = nextWriter(from); j >= 0 && j < Math.min(to, lines.length) && seen < MAX_TESTS;
        j = nextWriter(j + 1), seen++) {
      if (j == prev && literalChars[j] > 0 && !lines[j].strip().endsWith("}}")) {
        continue;
      }
      if (best < 0) {
        best = j;
      }
      if (nindent[j] == indent) {
        return j;
      }
    }
    return best;
  }

  private int nextWriter(int from) {
    return from < 0 ? nextWriter(0) : from >= lines.length ? -1 : nextWriterAt[from];
  }

  static int indentOf(String line) {
    int i = 0;
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }
}
