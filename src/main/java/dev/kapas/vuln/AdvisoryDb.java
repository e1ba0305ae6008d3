package dev.kapas.vuln;

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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The offline vulnerability database: one SQLite file, {@code kapas.db} in its directory
 * ({@code ~/.cache/kapas/db} by default), holding OSV records (deflated JSON, and beside each the
 * part matching needs in {@link AdvisoryCodec}'s compact form) indexed by package name and
 * ecosystem. Read-only here; {@link DbBuilder} writes new ones. Schema 2 added the compact form.
 */
public final class AdvisoryDb implements AdvisoryLookup, AutoCloseable {
  /** The schema this kapas writes and reads; a newer one is refused with a clear message. */
  public static final int SCHEMA = 2;
  public static final String FILE = "kapas.db";

  /** Names looked up by one query; a shorter list is padded with its first name. */
  private static final int NAMES = 500;

  private final Connection db;
  private final PreparedStatement byPackages;

  private AdvisoryDb(Connection db) throws SQLException {
    this.db = db;
    // the records of each name in the order they were imported (affected's rowid)
    this.byPackages = db.prepareStatement("SELECT f.name, f.id, a.match FROM affected f JOIN advisory a ON a.id = f.id "
        + "WHERE f.ecosystem IN (?, ?) AND f.name IN (?" + ", ?".repeat(NAMES - 1) + ") "
        + "ORDER BY f.name, f.ecosystem, f.rowid");
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
    return advisories(ecosystem, List.of(name)).getOrDefault(name, List.of());
  }

  /** One query per {@value #NAMES} names; each record once per name, however many of its entries name it. */
  @Override
  public Map<String, List<Advisory>> advisories(String ecosystem, Collection<String> names) {
    Map<String, List<Advisory>> out = new HashMap<>();
    List<String> all = List.copyOf(new LinkedHashSet<>(names));
    try {
      for (int from = 0; from < all.size(); from += NAMES) {
        List<String> some = all.subList(from, Math.min(all.size(), from + NAMES));
        byPackages.setString(1, ecosystem);
        byPackages.setString(2, ecosystem + ":LTS");
        for (int i = 0; i < NAMES; i++) {
          byPackages.setString(3 + i, some.get(i < some.size() ? i : 0));
        }
        Set<String> seen = new HashSet<>();
        try (ResultSet r = byPackages.executeQuery()) {
          while (r.next()) {
            String name = r.getString(1);
            if (seen.add(name + "\n" + r.getString(2))) {
              out.computeIfAbsent(name, n -> new ArrayList<>()).add(AdvisoryCodec.decode(r.getBytes(3)));
            }
          }
        }
      }
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("vulnerability database unreadable: " + e.getMessage(), e);
    }
    return out;
  }

  /** What {@code kapas db info} prints. */
  public record Info(Instant built, int schema, List<Source> sources, Map<String, Long> recordsByEcosystem) {}

  /** One imported source: where from, when, how many records were taken and skipped. */
  public record Source(String location, String imported, long records, long skipped) {}

  /** When the database was built (what a scan prints); cheaper than {@link #info()}. */
  public Instant built() throws SQLException {
    return Instant.parse(meta("built").orElse("1970-01-01T00:00:00Z"));
  }

  public Info info() throws SQLException {
    List<Source> sources = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT location, imported, records, skipped FROM source ORDER BY rowid")) {
      while (r.next()) {
        sources.add(new Source(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4)));
      }
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    // imports since 2026-12-06 keep the counts; a database built before counts its records
    String query = hasTable("ecosystem_count")
        ? "SELECT ecosystem, records FROM ecosystem_count ORDER BY ecosystem"
        : "SELECT ecosystem, count(*) FROM advisory GROUP BY ecosystem ORDER BY ecosystem";
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery(query)) {
      while (r.next()) {
        counts.put(r.getString(1), r.getLong(2));
      }
    }
    return new Info(built(), schemaOf(db), sources, counts);
  }

  private boolean hasTable(String name) throws SQLException {
    try (PreparedStatement p = db.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      p.setString(1, name);
      try (ResultSet r = p.executeQuery()) {
        return r.next();
      }
    }
  }

  private Optional<String> meta(String key) throws SQLException {
    try (PreparedStatement p = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      p.setString(1, key);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
      }
    }
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
