package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kapas.vuln.AdvisoryDb;
import dev.kapas.vuln.OsvFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kapas db} and {@code kapas code} end to end: the real OSV fixture records served as export
 * zips by an HTTP server on 127.0.0.1, imported through {@code kapas db update}, then matched
 * against a source tree.
 */
class VulnCommandsTest {
  static HttpServer server;
  static String base;

  @TempDir
  Path work;

  @BeforeAll
  static void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      byte[] body;
      int status = 200;
      if (path.equals("/truncated/all.zip")) {
        byte[] whole = zip("Maven");
        body = Arrays.copyOf(whole, whole.length / 2);
      } else if (path.endsWith("/all.zip") && Files.isDirectory(OsvFixtures.ADVISORIES.resolve(path.split("/")[1]))) {
        body = zip(path.split("/")[1]);
      } else {
        status = 404;
        body = "not found".getBytes(StandardCharsets.UTF_8);
      }
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  static byte[] zip(String ecosystem) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OsvFixtures.writeZip(ecosystem, out);
    return out.toByteArray();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @BeforeEach
  void update() throws IOException {
    CliRun r = CliRun.in(work, "db", "update", "--db", "db", "--source", base + "Maven/all.zip", "--source",
        base + "PyPI/all.zip", "--source", base + "npm/all.zip");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out()).contains("28 records imported, 0 skipped");
    Files.createDirectories(work.resolve("app"));
    Files.writeString(work.resolve("app/pom.xml"), """
        <project>
          <groupId>ex</groupId><artifactId>app</artifactId><version>1.0</version>
          <properties><log4j.version>2.14.1</log4j.version></properties>
          <dependencies>
            <dependency>
              <groupId>org.apache.logging.log4j</groupId>
              <artifactId>log4j-core</artifactId>
              <version>${log4j.version}</version>
            </dependency>
          </dependencies>
        </project>
        """);
  }

  CliRun code(String... extra) {
    String[] args = new String[extra.length + 4];
    System.arraycopy(new String[] {"code", "app", "--db", "db"}, 0, args, 0, 4);
    System.arraycopy(extra, 0, args, 4, extra.length);
    return CliRun.in(work, args);
  }

  @Test
  void log4shellIsReportedAtTheDeclaringLineWithItsIdsAndFix() {
    CliRun r = code("-f", "json");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("vulnerability database: ", "built ");
    assertThat(r.out()).contains("CVE-2021-44228 (GHSA-jfh8-c2jp-5v3q)", "fixed in 2.15.0", "\"line\" : 5",
        "\"severity\" : \"critical\"");
  }

  @Test
  void dbInfoListsSourcesAndCounts() {
    CliRun r = CliRun.in(work, "db", "info", "--db", "db");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains(base + "Maven/all.zip", "12 records", "Maven: 12", "PyPI: 9", "npm: 7");
  }

  @Test
  void aTruncatedZipLeavesTheOldDatabaseWorking() {
    CliRun r = CliRun.in(work, "db", "update", "--db", "db", "--source", base + "truncated/all.zip");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).contains("truncated/all.zip: not a readable zip", "the database was not changed");
    assertThat(CliRun.in(work, "db", "info", "--db", "db").out()).contains("Maven: 12");
    assertThat(code().exitCode()).isEqualTo(1);
    CliRun missing = CliRun.in(work, "db", "update", "--db", "db", "--source", base + "Nope/all.zip");
    assertThat(missing.exitCode()).isEqualTo(3);
    assertThat(missing.err()).contains("HTTP 404");
  }

  @Test
  void aRecordImportedTwiceReplacesItself() throws Exception {
    long once = affectedRows("GHSA-jfh8-c2jp-5v3q");
    assertThat(once).isPositive();
    CliRun r = CliRun.in(work, "db", "update", "--db", "db", "--source", base + "Maven/all.zip", "--source",
        base + "Maven/all.zip");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(affectedRows("GHSA-jfh8-c2jp-5v3q")).isEqualTo(once);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + work.resolve("db/kapas.db"));
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index' "
            + "AND name LIKE 'affected%' ORDER BY name)")) {
      assertThat(rs.getString(1)).isEqualTo("affected_id,affected_package");
    }
    CliRun found = code("-f", "json");
    assertThat(found.exitCode()).isEqualTo(1);
    assertThat(found.out()).containsOnlyOnce("CVE-2021-44228 (GHSA-jfh8-c2jp-5v3q)");
  }

  private long affectedRows(String id) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + work.resolve("db/kapas.db"));
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM affected WHERE id = '" + id + "'")) {
      return rs.getLong(1);
    }
  }

  @Test
  void recordsThatAreNotOsvAreSkippedAndCounted() throws IOException {
    Path dir = Files.createDirectories(work.resolve("records"));
    Files.copy(OsvFixtures.ADVISORIES.resolve("Maven/GHSA-jfh8-c2jp-5v3q.json"), dir.resolve("a.json"));
    Files.writeString(dir.resolve("b.json"), "{\"summary\": \"no id\"}");
    Files.writeString(dir.resolve("c.json"), "{not json");
    CliRun r = CliRun.in(work, "db", "import", "--db", "db", "records");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.out()).contains("1 records imported, 2 skipped");
    assertThat(r.err()).contains("b.json: no `id`", "c.json: not JSON");
  }

  @Test
  void aDatabaseFromANewerSchemaIsRefusedClearly() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + work.resolve("db/kapas.db"));
        Statement s = c.createStatement()) {
      s.execute("UPDATE meta SET value = '99' WHERE key = 'schema'");
    }
    CliRun r = code();
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("written by a newer kapas (database schema 99, this kapas reads " + AdvisoryDb.SCHEMA + ")");
  }

  @Test
  void noDatabaseSaysHowToGetOne() {
    CliRun r = CliRun.in(work, "code", "app", "--db", "elsewhere");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("run `kapas db update`");
  }

  @Test
  void exceptionsByVulnerabilityIdSuppressWithTheirReason() throws IOException {
    Files.writeString(work.resolve(".kapas.yaml"), """
        exceptions:
          - rule: code.vulnerable-dependency
            match: {name: CVE-2021-44228}
            reason: JNDI lookups disabled by -Dlog4j2.formatMsgNoLookups
        """);
    CliRun r = code("-f", "json");
    assertThat(r.out()).contains("JNDI lookups disabled", "\"status\" : \"suppressed\"");
  }

  @Test
  void vexStatementsSuppressWithTheirJustification() throws IOException {
    Files.writeString(work.resolve("vex.json"), """
        {"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
          {"vulnerability": {"name": "GHSA-jfh8-c2jp-5v3q"},
           "products": [{"@id": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}],
           "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}
        """);
    CliRun r = code("-f", "json", "--vex", "vex.json");
    assertThat(r.out()).contains("VEX not_affected: vulnerable_code_not_in_execute_path");
  }

  @Test
  void severityThresholdAndUnfixedFilterWhatIsReported() {
    CliRun critical = code("-f", "json", "--vuln-severity", "critical");
    assertThat(critical.out()).contains("CVE-2021-44228", "CVE-2021-45046").doesNotContain("CVE-2021-44832");
    CliRun unfixed = code("-f", "json", "--ignore-unfixed");
    assertThat(unfixed.out()).contains("CVE-2021-44832");
    assertThat(code("--vuln-severity", "bad").exitCode()).isEqualTo(2);
  }

  @Test
  void aLockfileThatDoesNotParseIsAnInputErrorAndTheRestIsChecked() throws IOException {
    Files.writeString(work.resolve("app/go.mod"), "module x\n\nrequire (\n  golang.org/x/net\n)\n");
    CliRun r = code();
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.out()).contains("go.mod:4: not a go.mod require line", "CVE-2021-44228");
  }

  @Test
  void filesAreNamedAsPathsFromWhereKapasRan() throws IOException {
    Files.writeString(work.resolve("app/go.mod"), "module x\n\nrequire (\n  golang.org/x/net\n)\n");
    CliRun r = code("-f", "table");
    assertThat(r.exitCode()).isEqualTo(3);
    // kapas code app: app/pom.xml, a path the user can open, not pom.xml of some directory
    assertThat(r.out()).contains("app/pom.xml:5", "app/go.mod:4: not a go.mod require line");
    assertThat(r.err()).contains("app/go.mod:4");
    assertThat(CliRun.in(work.resolve("app"), "code", ".", "--db", "../db", "-f", "table").out())
        .contains(" pom.xml:5", "\n  go.mod:4: ").doesNotContain("./pom.xml");
  }
}
