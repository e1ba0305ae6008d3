package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.kapas.vuln.OsvFixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code kapas db update} that runs out of space: the update fails with a clear message and exit
 * 3, the old database is byte for byte the same and still answers {@code kapas db info} and a scan,
 * and nothing is left behind in the database's directory. Space runs out for real: a child kapas
 * under a file-size limit ({@code ulimit -f}: the JVM ignores SIGXFSZ, so a write past it fails with
 * EFBIG), for the database being written and for a download; and, where this test may mount one
 * (root), a full tmpfs (ENOSPC).
 */
class DbUpdateDiskFullTest {
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  /** The child's file-size limit, in the 1 KiB blocks of bash's ulimit: above sqlite-jdbc's native library, which it unpacks. */
  private static final int LIMIT_KIB = 4096;

  @TempDir
  Path work;

  @TempDir
  static Path shared;

  /** The new export: bigger than the limit, and than the tmpfs. */
  static Path big;

  /** The old database's bytes, to show they did not change. */
  private String oldDigest;

  @BeforeEach
  void oldDatabaseAndABigExport() throws Exception {
    CliRun r = CliRun.in(work, "db", "update", "--db", "db", "--source", OsvFixtures.ADVISORIES.toString());
    assertThat(r.exitCode()).as(r.all()).isZero();
    oldDigest = digest(work.resolve("db/kapas.db"));
    Files.createDirectories(work.resolve("app"));
    Files.writeString(work.resolve("app/pom.xml"), """
        <project>
          <groupId>ex</groupId><artifactId>app</artifactId><version>1.0</version>
          <dependencies>
            <dependency>
              <groupId>org.apache.logging.log4j</groupId>
              <artifactId>log4j-core</artifactId>
              <version>2.14.1</version>
            </dependency>
          </dependencies>
        </project>
        """);
  }

  @BeforeAll
  static void bigExport() throws IOException {
    big = shared.resolve("big.zip");
    writeBigExport(big);
    assertThat(Files.size(big)).isGreaterThan(LIMIT_KIB * 1024L);
  }

  /** 5,000 records made from the real npm fixture records (new IDs and package names): a database of about 9 MB. */
  private static void writeBigExport(Path zip) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<ObjectNode> templates;
    try (Stream<Path> files = Files.list(OsvFixtures.ADVISORIES.resolve("npm"))) {
      templates = files.sorted().map(f -> {
        try {
          return (ObjectNode) json.readTree(f.toFile());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).toList();
    }
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (int i = 0; i < 5000; i++) {
        ObjectNode r = templates.get(i % templates.size()).deepCopy();
        r.put("id", "DISKFULL-" + i);
        for (var a : (ArrayNode) r.get("affected")) {
          ((ObjectNode) a.get("package")).put("name", "pkg-" + i);
        }
        out.putNextEntry(new ZipEntry("DISKFULL-" + i + ".json"));
        out.write(json.writeValueAsBytes(r));
        out.closeEntry();
      }
    }
  }

  @Test
  void aFileSizeLimitWhileWritingTheDatabaseLeavesTheOldOneWorking() throws Exception {
    String out = limitedUpdate(big.toString());
    assertThat(out).contains("kapas db update: writing the database failed (", "); the old database is unchanged");
    assertOldDatabaseWorks(out);
  }

  @Test
  void aFileSizeLimitWhileDownloadingLeavesTheOldOneWorking() throws Exception {
    byte[] body = Files.readAllBytes(big);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(body);
      }
    });
    server.start();
    try {
      String out = limitedUpdate("http://127.0.0.1:" + server.getAddress().getPort() + "/npm/all.zip");
      assertThat(out).contains("/npm/all.zip: download failed (", "the database was not changed");
      assertOldDatabaseWorks(out);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aFullFileSystemLeavesTheOldDatabaseWorking() throws Exception {
    Path mnt = work.resolve("small");
    Files.createDirectories(mnt);
    // a 3 MiB tmpfs: needs root (and a kernel that lets this process mount); skipped elsewhere
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt.toString())
        .redirectErrorStream(true).start();
    assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0, "cannot mount a tmpfs here");
    try {
      Files.createDirectories(mnt.resolve("db"));
      Files.copy(work.resolve("db/kapas.db"), mnt.resolve("db/kapas.db"));
      for (String[] args : List.of(new String[] {"db", "update", "--db", "small/db", "--source", big.toString()},
          new String[] {"db", "import", "--db", "small/db", big.toString()})) {
        CliRun r = CliRun.in(work, args);
        assertThat(r.exitCode()).as(r.all()).isEqualTo(3);
        assertThat(r.err()).contains("kapas " + args[0] + " " + args[1] + ": writing the database failed (",
            "disk is full", "); the old database is unchanged");
        assertThat(r.all()).doesNotContain("Exception", "\tat ");
      }
      assertThat(digest(mnt.resolve("db/kapas.db"))).isEqualTo(oldDigest);
      try (Stream<Path> left = Files.list(mnt.resolve("db"))) {
        assertThat(left.map(p -> p.getFileName().toString())).containsExactly("kapas.db");
      }
      assertThat(CliRun.in(work, "db", "info", "--db", "small/db").out()).contains("Maven: 12");
      CliRun scan = CliRun.in(work, "code", "app", "--db", "small/db");
      assertThat(scan.exitCode()).as(scan.all()).isEqualTo(1);
      assertThat(scan.out()).contains("CVE-2021-44228");
    } finally {
      new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Runs {@code kapas db update --db db --source SOURCE} in a child JVM under the file-size limit; its output. */
  private String limitedUpdate(String source) throws Exception {
    String command = "ulimit -f " + LIMIT_KIB + " && exec \"$0\" -Djava.io.tmpdir=\"$1\" -cp \"$2\" "
        + Main.class.getName() + " db update --db db --source \"$3\"";
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    Process p = new ProcessBuilder("bash", "-c", command, JAVA, tmp.toString(), System.getProperty("java.class.path"),
        source).directory(work.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("kapas ended").isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(3);
    return out;
  }

  private void assertOldDatabaseWorks(String out) throws Exception {
    assertThat(out).doesNotContain("Exception", "\tat ");
    assertThat(digest(work.resolve("db/kapas.db"))).isEqualTo(oldDigest);
    try (Stream<Path> left = Files.list(work.resolve("db"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("kapas.db");
    }
    CliRun info = CliRun.in(work, "db", "info", "--db", "db");
    assertThat(info.exitCode()).isZero();
    assertThat(info.out()).contains(OsvFixtures.ADVISORIES.toString(), "Maven: 12");
    CliRun scan = CliRun.in(work, "code", "app", "--db", "db");
    assertThat(scan.exitCode()).as(scan.all()).isEqualTo(1);
    assertThat(scan.out()).contains("CVE-2021-44228");
  }

  private static String digest(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
