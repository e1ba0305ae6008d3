package dev.kapas.source.helm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
 * action a wildcard, indentation ignored). Rendered lines are aligned with template lines in
 * order, like a diff, maximising the literal text matched (so a line such as {@code spec:} or
 * {@code privileged: {{ .Values.x }}} anchors its neighbours). A rendered line left unmatched was
 * written by an action ({@code include}, {@code toYaml ... | nindent}): it is attributed to the
 * action line between its matched neighbours, or, inside a loop, to a matching line elsewhere.
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

  private final String[] lines;
  private final Pattern[] patterns;
  private final int[] literalChars;
  private final boolean[] writes;
  private final List<List<String>> refs = new ArrayList<>();

  TemplateMap(String template) {
    this.lines = template.split("\n", -1);
    int n = lines.length;
    patterns = new Pattern[n];
    literalChars = new int[n];
    writes = new boolean[n];
    for (int i = 0; i < n; i++) {
      refs.add(new ArrayList<>());
    }
    analyse(template);
  }

  int lineCount() {
    return lines.length;
  }

  /** Indentation (0-based column of the first non-blank) of template line {@code i}. */
  int indent(int i) {
    return indentOf(lines[i]);
  }

  /** The values an output action on template line {@code i} reads, e.g. {@code securityContext.privileged}. */
  List<String> valueRefs(int i) {
    return refs.get(i);
  }

  /** True when template line {@code i} has no literal text, only actions that write something. */
  boolean writesOnly(int i) {
    return writes[i] && literalChars[i] == 0;
  }

  private void analyse(String template) {
    int[] lineStarts = new int[lines.length];
    for (int i = 1, pos = 0; i < lines.length; i++) {
      pos += lines[i - 1].length() + 1;
      lineStarts[i] = pos;
    }
    Deque<String> dots = new ArrayDeque<>();
    dots.push(ROOT);
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
      String dot = dots.peek();
      Matcher assign = ASSIGN.matcher(body);
      if (word.equals("end")) {
        if (dots.size() > 1) {
          dots.pop();
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
        dots.push(base);
      } else if (word.equals("if")) {
        dots.push(dot);
      } else if (word.equals("define") || word.equals("block")) {
        dots.push(UNKNOWN);
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
   * For each rendered line, the template line it came from (-1 when there is nothing to say),
   * and whether it was written by an action rather than matched literally.
   */
  record Alignment(int[] templateLine, boolean[] written) {}

  Alignment align(List<String> rendered) {
    int r = rendered.size();
    int t = lines.length;
    int[] match = new int[r];
    java.util.Arrays.fill(match, -1);
    if ((long) r * t <= 4_000_000L) {
      alignByDiff(rendered, match);
    } else {
      alignGreedy(rendered, match);
    }
    int[] out = new int[r];
    boolean[] written = new boolean[r];
    for (int i = 0; i < r; i++) {
      if (match[i] >= 0) {
        out[i] = match[i];
        continue;
      }
      int prev = -1;
      for (int k = i - 1; k >= 0; k--) {
        if (match[k] >= 0) {
          prev = match[k];
          break;
        }
      }
      int next = t;
      for (int k = i + 1; k < r; k++) {
        if (match[k] >= 0) {
          next = match[k];
          break;
        }
      }
      out[i] = writer(rendered.get(i), Math.max(prev, 0), Math.max(next, prev), prev);
      written[i] = out[i] >= 0 && writes[out[i]];
      if (out[i] < 0) {
        out[i] = elsewhere(rendered.get(i), prev);
      }
      if (out[i] < 0) {
        out[i] = Math.max(prev, 0);
      }
    }
    return new Alignment(out, written);
  }

  /** The action line that wrote a line found between template lines {@code from} and {@code to}. */
  private int writer(String renderedLine, int from, int to, int prev) {
    int best = -1;
    int indent = indentOf(renderedLine);
    for (int j = from; j < Math.min(to, lines.length); j++) {
      if (!writes[j] || (j == prev && literalChars[j] > 0 && !lines[j].strip().endsWith("}}"))) {
        continue;
      }
      if (best < 0) {
        best = j;
      }
      Matcher nindent = Pattern.compile("n?indent\\s+(\\d+)").matcher(lines[j]);
      if (nindent.find() && Integer.parseInt(nindent.group(1)) == indent) {
        return j;
      }
    }
    return best;
  }

  /** A literally matching line anywhere (loop bodies repeat), the nearest to {@code near}. */
  private int elsewhere(String renderedLine, int near) {
    int best = -1;
    for (int j = 0; j < lines.length; j++) {
      if (patterns[j] != null && patterns[j].matcher(renderedLine).matches()
          && (best < 0 || Math.abs(j - near) < Math.abs(best - near))) {
        best = j;
      }
    }
    return best;
  }

  private void alignByDiff(List<String> rendered, int[] match) {
    int r = rendered.size();
    int t = lines.length;
    int[][] score = new int[r + 1][t + 1];
    byte[][] move = new byte[r + 1][t + 1];
    for (int i = r - 1; i >= 0; i--) {
      String line = rendered.get(i);
      boolean blank = line.isBlank();
      int indent = indentOf(line);
      for (int j = t - 1; j >= 0; j--) {
        int best = score[i + 1][j];
        byte how = 0;
        if (score[i][j + 1] > best) {
          best = score[i][j + 1];
          how = 1;
        }
        if (!blank && patterns[j] != null && patterns[j].matcher(line).matches()) {
          int gain = 1000 + literalChars[j] + (indent(j) == indent ? 50 : 0);
          if (gain + score[i + 1][j + 1] > best) {
            best = gain + score[i + 1][j + 1];
            how = 2;
          }
        }
        score[i][j] = best;
        move[i][j] = how;
      }
    }
    int i = 0;
    int j = 0;
    while (i < r && j < t) {
      switch (move[i][j]) {
        case 2 -> {
          match[i] = j;
          i++;
          j++;
        }
        case 1 -> j++;
        default -> i++;
      }
    }
  }

  private void alignGreedy(List<String> rendered, int[] match) {
    int cursor = 0;
    for (int i = 0; i < rendered.size(); i++) {
      String line = rendered.get(i);
      if (line.isBlank()) {
        continue;
      }
      for (int j = cursor; j < lines.length; j++) {
        if (patterns[j] != null && patterns[j].matcher(line).matches()) {
          match[i] = j;
          cursor = j + 1;
          break;
        }
      }
    }
  }

  static int indentOf(String line) {
    int i = 0;
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }
}
