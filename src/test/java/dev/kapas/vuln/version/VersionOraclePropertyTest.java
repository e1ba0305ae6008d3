package dev.kapas.vuln.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.maven.artifact.versioning.ComparableVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kapas against the real implementations on 10,000 generated pairs per ecosystem: APT's
 * comparator (python3-apt, which orders as dpkg does), rpm's own {@code rpm.vercmp}, Maven's
 * ComparableVersion, node-semver and pypa/packaging. Pairs are drawn by a {@link Random} with a
 * fixed seed (the same pairs on every run; a mismatch names the pair) from alphabets that hit each
 * grammar's corners (epochs, {@code ~}, {@code ^}, qualifiers, pre-releases) and are sent to each
 * tool in one batch. A tool that is not installed skips its test (scripts/test-servers.sh
 * installs them; CI runs it).
 */
class VersionOraclePropertyTest {
  private static final int PAIRS = 10_000;
  private static final long SEED = 0x6b61706173L;

  @TempDir
  Path tmp;

  @Test
  void dpkgOrderMatchesApt() throws Exception {
    List<String[]> pairs = pairs(r -> pick(r, "", "0:", "1:", "2:")
        + chars(r, "0123456789", 1, 1) + chars(r, "0123456789.+~abz", 0, 5)
        + pick(r, "", "-1", "-0ubuntu1", "-1+deb12u1", "-2~bpo1", "-10"));
    List<String> got = oracle(pairs, List.of("/usr/bin/python3", "-c",
        "import sys, apt_pkg\napt_pkg.init_system()\nfor l in sys.stdin:\n a, b = l.rstrip('\\n').split('\\t')\n"
            + " print(apt_pkg.version_compare(a, b))"), "import apt_pkg");
    assertAgrees(new DpkgVersion(), pairs, got);
  }

