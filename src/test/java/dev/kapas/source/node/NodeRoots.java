package dev.kapas.source.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Node roots for tests, written in temp dirs from a template directory (a rule fixture or one under
 * src/test/resources/node/):
 *
 * <ul>
 *   <li>{@code proc/PID/cmdline.txt} (one argument per line) becomes the NUL-separated {@code cmdline};
 *   <li>every file gets mode 0600 and every directory 0700, owned by root when the tests run as
 *       root, unless {@code .modes} (at the template's root) says otherwise: lines {@code PATH MODE [UID:GID]};
 *   <li>{@code .modes} and {@code .expect} are not copied.
 * </ul>
 */
public final class NodeRoots {
  private static final Pattern EXPECT = Pattern.compile("#\\s*expect:\\s*([a-z0-9.,\\s-]+)$");

  private NodeRoots() {}

  /** Whether files can be given to another owner here (the tests run as root). */
  public static boolean canChown() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * Writes the node root of {@code template} into {@code root}; returns the {@code # expect:} markers
   * found, as {@code RULE-ID@PATH:LINE}.
   */
  public static List<String> materialize(Path template, Path root) throws IOException {
    List<String> expected = new ArrayList<>();
    copy(template, root, expected);
    applyModes(template, root, canChown());
    return expected;
  }

  private static void copy(Path from, Path to, List<String> expected) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.sorted().toList()) {
        String rel = from.relativize(p).toString();
        if (rel.equals(".modes") || rel.equals(".expect")) {
          continue;
        }
        Path target = to.resolve(rel);
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
          continue;
        }
        List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        if (rel.endsWith("cmdline.txt")) {
          Files.writeString(target.resolveSibling("cmdline"), String.join("\0", lines) + "\0", StandardCharsets.UTF_8);
          continue;
        }
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = EXPECT.matcher(lines.get(i));
          if (m.find()) {
            for (String id : m.group(1).split(",")) {
              expected.add(id.trim() + "@" + rel + ":" + (i + 1));
            }
          }
        }
        Files.copy(p, target);
      }
    }
  }

  private static void applyModes(Path template, Path root, boolean asRoot) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
        if (asRoot) {
          Files.setAttribute(p, "unix:uid", 0);
          Files.setAttribute(p, "unix:gid", 0);
        }
      }
    }
    Path modes = template.resolve(".modes");
    if (!Files.exists(modes)) {
      return;
    }
    for (String line : Files.readAllLines(modes)) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 2 || f[0].startsWith("#")) {
        continue;
      }
      Path p = root.resolve(f[0]);
      Files.setAttribute(p, "unix:mode", Integer.parseInt(f[1], 8));
      if (f.length > 2 && asRoot) {
        String[] ids = f[2].split(":");
        Files.setAttribute(p, "unix:uid", Integer.parseInt(ids[0]));
        Files.setAttribute(p, "unix:gid", Integer.parseInt(ids[1]));
      }
    }
  }

  /** Removes a node root, whatever modes its files were given. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        if (!Files.isSymbolicLink(p)) {
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        }
        Files.delete(p);
      }
    }
  }
}
