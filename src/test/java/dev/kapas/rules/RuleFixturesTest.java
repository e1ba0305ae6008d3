package dev.kapas.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.engine.Engine;
import dev.kapas.engine.FactRule;
import dev.kapas.engine.ObjectRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Fact;
import dev.kapas.model.Finding;
import dev.kapas.source.Progress;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import dev.kapas.source.node.ComponentFact;
import dev.kapas.source.node.ControlPlanePods;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Fixture-driven rule tests, exact in both directions: every rule has a folder
 * {@code src/test/resources/rules/<rule-id>/} with {@code pass-*.yaml} and {@code fail-*.yaml}
 * files. Only that rule runs on its fixtures. A line that must produce a finding carries a
 * trailing {@code # expect: <rule-id>} comment (repeat the ID, comma-separated, for several
 * findings on one line); every finding must be expected and every expectation met.
 *
 * <p>Rules that judge facts (probe answers, web endpoints) take recorded facts as fixtures
 * instead of manifests ({@link FactFixtures}); the same pass/fail naming and markers apply.
 *
 * <p>Rules fed by {@code kapas node} take a node root directory as a fixture ({@code pass-NAME/},
 * {@code fail-NAME/}; see {@link NodeFixtures}); component flag rules also take YAML fixtures of
 * control-plane mirror pods, read as {@code kapas scan} reads them.
 *
 * <p>Header comments set the context: {@code # with: pssVersion=v1.24},
 * {@code # with: pssLevel=restricted}, {@code # with: param.NAME=a,b}.
 */
class RuleFixturesTest {
  static final Path ROOT = Path.of("src/test/resources/rules");
  private static final Pattern EXPECT = Pattern.compile("#\\s*expect:\\s*([a-z0-9.,\\s-]+)$");
  private static final Pattern WITH = Pattern.compile("^#\\s*with:\\s*([A-Za-z.]+)=(.*)$");
  private static final RuleCatalog CATALOG = RuleCatalog.builtIn();

  @TestFactory
  Stream<DynamicTest> everyFixture() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path dir : ruleDirs()) {
      String ruleId = dir.getFileName().toString();
      for (Path fixture : fixtures(dir)) {
        tests.add(DynamicTest.dynamicTest(ruleId + "/" + fixture.getFileName(), fixture.toUri(),
            () -> check(ruleId, fixture)));
      }
    }
    return tests.stream();
  }

  @Test
  void everyRuleHasPassAndFailFixtures() throws IOException {
    List<String> missing = new ArrayList<>();
    for (Rule rule : CATALOG.all()) {
      Path dir = ROOT.resolve(rule.spec().id());
      List<String> names = Files.isDirectory(dir)
          ? fixtures(dir).stream().map(p -> p.getFileName().toString()).toList() : List.of();
      if (names.stream().noneMatch(n -> n.startsWith("pass-")) || names.stream().noneMatch(n -> n.startsWith("fail-"))) {
        missing.add(rule.spec().id());
      }
    }
    assertThat(missing).as("rules without both pass-* and fail-* fixtures").isEmpty();
  }

  @Test
  void everyFixtureFolderNamesARule() throws IOException {
    List<String> unknown = ruleDirs().stream().map(d -> d.getFileName().toString())
        .filter(id -> CATALOG.find(id).isEmpty()).toList();
    assertThat(unknown).as("fixture folders for rules that do not exist").isEmpty();
  }

  @Test
  void ruleIdsAreUnique() {
    List<String> ids = CATALOG.all().stream().map(r -> r.spec().id()).toList();
    assertThat(ids).doesNotHaveDuplicates();
    // the catalog refuses duplicates itself; prove it
    List<Rule> twice = new ArrayList<>(CATALOG.all());
    twice.add(CATALOG.all().get(0));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RuleCatalog(twice))
        .hasMessageContaining("two rules share the ID");
  }

  private static void check(String ruleId, Path fixture) throws IOException {
    Rule rule = CATALOG.find(ruleId).orElseThrow();
    if (Files.isDirectory(fixture)) {
      NodeFixtures.check(rule, fixture);
      return;
    }
    List<String> lines = Files.readAllLines(fixture);
    Map<String, String> with = new LinkedHashMap<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher w = WITH.matcher(lines.get(i).trim());
      if (w.matches()) {
        with.put(w.group(1), w.group(2).trim());
      }
      Matcher e = EXPECT.matcher(lines.get(i));
      if (e.find()) {
        for (String id : e.group(1).split(",")) {
          expected.add(id.trim() + "@" + (i + 1));
        }
      }
    }
    String name = fixture.getFileName().toString();
    if (name.startsWith("pass-")) {
      assertThat(expected).as("a pass fixture expects nothing").isEmpty();
    } else {
      assertThat(expected).as("a fail fixture must mark at least one `# expect:` line").isNotEmpty();
    }
    // a rule judging both objects and images (code.hardcoded-secret) takes image facts from fixtures of `kind: Image`
    if (rule instanceof FactRule<?> f && f.type() != ComponentFact.class
        && (!(rule instanceof ObjectRule) || lines.stream().anyMatch(l -> l.startsWith("kind: Image")))) {
      checkFacts(rule, fixture, String.join("\n", lines), expected);
      return;
    }
    ManifestSource.Result read = new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(fixture.toString()), Progress.NONE);
    assertThat(read.errors()).as("fixture must parse").isEmpty();
    Map<String, Map<String, List<String>>> params = new LinkedHashMap<>();
    with.forEach((k, v) -> {
      if (k.startsWith("param.")) {
        params.computeIfAbsent(ruleId, x -> new LinkedHashMap<>())
            .put(k.substring(6), Arrays.stream(v.split(",")).map(String::trim).toList());
      }
    });
    PssVersion version = PssVersion.parse(with.getOrDefault("pssVersion", "latest")).orElseThrow();
    PssLevel level = PssLevel.valueOf(with.getOrDefault("pssLevel", "baseline").toUpperCase(Locale.ROOT));
    Inventory inventory = new Inventory(read.objects(), ControlPlanePods.mirrorPods(read.objects()), read.errors(),
        read.notes());
    List<Finding> findings = new Engine(List.of(rule), new Engine.Settings(version, level, params))
        .run(inventory).findings();
    List<String> actual = findings.stream().map(f -> f.ruleId() + "@" + f.location().line()).sorted().toList();
    assertThat(actual)
        .as("findings of %s on %s (messages: %s)", ruleId, name, findings.stream().map(Finding::message).toList())
        .isEqualTo(expected.stream().sorted().toList());
    findings.forEach(f -> assertThat(f.message()).as("finding message").isNotBlank());
  }

  /**
   * A fact rule's fixture holds recorded facts (see {@link FactFixtures}), one per YAML document;
   * a finding counts at the line of its fact's {@code kind:}, where the {@code # expect:} goes.
   */
  private static void checkFacts(Rule rule, Path fixture, String text, List<String> expected) {
    List<List<Fact>> documents = FactFixtures.documents(text);
    List<Fact> facts = documents.stream().flatMap(List::stream).toList();
    assertThat(documents).as("a fact fixture holds at least one fact").isNotEmpty();
    List<Integer> kindLines = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("kind:")) {
        kindLines.add(i + 1);
      }
    }
    assertThat(kindLines).as("one `kind:` line per document").hasSize(documents.size());
    Map<String, Integer> lineOf = new LinkedHashMap<>();
    for (int i = 0; i < documents.size(); i++) {
      for (Fact f : documents.get(i)) {
        lineOf.put(f.ref().display(), kindLines.get(i));
      }
    }
    List<Finding> findings = new Engine(List.of(rule), Engine.Settings.defaults())
        .run(new Inventory(List.of(), facts, List.of(), List.of())).findings();
    List<String> actual = findings.stream().map(f -> f.ruleId() + "@" + lineOf.get(f.object().display())).sorted().toList();
    assertThat(actual)
        .as("findings of %s on %s (messages: %s)", rule.spec().id(), fixture.getFileName(),
            findings.stream().map(Finding::message).toList())
        .isEqualTo(expected.stream().sorted().toList());
    findings.forEach(f -> assertThat(f.message()).as("finding message").isNotBlank());
  }

  static List<Path> ruleDirs() throws IOException {
    try (Stream<Path> s = Files.list(ROOT)) {
      return s.filter(Files::isDirectory).sorted().toList();
    }
  }

  private static List<Path> fixtures(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("(pass|fail)-.*\\.(yaml|yml|json)")
          || Files.isDirectory(p) && p.getFileName().toString().matches("(pass|fail)-.*")).sorted().toList();
    }
  }
}
