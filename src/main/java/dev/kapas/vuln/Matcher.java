package dev.kapas.vuln;

import dev.kapas.model.Severity;
import dev.kapas.model.SoftwarePackage;
import dev.kapas.vuln.version.InvalidVersionException;
import dev.kapas.vuln.version.VersionOrder;
import dev.kapas.vuln.version.Versions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Matches packages against OSV records, with OSV's semantics: ECOSYSTEM and SEMVER ranges
 * ({@code introduced}, {@code fixed}, {@code last_affected}, {@code limit}) and explicit
 * {@code versions}; GIT ranges are skipped (a record with nothing else is noted); withdrawn records
 * match nothing. Distribution packages match by their source package and release, as osv-scanner
 * does. The records one package matches that name each other (aliases, upstream) become one
 * {@link VulnMatch} listing every ID.
 */
public final class Matcher {
  private final AdvisoryLookup lookup;
  /**
   * What matching found per ecosystem, name and version: a distribution's binary packages share
   * their source package, so an image asks for the same one many times.
   */
  private final Map<String, Result> done = new HashMap<>();

  public Matcher(AdvisoryLookup lookup) {
    this.lookup = lookup;
  }

  /** What matching found, and sentences about what could not be checked. */
  public record Result(List<VulnMatch> matches, List<String> notes) {}

  /** Packages looked up at once: one query per ecosystem for each this many packages. */
  private static final int CHUNK = 500;

  public Result match(List<SoftwarePackage> packages) {
    List<VulnMatch> matches = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (int from = 0; from < packages.size(); from += CHUNK) {
      List<SoftwarePackage> chunk = packages.subList(from, Math.min(packages.size(), from + CHUNK));
      Map<String, List<Advisory>> records = lookUp(chunk);
      for (SoftwarePackage pkg : chunk) {
        matches.addAll(match(pkg, notes, records));
      }
    }
    return new Result(matches, notes);
  }

  /** The name and version a package is matched by: for a distribution's package, its source's. */
  private record Target(String name, String version) {
    static Target of(SoftwarePackage pkg) {
      boolean distro = isDistribution(pkg.ecosystem());
      return new Target(distro && !pkg.sourceName().isEmpty() ? pkg.sourceName() : pkg.name(),
          distro && !pkg.sourceVersion().isEmpty() ? pkg.sourceVersion() : pkg.version());
    }

    String key(String ecosystem) {
      return ecosystem + "\n" + name + "\n" + version;
    }
  }

  /** The records of the packages not matched yet, by ecosystem and looked-up name; one query per ecosystem. */
  private Map<String, List<Advisory>> lookUp(List<SoftwarePackage> chunk) {
    Map<String, Set<String>> names = new LinkedHashMap<>();
    for (SoftwarePackage pkg : chunk) {
      Target t = Target.of(pkg);
      if (Versions.forEcosystem(pkg.ecosystem()).isPresent() && !done.containsKey(t.key(pkg.ecosystem()))) {
        names.computeIfAbsent(pkg.ecosystem(), e -> new LinkedHashSet<>()).add(lookupName(pkg.ecosystem(), t.name()));
      }
    }
    Map<String, List<Advisory>> out = new HashMap<>();
    names.forEach((ecosystem, wanted) -> lookup.advisories(ecosystem, wanted)
        .forEach((name, records) -> out.put(ecosystem + "\n" + name, records)));
    return out;
  }

  private List<VulnMatch> match(SoftwarePackage pkg, List<String> notes, Map<String, List<Advisory>> records) {
    Optional<VersionOrder> order = Versions.forEcosystem(pkg.ecosystem());
    if (order.isEmpty()) {
      notes.add(pkg.name() + " " + pkg.version() + ": ecosystem " + pkg.ecosystem() + " is not one kapas matches");
      return List.of();
    }
    Target t = Target.of(pkg);
    Result r = done.get(t.key(pkg.ecosystem()));
    if (r == null) {
      List<String> found = new ArrayList<>();
      List<Advisory> advisories = records.getOrDefault(pkg.ecosystem() + "\n" + lookupName(pkg.ecosystem(), t.name()),
          List.of());
      r = new Result(match(pkg, t.name(), t.version(), order.get(), advisories, found), found);
      done.put(t.key(pkg.ecosystem()), r);
    } else {
      r = new Result(r.matches().stream().map(m -> new VulnMatch(pkg, m.ids(), m.summary(), m.fixed(), m.severity(),
          m.score())).toList(), r.notes());
    }
    notes.addAll(r.notes());
    return r.matches();
  }

