package dev.kapas.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md is generated from the rules' own metadata; this fails when a rule changed and the
 * file was not regenerated. Regenerate with {@code mvn -q test -Dtest=RuleDocsUpToDateTest
 * -Dkapas.updateDocs=true} or {@code java -jar target/kapas.jar rules --format markdown >
 * docs/rules.md}.
 */
class RuleDocsUpToDateTest {
  private static final Path DOCS = Path.of("docs/rules.md");

  @Test
  void docsRulesMdMatchesTheCatalogue() throws IOException {
    CliRun run = CliRun.in(Path.of("."), "rules", "--format", "markdown");
    assertThat(run.exitCode()).isZero();
    if (Boolean.getBoolean("kapas.updateDocs")) {
      Files.writeString(DOCS, run.out());
    }
    assertThat(DOCS).as("docs/rules.md is stale: regenerate it with "
        + "`java -jar target/kapas.jar rules --format markdown > docs/rules.md`").exists();
    assertThat(Files.readString(DOCS)).as("docs/rules.md is stale: regenerate it with "
        + "`java -jar target/kapas.jar rules --format markdown > docs/rules.md`")
        .isEqualTo(run.out());
  }

  @Test
  void explainingOneRuleShowsItsFrameworksAndReferences() {
    CliRun run = CliRun.in(Path.of("."), "rules", "cluster.privileged-container");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Why").contains("Fix").contains("cis 5.2.2")
        .contains("https://kubernetes.io/docs/concepts/security/pod-security-standards/");
    CliRun typo = CliRun.in(Path.of("."), "rules", "cluster.privileged");
    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.err()).contains("cluster.privileged-container");
  }
}
