package dev.kapas.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.Severity;
import dev.kapas.model.SoftwarePackage;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OSV semantics on the real records of shared/fixtures/osv. */
class MatcherTest {
  static Matcher matcher;
  static AdvisoryLookup lookup;

  @BeforeAll
  static void load() throws Exception {
    lookup = OsvFixtures.lookup();
    matcher = new Matcher(lookup);
  }

  static SoftwarePackage pkg(String ecosystem, String name, String version) {
    return new SoftwarePackage(ecosystem, name, version, name, version, "", "pom.xml", 7, "");
  }

  static List<VulnMatch> match(SoftwarePackage p) {
    return matcher.match(List.of(p)).matches();
  }

  @Test
  void log4shellIsOneFindingWithBothIdsAndItsFix() {
    List<VulnMatch> m = match(pkg("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1"));
    VulnMatch log4shell = m.stream().filter(v -> v.ids().contains("GHSA-jfh8-c2jp-5v3q")).findFirst().orElseThrow();
    assertThat(log4shell.ids()).containsExactly("CVE-2021-44228", "GHSA-jfh8-c2jp-5v3q");
    assertThat(log4shell.fixed()).containsExactly("2.15.0");
    assertThat(log4shell.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(log4shell.score()).isEqualTo(10.0);
    assertThat(m).extracting(VulnMatch::ids).flatExtracting(ids -> ids)
        .contains("GHSA-7rjr-3q55-vv33", "GHSA-p6xc-xr62-6r2g", "GHSA-8489-44mv-ggj8");
  }

  @Test
  void severityComesFromTheNewestCvssVersionOfTheRecord() {
    // RUSTSEC-2024-0445 has only a CVSS v4.0 vector (MacroVector 112201, at its highest vector: 2.3)
    VulnMatch cap = match(pkg("crates.io", "cap-primitives", "3.4.0")).stream()
        .filter(v -> v.ids().contains("RUSTSEC-2024-0445")).findFirst().orElseThrow();
    assertThat(cap.score()).isEqualTo(2.3);
    assertThat(cap.severity()).isEqualTo(Severity.LOW);
    // GHSA-3f63-hfp8-52jq gives CVSS:3.1 …/AC:H/… (8.1) and CVSS:4.0 …/AC:L/AT:N/…/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N (9.3)
    VulnMatch pillow = match(pkg("PyPI", "Pillow", "10.1.0")).stream()
        .filter(v -> v.ids().contains("GHSA-3f63-hfp8-52jq")).findFirst().orElseThrow();
    assertThat(pillow.score()).isEqualTo(9.3);
    assertThat(pillow.severity()).isEqualTo(Severity.CRITICAL);
  }

  @Test
  void fixedVersionIsNotAffected() {
    assertThat(match(pkg("Maven", "org.apache.logging.log4j:log4j-core", "2.17.1")))
        .noneMatch(v -> v.ids().contains("GHSA-jfh8-c2jp-5v3q"));
  }

  @Test
  void guavaAndroidFixDoesNotCoverJre() {
    assertThat(match(pkg("Maven", "com.google.guava:guava", "31.1-jre"))).extracting(VulnMatch::ids)
        .flatExtracting(ids -> ids).contains("GHSA-7g45-4rm6-3mm3", "GHSA-5mg8-w23w-74h3");
    assertThat(match(pkg("Maven", "com.google.guava:guava", "32.0.0-jre")))
        .noneMatch(v -> v.ids().contains("GHSA-7g45-4rm6-3mm3"));
  }

  @Test
  void textBelowIntroducedIsNotAffected() {
    assertThat(match(pkg("Maven", "org.apache.commons:commons-text", "1.3"))).isEmpty();
  }

  @Test
  void pypiNamesAreNormalisedAndRangesHonoured() {
    assertThat(match(pkg("PyPI", "Setuptools", "65.5.0"))).extracting(VulnMatch::ids).flatExtracting(ids -> ids)
        .contains("GHSA-r9hx-vwmv-q579", "GHSA-cx63-2mw6-8hw5");
    assertThat(match(pkg("PyPI", "pip", "23.2.1"))).extracting(VulnMatch::ids).flatExtracting(ids -> ids)
        .contains("GHSA-mq26-g339-26xf");
  }

  @Test
  void withdrawnRecordsMatchNothing() {
    assertThat(match(pkg("Go", "k8s.io/kubernetes", "1.20.0"))).noneMatch(v -> v.ids().contains("GO-2022-0617"));
    assertThat(match(pkg("crates.io", "xml-rs", "0.8.0"))).noneMatch(v -> v.ids().contains("RUSTSEC-2022-0048"));
  }

  @Test
  void binaryPackagesOfOneSourceEachGetTheirMatchLookedUpOnce() {
    SoftwarePackage full = new SoftwarePackage("Debian:7", "nginx-full", "1.2.1-2.2+wheezy2", "nginx",
        "1.2.1-2.2+wheezy2", "", "var/lib/dpkg/status", 0, "sha256:abc");
    SoftwarePackage common = new SoftwarePackage("Debian:7", "nginx-common", "1.2.1-2.2+wheezy2", "nginx",
        "1.2.1-2.2+wheezy2", "", "var/lib/dpkg/status", 0, "sha256:abc");
    List<String> asked = new java.util.ArrayList<>();
    AdvisoryLookup all = lookup;
    Matcher counting = new Matcher((ecosystem, name) -> {
      asked.add(ecosystem + " " + name);
      return all.advisories(ecosystem, name);
    });
    List<VulnMatch> m = counting.match(List.of(full, common)).matches();
    assertThat(m).extracting(VulnMatch::pkg).containsExactly(full, common);
    assertThat(m).extracting(VulnMatch::ids).containsOnly(List.of("CVE-2014-3616", "DSA-3029-1"));
    assertThat(asked).containsExactly("Debian:7 nginx");
  }

  @Test
  void distroPackagesMatchBySourcePackageAndRelease() {
    SoftwarePackage binary = new SoftwarePackage("Debian:7", "nginx-full", "1.2.1-2.2+wheezy2", "nginx",
        "1.2.1-2.2+wheezy2", "", "var/lib/dpkg/status", 0, "sha256:abc");
    assertThat(match(binary)).extracting(VulnMatch::ids).containsExactly(List.of("CVE-2014-3616", "DSA-3029-1"));
    assertThat(match(binary).get(0).fixed()).containsExactly("1.2.1-2.2+wheezy3");
    SoftwarePackage fixed = new SoftwarePackage("Debian:7", "nginx-full", "1.2.1-2.2+wheezy3", "nginx",
        "1.2.1-2.2+wheezy3", "", "", 0, "");
    assertThat(match(fixed)).isEmpty();
    SoftwarePackage otherRelease = new SoftwarePackage("Debian:8", "nginx", "1.2.1-2.2+wheezy2", "nginx",
        "1.2.1-2.2+wheezy2", "", "", 0, "");
    assertThat(match(otherRelease)).isEmpty();
  }

  @Test
  void ubuntuRecordsNeverMatchDebian() throws Exception {
    for (Advisory a : OsvFixtures.all()) {
      for (Advisory.Affected af : a.affected()) {
        if (af.ecosystem().startsWith("Ubuntu")) {
          SoftwarePackage deb = new SoftwarePackage("Debian:12", af.name(), "0.0.1", af.name(), "0.0.1", "", "", 0, "");
          assertThat(match(deb)).as(a.id()).isEmpty();
          String release = af.ecosystem().replace(":LTS", "");
          SoftwarePackage ubuntu = new SoftwarePackage(release, af.name(), "0.0.1", af.name(), "0.0.1", "", "", 0, "");
          assertThat(match(ubuntu)).as(a.id() + " on " + release).isNotEmpty();
        }
      }
    }
  }

  @Test
  void lastAffectedIsInclusiveAndLimitEndsTheRange() {
    Advisory.Range range = new Advisory.Range("ECOSYSTEM", List.of(new Advisory.Event("introduced", "1.0"),
        new Advisory.Event("last_affected", "1.5"), new Advisory.Event("introduced", "2.0"),
        new Advisory.Event("limit", "2.3")));
    var order = dev.kapas.vuln.version.Versions.forEcosystem("PyPI").orElseThrow();
    assertThat(Matcher.inRange(range, "0.9", order)).isFalse();
    assertThat(Matcher.inRange(range, "1.5", order)).isTrue();
    assertThat(Matcher.inRange(range, "1.6", order)).isFalse();
    assertThat(Matcher.inRange(range, "2.1", order)).isTrue();
    assertThat(Matcher.inRange(range, "2.3", order)).isFalse();
  }

  @Test
  void gitOnlyRangesAreNotedNotMatched() {
    Advisory git = new Advisory("OSV-TEST-1", List.of(), List.of(), "", "2024-01-01T00:00:00Z", false, List.of(), "",
        List.of(new Advisory.Affected("npm", "left-pad", List.of(new Advisory.Range("GIT",
            List.of(new Advisory.Event("introduced", "0")))), List.of())));
    Matcher.Result r = new Matcher((e, n) -> List.of(git)).match(List.of(pkg("npm", "left-pad", "1.0.0")));
    assertThat(r.matches()).isEmpty();
    assertThat(r.notes()).singleElement().asString().contains("OSV-TEST-1", "git");
  }
}
