package dev.kapas.cli;

import dev.kapas.model.Finding;
import dev.kapas.model.Severity;
import dev.kapas.model.SoftwarePackage;
import dev.kapas.vuln.AdvisoryDb;
import dev.kapas.vuln.Matcher;
import dev.kapas.vuln.Vex;
import dev.kapas.vuln.VulnMatch;
import dev.kapas.vuln.VulnerabilityFact;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * The vulnerability options of the commands that match packages ({@code kapas code}, {@code
 * kapas image}): which database, how old it may be, what to leave out, VEX documents.
 */
final class VulnOptions {
  @Option(names = "--db", paramLabel = "DIR", description = "Vulnerability database directory (default ~/.cache/kapas/db).")
  Path db;

  @Option(names = "--db-max-age", paramLabel = "AGE", description = "Warn when the database is older than this "
      + "(e.g. 7d, 36h; default 7d).")
  String maxAge = "7d";

  @Option(names = "--ignore-unfixed", description = "Leave out vulnerabilities that have no fixed version yet.")
  boolean ignoreUnfixed;

  @Option(names = "--vuln-severity", paramLabel = "SEVERITY",
      description = "Report only vulnerabilities at or above this severity (critical, high, medium, low; default: all).")
  String minSeverity;

  @Option(names = "--vex", paramLabel = "FILE", description = "OpenVEX document: its not_affected and fixed "
      + "statements suppress the matching findings, with the justification shown. Repeatable.")
  List<Path> vex = new ArrayList<>();

  /** Whether to measure the CPU time of matching (the command's {@code --timings}); set by the command, not an option. */
  boolean measureCpu;

  /** The matched facts and how their findings are to be adjusted (advisory severity, VEX). */
  record Matched(List<VulnerabilityFact> facts, List<String> notes, UnaryOperator<List<Finding>> adjust,
      long matchNanos, long[] cpuNanos, int packages) {
    /**
     * What {@code --timings} says about matching: wall time, the CPU time of the thread that matched,
     * and that of the whole process meanwhile (collector and compiler threads included).
     */
    String timing() {
      return String.format(java.util.Locale.ROOT, "match %.3f s (cpu: %.3f s matching, %.3f s all threads; %d "
          + "packages; opening the database included)", matchNanos / 1e9, cpuNanos[0] / 1e9, cpuNanos[1] / 1e9, packages);
    }
  }

  /** Problems the user must fix before anything is matched (exit 2). */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  Path dbDir(Env env) {
    return db != null ? env.workingDir().resolve(db) : AdvisoryDb.defaultDir(env.variables());
  }

  /** Packages to match, and the image they were found in (empty for a source tree). */
  record Scanned(String image, List<SoftwarePackage> packages) {}

  private record Settings(Optional<Severity> threshold, Duration age, List<Vex> documents) {}

  /** Checks the options (not the database), so that a typo is said before anything is read. */
  void validate(Env env) throws UsageException {
    settings(env);
  }

  /** Whether the database exists where --db (or the default) points; it may still be unreadable. */
  boolean databaseExists(Env env) {
    return Files.isRegularFile(dbDir(env).resolve(AdvisoryDb.FILE));
  }

  /** Whether --db was given: then a missing database is the user's error, not a note. */
  boolean databaseNamed() {
    return db != null;
  }

  private Settings settings(Env env) throws UsageException {
    Optional<Severity> threshold = Optional.empty();
    if (minSeverity != null) {
      threshold = Severity.parse(minSeverity);
      if (threshold.isEmpty()) {
        throw new UsageException("--vuln-severity: `" + minSeverity + "` is not one of critical, high, medium, low, info");
      }
    }
    Duration age = parseAge(maxAge).orElseThrow(() -> new UsageException("--db-max-age: `" + maxAge
        + "` is not a duration such as 7d or 36h"));
    List<Vex> documents = new ArrayList<>();
    for (Path file : vex) {
      Path f = env.workingDir().resolve(file);
      if (!Files.isRegularFile(f)) {
        throw new UsageException("--vex " + file + ": no such file");
      }
      try {
        documents.add(Vex.read(f));
      } catch (IOException e) {
        throw new UsageException("--vex " + file + ": " + e.getMessage());
      }
    }
    return new Settings(threshold, age, documents);
  }

  Matched match(List<Scanned> scanned, Env env, Instant now) throws UsageException {
    Settings settings = settings(env);
    long start = System.nanoTime();
    long[] cpuStart = measureCpu ? cpuNanos() : new long[2];
    try (AdvisoryDb database = AdvisoryDb.open(dbDir(env))) {
      Instant built = database.built();
      env.err().println("vulnerability database: " + dbDir(env) + ", built " + built);
      if (built.plus(settings.age()).isBefore(now)) {
        env.err().println("warning: the vulnerability database is older than " + maxAge
            + "; run `kapas db update` for recent advisories");
      }
      Matcher matcher = new Matcher(database);
      List<VulnerabilityFact> facts = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      int packages = 0;
      for (Scanned s : scanned) {
        packages += s.packages().size();
        Matcher.Result result = matcher.match(s.packages());
        notes.addAll(result.notes());
        for (VulnMatch m : result.matches()) {
          if ((ignoreUnfixed && !m.hasFix())
              || (settings.threshold().isPresent() && !m.severity().atLeast(settings.threshold().get()))) {
            continue;
          }
          facts.add(new VulnerabilityFact(m, s.image()));
        }
      }
      long matchNanos = System.nanoTime() - start;
      return new Matched(facts, notes, findings -> adjust(findings, facts, settings.documents()), matchNanos,
          measureCpu ? minus(cpuNanos(), cpuStart) : new long[2], packages);
    } catch (AdvisoryDb.DbException e) {
      throw new UsageException(e.getMessage());
    } catch (SQLException | IOException e) {
      throw new UsageException("vulnerability database unreadable: " + e.getMessage());
    }
  }

  /** The CPU time of this thread and of the whole process (collection and compilation included); 0 where unknown. */
  private static long[] cpuNanos() {
    long thread = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long process = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : 0;
    return new long[] {Math.max(0, thread), process};
  }

  private static long[] minus(long[] a, long[] b) {
    return new long[] {a[0] - b[0], a[1] - b[1]};
  }

  /** Gives each finding its advisory's severity and suppresses what a VEX statement settles. */
  private static List<Finding> adjust(List<Finding> findings, List<VulnerabilityFact> facts, List<Vex> documents) {
    Map<String, VulnerabilityFact> byKey = new HashMap<>();
    facts.forEach(f -> byKey.put(f.key(), f));
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      VulnerabilityFact fact = byKey.get(f.objectKey());
      if (fact == null) {
        out.add(f);
        continue;
      }
      Finding g = f.withSeverity(fact.severity());
      for (Vex v : documents) {
        Optional<String> why = v.suppression(fact.match());
        if (why.isPresent() && !g.suppressed()) {
          g = g.suppressedBecause(why.get());
        }
      }
      out.add(g);
    }
    return out;
  }

  static Optional<Duration> parseAge(String text) {
    try {
      if (text.matches("\\d+d")) {
        return Optional.of(Duration.ofDays(Long.parseLong(text.substring(0, text.length() - 1))));
      }
      if (text.matches("\\d+h")) {
        return Optional.of(Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1))));
      }
      return Optional.of(Duration.parse(text));
    } catch (DateTimeParseException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
