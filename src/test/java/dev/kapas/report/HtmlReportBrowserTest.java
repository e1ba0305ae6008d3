package dev.kapas.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kapas.cli.CliRun;
import dev.kapas.testing.TestServer;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real browser: Debian's {@code chromium}, headless, renders the page that
 * {@code kapas scan -f html} wrote, under the page's own CSP. Without chromium the tests are skipped
 * (failed in CI), as for the other real servers the tests use.
 */
class HtmlReportBrowserTest {
  private static final String MANIFESTS = """
      apiVersion: v1
      kind: Pod
      metadata: {name: "<script>alert(1)</script>", namespace: shop}
      spec:
        containers:
        - name: a
          image: nginx
          securityContext: {privileged: true}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        template:
          spec:
            containers:
            - name: web
              image: nginx:1.27
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api, namespace: other}
      spec:
        template:
          spec:
            containers:
            - name: api
              image: nginx:1.27
      """;
  /** The header band's colour, set only by the inline style sheet. */
  private static final int BAND = 0x1f2d3d;

  @TempDir
  Path dir;
  private Path chromium;
  private Path page;
  private JsonNode json;

  @BeforeEach
  void renderReport() throws IOException {
    Optional<Path> found = onPath("chromium");
    TestServer.require(found.isPresent(), "chromium is not installed (apt-get install chromium): the HTML report "
        + "cannot be rendered in a browser");
    chromium = found.get();
    Path manifests = dir.resolve("app.yaml");
    Files.writeString(manifests, MANIFESTS);
    page = dir.resolve("report.html");
    CliRun run = CliRun.in(dir, "scan", manifests.toString(), "-f", "html", "-o", page.toString(),
        "-f", "json", "-o", dir.resolve("report.json").toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
  }

  @Test
  void theBrowserRendersThePageWithItsStyleAndNoCspViolation() throws Exception {
    Path png = dir.resolve("shot.png");
    Browser run = browse(page.toUri() + "#severity=high", "--screenshot=" + png, "--window-size=1200,900");
    assertThat(run.log()).as("chromium log").doesNotContain("Content Security Policy");
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("a PNG at " + png).isNotNull();
    assertThat(image.getWidth()).isEqualTo(1200);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        colours.add(image.getRGB(x, y) & 0xffffff);
      }
    }
    assertThat(colours).as("distinct colours in the screenshot").hasSizeGreaterThan(20);
    // the style sheet applied: the header band has its colour
    assertThat(image.getRGB(5, 5) & 0xffffff).as("header colour").isEqualTo(BAND);
  }

  /** The check above would see a page whose style the CSP blocked: the same page, one colour changed. */
  @Test
  void aStyleTheCspDoesNotAllowIsBlockedAndLogged() throws Exception {
    Path tampered = dir.resolve("tampered.html");
    Files.writeString(tampered, Files.readString(page).replace("--band: #1f2d3d", "--band: #1f2d3e"));
    Browser run = browse(tampered.toUri().toString(), "--dump-dom");
    assertThat(run.log()).contains("violates the following Content Security Policy directive 'style-src");
  }

  @Test
  void aFilterInTheFragmentHidesEveryOtherFindingOnceTheScriptRan() throws Exception {
    Browser run = browse(page.toUri() + "#severity=high&namespace=shop", "--dump-dom");
    assertThat(run.log()).doesNotContain("Content Security Policy");
    List<String> rows = rows(run.out());
    // what should match, from the JSON report of the same scan
    int active = 0;
    int expected = 0;
    for (JsonNode f : json.get("findings")) {
      if (f.get("status").asText().equals("suppressed")) {
        continue;
      }
      active++;
      if (f.get("severity").asText().equals("high") && f.get("object").get("namespace").asText().equals("shop")) {
        expected++;
      }
    }
    assertThat(expected).isPositive().isLessThan(active);
    assertThat(rows).hasSize(active);
    List<String> shown = rows.stream().filter(r -> !r.contains(" hidden")).toList();
    assertThat(shown).hasSize(expected)
        .allMatch(r -> r.contains("data-severity=\"high\"") && r.contains("data-namespace=\"shop\""));
    assertThat(run.out()).contains("Showing " + expected + " of " + active + " findings")
        // the script showed the filters and selected what the fragment says
        .contains("<div class=\"filters\" id=\"filters\">")
        // the pod named like a script is text, and the page's own script is the only one
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(run.out().split("<script", -1)).hasSize(2);
  }

  @Test
  void aFilterNoFindingMatchesShowsNone() throws Exception {
    Browser run = browse(page.toUri() + "#rule=no.such-rule", "--dump-dom");
    assertThat(run.out()).contains("Showing 0 of").contains("<p id=\"none-shown\">No finding matches the filters.</p>")
        .doesNotContainPattern("<tr data-layer=\"[^\"]*\" data-severity=\"[^\"]*\" data-namespace=\"[^\"]*\" "
            + "data-rule=\"[^\"]*\">");
  }

  /**
   * A report with more findings than the page shows at once (500): the rows are all in the page,
   * the script shows the first 500 and says how many there are, and {@code #show=N} (what the
   * "Show more" button writes; headless chromium cannot click) shows more.
   */
  @Test
  void aReportWithMoreFindingsThanOnePageShowsThePageAndCountsThemAll() throws Exception {
    StringBuilder pods = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      pods.append("---\napiVersion: v1\nkind: Pod\nmetadata: {name: p").append(i).append(", namespace: ns")
          .append(i % 2).append("}\nspec:\n  containers:\n  - name: a\n    image: nginx\n"
              + "    securityContext: {privileged: true}\n");
    }
    Path manifests = dir.resolve("many.yaml");
    Files.writeString(manifests, pods);
    Path big = dir.resolve("big.html");
    Path bigJson = dir.resolve("big.json");
    CliRun run = CliRun.in(dir, "scan", manifests.toString(), "-f", "html", "-o", big.toString(), "-f", "json",
        "-o", bigJson.toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    int active = 0;
    int inNs1 = 0;
    for (JsonNode f : new ObjectMapper().readTree(bigJson.toFile()).get("findings")) {
      if (!f.get("status").asText().equals("suppressed")) {
        active++;
        inNs1 += f.get("object").get("namespace").asText().equals("ns1") ? 1 : 0;
      }
    }
    assertThat(active).isGreaterThan(1500);
    assertThat(inNs1).isGreaterThan(10).isLessThan(active);
    // without script every finding is in the page, none hidden
    assertThat(rows(Files.readString(big))).hasSize(active).noneMatch(r -> r.contains(" hidden"));

    Browser first = browse(big.toUri().toString(), "--dump-dom");
    assertThat(first.log()).doesNotContain("Content Security Policy");
    List<String> rows = rows(first.out());
    assertThat(rows).hasSize(active);
    assertThat(rows.subList(0, 500)).noneMatch(r -> r.contains(" hidden"));
    assertThat(rows.subList(500, active)).allMatch(r -> r.contains(" hidden"));
    assertThat(first.out()).contains("Showing 500 of " + active + " findings</p>")
        .contains("<button type=\"button\" class=\"more\" id=\"show-more\">Show 500 more</button>")
        // the style sheet's first-page rule is off once the script ran
        .doesNotContain("class=\"paging\"");

    Browser more = browse(big.toUri() + "#show=1000", "--dump-dom");
    assertThat(rows(more.out()).stream().filter(r -> !r.contains(" hidden"))).hasSize(1000);
    assertThat(more.out()).contains("Showing 1000 of " + active + " findings</p>")
        .contains("id=\"show-more\">Show " + Math.min(500, active - 1000) + " more</button>");

    Browser all = browse(big.toUri() + "#show=" + active, "--dump-dom");
    assertThat(rows(all.out())).noneMatch(r -> r.contains(" hidden"));
    assertThat(all.out()).contains(">" + active + " findings</p>").contains("id=\"show-more\" hidden=\"\">");

    Browser filtered = browse(big.toUri() + "#namespace=ns1&show=3", "--dump-dom");
    assertThat(rows(filtered.out()).stream().filter(r -> !r.contains(" hidden")))
        .hasSize(3).allMatch(r -> r.contains("data-namespace=\"ns1\""));
    assertThat(filtered.out()).contains("Showing 3 of " + inNs1 + " matching (" + active + " findings)</p>");
  }

  private static List<String> rows(String html) {
    List<String> rows = new ArrayList<>();
    Matcher tr = Pattern.compile("<tr data-layer=[^>]*>").matcher(html);
    while (tr.find()) {
      rows.add(tr.group());
    }
    return rows;
  }

  private record Browser(String out, String log) {}

  private Browser browse(String url, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--user-data-dir=" + dir.resolve("profile"),
        "--enable-logging=stderr", "--v=0"));
    command.addAll(List.of(args));
    command.add(url);
    Path out = dir.resolve("out.txt");
    Path log = dir.resolve("log.txt");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 3 minutes: " + command);
    }
    String stderr = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("chromium exit code; its log:\n" + stderr).isZero();
    return new Browser(Files.readString(out, StandardCharsets.UTF_8), stderr);
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(File.pathSeparator)) {
      Path candidate = Path.of(d.isEmpty() ? "." : d, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
