package dev.kapas.vuln;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kapas.model.SoftwarePackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * This machine's own installed Debian packages (/var/lib/dpkg/status, read minimally here: the
 * image catalogers own the real dpkg reader) against the real Debian and Ubuntu records of the
 * fixtures: every installed version is one the dpkg order accepts, nothing matches a record of
 * another release (DSA-3029-1 is for Debian 7, the USNs for Ubuntu), and the same packages relabelled
 * as Debian 7 with an older nginx do match DSA-3029-1 by source package.
 */
class ThisMachineDpkgTest {

  @Test
  void installedPackagesMatchOnlyRecordsOfTheirRelease() throws Exception {
    Path status = Path.of("/var/lib/dpkg/status");
    assumeTrue(Files.isReadable(status) && Files.readString(Path.of("/etc/os-release")).contains("ID=debian"),
        "not a Debian machine");
    String release = Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("VERSION_ID="))
        .map(l -> l.substring(11).replace("\"", "")).findFirst().orElseThrow();
    List<SoftwarePackage> installed = new ArrayList<>();
    for (String stanza : Files.readString(status).split("\n\n")) {
      String name = field(stanza, "Package");
      String version = field(stanza, "Version");
      String source = field(stanza, "Source");
      String sourceName = source.isEmpty() ? name : source.replaceFirst(" .*", "");
      String sourceVersion = source.contains("(") ? source.replaceFirst(".*\\((.*)\\).*", "$1") : version;
      if (!name.isEmpty() && stanza.contains("Status: install ok installed")) {
        installed.add(new SoftwarePackage("Debian:" + release, name, version, sourceName, sourceVersion, "",
            status.toString(), 0, ""));
      }
    }
    assertThat(installed).hasSizeGreaterThan(50);
    Matcher matcher = new Matcher(OsvFixtures.lookup());
    Matcher.Result r = matcher.match(installed);
    assertThat(r.notes()).isEmpty();
    assertThat(r.matches()).isEmpty();

    List<SoftwarePackage> asWheezy = new ArrayList<>(installed.stream().map(p -> new SoftwarePackage("Debian:7",
        p.name(), p.version(), p.sourceName(), p.sourceVersion(), "", p.path(), 0, "")).toList());
    asWheezy.add(new SoftwarePackage("Debian:7", "nginx-light", "1.2.1-2.2+wheezy2", "nginx", "1.2.1-2.2+wheezy2", "",
        status.toString(), 0, ""));
    assertThat(matcher.match(asWheezy).matches()).extracting(VulnMatch::ids)
        .contains(List.of("CVE-2014-3616", "DSA-3029-1"));
  }

  private static String field(String stanza, String name) {
    for (String line : stanza.split("\n")) {
      if (line.startsWith(name + ": ")) {
        return line.substring(name.length() + 2).strip();
      }
    }
    return "";
  }
}
