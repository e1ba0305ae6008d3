package dev.kapas.source.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A chart copied to a scratch directory (the user's tree is never written) so that helm-java's
 * {@code template} renders it as {@code helm template} does. helm-java offers fewer options than
 * the CLI, so the copy is adjusted where it falls short:
 *
 * <ul>
 *   <li>helm-java's template returns the release's manifest only, without hooks; Helm tells a
 *       hook by its {@code helm.sh/hook} annotation, so the copy spells that prefix {@link
 *       #HOOK_STAND_IN} (in templates and values files) and the rendered text gets it back
 *       ({@link #restoreHooks}).
 *   <li>helm-java renders with Helm's "dry-run none", under which {@code lookup} queries the
 *       cluster of the user's kubeconfig; {@code helm template} never does, and lookup answers
 *       an empty map. In the copy's template actions, {@code lookup A B C D} becomes {@code omit
 *       (dict) A B C D}: the same empty map, and no connection is ever attempted.
 *   <li>helm-java cannot be given {@code .Capabilities.APIVersions}: it always holds what Helm's
 *       own client library knows, whatever the Kubernetes version. In the copy's template actions,
 *       {@code X.Capabilities.APIVersions} becomes the list of what the chosen version serves
 *       ({@link ApiVersions}), defined once in {@link #API_VERSIONS_FILE}, and {@code
 *       X.Capabilities.APIVersions.Has A} becomes {@code (has A LIST)}.
 *   <li>{@code file://} dependencies missing from charts/ are copied there (as {@code helm
 *       dependency build} would package them), and packaged subcharts are unpacked, so that the
 *       adjustments reach every template.
 * </ul>
 *
 * Only whole lines keep their numbers: no rewrite adds or removes a line, so template lines
 * still match the user's files.
 */
final class ChartStaging {
  static final String HOOK = "helm.sh/hook";
  static final String HOOK_STAND_IN = "kapas-staged.invalid/hook";
  private static final Pattern ACTION = Pattern.compile("\\{\\{.*?}}", Pattern.DOTALL);
  private static final Pattern FILE_REPO = Pattern.compile("file://(.+)");
  /** The template file that defines the API versions list (a partial: Helm renders no object from it). */
  static final String API_VERSIONS_FILE = "templates/_kapas-staged-api-versions.tpl";
  private static final String API_VERSIONS_DEFINE = "kapas-staged.invalid/api-versions";
  private static final String API_VERSIONS_LIST = "(splitList \",\" (include \"" + API_VERSIONS_DEFINE + "\" \"\"))";
  private static final String CAPABILITIES = ".Capabilities.APIVersions";

  private ChartStaging() {}

  /** Copies {@code chart} into {@code target} (which must not exist yet) with the adjustments above. */
  static void stage(Path chart, Path target, List<String> apiVersions) throws IOException {
    copy(chart, target);
    addFileDependencies(chart, target);
    unpackSubcharts(target);
    adjust(target);
    Files.createDirectories(target.resolve("templates"));
    Files.writeString(target.resolve(API_VERSIONS_FILE), "{{- define \"" + API_VERSIONS_DEFINE + "\" -}}"
        + String.join(",", apiVersions) + "{{- end -}}\n", StandardCharsets.UTF_8);
  }

  /**
   * A values file as Helm should read it: the file itself, or, when it names the hook
   * annotation, an adjusted copy in {@code scratch}.
   */
  static Path valuesFile(Path file, Path scratch, int index) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    if (!text.contains(HOOK)) {
      return file;
    }
    Path copy = scratch.resolve("values-" + index + ".yaml");
    Files.writeString(copy, text.replace(HOOK, HOOK_STAND_IN), StandardCharsets.UTF_8);
    return copy;
  }

  static String restoreHooks(String rendered) {
    return rendered.replace(HOOK_STAND_IN, HOOK);
  }

  /** The template text with every {@code lookup} call answering an empty map, as helm template's does. */
  static String withoutLookups(String template) {
    return eachAction(template, ChartStaging::replaceLookup);
  }

  /** The template text with every action ({@code {{ ... }}}) replaced by what {@code replace} makes of it. */
  private static String eachAction(String template, java.util.function.UnaryOperator<String> replace) {
    Matcher m = ACTION.matcher(template);
    StringBuilder out = new StringBuilder(template.length());
    int last = 0;
    while (m.find()) {
      out.append(template, last, m.start()).append(replace.apply(m.group()));
      last = m.end();
    }
    return out.append(template, last, template.length()).toString();
  }

  /**
   * The template text with {@code .Capabilities.APIVersions} (after any receiver: {@code $}, {@code
   * .ctx}, ...) read from the staged list, and its {@code Has A} method as {@code has A LIST}.
   */
  static String withStagedApiVersions(String template) {
    return template.contains(CAPABILITIES) ? eachAction(template, ChartStaging::replaceApiVersions) : template;
  }

  private static String replaceApiVersions(String action) {
    if (!action.contains(CAPABILITIES) || action.startsWith("{{/*") || action.startsWith("{{- /*")) {
      return action;
    }
    StringBuilder out = new StringBuilder(action.length() + 64);
    int i = 0;
    while (i < action.length()) {
      char c = action.charAt(i);
      if (c == '"' || c == '`') {
        int end = closing(action, i);
        out.append(action, i, end);
        i = end;
        continue;
      }
      int after = i + CAPABILITIES.length();
      if (!action.startsWith(CAPABILITIES, i) || after < action.length() && isNameChar(action.charAt(after))) {
        out.append(c);
        i++;
        continue;
      }
      out.setLength(receiverStart(out));
      if (action.startsWith(".Has", after) && after + 4 < action.length()
          && Character.isWhitespace(action.charAt(after + 4))) {
        int argStart = after + 4;
        while (argStart < action.length() && Character.isWhitespace(action.charAt(argStart))) {
          argStart++;
        }
        int argEnd = argumentEnd(action, argStart);
        out.append("(has ").append(action, argStart, argEnd).append(' ').append(API_VERSIONS_LIST).append(')');
        i = argEnd;
      } else {
        out.append(API_VERSIONS_LIST);
        i = after;
      }
    }
    return out.toString();
  }

  /** Where the receiver written before {@code .Capabilities} ({@code $}, {@code $ctx}, {@code .root}, {@code (x)}) starts. */
  private static int receiverStart(StringBuilder out) {
    int j = out.length();
    if (j > 0 && out.charAt(j - 1) == ')') {
      int depth = 0;
      while (j > 0) {
        char c = out.charAt(--j);
        depth += c == ')' ? 1 : c == '(' ? -1 : 0;
        if (depth == 0) {
          return j;
        }
      }
      return out.length();
    }
    while (j > 0 && (isNameChar(out.charAt(j - 1)) || out.charAt(j - 1) == '.' || out.charAt(j - 1) == '$')) {
      j--;
    }
    return j;
  }

  /** The end of one template argument from {@code start}: a string, a parenthesised pipeline, or a word. */
  private static int argumentEnd(String s, int start) {
    if (start >= s.length()) {
      return start;
    }
    char c = s.charAt(start);
    if (c == '"' || c == '`') {
      return closing(s, start);
    }
    if (c == '(') {
      int depth = 0;
      for (int i = start; i < s.length(); i++) {
        char d = s.charAt(i);
        if (d == '"' || d == '`') {
          i = closing(s, i) - 1;
        } else if (d == '(') {
          depth++;
        } else if (d == ')' && --depth == 0) {
          return i + 1;
        }
      }
      return s.length();
    }
    int i = start;
    while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != ')' && s.charAt(i) != '|'
        && !s.startsWith("}}", i) && !s.startsWith("-}}", i)) {
      i++;
    }
    return i;
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  /** Replaces the function name {@code lookup} in one action, outside string literals and comments. */
  private static String replaceLookup(String action) {
    if (!action.contains("lookup") || action.startsWith("{{/*") || action.startsWith("{{- /*")) {
      return action;
    }
    StringBuilder out = new StringBuilder(action.length() + 16);
    int i = 0;
    while (i < action.length()) {
      char c = action.charAt(i);
      if (c == '"' || c == '`') {
        int end = closing(action, i);
        out.append(action, i, end);
        i = end;
      } else if (action.startsWith("lookup", i) && boundaryBefore(action, i) && boundaryAfter(action, i + 6)) {
        out.append("omit (dict)");
        i += 6;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static int closing(String s, int open) {
    char quote = s.charAt(open);
    int i = open + 1;
    while (i < s.length() && s.charAt(i) != quote) {
      i += quote == '"' && s.charAt(i) == '\\' ? 2 : 1;
    }
    return Math.min(s.length(), i + 1);
  }

  private static boolean boundaryBefore(String s, int i) {
    char c = i == 0 ? ' ' : s.charAt(i - 1);
    return !(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$' || c == '-');
  }

  private static boolean boundaryAfter(String s, int i) {
    return i < s.length() && (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == ')');
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path relative = from.relativize(p);
        if (relative.startsWith(".git")) {
          continue;
        }
        Path target = to.resolve(relative.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (Files.isRegularFile(p)) {
          Files.copy(p, target);
        }
      }
    }
  }

  /** For each {@code file://} dependency charts/ lacks, a staged copy of the directory it names. */
  private static void addFileDependencies(Path original, Path staged) throws IOException {
    for (ChartFiles.Dependency d : ChartFiles.dependencies(staged)) {
      Matcher m = FILE_REPO.matcher(d.repository());
      if (!m.matches() || ChartFiles.present(staged, d)) {
        continue;
      }
      Path source = original.resolve(m.group(1)).normalize();
      if (Files.isRegularFile(source.resolve("Chart.yaml"))) {
        Path target = staged.resolve("charts").resolve(d.name());
        Files.createDirectories(target.getParent());
        copy(source, target);
        addFileDependencies(source, target);
      }
    }
  }

  /** Unpacks every charts/*.tgz (at any depth) in place of the archive. */
  private static void unpackSubcharts(Path chart) throws IOException {
    Path charts = chart.resolve("charts");
    if (!Files.isDirectory(charts)) {
      return;
    }
    List<Path> entries;
    try (Stream<Path> list = Files.list(charts)) {
      entries = list.sorted().toList();
    }
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      if (Files.isRegularFile(entry) && name.endsWith(".tgz")) {
        Path unpacked = Files.createTempDirectory(charts, "unpack");
        Path root = Tar.extract(entry, unpacked);
        Path target = charts.resolve(name.substring(0, name.length() - 4));
        for (int n = 2; Files.exists(target); n++) {
          target = charts.resolve(name.substring(0, name.length() - 4) + "-" + n);
        }
        Files.move(root, target);
        ChartSource.deleteTree(unpacked);
        Files.delete(entry);
        unpackSubcharts(target);
      } else if (Files.isDirectory(entry)) {
        unpackSubcharts(entry);
      }
    }
  }

  /** Rewrites templates (lookup, hook annotation) and values files (hook annotation) throughout the copy. */
  private static void adjust(Path staged) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(staged)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      Path relative = staged.relativize(file);
      boolean template = relative.toString().contains("templates/") || relative.startsWith("templates");
      boolean values = file.getFileName().toString().equals("values.yaml");
      if (!template && !values) {
        continue;
      }
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
            .toString();
      } catch (CharacterCodingException binary) {
        continue;
      }
      String adjusted = text.replace(HOOK, HOOK_STAND_IN);
      if (template) {
        adjusted = withStagedApiVersions(withoutLookups(adjusted));
      }
      if (!adjusted.equals(text)) {
        Files.writeString(file, adjusted, StandardCharsets.UTF_8);
      }
    }
  }
}
