package dev.kapas.source.image.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kapas.model.SoftwarePackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * npm trees, checked against {@code npm ls --all --json} on a tree {@code npm ci} installed from
 * the npm registry (package.json and its lock under src/test/resources/catalog/npm: a scoped
 * package, and ms in two versions, one nested under debug).
 */
class NpmCatalogerTest {
  @TempDir Path project;

  @Test
  void installedTreeMatchesNpmLs() throws Exception {
    Path npm = Oracle.require("npm", "npm");
    for (String f : new String[] {"package.json", "package-lock.json"}) {
      Files.copy(Path.of("src/test/resources/catalog/npm", f), project.resolve(f));
    }
    Map<String, String> env = Map.of("npm_config_cache", project.resolve(".npm-cache").toString());
    Oracle.run(project, env, npm.toString(), "ci", "--no-audit", "--no-fund", "--ignore-scripts");
    JsonNode ls = new ObjectMapper().readTree(Oracle.run(project, env, npm.toString(), "ls", "--all", "--json"));
    Set<String> expected = new HashSet<>();
    collect(ls.path("dependencies"), expected);

    Catalog catalog = new Catalog().readTree(project);

    assertThat(expected).contains("ms@2.0.0", "ms@2.1.3", "@isaacs/string-locale-compare@1.1.0");
    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.packages()).extracting(p -> p.name() + "@" + p.version()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(catalog.packages()).filteredOn(p -> p.name().startsWith("@")).singleElement().satisfies(p -> {
      assertThat(p.ecosystem()).isEqualTo("npm");
      assertThat(p.purl()).isEqualTo("pkg:npm/%40isaacs/string-locale-compare@1.1.0");
      assertThat(p.path()).isEqualTo("node_modules/@isaacs/string-locale-compare/package.json");
    });
    assertThat(catalog.packages()).extracting(SoftwarePackage::path).contains("node_modules/debug/node_modules/ms/package.json");
  }

  @Test
  void packageJsonInsideAPackageIsNotAPackageAndBrokenJsonIsAProblem() throws Exception {
    Path lib = Files.createDirectories(project.resolve("node_modules/left-pad/lib"));
    Files.writeString(lib.getParent().resolve("package.json"), "{\"name\": \"left-pad\", \"version\": \"1.3.0\"}");
    Files.writeString(lib.resolve("package.json"), "{\"type\": \"module\"}");
    Path broken = Files.createDirectories(project.resolve("node_modules/broken"));
    Files.writeString(broken.resolve("package.json"), "{\"name\": \"broken\", \"version\": ");

    Catalog catalog = new Catalog().readTree(project);

    assertThat(catalog.packages()).extracting(p -> p.name() + "@" + p.version()).containsExactly("left-pad@1.3.0");
    assertThat(catalog.problems()).singleElement().extracting(d -> d.file()).isEqualTo("node_modules/broken/package.json");
  }

  private static void collect(JsonNode dependencies, Set<String> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = dependencies.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> dep = it.next();
      out.add(dep.getKey() + "@" + dep.getValue().path("version").asText());
      collect(dep.getValue().path("dependencies"), out);
    }
  }
}
