package dev.kapas.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kapas.engine.Engine;
import dev.kapas.engine.Rule;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Finding;
import dev.kapas.source.node.NodeSource;
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
 * Fixtures for rules fed by {@code kapas node}: a directory {@code pass-NAME/} or {@code fail-NAME/}
 * that is a node's root, laid out like a kubeadm v1.30 node. It is copied to a temp dir, where:
 *
 * <ul>
 *   <li>{@code proc/PID/cmdline.txt} (one argument per line) becomes the NUL-separated {@code cmdline};
 *   <li>every file gets mode 0600 and every directory 0700, owned by root, unless {@code .modes} (at
 *       the fixture's root) says otherwise: lines {@code PATH MODE [UID:GID]};
 *   <li>{@code # expect: RULE-ID} on a line of a file expects a finding at that file and line;
 *       findings without a line (a file's mode, a process's command line) are expected in
 *       {@code .expect}: lines {@code PATH RULE-ID}.
 * </ul>
 *
 * The node is read by {@link NodeSource} (no input errors allowed) and only the rule runs; findings
 * and expectations must match exactly.
 */
final class NodeFixtures {
  private static final Pattern EXPECT = Pattern.compile("#\\s*expect:\\s*([a-z0-9.,\\s-]+)$");

  private NodeFixtures() {}

  static void check(Rule rule, Path fixture) throws IOException {
    Path root = Files.createTempDirectory("kapas-node-fixture");
    try {
      List<String> expected = new ArrayList<>();
      copy(fixture, root, expected);
      boolean root0 = "root".equals(System.getProperty("user.name"));
      assumeTrue(root0 || !Files.exists(fixture.resolve(".modes")) || !ownerMatters(rule),
          "file owners can only be set up as root");
      applyModes(fixture, root, root0);
      Path expectFile = fixture.resolve(".expect");
      if (Files.exists(expectFile)) {
        for (String line : Files.readAllLines(expectFile)) {
          String[] f = line.trim().split("\\s+");
          if (f.length == 2) {
            expected.add(f[1] + "@" + f[0] + ":0");
          }
        }
      }
      String name = fixture.getFileName().toString();
      if (name.startsWith("pass-")) {
        assertThat(expected).as("a pass fixture expects nothing").isEmpty();
      } else {
        assertThat(expected).as("a fail fixture must expect at least one finding").isNotEmpty();
      }
      NodeSource.Result read = new NodeSource(root, List.of()).read();
      assertThat(read.errors()).as("node fixture must read without errors").isEmpty();
      List<Finding> findings = new Engine(List.of(rule), Engine.Settings.defaults())
          .run(new Inventory(List.of(), read.facts(), List.of(), List.of())).findings();
      String prefix = root.toString() + "/";
      List<String> actual = findings.stream()
          .map(f -> f.ruleId() + "@" + f.location().file().replace(prefix, "") + ":" + f.location().line())
          .sorted().toList();
      assertThat(actual)
          .as("findings of %s on %s (messages: %s)", rule.spec().id(), name, findings.stream().map(Finding::message).toList())
          .isEqualTo(expected.stream().sorted().toList());
      findings.forEach(f -> assertThat(f.message()).as("finding message").isNotBlank());
    } finally {
      delete(root);
    }
  }

  private static boolean ownerMatters(Rule rule) {
    return rule.spec().id().contains("permissions");
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

  private static void applyModes(Path fixture, Path root, boolean asRoot) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
        if (asRoot) {
          Files.setAttribute(p, "unix:uid", 0);
          Files.setAttribute(p, "unix:gid", 0);
        }
      }
    }
    Path modes = fixture.resolve(".modes");
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

  static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        Files.delete(p);
      }
    }
  }
}
