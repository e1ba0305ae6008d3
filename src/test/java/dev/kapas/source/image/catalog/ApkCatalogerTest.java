package dev.kapas.source.image.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kapas.model.SoftwarePackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alpine's installed database. Debian has no apk to ask, so the oracle is the real database files
 * in {@code ../shared/fixtures/pkgdb/apk} (test data of public image scanners, taken from the
 * alpine:3.18.0 base image) and what they document: the 15 packages of that image, read here off
 * the files' own P/V/A/o lines by hand.
 */
class ApkCatalogerTest {
  private static final Path FIXTURES = Path.of("../shared/fixtures/pkgdb/apk");

  @TempDir Path root;

  @Test
  void alpine318BaseImageDatabase() throws IOException {
    Catalog catalog = catalog("installed", "ID=alpine\nVERSION_ID=3.18.0\nPRETTY_NAME=\"Alpine Linux v3.18\"\n");

    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.packages())
        .extracting(SoftwarePackage::name, SoftwarePackage::version, SoftwarePackage::sourceName)
        .containsExactly(
            tuple("alpine-baselayout", "3.4.3-r1", "alpine-baselayout"),
            tuple("alpine-baselayout-data", "3.4.3-r1", "alpine-baselayout"),
            tuple("alpine-keys", "2.4-r1", "alpine-keys"),
            tuple("apk-tools", "2.14.0-r0", "apk-tools"),
            tuple("busybox", "1.36.0-r9", "busybox"),
            tuple("busybox-binsh", "1.36.0-r9", "busybox"),
            tuple("ca-certificates-bundle", "20230506-r0", "ca-certificates"),
            tuple("libc-utils", "0.7.2-r5", "libc-dev"),
            tuple("libcrypto3", "3.1.0-r4", "openssl"),
            tuple("libssl3", "3.1.0-r4", "openssl"),
            tuple("musl", "1.2.4-r0", "musl"),
            tuple("musl-utils", "1.2.4-r0", "musl"),
            tuple("scanelf", "1.3.7-r1", "pax-utils"),
            tuple("ssl_client", "1.36.0-r9", "busybox"),
            tuple("zlib", "1.2.13-r1", "zlib"));
    SoftwarePackage libssl = catalog.packages().get(9);
    assertThat(libssl.ecosystem()).isEqualTo("Alpine:v3.18");
    assertThat(libssl.sourceVersion()).isEqualTo("3.1.0-r4");
    assertThat(libssl.purl()).isEqualTo("pkg:apk/alpine/libssl3@3.1.0-r4?arch=x86_64&distro=alpine-3.18.0");
    assertThat(libssl.path()).isEqualTo("lib/apk/db/installed");
    assertThat(libssl.line()).isGreaterThan(1);
  }

  @Test
  void singleRecordsArchAndMissingOrigin() throws IOException {
    assertThat(catalog("single", "").packages()).singleElement().extracting(SoftwarePackage::name, SoftwarePackage::purl)
        .containsExactly("alpine-baselayout-data", "pkg:apk/alpine-baselayout-data@3.4.3-r1?arch=x86_64");
    assertThat(catalog("different-arch", "").packages()).singleElement().extracting(SoftwarePackage::purl)
        .isEqualTo("pkg:apk/alpine-baselayout-data@3.4.3-r1?arch=noarch");
    // no o: line: the package is its own origin
    assertThat(catalog("no-origin", "").packages()).singleElement()
        .extracting(SoftwarePackage::name, SoftwarePackage::sourceName, SoftwarePackage::version)
        .containsExactly("pkgname", "pkgname", "1.2.3");
  }

  @Test
  void garbageIsReportedWithItsLinesNotCatalogued() throws IOException {
    Catalog catalog = catalog("invalid", "");

    assertThat(catalog.packages()).isEmpty();
    assertThat(catalog.problems()).extracting(d -> d.display()).containsExactly(
        "lib/apk/db/installed:1: not a \"K:value\" line of an apk database",
        "lib/apk/db/installed:3: not a \"K:value\" line of an apk database");
  }

  private Catalog catalog(String fixture, String osRelease) throws IOException {
    Path tree = Files.createTempDirectory(root, fixture);
    Path db = Files.createDirectories(tree.resolve("lib/apk/db"));
    Files.copy(FIXTURES.resolve(fixture), db.resolve("installed"));
    if (!osRelease.isEmpty()) {
      Files.createDirectories(tree.resolve("etc"));
      Files.writeString(tree.resolve("etc/os-release"), osRelease);
    }
    return new Catalog().readTree(tree);
  }
}
