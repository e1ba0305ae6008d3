package dev.kapas.cli;

import dev.kapas.engine.Engine;
import dev.kapas.engine.Evaluation;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Diagnostic;
import dev.kapas.policy.Config;
import dev.kapas.policy.Framework;
import dev.kapas.source.code.DependencyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kapas code DIR}: the code layer of a source tree (for now its dependencies' known vulnerabilities). */
@Command(
    name = "code",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Check a source tree's dependencies against the offline vulnerability database (what Dependabot does, "
          + "without the network).",
      "",
      "Reads package-lock.json (v1-v3), yarn.lock, pnpm-lock.yaml, requirements*.txt (pinned ==), poetry.lock, "
          + "Pipfile.lock, go.mod, Cargo.lock, Gemfile.lock, composer.lock, packages.lock.json, gradle.lockfile and "
          + "pom.xml (properties and dependencyManagement resolved within the tree; what cannot be resolved is noted, "
          + "not guessed). Each vulnerable dependency is a code.vulnerable-dependency finding at the line that "
          + "declares it. The database comes from `kapas db update`; nothing is fetched at scan time.",
      "",
      "Examples:",
      "  kapas code .",
      "  kapas code services/api --ignore-unfixed --vuln-severity high -f sarif -o deps.sarif",
      "",
      "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or config error (or no "
          + "database); 3 some files could not be parsed (the rest was checked)."
    })
public final class CodeCommand implements Callable<Integer> {
  private static final String NAME = "kapas code";
  private final Env env;

  @Parameters(index = "0", paramLabel = "DIR", description = "The source tree.")
  Path dir;

  @Mixin
  VulnOptions vuln = new VulnOptions();

  @Option(names = "--timings", description = "Say on stderr where the time went: reading, matching, report.")
  boolean timings;

  @Mixin
  ReportOptions report = new ReportOptions();

  CodeCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() throws IOException {
    RuleCatalog catalog = RuleCatalog.builtIn();
    Optional<ReportOptions.Prepared> prepared = report.prepare(catalog, env, NAME);
    if (prepared.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    Config cfg = prepared.get().config();
    Path root = env.workingDir().resolve(dir);
    if (!Files.isDirectory(root)) {
      return usage(dir + ": no such directory");
    }
    long start = System.nanoTime();
    vuln.measureCpu = timings;
    DependencyFiles.Result read = DependencyFiles.read(root, dir);
    long readNanos = System.nanoTime() - start;
    VulnOptions.Matched matched;
    try {
      matched = vuln.match(List.of(new VulnOptions.Scanned("", read.packages())), env, Instant.now());
    } catch (VulnOptions.UsageException e) {
      return usage(e.getMessage());
    }
    List<Diagnostic> notes = new ArrayList<>(read.notes());
    matched.notes().forEach(n -> notes.add(Diagnostic.ofFile(dir.toString(), n)));
    List<Rule> rules = catalog.all().stream()
        .filter(r -> r.spec().id().equals("code.vulnerable-dependency"))
        .filter(r -> !cfg.disabled().contains(r.spec().id()))
        .toList();
    env.err().println(NAME + ": " + read.packages().size() + " dependencies read, " + matched.facts().size()
        + " vulnerable");
    long reportStart = System.nanoTime();
    Inventory inv = new Inventory(List.of(), matched.facts(), read.errors(), notes);
    Evaluation evaluation = new Engine(rules, new Engine.Settings(PssVersion.LATEST, Framework.FOUR_C.pssLevel(),
        cfg.params())).run(inv);
    int exit = report.finish(NAME, prepared.get(), catalog, evaluation, Framework.FOUR_C, PssVersion.LATEST, List.of(),
        env, matched.adjust());
    if (timings) {
      env.err().printf(Locale.ROOT, "%s: read %.3f s, %s, rules and report %.3f s%n", NAME, readNanos / 1e9,
          matched.timing(), (System.nanoTime() - reportStart) / 1e9);
    }
    return exit;
  }

  private int usage(String message) {
    env.err().println(NAME + ": " + message);
    return ExitCode.USAGE.code();
  }
}
