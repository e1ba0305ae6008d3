package dev.kapas.vuln.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every pair of {@code ../shared/fixtures/versions/*.tsv} (transcribed from the upstream
 * implementations' own test suites), in both directions: 0 failures.
 */
class VersionConformanceTest {
  static final Path FIXTURES = Path.of("../shared/fixtures/versions");

  @ParameterizedTest
  @CsvSource({"Debian.tsv, Debian:12", "Alpine.tsv, Alpine:v3.19", "RPM.tsv, Red Hat", "Maven.tsv, Maven",
      "npm.tsv, npm", "npm-loose.tsv, npm", "PyPI.tsv, PyPI", "Go.tsv, Go", "RubyGems.tsv, RubyGems",
      "NuGet.tsv, NuGet"})
  void everyUpstreamPairOrdersAsUpstreamSays(String file, String ecosystem) throws IOException {
    VersionOrder order = Versions.forEcosystem(ecosystem).orElseThrow();
    List<String> lines = Files.readAllLines(FIXTURES.resolve(file), StandardCharsets.UTF_8);
    List<String> failures = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t", -1);
      int expected = switch (f[2]) {
        case "<" -> -1;
        case ">" -> 1;
        default -> 0;
      };
      int forward = Integer.signum(order.compare(f[0], f[1]));
      int backward = Integer.signum(order.compare(f[1], f[0]));
      if (forward != expected || backward != -expected) {
        failures.add("[" + f[0] + "] " + f[2] + " [" + f[1] + "]: got " + forward + "/" + backward);
      }
    }
    assertThat(failures).as(file + " (" + (lines.size() - 1) + " pairs)").isEmpty();
    assertThat(lines).hasSizeGreaterThan(20);
  }
}
