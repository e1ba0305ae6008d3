package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * `kapas SUBCOMMAND` builds only that subcommand's picocli model, found by the name it is
 * filed under; a name that differs from the command's own would make it unreachable.
 */
class SubcommandDispatchTest {
  private final Env env = new Env(new ByteArrayInputStream(new byte[0]),
      new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Path.of(""),
      CliRun.TODAY, false);

  @Test
  void everySubcommandIsFiledUnderItsOwnName() {
    Kapas.subcommands(env).forEach((name, command) -> {
      Object built = command.get();
      CommandLine cli = built instanceof CommandLine c ? c : new CommandLine(built);
      assertThat(cli.getCommandName()).isEqualTo(name);
    });
  }

  @Test
  void topLevelHelpStillListsEverySubcommand() {
    CliRun run = CliRun.run("--help");
    assertThat(run.exitCode()).isZero();
    for (String name : Kapas.subcommands(env).keySet()) {
      assertThat(run.out()).containsPattern("(?m)^\\s+" + name + "\\s");
    }
  }

  @Test
  void aSubcommandRunsAloneAndItsHelpWorks() {
    CliRun run = CliRun.run("rules", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: kapas rules");
  }
}
