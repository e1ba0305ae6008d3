package dev.kapas.source.manifest;

import dev.kapas.model.ListNode;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.ScalarNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A fast path for the YAML that manifests are nearly always written in: block maps and
 * sequences, one-line plain and quoted scalars, literal block scalars ({@code |}), one-line
 * flow sequences of scalars, comments, several documents. It builds the same trees, with the
 * same positions, as {@link YamlTreeReader} does through snakeyaml, in a fraction of the time
 * (snakeyaml's scanner was two thirds of a scan's CPU).
 *
 * <p>It never judges: on anything outside that subset — anchors, tags, folded or multi-line
 * scalars, flow maps, tabs, duplicate keys, odd indentation, any error — it gives up and the
 * caller reads the text with snakeyaml, which then reports errors exactly as before. So the
 * subset only has to be recognised correctly, never repaired. {@code BlockYamlReaderTest}
 * compares both readers on every fixture and on generated documents.
 */
final class BlockYamlReader {

  /** Past this depth the snakeyaml path (with its limits and messages) takes over. */
  private static final int MAX_DEPTH = 128;

  private final int maxScalarChars;
  private final YamlTreeReader.StringCache strings;
  private final YamlTreeReader.KeyCache keyCache;

  private char[] text;
  private int length;
  private int[] starts;
  private int[] ends;
  private int lines;
  /** The line being looked at (0-based). */
  private int at;
  /** The 1-based line number of line 0: 1, or more for a piece of a larger file. */
  private int firstLine = 1;

  BlockYamlReader(int maxScalarChars, YamlTreeReader.StringCache strings, YamlTreeReader.KeyCache keyCache) {
    this.maxScalarChars = maxScalarChars;
    this.strings = strings;
    this.keyCache = keyCache;
  }

  /** The documents of {@code text} in order (a null scalar for an empty one), or empty to fall back. */
  Optional<List<Node>> read(String text) {
    return read(text.toCharArray(), text.length(), 1);
  }

  /**
   * As {@link #read(String)}, for the first {@code length} characters of {@code chars}, which
   * start at line {@code firstLine} of their file.
   */
  Optional<List<Node>> read(char[] chars, int length, int firstLine) {
    try {
      this.text = chars;
      this.length = length;
      this.firstLine = firstLine;
      return Optional.of(documents());
    } catch (Unsupported e) {
      return Optional.empty();
    } finally {
      this.text = null;
    }
  }

  /** Thrown wherever the text leaves the subset; cheap, no stack trace. */
  private static final class Unsupported extends RuntimeException {
    static final Unsupported INSTANCE = new Unsupported();

    private Unsupported() {
      super("outside the block YAML subset", null, false, false);
    }
  }

  private static Unsupported unsupported() {
    return Unsupported.INSTANCE;
  }

  private List<Node> documents() {
    splitLines();
    List<Node> docs = new ArrayList<>();
    boolean explicitOpen = false;
    at = 0;
    while (true) {
      skipBlankAndComments();
      if (at == lines) {
        break;
      }
      if (isMarker(at, '-')) {
        if (!blankOrComment(starts[at] + 3)) {
          throw unsupported();
        }
        if (explicitOpen) {
          docs.add(new ScalarNode("", true, 0, 0));
        }
        explicitOpen = true;
        at++;
        continue;
      }
      char first = text[starts[at]];
      if (first == ' ' || first == '%' || isMarker(at, '.')) {
        throw unsupported();
      }
      docs.add(topLevel());
      explicitOpen = false;
      skipBlankAndComments();
      if (at < lines && !isMarker(at, '-')) {
        throw unsupported();
      }
    }
    if (explicitOpen) {
      docs.add(new ScalarNode("", true, 0, 0));
    }
    if (docs.isEmpty()) {
      throw unsupported();
    }
    return docs;
  }

