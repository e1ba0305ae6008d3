package dev.kapas.cli;

import dev.kapas.engine.RuleCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kapas} command and its subcommands. */
@Command(
    name = "kapas",
    mixinStandardHelpOptions = true,
    versionProvider = Kapas.Version.class,
    description = {
      "Kubernetes security scanner for the four layers: cloud, cluster, container, code."
    },
    subcommands = {CommandLine.HelpCommand.class})
public final class Kapas implements Runnable {
  private final Env env;

  Kapas(Env env) {
    this.env = env;
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--data-info",
      description = "Print the data files kapas judges by (Kubernetes release dates, Linux distribution support dates) and their dates.")
  boolean dataInfo;

  @Override
  public void run() {
    if (dataInfo) {
      dev.kapas.source.cluster.ReleaseData releases = dev.kapas.source.cluster.ReleaseData.builtIn();
      env.out().println("Kubernetes releases (cluster.version-unsupported): " + releases.minors().size()
          + " minors, " + releases.minors().get(0).display() + " to "
          + releases.minors().get(releases.minors().size() - 1).display() + ", data of " + releases.date()
          + " (built in; kapas cluster --release-data FILE uses a newer file)");
      dev.kapas.source.image.DistroSupport distros = dev.kapas.source.image.DistroSupport.builtIn();
      env.out().println("Linux distribution support (container.image-os-eol): " + distros.size() + " releases, data of "
          + distros.date() + " (built in)");
      return;
    }
    // the spec's own command line: it has every subcommand, so the usage lists them all
    spec.commandLine().usage(env.out());
  }

  /** Runs kapas with {@code args} and returns the exit code. */
  public static int run(String[] args, Env env) {
    ScanCommand scan = ScanArgs.parse(args, env);
    int code;
    if (scan != null) {
      // a plain `kapas scan`, parsed without building picocli's model (ScanArgs)
      try {
        code = scan.call();
      } catch (Exception e) {
        code = internalError(e, env);
      }
    } else {
      code = commandLine(args, env).execute(args);
    }
    env.out().flush();
    env.err().flush();
    return code;
  }

  /** picocli's command line for {@code args}: the root command and the subcommand they name (all without one). */
  static CommandLine commandLine(String[] args, Env env) {
    CommandLine cli = new CommandLine(new Kapas(env));
    Map<String, Supplier<Object>> subcommands = subcommands(env);
    Supplier<Object> named = args.length > 0 ? subcommands.get(args[0]) : null;
    if (named != null) {
      // picocli reads every command's annotations up front (a third of a second for all of
      // them); a run of one subcommand needs only that one's.
      cli.addSubcommand(named.get());
    } else {
      subcommands.values().forEach(command -> cli.addSubcommand(command.get()));
    }
    // from ExitCode, which README's table is tested against
    cli.getCommandSpec().usageMessage().description(
        cli.getCommandSpec().usageMessage().description()[0], "", ExitCode.help());
    cli.setOut(env.out());
    cli.setErr(env.err());
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(
        env.interactive() ? CommandLine.Help.Ansi.AUTO : CommandLine.Help.Ansi.OFF));
    cli.setParameterExceptionHandler((e, a) -> {
      CommandLine cmd = e.getCommandLine();
      if (cmd == cli && e instanceof CommandLine.UnmatchedArgumentException && a.length > 0 && !a[0].startsWith("-")) {
        env.err().println("kapas: `" + a[0] + "` is not a kapas command" + closest(a[0], subcommands.keySet())
            .map(name -> "; did you mean `kapas " + name + "`?").orElse(""));
        env.err().println("Run `kapas --help` for the list of commands.");
        return ExitCode.USAGE.code();
      }
      env.err().println("kapas: " + e.getMessage());
      if (e instanceof CommandLine.UnmatchedArgumentException u) {
        CommandLine.UnmatchedArgumentException.printSuggestions(u, env.err());
      }
      env.err().println("Run `" + cmd.getCommandSpec().qualifiedName() + " --help` for usage.");
      return ExitCode.USAGE.code();
    });
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> internalError(e, env));
    return cli;
  }

  private static int internalError(Exception e, Env env) {
    env.err().println("kapas: internal error, please report it: " + e);
    e.printStackTrace(env.err());
    return ExitCode.USAGE.code();
  }

  /** The name nearest to {@code typed} (at most two edits away, or a prefix of it), if any. */
  static Optional<String> closest(String typed, java.util.Collection<String> names) {
    String t = typed.toLowerCase(java.util.Locale.ROOT);
    return names.stream()
        .filter(n -> n.startsWith(t) || RuleCatalog.editDistance(t, n) <= 2)
        .min(java.util.Comparator.comparingInt(n -> RuleCatalog.editDistance(t, n)));
  }

  /** Every subcommand by name, in the order `kapas --help` lists them. */
  static Map<String, Supplier<Object>> subcommands(Env env) {
    Map<String, Supplier<Object>> all = new LinkedHashMap<>();
    all.put("scan", () -> new ScanCommand(env));
    all.put("probe", () -> new ProbeCommand(env));
    all.put("node", () -> new NodeCommand(env));
    all.put("image", () -> new ImageCommand(env));
    all.put("cluster", () -> new CommandLine(new ClusterCommand(env)).addSubcommand(new ClusterWhoCanCommand(env)));
    all.put("code", () -> new CodeCommand(env));
    all.put("db", () -> new DbCommand(env));
    all.put("rules", () -> new RulesCommand(env));
    all.put("serve", () -> new ServeCommand(env));
    all.put("rbac", () -> new CommandLine(new RbacCommand(env)).addSubcommand(new WhoCanCommand(env)));
    return all;
  }

  /** The version baked in at build time. */
  public static String version() {
    Properties p = new Properties();
    try (InputStream in = Kapas.class.getResourceAsStream("/kapas-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "dev");
  }

  /** picocli's hook for {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"kapas " + version()};
    }
  }
}
