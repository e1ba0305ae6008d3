package dev.kapas.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.cli.CliRun;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** JUnit XML of a real scan, read back with the JDK's XML parser. */
class JunitReportTest {
  private static CliRun run;
  private static Element root;

  @BeforeAll
  static void scan() throws Exception {
    run = CliRun.scanFixtures("--format", "junit");
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc = factory.newDocumentBuilder()
        .parse(new ByteArrayInputStream(run.out().getBytes(StandardCharsets.UTF_8)));
    root = doc.getDocumentElement();
  }

  @Test
  void rootCountsEveryTestcase() {
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(root.getTagName()).isEqualTo("testsuites");
    assertThat(root.getAttribute("tests")).isEqualTo("5");
    assertThat(root.getAttribute("failures")).isEqualTo("1");
    assertThat(root.getAttribute("skipped")).isEqualTo("2");
    assertThat(root.getAttribute("errors")).isEqualTo("1");
  }

  @Test
  void oneSuitePerLayerWithItsScore() {
    Element cluster = suite("cluster");
    assertThat(cluster.getAttribute("tests")).isEqualTo("4");
    assertThat(cluster.getAttribute("failures")).isEqualTo("1");
    assertThat(cluster.getAttribute("skipped")).isEqualTo("2");
    Element property = (Element) cluster.getElementsByTagName("property").item(0);
    assertThat(property.getAttribute("name")).isEqualTo("score");
    assertThat(property.getAttribute("value")).isEqualTo("66.7");
  }

  @Test
  void everyEvaluatedObjectIsATestcaseOfTheRule() {
    List<String> names = new ArrayList<>();
    NodeList cases = suite("cluster").getElementsByTagName("testcase");
    for (int i = 0; i < cases.getLength(); i++) {
      Element c = (Element) cases.item(i);
      assertThat(c.getAttribute("classname")).isEqualTo("cluster.privileged-container");
      assertThat(c.getAttribute("file")).isEqualTo(CliRun.WORKLOADS);
      names.add(c.getAttribute("name"));
    }
    String in = " (" + CliRun.WORKLOADS + ")";
    // the BEL in the last object's name cannot be in XML 1.0, so it is spelled out
    assertThat(names).containsExactly("Deployment/shop/web" + in, "Pod/shop/debug" + in,
        "DaemonSet/kube-system/calico-node" + in, "Pod/shop/safe\\u0007bell" + in);
    Element passed = testcase("Pod/shop/safe");
    assertThat(passed.getChildNodes().getLength()).as("a passed testcase is empty").isZero();
  }

  @Test
  void failureCarriesMessageFileLineAndFix() {
    Element failure = child(testcase("Deployment/shop/web"), "failure");
    assertThat(failure.getAttribute("message")).isEqualTo("container `app` sets `privileged: true`");
    assertThat(failure.getAttribute("type")).isEqualTo("critical");
    assertThat(failure.getTextContent())
        .contains("at " + CliRun.WORKLOADS + ":18:11 (spec.template.spec.containers[0].securityContext.privileged)")
        .contains("fix: Remove `securityContext.privileged: true`");
    assertThat(testcase("Deployment/shop/web").getAttribute("line")).isEqualTo("18");
  }

  @Test
  void suppressedAreSkippedWithTheReason() {
    assertThat(child(testcase("Pod/shop/debug"), "skipped").getAttribute("message"))
        .isEqualTo("suppressed: annotation kapas.dev/ignore: break-glass pod <for> \"incident\" & review");
    assertThat(child(testcase("DaemonSet/kube-system/calico-node"), "skipped").getAttribute("message"))
        .isEqualTo("suppressed: exception in " + CliRun.CONFIG + ":2: the CNI needs host networking privileges");
  }

  @Test
  void inputErrorsAreErrors() {
    Element inputs = suite("inputs");
    assertThat(inputs.getAttribute("errors")).isEqualTo("1");
    Element error = child((Element) inputs.getElementsByTagName("testcase").item(0), "error");
    assertThat(error.getAttribute("type")).isEqualTo("input-error");
    assertThat(error.getTextContent()).startsWith(CliRun.BROKEN + ":6:1: invalid YAML");
  }

  @Test
  void controlCharactersAndLoneSurrogatesAreSpelledOut() {
    assertThat(JunitReport.clean("a\u0000b\u001bc\td\ne\uD800f\uD83D\uDE00"))
        .isEqualTo("a\\u0000b\\u001Bc\td\ne\\uD800f\uD83D\uDE00");
  }

  private static Element suite(String name) {
    return first("testsuite", e -> e.getAttribute("name").equals(name));
  }

  private static Element testcase(String namePrefix) {
    return first("testcase", e -> e.getAttribute("name").startsWith(namePrefix));
  }

  private static Element first(String tag, Predicate<Element> test) {
    NodeList list = root.getElementsByTagName(tag);
    for (int i = 0; i < list.getLength(); i++) {
      if (test.test((Element) list.item(i))) {
        return (Element) list.item(i);
      }
    }
    throw new AssertionError("no matching <" + tag + ">");
  }

  private static Element child(Element parent, String tag) {
    NodeList list = parent.getElementsByTagName(tag);
    assertThat(list.getLength()).as("<%s> in %s", tag, parent.getAttribute("name")).isEqualTo(1);
    return (Element) list.item(0);
  }
}
