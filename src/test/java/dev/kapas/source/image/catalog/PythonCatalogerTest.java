package dev.kapas.source.image.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kapas.model.SoftwarePackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python distributions, checked against python3's own {@code importlib.metadata} on this
 * machine's Debian dist-packages (dist-info directories, egg-info directories and egg-info files;
 * PyPI is not reachable here, so no {@code pip install --target} tree).
 */
class PythonCatalogerTest {
  private static final Path DIST_PACKAGES = Path.of("/usr/lib/python3/dist-packages");
  private static final String LIST = """
      import importlib.metadata, sys
      for d in importlib.metadata.distributions(path=[sys.argv[1]]):
          print(d.metadata['Name'] + '@' + d.version)
      """;

  @TempDir Path work;

  @Test
  void distPackagesMatchImportlibMetadata() throws Exception {
    Path python = Oracle.require("python3", "python3");
    assumeTrue(Files.isDirectory(DIST_PACKAGES), DIST_PACKAGES + " is not here (not a Debian machine)");
    Files.writeString(work.resolve("list.py"), LIST);
    // a list: importlib.metadata, like the cataloger, sees a distribution twice when both a dist-info and an egg-info describe it
    List<String> expected = Oracle.run(work, python.toString(), "list.py", DIST_PACKAGES.toString()).lines().toList();

    Catalog catalog = new Catalog().readTree(DIST_PACKAGES);

    assertThat(expected).hasSizeGreaterThan(5);
    assertThat(catalog.packages()).filteredOn(p -> p.ecosystem().equals("PyPI"))
        .extracting(p -> p.name() + "@" + p.version()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void wheelMetadataGivesNamePurlAndLine() throws Exception {
    Path info = Files.createDirectories(work.resolve("site-packages/PyYAML-6.0.1.dist-info"));
    Files.writeString(info.resolve("METADATA"), """
        Metadata-Version: 2.1
        Name: PyYAML
        Version: 6.0.1
        Summary: YAML parser and emitter for Python

        Name: not-a-header-any-more
        """);
    Path egg = Files.createDirectories(work.resolve("site-packages/broken.egg-info"));
    Files.writeString(egg.resolve("PKG-INFO"), "Metadata-Version: 1.0\nName: broken\n");

    Catalog catalog = new Catalog().readTree(work.resolve("site-packages"));

    assertThat(catalog.packages()).singleElement()
        .extracting(SoftwarePackage::name, SoftwarePackage::version, SoftwarePackage::purl, SoftwarePackage::line)
        .containsExactly("PyYAML", "6.0.1", "pkg:pypi/pyyaml@6.0.1", 2);
    assertThat(catalog.problems()).singleElement().extracting(d -> d.display())
        .isEqualTo("broken.egg-info/PKG-INFO: not catalogued: metadata without Version");
  }
}