  /** The matches of {@code pkg} among {@code advisories}, by {@code name} and {@code version}. */
  private List<VulnMatch> match(SoftwarePackage pkg, String name, String version, VersionOrder order,
      List<Advisory> advisories, List<String> notes) {
    List<Hit> hits = new ArrayList<>();
    for (Advisory adv : advisories) {
      if (adv.withdrawn()) {
        continue;
      }
      for (Advisory.Affected a : adv.affected()) {
        if (!sameEcosystem(pkg.ecosystem(), a.ecosystem()) || !sameName(pkg.ecosystem(), name, a.name())) {
          continue;
        }
        try {
          Optional<List<String>> fixed = affects(a, version, order);
          if (fixed.isPresent()) {
            hits.add(new Hit(adv, fixed.get()));
          } else if (!a.ranges().isEmpty() && a.ranges().stream().allMatch(r -> r.type().equals("GIT"))
              && a.versions().isEmpty()) {
            notes.add(adv.id() + " gives only git commit ranges for " + name + "; not checked against " + version);
          }
        } catch (InvalidVersionException e) {
          notes.add(name + ": " + e.getMessage() + "; not checked against " + adv.id());
          break;
        }
      }
    }
    return merge(pkg, hits);
  }

  private record Hit(Advisory advisory, List<String> fixed) {}

  /**
   * Whether {@code a} covers {@code version}: present with the fix versions of the range that
   * covers it (empty list: no fix), absent when it does not.
   */
  static Optional<List<String>> affects(Advisory.Affected a, String version, VersionOrder order) {
    List<String> fixes = new ArrayList<>();
    boolean hit = false;
    for (String v : a.versions()) {
      if (equalVersions(order, v, version)) {
        hit = true;
      }
    }
    for (Advisory.Range range : a.ranges()) {
      if (!range.type().equals("ECOSYSTEM") && !range.type().equals("SEMVER")) {
        continue;
      }
      if (inRange(range, version, order)) {
        hit = true;
        range.events().stream().filter(e -> e.kind().equals("fixed")).map(Advisory.Event::version)
            .filter(f -> order.compare(f, version) > 0).forEach(fixes::add);
      }
    }
    return hit ? Optional.of(fixes) : Optional.empty();
  }

  private static boolean equalVersions(VersionOrder order, String a, String b) {
    try {
      return order.compare(a, b) == 0;
    } catch (InvalidVersionException e) {
      return a.equals(b);
    }
  }

  /**
   * OSV's evaluation: the events sorted by version ({@code introduced: 0} first), the version is
   * affected after an {@code introduced} at or below it until a {@code fixed} at or below it, or a
   * {@code last_affected} below it; a {@code limit} at or below it ends the range.
   */
  static boolean inRange(Advisory.Range range, String version, VersionOrder order) {
    List<Advisory.Event> events = new ArrayList<>(range.events());
    Comparator<Advisory.Event> byVersion = (x, y) -> {
      if (x.version().equals("0") && x.kind().equals("introduced")) {
        return y.version().equals("0") && y.kind().equals("introduced") ? 0 : -1;
      }
      if (y.version().equals("0") && y.kind().equals("introduced")) {
        return 1;
      }
      return order.compare(x.version(), y.version());
    };
    events.sort(byVersion);
    boolean affected = false;
    for (Advisory.Event e : events) {
      boolean zero = e.version().equals("0") && e.kind().equals("introduced");
      int c = zero ? 1 : order.compare(version, e.version());
      switch (e.kind()) {
        case "introduced" -> affected = affected || c >= 0;
        case "fixed" -> affected = affected && c < 0;
        case "last_affected" -> affected = affected && c <= 0;
        case "limit" -> {
          if (c >= 0) {
            return false;
          }
        }
        default -> { }
      }
    }
    return affected;
  }

