package dev.kapas.source.image.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.SoftwarePackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dpkg's status database and distroless status.d trees, checked against {@code dpkg-query --admindir} on the same files. */
class DpkgCatalogerTest {
  private static final String FORMAT =
      "${db:Status-Status}\\t${Package}\\t${Version}\\t${source:Package}\\t${source:Version}\\t${Architecture}\\n";

  @TempDir Path root;

  @Test
  void thisMachinesStatusMatchesDpkgQuery() throws Exception {
    Path dpkgQuery = Oracle.require("dpkg-query", "dpkg");
    Path admin = Files.createDirectories(root.resolve("var/lib/dpkg"));
    // a copy: other processes on this machine may install packages while the test runs
    Files.copy(Path.of("/var/lib/dpkg/status"), admin.resolve("status"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");

    Set<String> expected = dpkgQuery(dpkgQuery, admin);
    Catalog catalog = new Catalog().readTree(root);

    assertThat(expected).hasSizeGreaterThan(50);
    assertThat(catalog.problems()).isEmpty();
    assertThat(lines(catalog.packages())).containsExactlyInAnyOrderElementsOf(expected);
    SoftwarePackage any = catalog.packages().get(0);
    assertThat(any.ecosystem()).isEqualTo("Debian:12");
    assertThat(any.path()).isEqualTo("var/lib/dpkg/status");
    assertThat(any.line()).isEqualTo(1);
    assertThat(any.purl()).startsWith("pkg:deb/debian/" + any.name() + "@").endsWith("distro=debian-12");
  }

  @Test
  void distrolessStatusDirectoryMatchesDpkgQueryOnTheSameParagraphs() throws Exception {
    Path dpkgQuery = Oracle.require("dpkg-query", "dpkg");
    Path statusD = Files.createDirectories(root.resolve("var/lib/dpkg/status.d"));
    // shaped like gcr.io/distroless/base-debian12: one file per package, no Status field, md5sums beside
    String libssl = """
        Package: libssl3
        Source: openssl (3.0.11-1~deb12u2)
        Version: 3.0.11-1~deb12u2
        Architecture: amd64
        Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>
        Installed-Size: 6122
        Depends: libc6 (>= 2.34)
        Section: libs
        Priority: optional
        Homepage: https://www.openssl.org/
        Description: Secure Sockets Layer toolkit - shared libraries
         This package is part of the OpenSSL project's implementation of the SSL
         and TLS cryptographic protocols for secure communication over the
         Internet.
        """;
    String tzdata = """
        Package: tzdata
        Version: 2024a-0+deb12u1
        Architecture: all
        Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
        Installed-Size: 2470
        Description: time zone and daylight-saving time data
        """;
    String libc = """
        Package: libc6
        Source: glibc
        Version: 2.36-9+deb12u4
        Architecture: amd64
        Multi-Arch: same
        Description: GNU C Library: Shared libraries
        """;
    Files.writeString(statusD.resolve("libssl3"), libssl);
    Files.writeString(statusD.resolve("tzdata"), tzdata);
    Files.writeString(statusD.resolve("libc6"), libc);
    Files.writeString(statusD.resolve("libc6.md5sums"), "0123456789abcdef0123456789abcdef  lib/x86_64-linux-gnu/libc.so.6\n");

    // dpkg-query reads only a status file: the same paragraphs, marked installed as dpkg would
    Path admin = Files.createDirectories(root.resolve("oracle-admin"));
    String status = Arrays.stream(new String[] {libssl, tzdata, libc})
        .map(p -> p.replaceFirst("\n", "\nStatus: install ok installed\n"))
        .collect(Collectors.joining("\n"));
    Files.writeString(admin.resolve("status"), status);
    Set<String> expected = dpkgQuery(dpkgQuery, admin);

    Catalog catalog = new Catalog().readTree(root);

    assertThat(expected).hasSize(3);
    assertThat(lines(catalog.packages())).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(catalog.packages()).extracting(SoftwarePackage::path).containsOnly(
        "var/lib/dpkg/status.d/libc6", "var/lib/dpkg/status.d/libssl3", "var/lib/dpkg/status.d/tzdata");
    // no os-release here: the ecosystem still says Debian, the purl has no distro
    assertThat(catalog.packages()).filteredOn(p -> p.name().equals("libssl3")).singleElement()
        .satisfies(p -> {
          assertThat(p.sourceName()).isEqualTo("openssl");
          assertThat(p.ecosystem()).isEqualTo("Debian");
          assertThat(p.purl()).isEqualTo("pkg:deb/libssl3@3.0.11-1~deb12u2?arch=amd64");
        });
  }

  @Test
  void removedPackagesAreNotInstalledAndBrokenLinesAreReportedWithTheirLine() throws IOException {
    Path admin = Files.createDirectories(root.resolve("var/lib/dpkg"));
    Files.writeString(admin.resolve("status"), """
        Package: gone
        Status: deinstall ok config-files
        Version: 1.0
        Architecture: amd64

        Package: curl
        Status: install ok installed
        this line has no colon
        Version: 7.88.1-10+deb12u5
        Architecture: amd64

        Package: noversion
        Status: install ok installed
        """);

    Catalog catalog = new Catalog().readTree(root);

    assertThat(catalog.packages()).extracting(SoftwarePackage::name).containsExactly("curl");
    assertThat(catalog.packages().get(0).line()).isEqualTo(6);
    assertThat(catalog.problems()).extracting(d -> d.display()).containsExactly(
        "var/lib/dpkg/status:8: not a \"Field: value\" line",
        "var/lib/dpkg/status:12: package paragraph without Version");
  }

  private static Set<String> dpkgQuery(Path dpkgQuery, Path admin) throws Exception {
    String out = Oracle.run(admin, dpkgQuery.toString(), "--admindir", admin.toString(), "-W", "-f", FORMAT);
    return out.lines().filter(l -> l.startsWith("installed\t")).map(l -> l.substring("installed\t".length()))
        .collect(Collectors.toSet());
  }

  private static List<String> lines(List<SoftwarePackage> packages) {
    return packages.stream()
        .map(p -> String.join("\t", p.name(), p.version(), p.sourceName(), p.sourceVersion(), arch(p.purl())))
        .toList();
  }

  static String arch(String purl) {
    int at = purl.indexOf("arch=");
    return at < 0 ? "" : purl.substring(at + 5).split("&")[0];
  }
}
