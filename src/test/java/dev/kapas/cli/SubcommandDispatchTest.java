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
    assertListsEveryCommand(CliRun.run("--help"));
  }

  @Test
  void kapasAloneListsEveryCommand() {
    assertListsEveryCommand(CliRun.run());
  }

  private void assertListsEveryCommand(CliRun run) {
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

  @Test
  void aMistypedCommandIsAUsageErrorThatSuggestsTheNearest() {
    CliRun run = CliRun.run("scna", "examples/");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("kapas: `scna` is not a kapas command; did you mean `kapas scan`?\n");
    assertThat(CliRun.run("clustre").err()).contains("did you mean `kapas cluster`?");
    assertThat(CliRun.run("frobnicate").err()).contains("`frobnicate` is not a kapas command\n")
        .doesNotContain("did you mean");
  }

  @Test
  void aFrameworkOrRuleSelectionWithNoRuleForTheCommandIsAUsageError() {
    CliRun probe = CliRun.run("probe", "--framework", "pss-baseline", "127.0.0.1", "--ports", "1");
    assertThat(probe.exitCode()).isEqualTo(2);
    assertThat(probe.err()).contains("--framework pss-baseline selects no rule kapas probe runs");
    assertThat(probe.out()).doesNotContain("PASS");
    CliRun scan = CliRun.run("scan", CliRun.WORKLOADS, "--framework", "pss-baseline", "--rules", "code.*");
    assertThat(scan.exitCode()).isEqualTo(2);
    assertThat(scan.err()).contains("--framework pss-baseline with --rules code.* selects no rule kapas scan runs");
  }
}
