package dev.kapas.vuln;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The offline vulnerability database: one SQLite file, {@code kapas.db} in its directory
 * ({@code ~/.cache/kapas/db} by default), holding OSV records (deflated JSON) indexed by package
 * name and ecosystem. Read-only here; {@link DbBuilder} writes new ones.
 */
public final class AdvisoryDb implements AdvisoryLookup, AutoCloseable {
  /** The schema this kapas writes and reads; a newer one is refused with a clear message. */
  public static final int SCHEMA = 1;
  public static final String FILE = "kapas.db";

  private final Connection db;
  private final PreparedStatement byPackage;

  private AdvisoryDb(Connection db) throws SQLException {
    this.db = db;
    this.byPackage = db.prepareStatement("SELECT DISTINCT a.id, a.record FROM affected f JOIN advisory a ON a.id = f.id "
        + "WHERE f.name = ? AND (f.ecosystem = ? OR f.ecosystem = ?)");
  }

  /** The database's directory when the user names none: {@code $XDG_CACHE_HOME/kapas/db} or {@code ~/.cache/kapas/db}. */
  public static Path defaultDir(Map<String, String> env) {
    String xdg = env.getOrDefault("XDG_CACHE_HOME", "");
    Path cache = xdg.isEmpty() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
    return cache.resolve("kapas").resolve("db");
  }

  /** Problems opening the database, said for the user. */
  public static final class DbException extends Exception {
    private static final long serialVersionUID = 1L;

    public DbException(String message) {
      super(message);
    }
  }

  public static AdvisoryDb open(Path dir) throws DbException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new DbException("no vulnerability database in " + dir + ": run `kapas db update` (or `kapas db import "
          + "FILE.zip` without network)");
    }
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
      int schema = schemaOf(c);
      if (schema > SCHEMA) {
        c.close();
        throw new DbException(file + " was written by a newer kapas (database schema " + schema + ", this kapas reads "
            + SCHEMA + "): update kapas, or run `kapas db update` to rebuild it");
      }
      if (schema < SCHEMA) {
        c.close();
        throw new DbException(file + " has an old database schema (" + schema + "): run `kapas db update`");
      }
      return new AdvisoryDb(c);
    } catch (SQLException e) {
      throw new DbException(file + " is not a kapas vulnerability database (" + e.getMessage() + "): run `kapas db update`");
    }
  }

  static int schemaOf(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT value FROM meta WHERE key = 'schema'")) {
      return r.next() ? Integer.parseInt(r.getString(1)) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public List<Advisory> advisories(String ecosystem, String name) {
    List<Advisory> out = new ArrayList<>();
    try {
      byPackage.setString(1, name);
      byPackage.setString(2, ecosystem);
      byPackage.setString(3, ecosystem + ":LTS");
      try (ResultSet r = byPackage.executeQuery()) {
        while (r.next()) {
          out.add(OsvRecords.parse(inflate(r.getBytes(2))));
        }
      }
    } catch (SQLException | OsvRecords.InvalidRecordException e) {
      throw new IllegalStateException("vulnerability database unreadable: " + e.getMessage(), e);
    }
    return out;
  }

  /** What {@code kapas db info} prints. */
  public record Info(Instant built, int schema, List<Source> sources, Map<String, Long> recordsByEcosystem) {}

  /** One imported source: where from, when, how many records were taken and skipped. */
  public record Source(String location, String imported, long records, long skipped) {}

  public Info info() throws SQLException {
    String built = meta("built").orElse("1970-01-01T00:00:00Z");
    List<Source> sources = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT location, imported, records, skipped FROM source ORDER BY rowid")) {
      while (r.next()) {
        sources.add(new Source(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4)));
      }
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT ecosystem, count(*) FROM advisory GROUP BY ecosystem ORDER BY ecosystem")) {
      while (r.next()) {
        counts.put(r.getString(1), r.getLong(2));
      }
    }
    return new Info(Instant.parse(built), schemaOf(db), sources, counts);
  }

  private Optional<String> meta(String key) throws SQLException {
    try (PreparedStatement p = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      p.setString(1, key);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
      }
    }
  }

  static byte[] inflate(byte[] deflated) {
    Inflater inf = new Inflater();
    inf.setInput(deflated);
    ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 4);
    byte[] buf = new byte[8192];
    try {
      while (!inf.finished()) {
        int n = inf.inflate(buf);
        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
          break;
        }
        out.write(buf, 0, n);
      }
    } catch (DataFormatException e) {
      throw new IllegalStateException("corrupt record in the vulnerability database", e);
    } finally {
      inf.end();
    }
    return out.toByteArray();
  }

  @Override
  public void close() throws IOException {
    try {
      db.close();
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
