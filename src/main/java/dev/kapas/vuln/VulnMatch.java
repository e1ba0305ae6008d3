package dev.kapas.vuln;

import dev.kapas.model.Severity;
import dev.kapas.model.SoftwarePackage;
import java.util.List;

/**
 * One vulnerability of one package: every record that describes it (a GHSA, the CVE it aliases, a
 * DSA whose upstream it is) merged into one.
 *
 * @param pkg the package as the cataloger found it
 * @param ids every ID, the CVE first when there is one, then the others in order
 * @param summary the summary of the first record that has one
 * @param fixed the versions that fix it, as the records give them; empty: no fix
 * @param severity from the highest CVSS v3 base score, else the database's severity word, else medium
 * @param score that CVSS base score, 0 when none was computed
 */
public record VulnMatch(SoftwarePackage pkg, List<String> ids, String summary, List<String> fixed, Severity severity,
    double score) {

  public String primaryId() {
    return ids.get(0);
  }

  public boolean hasFix() {
    return !fixed.isEmpty();
  }
}
