package dev.kapas.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML page as text: self-contained, allowed by its own CSP, escaped. {@link HtmlReportBrowserTest}
 * renders it in a real browser.
 */
class HtmlReportTest {

  @TempDir
  Path dir;

  @Test
  void theCspAllowsExactlyTheInlineStyleAndScriptByTheirHashes() throws Exception {
    String html = render(ReportWritersTest.report());
    Matcher csp = Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">").matcher(html);
    assertThat(csp.find()).isTrue();
    String style = between(html, "<style>", "</style>");
    String script = between(html, "<script>", "</script>");
    assertThat(csp.group(1)).isEqualTo("default-src 'none'; style-src '" + sha256(style) + "'; script-src '"
        + sha256(script) + "'; img-src data:").isEqualTo(HtmlReport.CONTENT_SECURITY_POLICY)
        .doesNotContain("unsafe");
    // the policy comes before what it governs
    assertThat(html.indexOf("Content-Security-Policy")).isLessThan(html.indexOf("<style>"));
    assertThat(html.split("<style", -1)).hasSize(2);
    assertThat(html.split("<script", -1)).hasSize(2);
  }

  /**
   * Until the script ran, the style sheet shows as many rows as the script's page holds (the
   * browser test checks what shows in a browser).
   */
  @Test
  void theStyleSheetsFirstPageIsTheScriptsPage() throws IOException {
    String html = render(ReportWritersTest.report());
    Matcher page = Pattern.compile("var PAGE = (\\d+);").matcher(between(html, "<script>", "</script>"));
    assertThat(page.find()).isTrue();
    assertThat(between(html, "<style>", "</style>"))
        .contains(".paging #findings tbody tr:nth-child(n+" + (Integer.parseInt(page.group(1)) + 1) + ")");
    // the script sets .paging in the browser, the page does not
    assertThat(html.indexOf("<script>")).isLessThan(html.indexOf("<body>"));
    assertThat(html).doesNotContain("class=\"paging\"");
  }

  @Test
  void thePageFetchesNothingAndUsesNothingTheCspWouldBlock() throws IOException {
    String html = render(ReportWritersTest.report());
    // no inline style or event-handler attributes (blocked without 'unsafe-inline'), no external resource
    assertThat(html).doesNotContainPattern("\\sstyle=").doesNotContainPattern("\\son[a-z]+=")
        .doesNotContainPattern("\\ssrc=").doesNotContain("url(").doesNotContain("@import").doesNotContain("<iframe")
        .doesNotContain("<object").doesNotContain("<embed").doesNotContain("<img");
    Matcher href = Pattern.compile("\\shref=\"([^\"]*)\"").matcher(html);
    while (href.find()) {
      assertThat(href.group(1)).startsWith("data:");
    }
    // the only URL is the SVG namespace, an identifier that is never fetched
    assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("://");
  }

  @Test
  void everyActiveFindingIsARowWithWhereWhyAndFix() throws IOException {
    ScanReport report = ReportWritersTest.report();
    String html = render(report);
    long active = report.findings().stream().filter(f -> !f.suppressed()).count();
    assertThat(active).isPositive();
    assertThat(html.split("<tr data-layer=", -1)).hasSize((int) active + 1);
    for (var f : report.findings()) {
      String rule = "data-rule=\"" + f.ruleId() + "\"";
      assertThat(html).contains(HtmlReport.esc(f.object().display()));
      if (!f.suppressed()) {
        assertThat(html).contains(rule).contains(HtmlReport.prose(f.message()))
            .contains(HtmlReport.prose(report.spec(f.ruleId()).remediation()));
      } else {
        assertThat(html).contains(HtmlReport.esc(f.suppression()));
      }
    }
    for (var layer : report.scores().byLayer().entrySet()) {
      assertThat(html).contains("<g data-layer=\"" + layer.getKey().label() + "\">");
    }
  }

  @Test
  void inputTextIsEscapedWhereverItGoes() throws IOException {
    Path manifest = dir.resolve("evil.yaml");
    Files.writeString(manifest, """
        apiVersion: v1
        kind: Pod
        metadata: {name: "<script>alert(1)</script>", namespace: "a\\"b'c&d"}
        spec:
          containers:
          - name: "x<img src=x onerror=alert(2)>\\e[31m"
            image: nginx:1.27
            securityContext: {privileged: true}
        """);
    CliRun run = CliRun.in(dir, "scan", manifest.toString(), "-f", "html", "-o", dir.resolve("r.html").toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    String html = Files.readString(dir.resolve("r.html"));
    assertThat(html).doesNotContain("<script>alert").doesNotContain("<img").doesNotContain("\u001b")
        .contains("Pod/a&quot;b&#39;c&amp;d/&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("data-namespace=\"a&quot;b&#39;c&amp;d\"")
        .contains("<option value=\"a&quot;b&#39;c&amp;d\">")
        .contains("x&lt;img src=x onerror=alert(2)&gt;\\u001B[31m");
  }

  @Test
  void escapesTheFiveHtmlSpecialsAndSpellsOutControls() {
    assertThat(HtmlReport.esc("plain")).isEqualTo("plain");
    assertThat(HtmlReport.esc("<a href='x'>\"&\"</a>")).isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
    assertThat(HtmlReport.esc("a\u202Eb\u0007")).isEqualTo("a\\u202Eb\\u0007");
    assertThat(HtmlReport.prose("set `a<b` to `true`")).isEqualTo("set <code>a&lt;b</code> to <code>true</code>");
  }

  @Test
  void htmlFilesAreRecognisedByTheirExtension() {
    assertThat(ReportFormat.ofFile(Path.of("out/report.html"))).contains(ReportFormat.HTML);
    assertThat(ReportFormat.ofFile(Path.of("REPORT.HTM"))).contains(ReportFormat.HTML);
    assertThat(ReportFormat.parse("html")).contains(ReportFormat.HTML);
    assertThat(ReportFormat.HTML.suits(Path.of("r.json"))).isFalse();
  }

  static String render(ScanReport report) throws IOException {
    StringWriter out = new StringWriter();
    new HtmlReport().write(report, out);
    return out.toString();
  }

  private static String between(String s, String open, String close) {
    int start = s.indexOf(open) + open.length();
    return s.substring(start, s.indexOf(close, start));
  }

  private static String sha256(String text) throws Exception {
    return "sha256-" + Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
