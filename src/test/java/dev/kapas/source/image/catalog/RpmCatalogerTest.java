package dev.kapas.source.image.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.SoftwarePackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rpm's sqlite database, checked against Debian's rpm (4.18, sqlite backend by default): the test
 * builds tiny packages with rpmbuild from spec files, installs them into a fresh database with
 * {@code rpm --dbpath DIR --justdb}, and compares what {@code rpm -qa} prints with what the
 * cataloger reads from the same {@code rpmdb.sqlite}.
 */
class RpmCatalogerTest {
  // an epoch, a subpackage (its SOURCERPM names another package), a noarch package
  private static final String HELLO_SPEC = """
      Name: hello
      Epoch: 2
      Version: 1.0.3
      Release: 4.el9
      Summary: a package with an epoch and a subpackage
      License: MIT
      %global debug_package %{nil}
      %description
      test data
      %package libs
      Summary: hello's library
      %description libs
      test data
      %files
      %files libs
      """;
  private static final String PLAIN_SPEC = """
      Name: plain-tool
      Version: 0.9
      Release: 1
      Summary: a noarch package without epoch
      License: MIT
      BuildArch: noarch
      %description
      test data
      %files
      """;
  private static final String QUERY_FORMAT = "%{NAME}\\t%{EVR}\\t%{ARCH}\\t%{SOURCERPM}\\n";

  @TempDir Path work;

  @Test
  void sqliteDatabaseMatchesRpmQuery() throws Exception {
    Path dbDir = installedDatabase();
    Path rpm = Oracle.require("rpm", "rpm");
    Set<String> expected = Oracle.run(work, rpm.toString(), "--dbpath", dbDir.toString(), "-qa", "--qf", QUERY_FORMAT)
        .lines().map(l -> {
          String[] f = l.split("\t");
          String[] src = RpmHeader.splitSourceRpm(f[3]).orElseThrow();
          String epoch = f[1].contains(":") ? f[1].substring(0, f[1].indexOf(':') + 1) : "";
          return String.join("\t", f[0], f[1], f[2], src[0], epoch + src[1] + "-" + src[2]);
        }).collect(Collectors.toSet());

    Catalog catalog = new Catalog().readTree(tree(dbDir, "ID=\"rocky\"\nVERSION_ID=\"9.3\"\nNAME=\"Rocky Linux\"\n"));

    assertThat(expected).hasSize(3);
    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.packages())
        .extracting(p -> String.join("\t", p.name(), p.version(), DpkgCatalogerTest.arch(p.purl()), p.sourceName(), p.sourceVersion()))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(catalog.packages()).filteredOn(p -> p.name().equals("hello-libs")).singleElement().satisfies(p -> {
      assertThat(p.ecosystem()).isEqualTo("Rocky Linux:9");
      assertThat(p.purl()).isEqualTo("pkg:rpm/rocky/hello-libs@1.0.3-4.el9?arch=x86_64&distro=rocky-9.3&epoch=2");
      assertThat(p.path()).isEqualTo("var/lib/rpm/rpmdb.sqlite");
    });
  }

  @Test
  void aCorruptHeaderIsReportedAndTheOtherPackagesStillRead() throws Exception {
    Path dbDir = installedDatabase();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbDir.resolve("rpmdb.sqlite"));
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE Packages SET blob = x'00000100000000ff' WHERE hnum = (SELECT min(hnum) FROM Packages)");
    }

    Catalog catalog = new Catalog().readTree(tree(dbDir, ""));

    assertThat(catalog.packages()).hasSize(2);
    assertThat(catalog.problems()).singleElement().extracting(d -> d.display()).asString()
        .startsWith("var/lib/rpm/rpmdb.sqlite: package ").endsWith("header blob declares 256 tags and 255 data bytes but has 8 bytes");
  }

  @Test
  void aFileThatIsNotSqliteIsOneProblem() throws Exception {
    Path root = Files.createDirectories(work.resolve("image/var/lib/rpm")).getParent().getParent().getParent();
    Files.writeString(root.resolve("var/lib/rpm/rpmdb.sqlite"), "not a database at all, just text of a bad layer\n".repeat(100));

    Catalog catalog = new Catalog().readTree(root);

    assertThat(catalog.packages()).isEmpty();
    assertThat(catalog.problems()).singleElement().extracting(d -> d.display()).asString()
        .startsWith("var/lib/rpm/rpmdb.sqlite: not catalogued: not an rpm sqlite database");
  }

  /** Builds the two spec files' packages and installs them (database only) into a new rpm database; returns its directory. */
  private Path installedDatabase() throws Exception {
    Path rpm = Oracle.require("rpm", "rpm");
    Path rpmbuild = Oracle.require("rpmbuild", "rpm");
    Path top = work.resolve("rpmbuild");
    Files.writeString(work.resolve("hello.spec"), HELLO_SPEC);
    Files.writeString(work.resolve("plain.spec"), PLAIN_SPEC);
    for (String spec : List.of("hello.spec", "plain.spec")) {
      Oracle.run(work, rpmbuild.toString(), "--define", "_topdir " + top, "-bb", spec);
    }
    Path db = Files.createDirectories(work.resolve("db"));
    Oracle.run(work, rpm.toString(), "--dbpath", db.toString(), "--initdb");
    List<String> install = new java.util.ArrayList<>(List.of(rpm.toString(), "--dbpath", db.toString(), "-i", "--nodeps", "--justdb", "--noscripts"));
    try (Stream<Path> rpms = Files.walk(top.resolve("RPMS"))) {
      rpms.filter(p -> p.toString().endsWith(".rpm")).forEach(p -> install.add(p.toString()));
    }
    Oracle.run(work, install.toArray(String[]::new));
    assertThat(db.resolve("rpmdb.sqlite")).as("Debian's rpm writes the sqlite backend").exists();
    return db;
  }

  private Path tree(Path db, String osRelease) throws Exception {
    Path root = Files.createDirectories(work.resolve("image"));
    Files.createDirectories(root.resolve("var/lib/rpm"));
    Files.copy(db.resolve("rpmdb.sqlite"), root.resolve("var/lib/rpm/rpmdb.sqlite"));
    if (!osRelease.isEmpty()) {
      Files.createDirectories(root.resolve("etc"));
      Files.writeString(root.resolve("etc/os-release"), osRelease);
    }
    return root;
  }
}
