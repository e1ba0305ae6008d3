package dev.kapas.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kapas.engine.Engine;
import dev.kapas.engine.Rule;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Finding;
import dev.kapas.source.node.NodeRoots;
import dev.kapas.source.node.NodeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixtures for rules fed by {@code kapas node}: a directory {@code pass-NAME/} or {@code fail-NAME/}
 * that is a node's root, laid out like a kubeadm v1.30 node, made real in a temp dir by {@link
 * NodeRoots#materialize}. {@code # expect: RULE-ID} on a line of a file expects a finding at that
 * file and line; findings without a line (a file's mode, a process's command line) are expected in
 * {@code .expect}: lines {@code PATH RULE-ID}, or {@code PATH:LINE RULE-ID} for a line that cannot
 * hold a comment (a systemd {@code ExecStart=}).
 *
 * The node is read by {@link NodeSource} (no input errors allowed) and only the rule runs; findings
 * and expectations must match exactly.
 */
final class NodeFixtures {
  private NodeFixtures() {}

  static void check(Rule rule, Path fixture) throws IOException {
    Path root = Files.createTempDirectory("kapas-node-fixture");
    try {
      List<String> expected = new ArrayList<>();
      assumeTrue(NodeRoots.canChown() || !Files.exists(fixture.resolve(".modes")) || !ownerMatters(rule),
          "file owners can only be set up as root");
      expected.addAll(NodeRoots.materialize(fixture, root));
      Path expectFile = fixture.resolve(".expect");
      if (Files.exists(expectFile)) {
        for (String line : Files.readAllLines(expectFile)) {
          String[] f = line.trim().split("\\s+");
          if (f.length == 2) {
            expected.add(f[1] + "@" + (f[0].matches(".*:\\d+") ? f[0] : f[0] + ":0"));
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
      NodeRoots.delete(root);
    }
  }

  private static boolean ownerMatters(Rule rule) {
    return rule.spec().id().contains("permissions");
  }

}
