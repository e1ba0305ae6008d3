package dev.kapas.vuln;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Where the matcher finds records: the database, or a list in tests. */
public interface AdvisoryLookup {
  /**
   * The records with an {@code affected} entry for {@code name} in {@code ecosystem} (for
   * distributions, the release-qualified ecosystem, such as {@code Debian:12}; Ubuntu's
   * {@code :LTS} variants included).
   */
  List<Advisory> advisories(String ecosystem, String name);

  /** The same for many names of one ecosystem at once, by name; a name without records may be left out. */
  default Map<String, List<Advisory>> advisories(String ecosystem, Collection<String> names) {
    Map<String, List<Advisory>> out = new HashMap<>();
    for (String name : names) {
      out.put(name, advisories(ecosystem, name));
    }
    return out;
  }
}
