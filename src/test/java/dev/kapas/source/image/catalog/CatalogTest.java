package dev.kapas.source.image.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kapas.model.SoftwarePackage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Layers over layers: a later file replaces, a whiteout deletes, an opaque directory clears; the distribution comes last. */
class CatalogTest {
  private static final String L1 = "sha256:aaaa";
  private static final String L2 = "sha256:bbbb";
  private static final String L3 = "sha256:cccc";

  private final Catalog catalog = new Catalog();

  @Test
  void aLaterLayersFileReplacesTheEarlierOne() throws IOException {
    feed("var/lib/dpkg/status", L1, status("curl", "7.88.1-10"));
    feed("var/lib/dpkg/status", L2, status("curl", "7.88.1-10+deb12u5"));

    assertThat(catalog.packages()).singleElement().extracting(SoftwarePackage::version, SoftwarePackage::layer)
        .containsExactly("7.88.1-10+deb12u5", L2);
  }

  @Test
  void whiteoutsAndOpaqueDirectoriesRemoveWhatLowerLayersBrought() throws IOException {
    feed("app/node_modules/a/package.json", L1, npm("a", "1.0.0"));
    feed("app/node_modules/b/package.json", L1, npm("b", "1.0.0"));
    feed("srv/node_modules/c/package.json", L1, npm("c", "1.0.0"));
    feed("srv/node_modules/cd/package.json", L1, npm("cd", "1.0.0"));
    catalog.delete("app/node_modules/a");
    catalog.clear("srv/node_modules/c");
    feed("opt/node_modules/d/package.json", L3, npm("d", "2.0.0"));

    assertThat(catalog.packages()).extracting(p -> p.name() + "@" + p.layer())
        .containsExactly("b@" + L1, "d@" + L3, "cd@" + L1); // in path order; "cd" only shares a prefix with the cleared "c"
  }

  @Test
  void theDistributionNamesPackagesReadBeforeIt() throws IOException {
    feed("lib/apk/db/installed", L1, "P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n".getBytes());
    feed("usr/lib/os-release", L1, "ID=alpine\nVERSION_ID=3.19.1\n".getBytes());
    assertThat(catalog.os().map(OsRelease::ecosystem)).contains("Alpine:v3.19");
    // etc/os-release wins over usr/lib/os-release (os-release(5)); here a later layer rebrands the image
    feed("etc/os-release", L2, "ID=wolfi\nNAME=\"Wolfi\"\n".getBytes());

    assertThat(catalog.packages()).singleElement().extracting(SoftwarePackage::ecosystem, SoftwarePackage::purl)
        .containsExactly("Wolfi", "pkg:apk/wolfi/musl@1.2.4-r2?arch=x86_64&distro=wolfi");
    catalog.delete("etc/os-release");
    assertThat(catalog.os().map(OsRelease::id)).contains("alpine");
  }

  @Test
  void aBrokenLayerStreamGoesToTheCallerAMalformedFileDoesNot() throws IOException {
    InputStream failing = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("unexpected end of gzip stream");
      }
    };
    assertThatThrownBy(() -> catalog.file("var/lib/dpkg/status", L1, failing, 100))
        .isInstanceOf(IOException.class).hasMessage("unexpected end of gzip stream");

    feed("app/node_modules/x/package.json", L1, "[1, 2".getBytes());
    assertThat(catalog.problems()).singleElement().satisfies(d -> {
      assertThat(d.file()).isEqualTo("app/node_modules/x/package.json");
      assertThat(d.message()).startsWith("not catalogued: ");
    });
  }

  @Test
  void onlyPackageFilesAreWanted() {
    assertThat(catalog.wants("var/lib/dpkg/status", 10)).isTrue();
    assertThat(catalog.wants("var/lib/dpkg/status.d/libc6", 10)).isTrue();
    assertThat(catalog.wants("var/lib/dpkg/status.d/libc6.md5sums", 10)).isFalse();
    assertThat(catalog.wants("usr/share/doc/curl/copyright", 10)).isFalse();
    assertThat(catalog.wants("usr/lib/x86_64-linux-gnu/libssl.so.3", 5 << 20)).isFalse();
    assertThat(catalog.wants("usr/local/bin/kubectl", 50 << 20)).isTrue();
    assertThat(catalog.wants("app/node_modules/a/lib/package.json", 10)).isFalse();
  }

  private void feed(String path, String layer, byte[] content) throws IOException {
    assertThat(catalog.wants(path, content.length)).as(path).isTrue();
    catalog.file(path, layer, new ByteArrayInputStream(content), content.length);
  }

  private static byte[] status(String name, String version) {
    return ("Package: " + name + "\nStatus: install ok installed\nVersion: " + version + "\nArchitecture: amd64\n").getBytes();
  }

  private static byte[] npm(String name, String version) {
    return ("{\"name\":\"" + name + "\",\"version\":\"" + version + "\"}").getBytes();
  }

}
