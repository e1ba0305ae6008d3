package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@link ScanArgs}, the fast path for {@code kapas scan}, never parses differently from picocli:
 * on many generated command lines (every option of picocli's model for {@code scan}, unknown
 * options, option-like and odd values, {@code --name=value}, repeats), whatever it accepts
 * picocli accepts too, and every field of the command and its mixins, compared reflectively,
 * comes out the same. Property-based with a seeded {@link Random} (as ScoresPropertiesTest: jqwik
 * 1.10 is built on JUnit Platform 1.x, not the 6.x this project runs); a failure names the seed
 * and the command line.
 */
class ScanArgsTest {
  private static final int CASES = 3000;
  private final Env env = new Env(new ByteArrayInputStream(new byte[0]), new PrintWriter(new StringWriter()),
      new PrintWriter(new StringWriter()), Path.of(""), CliRun.TODAY, false);

  private static final List<String> VALUES = List.of("json", "table", "sarif", "high", "none", "bogus", "out.json",
      "r.sarif", "report.txt", "-", "", "a,b", "a,,b", ",a", "a,", "a=b", "\"q\"", "'q'", "k8s/", "examples/shop/web.yaml",
      "1.30", "v1.28", "latest", "pss-restricted", "cluster.*", "true", "false", "@args.txt", "90s", "x y", "--",
      "scan", "help");
  /** Values every option takes, drawn half the time so that many command lines are plain ones. */
  private static final List<String> PLAIN = List.of("json", "out.json", "k8s/", "high", "a,b", "latest", "x.yaml");
  /** Options common on a scan's command line, drawn half the time. */
  private static final List<String> COMMON = List.of("-f", "--format", "-o", "--output", "--rules", "--fail-on", "-c",
      "--framework", "--pss", "--no-color", "--values", "--set", "-n", "--rules-dir", "--pss-version");
  private static final List<String> UNKNOWN = List.of("-x", "--bogus", "--", "-fjson", "-nprod", "--format:json",
      "--PSS", "-");

  @Test
  void whatTheFastPathAcceptsPicocliParsesIntoTheSameFields() {
    List<String> options = new ArrayList<>();
    CommandLine scan = Kapas.commandLine(new String[] {"scan"}, env).getSubcommands().get("scan");
    scan.getCommandSpec().options().forEach(o -> options.addAll(Arrays.asList(o.names())));
    assertThat(options).contains("--format", "-o", "--rules", "--values", "--pss", "--images", "--help", "-V");
    options.addAll(UNKNOWN);
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    int accepted = 0;
    for (int n = 0; n < CASES; n++) {
      String[] args = commandLine(random, options);
      ScanCommand fast = ScanArgs.parse(args, env);
      if (fast == null) {
        continue;
      }
      accepted++;
      CommandLine.ParseResult parsed;
      try {
        parsed = Kapas.commandLine(args, env).parseArgs(args);
      } catch (CommandLine.ParameterException e) {
        fail("seed " + seed + ": the fast path accepted " + List.of(args) + ", picocli refuses it: " + e.getMessage());
        return;
      }
      Object byPicocli = parsed.subcommand().commandSpec().userObject();
      assertThat(fields(fast)).as("seed %d, %s", seed, List.of(args)).isEqualTo(fields(byPicocli));
    }
    // the generator must reach the fast path often, or the comparison proves little
    assertThat(accepted).as("seed %d: command lines the fast path accepted", seed).isGreaterThan(CASES / 10);
  }

  @Test
  void theComparisonCoversEveryOptionFieldOfTheCommandAndItsMixins() {
    Map<String, Object> fields = fields(new ScanCommand(env));
    assertThat(fields).containsKeys("paths", "framework", "onlyRules", "pssVersion", "pssVerdicts", "namespace",
        "report.reportArgs", "report.failOn", "report.config", "report.noColor", "chart.valuesFiles",
        "chart.skipTests", "customRules.rulesDirs", "imageOptions.images", "imageOptions.registry.username",
        "imageOptions.signing.keys");
    // and a difference in one shows
    ScanCommand other = new ScanCommand(env);
    other.report.addReportArg(true, "json");
    assertThat(fields(other)).isNotEqualTo(fields);
  }

  @Test
  void aPlainScanTakesTheFastPath() {
    ScanCommand scan = ScanArgs.parse(new String[] {"scan", "k8s/", "-f", "json", "-o", "r.json", "--fail-on=medium",
        "-c", ".kapas.yaml", "--rules", "a,b", "--pss", "-"}, env);
    assertThat(scan).isNotNull();
    assertThat(scan.paths).containsExactly("k8s/", "-");
    assertThat(scan.report.failOn).isEqualTo("medium");
    assertThat(scan.onlyRules).containsExactly("a", "b");
  }

  @Test
  void helpVersionErrorsAndOtherCommandsGoToPicocli() {
    for (String[] args : List.of(new String[] {"scan"}, new String[] {"scan", "--help"},
        new String[] {"scan", "k8s/", "-V"}, new String[] {"scan", "k8s/", "--bogus"},
        new String[] {"scan", "k8s/", "--fail-on"}, new String[] {"scan", "k8s/", "--framework", "a", "--framework", "b"},
        new String[] {"scan", "k8s/", "--images"}, new String[] {"scan", "@args"}, new String[] {"rules", "x"},
        new String[] {"scan", "k8s/", "--fail-on", "--pss"})) {
      assertThat(ScanArgs.parse(args, env)).as(List.of(args).toString()).isNull();
    }
  }

  /** {@code scan} and up to 8 tokens: paths, options with or without a value, {@code name=value}. */
  private static String[] commandLine(Random random, List<String> options) {
    List<String> args = new ArrayList<>(List.of("scan"));
    int tokens = random.nextInt(9);
    for (int i = 0; i < tokens; i++) {
      List<String> values = random.nextBoolean() ? PLAIN : VALUES;
      String value = values.get(random.nextInt(values.size()));
      List<String> names = random.nextBoolean() ? COMMON : options;
      String option = names.get(random.nextInt(names.size()));
      switch (random.nextInt(6)) {
        case 0, 1 -> args.add(value);
        case 2 -> args.add(option + "=" + value);
        case 3 -> args.add(option);
        default -> {
          args.add(option);
          args.add(value);
        }
      }
    }
    return args.toArray(String[]::new);
  }

  /** Every field of the command and, by name, of its mixins (the streams aside). */
  private static Map<String, Object> fields(Object command) {
    Map<String, Object> out = new LinkedHashMap<>();
    collect(command, "", out);
    return out;
  }

  private static void collect(Object object, String prefix, Map<String, Object> out) {
    for (Field f : object.getClass().getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) || f.getType() == Env.class) {
        continue;
      }
      f.setAccessible(true);
      Object value;
      try {
        value = f.get(object);
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
      if (value != null && value.getClass().getPackageName().equals("dev.kapas.cli") && !value.getClass().isRecord()) {
        collect(value, prefix + f.getName() + ".", out);
      } else {
        out.put(prefix + f.getName(), value);
      }
    }
  }
}
