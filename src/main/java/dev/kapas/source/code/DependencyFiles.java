package dev.kapas.source.code;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.SoftwarePackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the dependencies a source tree declares or locks, each at the line that declares it:
 * package-lock.json (v1-v3), yarn.lock, pnpm-lock.yaml, requirements*.txt (pinned {@code ==}),
 * poetry.lock, Pipfile.lock, go.mod, Cargo.lock, Gemfile.lock, composer.lock,
 * packages.lock.json, gradle.lockfile and pom.xml (see {@link PomFiles}). A file that does not
 * parse is an input error with its line; the others are still read.
 */
public final class DependencyFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REQUIREMENT = Pattern.compile(
      "^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(?:\\[[^\\]]*\\])?\\s*===?\\s*([^\\s;#,]+)\\s*(?:[;#].*)?$");
  private static final Pattern GO_REQUIRE = Pattern.compile("^\\s*(?:require\\s+)?([^\\s()]+)\\s+(v[^\\s]+)(?:\\s*//.*)?$");
  private static final Pattern GEM_SPEC = Pattern.compile("^    ([^\\s(]+) \\(([^)]+)\\)$");
  private static final Pattern TOML_STRING = Pattern.compile("^(name|version)\\s*=\\s*\"([^\"]*)\"\\s*$");

  /** What was read: packages, unreadable files (errors) and what was not checked (notes). */
  public record Result(List<SoftwarePackage> packages, List<Diagnostic> errors, List<Diagnostic> notes) {}

  public static Result read(Path root) throws IOException {
    return read(root, Path.of(""));
  }

  /**
   * Reads the tree at {@code root}, naming its files under {@code shownAs} (the directory as the
   * user wrote it: {@code kapas code app} names {@code app/package-lock.json}, a path they can open).
   */
  public static Result read(Path root, Path shownAs) throws IOException {
    List<SoftwarePackage> packages = new ArrayList<>();
    List<Diagnostic> errors = new ArrayList<>();
    List<Diagnostic> notes = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> !root.relativize(p).toString().matches("(.*/)?(node_modules|\\.git|target|vendor)/.*"))
          .sorted().toList();
    }
    List<Path> poms = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      String shown = shown(root, shownAs, file);
      Sink sink = new Sink(shown, packages);
      try {
        switch (name) {
          case "package-lock.json", "npm-shrinkwrap.json" -> packageLock(json(file), sink);
          case "yarn.lock" -> yarnLock(lines(file), sink);
          case "pnpm-lock.yaml" -> pnpmLock(lines(file), sink);
          case "poetry.lock" -> tomlPackages(lines(file), "PyPI", sink);
          case "Cargo.lock" -> tomlPackages(lines(file), "crates.io", sink);
          case "Pipfile.lock" -> pipfileLock(json(file), sink);
          case "go.mod" -> goMod(lines(file), sink);
          case "Gemfile.lock" -> gemfileLock(lines(file), sink);
          case "composer.lock" -> composerLock(json(file), sink);
          case "packages.lock.json" -> nugetLock(json(file), sink);
          case "gradle.lockfile" -> gradleLock(lines(file), sink);
          case "pom.xml" -> poms.add(file);
          default -> {
            if (name.matches("requirements.*\\.txt")) {
              requirements(lines(file), sink, notes);
            }
          }
        }
      } catch (BadFile e) {
        errors.add(new Diagnostic(shown, e.line, 0, e.getMessage()));
      }
    }
    PomFiles.read(root, shownAs, poms, packages, errors, notes);
    return new Result(packages, errors, notes);
  }

  /** {@code file} under {@code root}, as a path under {@code shownAs}. */
  static String shown(Path root, Path shownAs, Path file) {
    return shownAs.resolve(root.relativize(file)).normalize().toString();
  }

  /** A file that does not parse, with the line where it stops making sense. */
  static final class BadFile extends Exception {
    private static final long serialVersionUID = 1L;
    final int line;

    BadFile(int line, String message) {
      super(message);
      this.line = line;
    }
  }

  /** Adds packages of one file. */
  private record Sink(String file, List<SoftwarePackage> out) {
    void add(String ecosystem, String name, String version, int line) {
      out.add(new SoftwarePackage(ecosystem, name, version, name, version, purl(ecosystem, name, version), file, line, ""));
    }
  }

  static String purl(String ecosystem, String name, String version) {
    String type = switch (ecosystem) {
      case "npm" -> "npm";
      case "PyPI" -> "pypi";
      case "Go" -> "golang";
      case "crates.io" -> "cargo";
      case "RubyGems" -> "gem";
      case "Packagist" -> "composer";
      case "NuGet" -> "nuget";
      default -> "maven";
    };
    String path = type.equals("maven") ? name.replace(':', '/') : name;
    return "pkg:" + type + "/" + path + "@" + version;
  }

  private record Json(JsonNode tree, Map<String, Integer> lines) {
    int line(String pointer) {
      return lines.getOrDefault(pointer, 0);
    }
  }

  private static Json json(Path file) throws IOException, BadFile {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return new Json(JSON.readTree(bytes), JsonLines.of(bytes));
    } catch (JsonProcessingException e) {
      throw new BadFile(e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "not valid JSON: "
          + e.getOriginalMessage().replaceFirst("(?s)\\s*\\(start marker at.*$", "").replaceFirst("(?s)\\n.*$", ""));
    }
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  private static void packageLock(Json j, Sink sink) throws BadFile {
    if (!j.tree().isObject()) {
      throw new BadFile(1, "not a package-lock.json: the top level is not an object");
    }
    JsonNode packages = j.tree().path("packages");
    if (packages.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = packages.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        int at = e.getKey().lastIndexOf("node_modules/");
        String version = e.getValue().path("version").asText("");
        if (at < 0 || e.getValue().path("link").asBoolean(false) || version.isEmpty()) {
          continue;
        }
        String name = e.getValue().path("name").asText(e.getKey().substring(at + "node_modules/".length()));
        sink.add("npm", name, version, j.line("/packages/" + JsonLines.escape(e.getKey())));
      }
      return;
    }
    v1Dependencies(j, j.tree().path("dependencies"), "/dependencies", sink);
  }

  private static void v1Dependencies(Json j, JsonNode deps, String pointer, Sink sink) {
    for (Iterator<Map.Entry<String, JsonNode>> it = deps.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String here = pointer + "/" + JsonLines.escape(e.getKey());
      String version = e.getValue().path("version").asText("");
      if (!version.isEmpty() && !version.contains(":")) {
        sink.add("npm", e.getKey(), version, j.line(here));
      }
      v1Dependencies(j, e.getValue().path("dependencies"), here + "/dependencies", sink);
    }
  }

  private static void yarnLock(List<String> lines, Sink sink) throws BadFile {
    String header = null;
    int headerLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.isBlank() || l.startsWith("#")) {
        continue;
      }
      if (!l.startsWith(" ")) {
        if (!l.endsWith(":")) {
          throw new BadFile(i + 1, "not a yarn.lock entry: `" + l.strip() + "`");
        }
        header = l.substring(0, l.length() - 1).split(",")[0].strip().replace("\"", "");
        headerLine = i + 1;
      } else if (header != null && l.matches("^\\s+version:?\\s+\"?[^\"]+\"?\\s*$")) {
        String version = l.strip().replaceFirst("^version:?\\s+", "").replace("\"", "");
        int at = header.indexOf('@', 1);
        String name = at < 0 ? header : header.substring(0, at);
        if (!header.contains("@workspace:") && !header.contains("@link:") && !header.contains("@file:")) {
          sink.add("npm", name, version, headerLine);
        }
        header = null;
      }
    }
  }

  private static void pnpmLock(List<String> lines, Sink sink) {
    boolean inPackages = false;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (!l.startsWith(" ") && !l.isBlank()) {
        inPackages = l.startsWith("packages:");
        continue;
      }
      if (!inPackages || !l.startsWith("  ") || l.startsWith("   ") || !l.strip().endsWith(":")) {
        continue;
      }
      String key = l.strip();
      key = key.substring(0, key.length() - 1).replace("'", "").replace("\"", "");
      key = key.startsWith("/") ? key.substring(1) : key;
      int paren = key.indexOf('(');
      if (paren > 0) {
        key = key.substring(0, paren);
      }
      int at = key.indexOf('@', 1);
      if (at > 0) {
        sink.add("npm", key.substring(0, at), key.substring(at + 1), i + 1);
      } else {
        int slash = key.lastIndexOf('/');
        if (slash > 0) {
          sink.add("npm", key.substring(0, slash), key.substring(slash + 1), i + 1);
        }
      }
    }
  }

  /** {@code [[package]]} tables with {@code name} and {@code version} (poetry.lock, Cargo.lock). */
  private static void tomlPackages(List<String> lines, String ecosystem, Sink sink) {
    String name = null;
    String version = null;
    int line = 0;
    for (int i = 0; i <= lines.size(); i++) {
      String l = i < lines.size() ? lines.get(i).strip() : "[end]";
      if (l.startsWith("[")) {
        if (name != null && version != null) {
          sink.add(ecosystem, name, version, line);
        }
        name = null;
        version = null;
        line = l.equals("[[package]]") ? i + 1 : -1;
        continue;
      }
      Matcher m = TOML_STRING.matcher(l);
      if (line > 0 && m.matches()) {
        if (m.group(1).equals("name")) {
          name = m.group(2);
        } else {
          version = m.group(2);
        }
      }
    }
  }

  private static void pipfileLock(Json j, Sink sink) {
    for (String section : List.of("default", "develop")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = j.tree().path(section).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String version = e.getValue().path("version").asText("");
        if (version.startsWith("==")) {
          sink.add("PyPI", e.getKey(), version.substring(2), j.line("/" + section + "/" + JsonLines.escape(e.getKey())));
        }
      }
    }
  }

  private static void requirements(List<String> lines, Sink sink, List<Diagnostic> notes) {
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      String bare = l.replaceFirst("#.*", "").strip();
      if (bare.isEmpty() || bare.startsWith("-")) {
        continue;
      }
      Matcher m = REQUIREMENT.matcher(l);
      if (m.matches() && !m.group(2).contains("*")) {
        sink.add("PyPI", m.group(1), m.group(2), i + 1);
      } else {
        notes.add(new Diagnostic(sink.file(), i + 1, 0, "`" + bare + "` is not pinned with ==; not checked"));
      }
    }
  }

  private static void goMod(List<String> lines, Sink sink) throws BadFile {
    boolean block = false;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).replaceFirst("//.*", "").strip();
      if (l.startsWith("require (") || l.equals("require(")) {
        block = true;
        continue;
      }
      if (block && l.equals(")")) {
        block = false;
        continue;
      }
      if (block || l.startsWith("require ")) {
        if (l.isEmpty()) {
          continue;
        }
        Matcher m = GO_REQUIRE.matcher(l);
        if (!m.matches()) {
          throw new BadFile(i + 1, "not a go.mod require line: `" + l + "`");
        }
        sink.add("Go", m.group(1), m.group(2), i + 1);
      }
    }
  }

  private static void gemfileLock(List<String> lines, Sink sink) {
    boolean specs = false;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (!l.startsWith(" ")) {
        specs = false;
      } else if (l.equals("  specs:")) {
        specs = true;
      } else if (specs) {
        Matcher m = GEM_SPEC.matcher(l);
        if (m.matches()) {
          String version = m.group(2).replaceFirst("-(x86|x64|arm|aarch|java|universal|mingw|darwin|linux).*$", "");
          sink.add("RubyGems", m.group(1), version, i + 1);
        }
      }
    }
  }

  private static void composerLock(Json j, Sink sink) {
    for (String section : List.of("packages", "packages-dev")) {
      JsonNode list = j.tree().path(section);
      for (int i = 0; i < list.size(); i++) {
        String version = list.get(i).path("version").asText("");
        String name = list.get(i).path("name").asText("");
        if (!name.isEmpty() && !version.isEmpty() && !version.startsWith("dev-")) {
          sink.add("Packagist", name, version.replaceFirst("^v", ""), j.line("/" + section + "/" + i));
        }
      }
    }
  }

  private static void nugetLock(Json j, Sink sink) {
    for (Iterator<Map.Entry<String, JsonNode>> fw = j.tree().path("dependencies").fields(); fw.hasNext(); ) {
      Map.Entry<String, JsonNode> framework = fw.next();
      for (Iterator<Map.Entry<String, JsonNode>> it = framework.getValue().fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String version = e.getValue().path("resolved").asText("");
        if (!version.isEmpty() && !e.getValue().path("type").asText("").equals("Project")) {
          sink.add("NuGet", e.getKey(), version, j.line("/dependencies/" + JsonLines.escape(framework.getKey()) + "/"
              + JsonLines.escape(e.getKey())));
        }
      }
    }
  }

  private static void gradleLock(List<String> lines, Sink sink) throws BadFile {
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith("empty=")) {
        continue;
      }
      String coordinates = l.split("=", 2)[0];
      String[] gav = coordinates.split(":");
      if (gav.length != 3) {
        throw new BadFile(i + 1, "not a gradle.lockfile line (group:artifact:version=configurations): `" + l + "`");
      }
      sink.add("Maven", gav[0] + ":" + gav[1], gav[2], i + 1);
    }
  }
}