  @Test
  void rpmOrderMatchesRpm() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/rpm")), "rpm is not installed");
    List<String[]> pairs = pairs(r -> pick(r, "", "0:", "1:", "3:") + chars(r, "0123456789.~^_+azAZ", 1, 7)
        + pick(r, "-1", "-1.el9", "-2.fc38", "-0.rc1", "-10"));
    Path input = tmp.resolve("pairs.tsv");
    Files.write(input, pairs.stream().map(p -> p[0] + "\t" + p[1]).toList(), StandardCharsets.UTF_8);
    String lua = "%{lua: for l in io.lines('" + input + "') do local a, b = l:match('([^\\t]*)\\t(.*)') "
        + "io.write(rpm.vercmp(a, b), '\\n') end}";
    List<String> got = run(List.of("/usr/bin/rpm", "--eval", lua), "");
    assertAgrees(new RpmVersion(), pairs, got);
  }

  @Test
  void mavenOrderMatchesComparableVersion() {
    List<String[]> pairs = pairs(r -> r.nextBoolean()
        ? chars(r, "0123456789..--abcmrsplfinaegtx", 1, 10)
        : r.nextInt(13) + pick(r, "", ".0", "-1", ".1") + pick(r, "", "-alpha-1", "-beta2", "-rc1", "-RC-2",
            "-SNAPSHOT", ".Final", "-ga", "-sp1", "-jre", "-android", "-m3", "-cr1", "-release", "a1", "-1"));
    VersionOrder kapas = new MavenVersion();
    List<String> mismatches = new ArrayList<>();
    for (String[] p : pairs) {
      int want = Integer.signum(new ComparableVersion(p[0]).compareTo(new ComparableVersion(p[1])));
      if (Integer.signum(kapas.compare(p[0], p[1])) != want) {
        mismatches.add(p[0] + " vs " + p[1] + ": ComparableVersion says " + want);
      }
    }
    assertThat(mismatches).hasSize(0);
  }

  @Test
  void npmOrderMatchesNodeSemver() throws Exception {
    Path semver = nodeSemver();
    Function<Random, String> ident = r -> switch (r.nextInt(3)) {
      case 0 -> String.valueOf(r.nextInt(21));
      case 1 -> chars(r, "abrc-", 1, 4);
      default -> {
        String s;
        do {
          s = chars(r, "0123456789abx", 1, 3);
        } while (s.matches("0\\d+"));
        yield s;
      }
    };
    List<String[]> pairs = pairs(r -> {
      List<String> pre = new ArrayList<>();
      for (int i = r.nextInt(4); i > 0; i--) {
        pre.add(ident.apply(r));
      }
      return r.nextInt(4) + "." + r.nextInt(12) + "." + r.nextInt(4) + (pre.isEmpty() ? "" : "-" + String.join(".", pre))
          + pick(r, "", "+build.1", "+sha.abc");
    });
    List<String> got = oracle(pairs, List.of("node", "-e",
        "const semver = require(" + jsString(semver.toString()) + ");"
            + "const lines = require('fs').readFileSync(0, 'utf8').split('\\n').filter(Boolean);"
            + "console.log(lines.map(l => { const [a, b] = l.split('\\t'); return semver.compare(a, b, true); }).join('\\n'));"),
        "");
    assertAgrees(SemVer.NPM, pairs, got);
  }

  @Test
  void pypiOrderMatchesPackaging() throws Exception {
    List<String[]> pairs = pairs(r -> {
      List<String> release = new ArrayList<>();
      for (int i = 1 + r.nextInt(4); i > 0; i--) {
        release.add(String.valueOf(r.nextInt(4)));
      }
      return pick(r, "", "1!", "0!") + String.join(".", release)
          + pick(r, "", "a1", "b2", "rc1", "c1", "alpha3", "preview1", ".pre2", "-rc")
          + pick(r, "", ".post1", "-1", "post0", ".rev2", "r3") + pick(r, "", ".dev0", "dev3", "-dev1")
          + pick(r, "", "+ubuntu1", "+1.abc", "+abc.2", "+local-3");
    });
    List<String> got = oracle(pairs, List.of("/usr/bin/python3", "-c",
        "import sys\nfrom packaging.version import Version as V\nfor l in sys.stdin:\n a, b = l.rstrip('\\n').split('\\t')\n"
            + " x, y = V(a), V(b)\n print(-1 if x < y else (1 if x > y else 0))"), "import packaging.version");
    assertAgrees(new Pep440Version(), pairs, got);
  }

  /** {@link #PAIRS} pairs of versions; about one pair in eight compares a version with itself, where order bugs hide. */
  private static List<String[]> pairs(Function<Random, String> version) {
    Random r = new Random(SEED);
    List<String[]> pairs = new ArrayList<>(PAIRS);
    while (pairs.size() < PAIRS) {
      String a = version.apply(r);
      pairs.add(r.nextInt(8) == 0 ? new String[] {a, a} : new String[] {a, version.apply(r)});
    }
    return pairs;
  }

  private static String pick(Random r, String... choices) {
    return choices[r.nextInt(choices.length)];
  }

  /** A string of {@code min..max} characters drawn from {@code alphabet}. */
  private static String chars(Random r, String alphabet, int min, int max) {
    StringBuilder s = new StringBuilder();
    for (int n = min + r.nextInt(max - min + 1); n > 0; n--) {
      s.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  private static void assertAgrees(VersionOrder kapas, List<String[]> pairs, List<String> oracle) {
    assertThat(oracle).hasSize(pairs.size());
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      String[] p = pairs.get(i);
      int want = Integer.signum(Integer.parseInt(oracle.get(i).trim()));
      if (Integer.signum(kapas.compare(p[0], p[1])) != want) {
        mismatches.add(p[0] + " vs " + p[1] + ": the real implementation says " + want);
      }
    }
    assertThat(mismatches).hasSize(0);
  }

  /** Runs {@code command} once with every pair on stdin, one {@code a<TAB>b} a line; skips when {@code probe} fails. */
  private List<String> oracle(List<String[]> pairs, List<String> command, String probe) throws Exception {
    if (!probe.isEmpty()) {
      assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
      assumeTrue(run(List.of("/usr/bin/python3", "-c", probe), "") != null, "python module missing: " + probe);
    }
    StringBuilder in = new StringBuilder();
    pairs.forEach(p -> in.append(p[0]).append('\t').append(p[1]).append('\n'));
    List<String> out = run(command, in.toString());
    assertThat(out).as("output of " + command.get(0)).isNotNull();
    return out;
  }

  /** The lines a command prints, or null when it fails. */
  private List<String> run(List<String> command, String stdin) throws IOException, InterruptedException {
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (var w = p.getOutputStream()) {
      w.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return null;
    }
    return p.exitValue() == 0 ? Files.readAllLines(out).stream().filter(l -> !l.isBlank()).toList() : null;
  }

  /** node-semver from the npm registry, installed once into target/ (skips when npm cannot reach it). */
  private Path nodeSemver() throws Exception {
    Path dir = Path.of("target/node-semver").toAbsolutePath();
    Path module = dir.resolve("node_modules/semver");
    if (!Files.isDirectory(module)) {
      Files.createDirectories(dir);
      List<String> ok = run(List.of("npm", "install", "--prefix", dir.toString(), "--no-audit", "--no-fund",
          "semver@7"), "");
      assumeTrue(ok != null && Files.isDirectory(module), "npm could not install semver");
    }
    return module;
  }

  private static String jsString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
