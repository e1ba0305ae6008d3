package dev.kapas.source.image.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * rpm's sqlite database ({@code rpmdb.sqlite}, rpm ≥ 4.16: Fedora 33+, RHEL 9, Rocky/Alma 9, at
 * {@code var/lib/rpm} or {@code usr/lib/sysimage/rpm}): table {@code Packages(hnum, blob)}, one
 * {@link RpmHeader header blob} per installed package. sqlite needs a file, so the database is
 * copied to a temporary file for the read and deleted after.
 */
final class RpmCataloger implements Cataloger {

  @Override
  public boolean wants(String path, long size) {
    return path.equals("var/lib/rpm/rpmdb.sqlite") || path.equals("usr/lib/sysimage/rpm/rpmdb.sqlite");
  }

  @Override
  public Parsed read(String path, InputStream content, long size) throws IOException {
    Path copy = Files.createTempFile("kapas-rpmdb", ".sqlite");
    try {
      try (OutputStream out = Files.newOutputStream(copy)) {
        if (content.transferTo(out) > Limits.DATABASE_BYTES) {
          throw new IOException("larger than " + (Limits.DATABASE_BYTES >> 20) + " MiB; not read");
        }
      }
      return query(copy);
    } finally {
      // sqlite leaves a -wal and -shm beside a WAL-mode database (rpm uses WAL) even when only reading
      for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
        Files.deleteIfExists(Path.of(copy + suffix));
      }
    }
  }

  private static Parsed query(Path db) throws IOException {
    Properties readOnly = new Properties();
    readOnly.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
    List<Found> packages = new ArrayList<>();
    List<LineProblem> problems = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db, readOnly);
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT hnum, blob FROM Packages ORDER BY hnum")) {
      while (rows.next()) {
        try {
          Found f = RpmHeader.parse(rows.getBytes(2)).toPackage();
          if (!f.name().equals("gpg-pubkey")) { // rpm's imported signing keys, not software
            packages.add(f);
          }
        } catch (IllegalArgumentException e) {
          problems.add(new LineProblem(0, "package " + rows.getLong(1) + ": " + e.getMessage()));
        }
      }
    } catch (SQLException e) {
      throw new IOException("not an rpm sqlite database (" + e.getMessage() + ")");
    }
    return new Parsed(List.copyOf(packages), List.copyOf(problems));
  }
}
