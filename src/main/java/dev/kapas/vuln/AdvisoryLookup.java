package dev.kapas.vuln;

import java.util.List;

/** Where the matcher finds records: the database, or a list in tests. */
public interface AdvisoryLookup {
  /**
   * The records with an {@code affected} entry for {@code name} in {@code ecosystem} (for
   * distributions, the release-qualified ecosystem, such as {@code Debian:12}; Ubuntu's
   * {@code :LTS} variants included).
   */
  List<Advisory> advisories(String ecosystem, String name);
}
