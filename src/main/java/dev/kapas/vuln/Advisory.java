package dev.kapas.vuln;

import java.util.List;

/**
 * One OSV record, as much of it as matching and reporting need (OSV schema 1.x).
 *
 * @param id the record's ID (GHSA-…, CVE-…, DSA-…)
 * @param aliases IDs of the same vulnerability elsewhere ({@code aliases})
 * @param upstream IDs this record derives from ({@code upstream}, e.g. the CVE behind a DSA)
 * @param summary one line, or the start of {@code details}
 * @param modified when the record last changed (RFC 3339)
 * @param withdrawn whether the record was withdrawn (it then matches nothing)
 * @param cvss CVSS vectors from {@code severity} ({@code CVSS:3.1/…}, {@code CVSS:4.0/…})
 * @param databaseSeverity a severity word the database gives ({@code database_specific.severity}, Ubuntu's priority)
 * @param affected the affected packages
 */
public record Advisory(String id, List<String> aliases, List<String> upstream, String summary, String modified,
    boolean withdrawn, List<String> cvss, String databaseSeverity, List<Affected> affected) {

  /** One {@code affected[]} entry: a package, its ranges and its explicit versions. */
  public record Affected(String ecosystem, String name, List<Range> ranges, List<String> versions) {}

  /** One range: its type (ECOSYSTEM, SEMVER, GIT) and its events in record order. */
  public record Range(String type, List<Event> events) {}

  /** {@code introduced}, {@code fixed}, {@code last_affected} or {@code limit} with its version. */
  public record Event(String kind, String version) {}
}
