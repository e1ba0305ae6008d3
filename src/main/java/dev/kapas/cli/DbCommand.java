package dev.kapas.cli;

import dev.kapas.vuln.AdvisoryDb;
import dev.kapas.vuln.DbBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kapas db}: the offline vulnerability database. */
@Command(
    name = "db",
    mixinStandardHelpOptions = true,
    description = {
      "Manage the offline vulnerability database (OSV records in one SQLite file, ~/.cache/kapas/db by default).",
      "",
      "  kapas db update                      download OSV's per-ecosystem exports and rebuild",
      "  kapas db update --source DIR|ZIP|URL  rebuild from other copies (repeatable)",
      "  kapas db import osv-Maven.zip        add records to the current database (air-gapped copies)",
      "  kapas db info                        sources, build date and records per ecosystem",
      "",
      "An update builds a new file and swaps it in atomically: a failed or killed update leaves the old "
          + "database working. Exit codes: 0 done; 2 usage error; 3 a source could not be read (nothing changed)."
    },
    subcommands = {DbCommand.Update.class, DbCommand.Import.class, DbCommand.Info.class})
public final class DbCommand implements Callable<Integer> {
  final Env env;

  @Option(names = "--db", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Database directory (default ~/.cache/kapas/db).")
  Path db;

  DbCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    env.err().println("kapas db: name a subcommand: update, import or info (kapas db --help)");
    return ExitCode.USAGE.code();
  }

  Path dir() {
    return db != null ? env.workingDir().resolve(db) : AdvisoryDb.defaultDir(env.variables());
  }

  int build(String command, List<String> sources, boolean keep) {
    try {
      DbBuilder.Report r = new DbBuilder(dir(), Clock.systemUTC(), line -> env.err().println(line)).build(sources, keep);
      r.skippedWhy().forEach(w -> env.err().println("skipped: " + w));
      env.out().println(command + ": " + r.records() + " records imported, " + r.skipped()
          + " skipped (not valid OSV) into " + dir().resolve(AdvisoryDb.FILE));
      return r.skipped() > 0 ? ExitCode.INPUT_ERROR.code() : ExitCode.OK.code();
    } catch (DbBuilder.SourceException e) {
      env.err().println(command + ": " + e.getMessage() + "; the database was not changed");
      return ExitCode.INPUT_ERROR.code();
    } catch (IOException e) {
      env.err().println(command + ": " + e.getMessage());
      return ExitCode.INPUT_ERROR.code();
    }
  }

  String resolve(String source) {
    return source.matches("https?://.*") ? source : env.workingDir().resolve(source).toString();
  }

  /** {@code kapas db update}. */
  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Rebuild the database from OSV exports (default: OSV's public per-ecosystem all.zip).")
  static final class Update implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand
    DbCommand parent;

    @Option(names = "--source", paramLabel = "URL|DIR|ZIP", description = "Where to read OSV records from "
        + "instead of OSV's export. Repeatable.")
    List<String> sources = new ArrayList<>();

    @Option(names = "--ecosystems", split = ",", paramLabel = "LIST", description = "Ecosystems to download "
        + "from OSV's export (default: " + "Debian, Ubuntu, Alpine, Red Hat, Rocky Linux, AlmaLinux, Maven, npm, PyPI, "
        + "Go, crates.io, RubyGems, NuGet, Packagist).")
    List<String> ecosystems = new ArrayList<>();

    @Override
    public Integer call() {
      List<String> from = new ArrayList<>();
      if (sources.isEmpty()) {
        (ecosystems.isEmpty() ? DbBuilder.DEFAULT_ECOSYSTEMS : ecosystems).forEach(e -> from.add(DbBuilder.exportUrl(e)));
      } else {
        sources.forEach(s -> from.add(parent.resolve(s)));
      }
      return parent.build("kapas db update", from, false);
    }
  }

  /** {@code kapas db import}. */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Add OSV records (a zip, a directory or a .json file) to the current database.")
  static final class Import implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand
    DbCommand parent;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "OSV export zips, directories of records, or records.")
    List<String> paths = new ArrayList<>();

    @Override
    public Integer call() {
      return parent.build("kapas db import", paths.stream().map(parent::resolve).toList(), true);
    }
  }

  /** {@code kapas db info}. */
  @Command(name = "info", mixinStandardHelpOptions = true, description = "Print the database's sources, date and counts.")
  static final class Info implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand
    DbCommand parent;

    @Override
    public Integer call() {
      try (AdvisoryDb db = AdvisoryDb.open(parent.dir())) {
        AdvisoryDb.Info info = db.info();
        var out = parent.env.out();
        out.println("database: " + parent.dir().resolve(AdvisoryDb.FILE));
        out.println("built:    " + info.built() + " (schema " + info.schema() + ")");
        out.println("sources:");
        for (AdvisoryDb.Source s : info.sources()) {
          out.println("  " + s.location() + "  imported " + s.imported() + ", " + s.records() + " records, "
              + s.skipped() + " skipped");
        }
        out.println("records per ecosystem:");
        for (Map.Entry<String, Long> e : info.recordsByEcosystem().entrySet()) {
          out.println("  " + (e.getKey().isEmpty() ? "(none)" : e.getKey()) + ": " + e.getValue());
        }
        out.println("Data: OSV (https://osv.dev), from the databases it aggregates under their licences "
            + "(GitHub Advisory Database CC-BY-4.0, Go Vulnerability Database CC-BY-4.0, RustSec CC0-1.0, "
            + "Ubuntu CC-BY-SA-4.0, Debian, Alpine and others).");
        return ExitCode.OK.code();
      } catch (AdvisoryDb.DbException e) {
        parent.env.err().println("kapas db info: " + e.getMessage());
        return ExitCode.USAGE.code();
      } catch (SQLException | IOException e) {
        parent.env.err().println("kapas db info: " + e.getMessage());
        return ExitCode.INPUT_ERROR.code();
      }
    }
  }
}
