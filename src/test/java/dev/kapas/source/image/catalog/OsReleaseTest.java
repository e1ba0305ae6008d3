package dev.kapas.source.image.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** os-release files as the distributions ship them, named as OSV names their ecosystems. */
class OsReleaseTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ID=debian\\nVERSION_ID=\"12\"\\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"|Debian:12|debian-12",
      "NAME=\"Ubuntu\"\\nVERSION_ID=\"22.04\"\\nID=ubuntu\\nID_LIKE=debian|Ubuntu:22.04|ubuntu-22.04",
      "NAME=\"Alpine Linux\"\\nID=alpine\\nVERSION_ID=3.19.1|Alpine:v3.19|alpine-3.19.1",
      "NAME=\"Red Hat Enterprise Linux\"\\nVERSION_ID=\"9.3\"\\nID=\"rhel\"|Red Hat:enterprise_linux:9|rhel-9.3",
      "NAME=\"Rocky Linux\"\\nID=\"rocky\"\\nVERSION_ID=\"9.3\"|Rocky Linux:9|rocky-9.3",
      "NAME=\"AlmaLinux\"\\nID=\"almalinux\"\\nVERSION_ID=\"8.9\"|AlmaLinux:8|almalinux-8.9",
      "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\\nNAME=\"Debian GNU/Linux\"\\nID=debian|Debian|debian",
      "NAME=\"Fedora Linux\"\\nID=fedora\\nVERSION_ID=39|Fedora Linux:39|fedora-39"})
  void ecosystemAndDistro(String file, String ecosystem, String distro) {
    OsRelease os = OsRelease.parse(file.replace("\\n", "\n").getBytes());

    assertThat(os.ecosystem()).isEqualTo(ecosystem);
    assertThat(os.purlDistro()).isEqualTo(distro);
  }

  @org.junit.jupiter.api.Test
  void quotedValuesAndComments() {
    OsRelease os = OsRelease.parse("# a comment\nPRETTY_NAME='Debian GNU/Linux 12 (bookworm)'\nID=debian\nVERSION_ID=\"12\"\n".getBytes());

    assertThat(os.prettyName()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
    assertThat(os.purlNamespace()).isEqualTo("debian");
    assertThat(OsRelease.parse("ID=rhel\n".getBytes()).purlNamespace()).isEqualTo("redhat");
  }
}