  /** Joins hits that name each other (by ID, alias or upstream) into one match. */
  private static List<VulnMatch> merge(SoftwarePackage pkg, List<Hit> hits) {
    List<Set<String>> groups = new ArrayList<>();
    List<List<Hit>> members = new ArrayList<>();
    for (Hit h : hits) {
      Set<String> names = new LinkedHashSet<>();
      names.add(h.advisory().id());
      names.addAll(h.advisory().aliases());
      names.addAll(h.advisory().upstream());
      Set<String> joined = new LinkedHashSet<>(names);
      List<Hit> joinedHits = new ArrayList<>(List.of(h));
      for (int i = groups.size() - 1; i >= 0; i--) {
        if (groups.get(i).stream().anyMatch(names::contains)) {
          joined.addAll(groups.remove(i));
          joinedHits.addAll(0, members.remove(i));
        }
      }
      groups.add(joined);
      members.add(joinedHits);
    }
    List<VulnMatch> out = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      out.add(toMatch(pkg, groups.get(i), members.get(i)));
    }
    return out;
  }

  private static VulnMatch toMatch(SoftwarePackage pkg, Set<String> names, List<Hit> hits) {
    List<String> ids = new ArrayList<>();
    names.stream().filter(n -> n.startsWith("CVE-")).forEach(ids::add);
    names.stream().filter(n -> !n.startsWith("CVE-")).forEach(ids::add);
    Set<String> fixed = new LinkedHashSet<>();
    hits.forEach(h -> fixed.addAll(h.fixed()));
    String summary = hits.stream().map(h -> h.advisory().summary()).filter(s -> !s.isBlank()).findFirst().orElse("");
    double score = 0;
    Severity severity = null;
    for (Hit h : hits) {
      score = Math.max(score, Cvss.recordScore(h.advisory().cvss()).orElse(0.0));
    }
    if (score > 0) {
      severity = score >= 9 ? Severity.CRITICAL : score >= 7 ? Severity.HIGH : score >= 4 ? Severity.MEDIUM : Severity.LOW;
    } else {
      for (Hit h : hits) {
        Optional<Severity> word = severityWord(h.advisory().databaseSeverity());
        if (word.isPresent() && (severity == null || word.get().compareTo(severity) < 0)) {
          severity = word.get();
        }
      }
    }
    return new VulnMatch(pkg, List.copyOf(ids), summary, List.copyOf(fixed), severity == null ? Severity.MEDIUM : severity,
        score);
  }

  static Optional<Severity> severityWord(String word) {
    return switch (word.toLowerCase(Locale.ROOT)) {
      case "critical" -> Optional.of(Severity.CRITICAL);
      case "high", "important" -> Optional.of(Severity.HIGH);
      case "moderate", "medium" -> Optional.of(Severity.MEDIUM);
      case "low", "negligible" -> Optional.of(Severity.LOW);
      default -> Optional.empty();
    };
  }

  static boolean isDistribution(String ecosystem) {
    String base = ecosystem.contains(":") ? ecosystem.substring(0, ecosystem.indexOf(':')) : ecosystem;
    return Set.of("Debian", "Ubuntu", "Alpine", "Red Hat", "Rocky Linux", "AlmaLinux", "SUSE", "openSUSE", "Wolfi",
        "Chainguard", "Mageia", "openEuler").contains(base);
  }

  /** A package's ecosystem and a record's: equal, or Ubuntu's {@code 22.04} against {@code 22.04:LTS}. */
  static boolean sameEcosystem(String pkgEcosystem, String recordEcosystem) {
    return recordEcosystem.equals(pkgEcosystem)
        || (pkgEcosystem.startsWith("Ubuntu:") && recordEcosystem.equals(pkgEcosystem + ":LTS"));
  }

  private static boolean sameName(String ecosystem, String a, String b) {
    return lookupName(ecosystem, a).equals(lookupName(ecosystem, b));
  }

  /** The name the database indexes: PyPI names normalised as PEP 503 says, others as they are. */
  public static String lookupName(String ecosystem, String name) {
    return ecosystem.equals("PyPI") ? name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-") : name;
  }

}
