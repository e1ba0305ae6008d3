package dev.kapas.vuln;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Builds a database from OSV sources into a new file beside the current one and swaps it in with
 * one atomic rename, so a failed, killed or out-of-space update leaves the old database working.
 * A source is an {@code http(s)://} URL of an OSV export zip, a local zip, a directory of
 * {@code *.json} records, or one record file. A record that is not valid OSV is skipped and
 * counted; a source that cannot be read (a corrupt or truncated zip, an HTTP error) fails the
 * whole update.
 */
public final class DbBuilder {
  /** OSV's public export: one {@code all.zip} per ecosystem. */
  public static final String OSV_EXPORT = "https://osv-vulnerabilities.storage.googleapis.com/";
  public static final List<String> DEFAULT_ECOSYSTEMS = List.of("Debian", "Ubuntu", "Alpine", "Red Hat", "Rocky Linux",
      "AlmaLinux", "Maven", "npm", "PyPI", "Go", "crates.io", "RubyGems", "NuGet", "Packagist");

  private final Path dir;
  private final Clock clock;
  private final Consumer<String> progress;

  public DbBuilder(Path dir, Clock clock, Consumer<String> progress) {
    this.dir = dir;
    this.clock = clock;
    this.progress = progress;
  }

  /** What an import did. */
  public record Report(long records, long skipped, List<String> skippedWhy) {}

  /** A source that could not be read; the old database is untouched. */
  public static final class SourceException extends Exception {
    private static final long serialVersionUID = 1L;

    public SourceException(String message) {
      super(message);
    }
  }

  public static String exportUrl(String ecosystem) {
    return OSV_EXPORT + ecosystem.replace(" ", "%20") + "/all.zip";
  }

  /**
   * Builds the database from {@code sources}; with {@code keepExisting}, the records of the
   * current database are kept and the sources' added over them ({@code kapas db import}).
   */
  public Report build(List<String> sources, boolean keepExisting) throws SourceException, IOException {
    Files.createDirectories(dir);
    Path current = dir.resolve(AdvisoryDb.FILE);
    Path next = Files.createTempFile(dir, "kapas.db.", ".new");
    List<Path> downloads = new ArrayList<>();
    try {
      if (keepExisting && Files.isRegularFile(current)) {
        try {
          Files.copy(current, next, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new IOException("copying the database to add to it failed (" + e.getMessage()
              + "); the old database is unchanged", e);
        }
      } else {
        Files.delete(next);
      }
      Report report;
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + next)) {
        if (keepExisting && Files.size(next) > 0 && AdvisoryDb.schemaOf(c) != AdvisoryDb.SCHEMA) {
          throw new SourceException(current + " has another database schema; run `kapas db update` first");
        }
        report = fill(c, sources, downloads);
      } catch (SQLException e) {
        throw new IOException("writing the database failed (" + e.getMessage() + "); the old database is unchanged", e);
      }
      try {
        Files.move(next, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(next, current, StandardCopyOption.REPLACE_EXISTING);
      }
      return report;
    } finally {
      Files.deleteIfExists(next);
      for (Path d : downloads) {
        Files.deleteIfExists(d);
      }
    }
  }

  private Report fill(Connection c, List<String> sources, List<Path> downloads) throws SQLException, SourceException,
      IOException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode = OFF");
      s.execute("PRAGMA synchronous = OFF");
      s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS source(location TEXT, imported TEXT, records INTEGER, skipped INTEGER)");
      s.execute("CREATE TABLE IF NOT EXISTS advisory(id TEXT PRIMARY KEY, ecosystem TEXT, modified TEXT, record BLOB, "
          + "match BLOB)");
      s.execute("CREATE TABLE IF NOT EXISTS affected(name TEXT, ecosystem TEXT, id TEXT)");
      // indexes are built after the bulk insert; affected_id earlier only if a record comes twice (Inserter)
      s.execute("DROP INDEX IF EXISTS affected_package");
    }
    c.setAutoCommit(false);
    long total = 0;
    long skipped = 0;
    List<String> why = new ArrayList<>();
    try (Inserter in = new Inserter(c)) {
      for (String source : sources) {
        progress.accept("importing " + source);
        long before = in.records;
        long skippedBefore = in.skipped;
        readSource(source, downloads, in);
        in.flush();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO source VALUES (?, ?, ?, ?)")) {
          p.setString(1, source);
          p.setString(2, clock.instant().toString());
          p.setLong(3, in.records - before);
          p.setLong(4, in.skipped - skippedBefore);
          p.executeUpdate();
        }
      }
      total = in.records;
      skipped = in.skipped;
      why.addAll(in.why);
    }
    try (Statement s = c.createStatement()) {
      s.execute("CREATE INDEX affected_package ON affected(name, ecosystem)");
      s.execute("CREATE INDEX IF NOT EXISTS affected_id ON affected(id)");
      s.execute("INSERT OR REPLACE INTO meta VALUES ('schema', '" + AdvisoryDb.SCHEMA + "')");
      s.execute("INSERT OR REPLACE INTO meta VALUES ('built', '" + clock.instant() + "')");
      // counted once here, while the pages were just written, so `kapas db info` need not read every record
      s.execute("CREATE TABLE IF NOT EXISTS ecosystem_count(ecosystem TEXT PRIMARY KEY, records INTEGER)");
      s.execute("DELETE FROM ecosystem_count");
      s.execute("INSERT INTO ecosystem_count SELECT ecosystem, count(*) FROM advisory GROUP BY ecosystem");
    }
    c.commit();
    return new Report(total, skipped, why);
  }

  private void readSource(String source, List<Path> downloads, Inserter in) throws SourceException, IOException,
      SQLException {
    if (source.startsWith("http://") || source.startsWith("https://")) {
      Path zip = download(source);
      downloads.add(zip);
      readZip(source, zip, in);
      return;
    }
    Path path = Path.of(source);
    if (Files.isDirectory(path)) {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(path)) {
        files = walk.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
      }
      for (Path f : files) {
        in.add(f.toString(), Files.readAllBytes(f));
      }
    } else if (Files.isRegularFile(path) && source.endsWith(".json")) {
      in.add(source, Files.readAllBytes(path));
    } else if (Files.isRegularFile(path)) {
      readZip(source, path, in);
    } else {
      throw new SourceException(source + ": no such file, directory or http(s) URL");
    }
  }

  private static void readZip(String source, Path zip, Inserter in) throws SourceException, SQLException {
    int entries = 0;
    try (ZipInputStream z = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
        if (!e.isDirectory() && e.getName().endsWith(".json")) {
          in.add(source + "!" + e.getName(), z.readAllBytes());
        }
        entries++;
      }
    } catch (IOException e) {
      throw new SourceException(source + ": not a readable zip (" + e.getMessage() + ")");
    }
    if (entries == 0) {
      throw new SourceException(source + ": not a zip, or an empty one");
    }
  }

  private Path download(String url) throws SourceException, IOException {
    Path to = Files.createTempFile(dir, "download.", ".zip");
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(30)).build();
    boolean done = false;
    try {
      HttpResponse<Path> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.ofFile(to));
      if (r.statusCode() != 200) {
        throw new SourceException(url + ": HTTP " + r.statusCode());
      }
      done = true;
      return to;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceException(url + ": interrupted");
    } catch (IOException e) {
      throw new SourceException(url + ": download failed (" + e.getMessage() + ")");
    } finally {
      if (!done) {
        Files.deleteIfExists(to); // what a failed download wrote (the caller deletes only finished ones)
      }
    }
  }

  /**
   * Inserts records in batches; a record already present (same ID) is replaced by the newer import.
   * Parsing and deflating, the costly part, run on a pool of threads while the caller's thread
   * reads the sources and is the one writer of the database, taking the prepared records in the
   * order they were read (so "the later source wins" stays true).
   */
  private static final class Inserter implements AutoCloseable {
    /** Records parsed ahead of the writer at most. */
    private static final int AHEAD = 512;
    private static final int BATCH = 2000;

    private final PreparedStatement deleteAffected;
    private final PreparedStatement advisory;
    private final PreparedStatement affected;
    private final ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
          Thread t = new Thread(r, "kapas-db-parse");
          t.setDaemon(true);
          return t;
        });
    /** Deflate level 1: the records deflate to within a few per cent of level 6 in a third of the time. */
    private final ThreadLocal<Deflater> deflaters = ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED));
    private final ArrayDeque<Future<Prepared>> pending = new ArrayDeque<>();
    private int batched;
    long records;
    long skipped;
    final List<String> why = new ArrayList<>();

    /** IDs already in the database: a record imported again replaces its rows. */
    private final Set<String> present = new HashSet<>();

    /** A record ready to write, or the reason it is not valid OSV. */
    private record Prepared(String where, Advisory advisory, String invalid, byte[] deflated, byte[] encoded) {}

    private final Connection connection;
    /** Whether affected(id) is indexed yet: a fresh build indexes it at the end, unless a record comes twice. */
    private boolean idIndexed;

    Inserter(Connection c) throws SQLException {
      connection = c;
      try (Statement s = c.createStatement();
          var r = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'affected_id'")) {
        idIndexed = r.next() && r.getInt(1) > 0;
      }
      try (Statement s = c.createStatement(); var r = s.executeQuery("SELECT id FROM advisory")) {
        while (r.next()) {
          present.add(r.getString(1));
        }
      }
      deleteAffected = c.prepareStatement("DELETE FROM affected WHERE id = ?");
      advisory = c.prepareStatement("INSERT OR REPLACE INTO advisory VALUES (?, ?, ?, ?, ?)");
      affected = c.prepareStatement("INSERT INTO affected VALUES (?, ?, ?)");
    }

    void add(String where, byte[] json) throws SQLException {
      pending.add(pool.submit(() -> prepare(where, json)));
      while (pending.size() > AHEAD) {
        write(next());
      }
    }

    /** Writes every record read so far. */
    void flush() throws SQLException {
      while (!pending.isEmpty()) {
        write(next());
      }
      advisory.executeBatch();
      affected.executeBatch();
      batched = 0;
    }

    private Prepared next() {
      Future<Prepared> f = pending.poll();
      boolean interrupted = false;
      try {
        while (true) {
          try {
            return f.get();
          } catch (InterruptedException e) {
            interrupted = true;
          } catch (ExecutionException e) {
            throw new IllegalStateException("reading an OSV record failed: " + e.getCause(), e.getCause());
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private Prepared prepare(String where, byte[] json) {
      try {
        Advisory a = OsvRecords.parse(json);
        return new Prepared(where, a, null, deflate(json), AdvisoryCodec.encode(a));
      } catch (OsvRecords.InvalidRecordException e) {
        return new Prepared(where, null, e.getMessage(), null, null);
      }
    }

    private void write(Prepared p) throws SQLException {
      if (p.advisory() == null) {
        skipped++;
        if (why.size() < 20) {
          why.add(p.where() + ": " + p.invalid());
        }
        return;
      }
      Advisory a = p.advisory();
      if (!present.add(a.id())) {
        advisory.executeBatch();
        affected.executeBatch();
        if (!idIndexed) {
          try (Statement s = connection.createStatement()) {
            s.execute("CREATE INDEX IF NOT EXISTS affected_id ON affected(id)");
          }
          idIndexed = true;
        }
        deleteAffected.setString(1, a.id());
        deleteAffected.executeUpdate();
      }
      String ecosystem = a.affected().isEmpty() ? "" : baseEcosystem(a.affected().get(0).ecosystem());
      advisory.setString(1, a.id());
      advisory.setString(2, ecosystem);
      advisory.setString(3, a.modified());
      advisory.setBytes(4, p.deflated());
      advisory.setBytes(5, p.encoded());
      advisory.addBatch();
      Set<String> seen = new HashSet<>();
      for (Advisory.Affected af : a.affected()) {
        if (!af.name().isEmpty() && seen.add(af.ecosystem() + "\n" + af.name())) {
          affected.setString(1, Matcher.lookupName(baseEcosystem(af.ecosystem()), af.name()));
          affected.setString(2, af.ecosystem());
          affected.setString(3, a.id());
          affected.addBatch();
        }
      }
      records++;
      if (++batched == BATCH) {
        advisory.executeBatch();
        affected.executeBatch();
        batched = 0;
      }
    }

    private byte[] deflate(byte[] json) {
      Deflater deflater = deflaters.get();
      deflater.reset();
      deflater.setInput(json);
      deflater.finish();
      byte[] buf = new byte[Math.max(64, json.length)];
      int n = 0;
      while (!deflater.finished()) {
        if (n == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        n += deflater.deflate(buf, n, buf.length - n);
      }
      return Arrays.copyOf(buf, n);
    }

    @Override
    public void close() throws SQLException {
      pool.shutdownNow();
      pending.clear();
      deleteAffected.close();
      advisory.close();
      affected.close();
    }
  }

  static String baseEcosystem(String ecosystem) {
    int colon = ecosystem.indexOf(':');
    return colon < 0 ? ecosystem : ecosystem.substring(0, colon);
  }

}