  /** Line starts and ends; refuses characters the subset does not handle (CR, tabs, controls, non-BMP). */
  private void splitLines() {
    int n = length;
    int[] s = new int[64];
    int[] e = new int[64];
    int count = 0;
    int lineStart = 0;
    char[] t = text;
    for (int i = 0; i <= n; i++) {
      char c = i == n ? '\n' : t[i];
      if (c >= 0x20 && c < 0x7f) {
        continue; // printable ASCII: nearly every character
      }
      if (c == '\n') {
        if (i == n && lineStart == n) {
          break;
        }
        if (count == s.length) {
          s = java.util.Arrays.copyOf(s, count * 2);
          e = java.util.Arrays.copyOf(e, count * 2);
        }
        s[count] = lineStart;
        e[count] = i;
        count++;
        lineStart = i + 1;
      } else if (c < 0xa0 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c) || c >= 0xfeff) {
        throw unsupported();
      }
    }
    starts = s;
    ends = e;
    lines = count;
  }

  private Node topLevel() {
    int start = starts[at];
    char c = text[start];
    if (c == '-' && isEntry(start)) {
      return sequence(0, 1, at + firstLine, 1);
    }
    if (keyEnd(start, ends[at]) < 0) {
      throw unsupported();
    }
    return map(0, start, 1, at + firstLine, 1);
  }

  // ---- block collections

  /**
   * A block map whose keys sit at column {@code indent}; the first key starts at {@code from} on
   * line {@code at}. The map says it is at {@code line}:{@code column}: its own first key, or the
   * key it is the value of.
   */
  private Node map(int indent, int from, int depth, int line, int column) {
    if (depth > MAX_DEPTH) {
      throw unsupported();
    }
    List<String> keys = new ArrayList<>();
    List<Node> values = new ArrayList<>();
    Set<String> seen = null;
    int pos = from;
    while (true) {
      int end = ends[at];
      int colon = keyEnd(pos, end);
      if (colon < 0) {
        throw unsupported();
      }
      String key = key(pos, colon);
      if (key.equals("<<") && text[pos] != '"' && text[pos] != '\'') {
        throw unsupported();
      }
      if (seen == null && keys.size() >= 8) {
        seen = new HashSet<>(keys);
      }
      if (seen == null ? keys.contains(key) : !seen.add(key)) {
        throw unsupported(); // duplicate keys: snakeyaml's path reports them
      }
      int keyLine = at + firstLine;
      int keyColumn = pos - starts[at] + 1;
      keys.add(strings.dedupe(key));
      values.add(value(colon + 1, indent, true, keyLine, keyColumn, depth));
      // `value` left `at` on the next line to look at.
      if (!nextSibling(indent)) {
        break;
      }
      pos = starts[at] + indent;
      if (text[pos] == '-' && isEntry(pos)) {
        throw unsupported();
      }
    }
    return new MapNode(keyCache.share(keys), values, line, column);
  }

  /** A block sequence whose dashes sit at column {@code indent}, starting on line {@code at}. */
  private Node sequence(int indent, int depth, int line, int column) {
    if (depth > MAX_DEPTH) {
      throw unsupported();
    }
    List<Node> items = new ArrayList<>();
    while (true) {
      int dash = starts[at] + indent;
      int itemStart = dash + 1;
      int end = ends[at];
      while (itemStart < end && text[itemStart] == ' ') {
        itemStart++;
      }
      if (itemStart == end || text[itemStart] == '#') {
        throw unsupported();
      }
      char c = text[itemStart];
      if (c == '-' && isEntry(itemStart)) {
        throw unsupported();
      }
      int itemColumn = itemStart - starts[at];
      if (keyEnd(itemStart, end) >= 0) {
        items.add(map(itemColumn, itemStart, depth + 1, at + firstLine, itemColumn + 1));
      } else {
        items.add(value(itemStart, indent, false, at + firstLine, itemColumn + 1, depth));
      }
      if (!nextSibling(indent)) {
        break;
      }
      int p = starts[at] + indent;
      if (!(text[p] == '-' && isEntry(p))) {
        break;
      }
    }
    return new ListNode(items, line, column);
  }

  /**
   * Moves to the next content line and tells whether it continues the collection indented by
   * {@code indent}; a line indented deeper than its siblings (the rest of a multi-line scalar,
   * or an error) is left to snakeyaml.
   */
  private boolean nextSibling(int indent) {
    skipBlankAndComments();
    if (at == lines || isDocumentMarker(at)) {
      return false;
    }
    int next = indentOf(at);
    if (next > indent) {
      throw unsupported();
    }
    return next == indent;
  }

  /**
   * The value that starts at {@code from} on line {@code at} (after a key's colon, or after a
   * sequence dash), or on the lines below it; leaves {@code at} on the line after it.
   * {@code indent} is the indentation of the collection the value belongs to. In a map, a
   * value says it is where its key is ({@code line}, {@code column}), as YamlTreeReader does.
   */
  private Node value(int from, int indent, boolean inMap, int line, int column, int depth) {
    int end = ends[at];
    int p = from;
    while (p < end && text[p] == ' ') {
      p++;
    }
    int ownLine = at + firstLine;
    int ownColumn = p - starts[at] + 1;
    int nodeLine = inMap ? line : ownLine;
    int nodeColumn = inMap ? column : ownColumn;
    if (p == end || text[p] == '#') {
      if (!inMap) {
        throw unsupported();
      }
      at++;
      skipBlankAndComments();
      if (at < lines && !isDocumentMarker(at)) {
        int next = indentOf(at);
        int s = starts[at] + next;
        boolean entry = text[s] == '-' && isEntry(s);
        if (next > indent || (next == indent && entry)) {
          if (entry) {
            return sequence(next, depth + 1, line, column);
          }
          if (keyEnd(s, ends[at]) < 0) {
            throw unsupported();
          }
          return map(next, s, depth + 1, line, column);
        }
      }
      return new ScalarNode("", true, nodeLine, nodeColumn);
    }
    char c = text[p];
    Node node;
    switch (c) {
      case '"' -> node = scalarThenEnd(doubleQuoted(p, end), nodeLine, nodeColumn);
      case '\'' -> node = scalarThenEnd(singleQuoted(p, end), nodeLine, nodeColumn);
      case '|' -> {
        return literal(p, end, indent, nodeLine, nodeColumn);
      }
      case '[' -> node = flowSequence(p, end, nodeLine, nodeColumn);
      case '{' -> {
        int close = p + 1;
        if (close >= end || text[close] != '}' || !blankOrComment(close + 1)) {
          throw unsupported();
        }
        node = new MapNode(keyCache.share(List.of()), List.of(), nodeLine, nodeColumn);
      }
      default -> node = plain(p, end, nodeLine, nodeColumn);
    }
    at++;
    return node;
  }

  // ---- scalars

  /** A quoted scalar's text and where it ended: the rest of the line may only be a comment. */
  private record Quoted(String value, int end) {}

  private Node scalarThenEnd(Quoted q, int line, int column) {
    if (!blankOrComment(q.end)) {
      throw unsupported();
    }
    return new ScalarNode(strings.dedupe(q.value), false, line, column);
  }

  private Node plain(int from, int end, int line, int column) {
    char c = text[from];
    if ("&*!>%@`,]}".indexOf(c) >= 0 || ((c == '-' || c == '?' || c == ':') && !safeAfter(from + 1, end))) {
      throw unsupported();
    }
    int stop = end;
    for (int i = from; i < end; i++) {
      char ch = text[i];
      if (ch == '#' && text[i - 1] == ' ') {
        stop = i;
        break;
      }
      if (ch == ':' && (i + 1 == end || text[i + 1] == ' ')) {
        throw unsupported();
      }
    }
    while (text[stop - 1] == ' ') {
      stop--;
    }
    String value = slice(from, stop);
    if (value.length() > maxScalarChars) {
      throw unsupported();
    }
    // A plain scalar may go on over more-indented lines; the callers refuse such a next line.
    return new ScalarNode(strings.dedupe(value), true, line, column);
  }

  private boolean safeAfter(int i, int end) {
    return i < end && text[i] != ' ';
  }

  private Quoted doubleQuoted(int from, int end) {
    StringBuilder out = null;
    int i = from + 1;
    int runStart = i;
    while (i < end) {
      char c = text[i];
      if (c == '"') {
        String value = out == null ? slice(runStart, i) : out.append(text, runStart, i - runStart).toString();
        return checked(new Quoted(value, i + 1));
      }
      if (c == '\\') {
        if (out == null) {
          out = new StringBuilder();
        }
        out.append(text, runStart, i - runStart);
        if (i + 1 >= end) {
          throw unsupported();
        }
        char e = text[i + 1];
        switch (e) {
          case '\\', '"', '/' -> out.append(e);
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'u' -> {
            if (i + 6 > end) {
              throw unsupported();
            }
            int cp;
            try {
              cp = Integer.parseInt(slice(i + 2, i + 6), 16);
            } catch (NumberFormatException ex) {
              throw unsupported();
            }
            if (Character.isSurrogate((char) cp)) {
              throw unsupported();
            }
            out.append((char) cp);
            i += 4;
          }
          default -> throw unsupported();
        }
        i += 2;
        runStart = i;
        continue;
      }
      i++;
    }
    throw unsupported(); // continues on the next line
  }

  private Quoted singleQuoted(int from, int end) {
    StringBuilder out = null;
    int i = from + 1;
    int runStart = i;
    while (i < end) {
      if (text[i] == '\'') {
        if (i + 1 < end && text[i + 1] == '\'') {
          if (out == null) {
            out = new StringBuilder();
          }
          out.append(text, runStart, i + 1 - runStart);
          i += 2;
          runStart = i;
          continue;
        }
        String value = out == null ? slice(runStart, i) : out.append(text, runStart, i - runStart).toString();
        return checked(new Quoted(value, i + 1));
      }
      i++;
    }
    throw unsupported();
  }

  private Quoted checked(Quoted q) {
    if (q.value.length() > maxScalarChars) {
      throw unsupported();
    }
    return q;
  }

  /** {@code |}, {@code |-} or {@code |+} and the more-indented lines below it. */
  private Node literal(int from, int end, int indent, int line, int column) {
    int p = from + 1;
    char chomp = ' ';
    if (p < end && (text[p] == '-' || text[p] == '+')) {
      chomp = text[p];
      p++;
    }
    if (!blankOrComment(p)) {
      throw unsupported(); // indentation indicators and the like
    }
    at++;
    int contentIndent = -1;
    int leadingBlankSpaces = 0;
    List<String> parts = new ArrayList<>();
    int first = at;
    while (at < lines) {
      int s = starts[at];
      int e = ends[at];
      int spaces = 0;
      while (s + spaces < e && text[s + spaces] == ' ') {
        spaces++;
      }
      boolean blank = s + spaces == e;
      if (contentIndent < 0) {
        if (blank) {
          leadingBlankSpaces = Math.max(leadingBlankSpaces, spaces);
          at++;
          continue;
        }
        if (spaces <= indent || leadingBlankSpaces > spaces) {
          throw unsupported();
        }
        contentIndent = spaces;
        for (int i = first; i < at; i++) {
          parts.add("");
        }
      }
      if (blank) {
        if (spaces > contentIndent) {
          throw unsupported();
        }
        parts.add("");
      } else if (spaces >= contentIndent) {
        parts.add(slice(s + contentIndent, e));
      } else {
        break;
      }
      at++;
    }
    if (contentIndent < 0) {
      throw unsupported();
    }
    int trailing = 0;
    while (trailing < parts.size() && parts.get(parts.size() - 1 - trailing).isEmpty()) {
      trailing++;
    }
    int kept = parts.size() - trailing;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < kept; i++) {
      out.append(parts.get(i)).append('\n');
    }
    if (chomp == '-' && out.length() > 0) {
      out.setLength(out.length() - 1);
    } else if (chomp == '+') {
      out.append("\n".repeat(trailing));
    }
    if (out.length() > maxScalarChars) {
      throw unsupported();
    }
    return new ScalarNode(out.toString(), false, line, column);
  }

  /** {@code [a, "b", 'c']} on one line: scalars only. */
  private Node flowSequence(int from, int end, int line, int column) {
    List<Node> items = new ArrayList<>();
    int i = from + 1;
    while (i < end && text[i] == ' ') {
      i++;
    }
    if (i < end && text[i] == ']') {
      if (!blankOrComment(i + 1)) {
        throw unsupported();
      }
      return new ListNode(items, line, column);
    }
    while (true) {
      while (i < end && text[i] == ' ') {
        i++;
      }
      if (i >= end) {
        throw unsupported();
      }
      char c = text[i];
      int itemLine = at + firstLine;
      int itemColumn = i - starts[at] + 1;
      if (c == '"' || c == '\'') {
        Quoted q = c == '"' ? doubleQuoted(i, end) : singleQuoted(i, end);
        items.add(new ScalarNode(strings.dedupe(q.value), false, itemLine, itemColumn));
        i = q.end;
      } else {
        if ("[]{},#&*!|>%@`-?:".indexOf(c) >= 0) {
          throw unsupported();
        }
        int j = i;
        while (j < end && text[j] != ',' && text[j] != ']') {
          char ch = text[j];
          if (ch == '[' || ch == '{' || ch == '}' || ch == ':' || ch == '#' || ch == '"' || ch == '\'') {
            throw unsupported();
          }
          j++;
        }
        int stop = j;
        while (text[stop - 1] == ' ') {
          stop--;
        }
        items.add(new ScalarNode(strings.dedupe(slice(i, stop)), true, itemLine, itemColumn));
        i = j;
      }
      while (i < end && text[i] == ' ') {
        i++;
      }
      if (i >= end) {
        throw unsupported();
      }
      if (text[i] == ']') {
        if (!blankOrComment(i + 1)) {
          throw unsupported();
        }
        return new ListNode(items, line, column);
      }
      if (text[i] != ',') {
        throw unsupported();
      }
      i++;
    }
  }

  // ---- keys and lines

  /**
   * Where the {@code :} of a simple key starting at {@code from} is, or -1 when the line there
   * holds no key: a plain key ends at the first {@code :} followed by a space or the line's end;
   * a quoted key must be followed by {@code :} directly.
   */
  private int keyEnd(int from, int end) {
    char c = text[from];
    if (c == '"' || c == '\'') {
      Quoted q = c == '"' ? doubleQuoted(from, end) : singleQuoted(from, end);
      int i = q.end;
      if (i < end && text[i] == ':' && (i + 1 == end || text[i + 1] == ' ')) {
        return i;
      }
      return -1;
    }
    if ("[]{},#&*!|>%@`".indexOf(c) >= 0 || ((c == '-' || c == '?' || c == ':') && !safeAfter(from + 1, end))) {
      return -1;
    }
    for (int i = from + 1; i < end; i++) {
      char ch = text[i];
      if (ch == ':' && (i + 1 == end || text[i + 1] == ' ')) {
        return i;
      }
      if (ch == '#' && text[i - 1] == ' ') {
        return -1;
      }
    }
    return -1;
  }

  private String key(int from, int colon) {
    char c = text[from];
    if (c == '"') {
      return doubleQuoted(from, colon).value;
    }
    if (c == '\'') {
      return singleQuoted(from, colon).value;
    }
    int stop = colon;
    while (text[stop - 1] == ' ') {
      stop--;
    }
    return slice(from, stop);
  }

  /** A sequence entry indicator at {@code i}: a dash followed by a space or the line's end. */
  private boolean isEntry(int i) {
    return i + 1 == ends[at] || text[i + 1] == ' ';
  }

  private boolean blankOrComment(int from) {
    int end = ends[at];
    int i = from;
    if (i < end && text[i] != ' ') {
      return false;
    }
    while (i < end && text[i] == ' ') {
      i++;
    }
    return i == end || text[i] == '#';
  }

  private void skipBlankAndComments() {
    while (at < lines) {
      int s = starts[at];
      int e = ends[at];
      int i = s;
      while (i < e && text[i] == ' ') {
        i++;
      }
      if (i < e && text[i] != '#') {
        return;
      }
      at++;
    }
  }

  private String slice(int from, int to) {
    return new String(text, from, to - from);
  }

  private int indentOf(int line) {
    int s = starts[line];
    int i = s;
    while (text[i] == ' ') {
      i++;
    }
    return i - s;
  }

  private boolean isDocumentMarker(int line) {
    return isMarker(line, '-') || isMarker(line, '.');
  }

  /** {@code ---} or {@code ...} at the start of a line, alone or followed by a space. */
  private boolean isMarker(int line, char c) {
    int s = starts[line];
    int e = ends[line];
    return e - s >= 3 && text[s] == c && text[s + 1] == c && text[s + 2] == c
        && (e - s == 3 || text[s + 3] == ' ');
  }
}
