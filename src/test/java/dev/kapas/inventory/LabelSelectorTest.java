package dev.kapas.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kapas.model.Node;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {

  /** The selector written at {@code spec.selector} of a throwaway object. */
  private static LabelSelector selector(String yaml) {
    String doc = "apiVersion: v1\nkind: Thing\nmetadata: {name: t}\nspec:\n  selector: " + yaml + "\n";
    Node node = Manifests.read(doc).get(0).root().path("spec", "selector");
    return LabelSelector.of(node);
  }

  /** {@code "a=1,b=2"} as a label map; {@code "-"} for none. */
  private static Map<String, String> labels(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!text.equals("-")) {
      Arrays.stream(text.split(";")).map(kv -> kv.split("=", 2)).forEach(kv -> out.put(kv[0], kv[1]));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} on {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      {}                                                             | -                  | true
      {}                                                             | app=web            | true
      {matchLabels: {}}                                              | app=web            | true
      {matchLabels: {app: web}}                                      | app=web;tier=fe    | true
      {matchLabels: {app: web}}                                      | app=api            | false
      {matchLabels: {app: web}}                                      | -                  | false
      {matchLabels: {app: web, tier: fe}}                            | app=web            | false
      {matchLabels: {app: web, tier: fe}}                            | app=web;tier=fe    | true
      {matchLabels: {app: ""}}                                       | app=               | true
      {matchExpressions: [{key: app, operator: In, values: [a, b]}]} | app=b              | true
      {matchExpressions: [{key: app, operator: In, values: [a, b]}]} | app=c              | false
      {matchExpressions: [{key: app, operator: In, values: [a, b]}]} | -                  | false
      {matchExpressions: [{key: app, operator: NotIn, values: [a]}]} | app=b              | true
      {matchExpressions: [{key: app, operator: NotIn, values: [a]}]} | app=a              | false
      {matchExpressions: [{key: app, operator: NotIn, values: [a]}]} | -                  | true
      {matchExpressions: [{key: app, operator: Exists}]}             | app=               | true
      {matchExpressions: [{key: app, operator: Exists}]}             | tier=x             | false
      {matchExpressions: [{key: app, operator: DoesNotExist}]}       | tier=x             | true
      {matchExpressions: [{key: app, operator: DoesNotExist}]}       | app=x              | false
      {matchLabels: {app: web}, matchExpressions: [{key: tier, operator: Exists}]} | app=web | false
      {matchLabels: {app: web}, matchExpressions: [{key: tier, operator: Exists}]} | app=web;tier=x | true
      {matchExpressions: []}                                         | app=x              | true
      {matchExpressions: [{key: app.kubernetes.io/name, operator: In, values: ["", web]}]} | app.kubernetes.io/name= | true
      {matchLabels: {example.com/App_x.y: A-1}}                      | example.com/App_x.y=A-1 | true
      """)
  void matchesAsTheApiServerDoes(String selector, String labels, boolean expected) {
    assertThat(selector(selector).matches(labels(labels))).isEqualTo(expected);
  }

  @Test
  void absentOrNullSelectsNothing() {
    String doc = "apiVersion: v1\nkind: Thing\nmetadata: {name: t}\nspec:\n  nullSelector: null\n";
    Node spec = Manifests.read(doc).get(0).root().get("spec");
    for (Node n : new Node[] {spec.get("selector"), spec.get("nullSelector")}) {
      LabelSelector s = LabelSelector.of(n);
      assertThat(s.selectsNothing()).isTrue();
      assertThat(s.matches(Map.of())).isFalse();
      assertThat(s.problem()).isEmpty();
    }
    assertThat(selector("{}").selectsEverything()).isTrue();
    assertThat(selector("{matchLabels: {a: b}}").selectsEverything()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {matchExpressions: [{key: app, operator: Equals, values: [a]}]} | unknown operator `Equals`
      {matchExpressions: [{key: app, operator: In}]}                  | needs values
      {matchExpressions: [{key: app, operator: In, values: []}]}      | needs values
      {matchExpressions: [{key: app, operator: Exists, values: [a]}]} | takes no values
      {matchExpressions: [{operator: Exists}]}                        | no key
      [app]                                                           | must be a map
      {matchLabels: [app]}                                            | matchLabels must be a map
      {matchExpressions: [{key: "bad key", operator: Exists}]}       | `bad key` is not a label key
      {matchExpressions: [{key: Example.COM/app, operator: DoesNotExist}]} | `Example.COM/app` is not a label key
      {matchExpressions: [{key: a/b/c, operator: NotIn, values: [a]}]} | `a/b/c` is not a label key
      {matchExpressions: [{key: /app, operator: Exists}]}            | `/app` is not a label key
      {matchLabels: {-app: web}}                                      | `-app` is not a label key
      {matchLabels: {app: -web}}                                      | `-web` is not a label value
      {matchExpressions: [{key: app, operator: NotIn, values: [a, web_]}]} | `web_` is not a label value
      {matchExpressions: [{key: app, operator: In, values: [xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx]}]} | is not a label value
      """)
  void invalidSelectorsSelectNothingAndSayWhy(String selector, String problem) {
    LabelSelector s = selector(selector);
    assertThat(s.selectsNothing()).isTrue();
    assertThat(s.matches(Map.of("app", "a"))).isFalse();
    assertThat(s.matches(Map.of())).isFalse();
    assertThat(s.problem()).hasValueSatisfying(p -> assertThat(p).contains(problem));
  }

  @ParameterizedTest(name = "{0} on {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      ''                          | app=web         | true
      app=web                     | app=web         | true
      app==web                    | app=web         | true
      app=web                     | app=api         | false
      app!=web                    | app=api         | true
      app!=web                    | -               | true
      app!=web                    | app=web         | false
      'env in (prod, stage)'      | env=stage       | true
      'env in (prod, stage)'      | env=dev         | false
      'env notin (prod)'          | env=dev         | true
      'env notin (prod)'          | -               | true
      tier                        | tier=x          | true
      tier                        | -               | false
      !tier                       | -               | true
      !tier                       | tier=x          | false
      'app=web, env in (a,b), !x' | app=web;env=a   | true
      'app=web, env in (a,b), !x' | app=web;env=a;x=1 | false
      data-classification=restricted | data-classification=restricted | true
      'app in (web,)'             | app=            | true
      'app in (web,)'             | app=web         | true
      'app in (,web)'             | app=            | true
      'app in ()'                 | app=            | true
      'app notin (web,)'          | app=            | false
      app=                        | app=            | true
      'app in (in,notin)'         | app=notin       | true
      in=notin                    | in=notin        | true
      '!in'                       | in=x            | false
      """)
  void parsesKubectlSyntax(String text, String labels, boolean expected) {
    assertThat(LabelSelector.parse(text).matches(labels(labels))).isEqualTo(expected);
  }

  /** What the API server's parser refuses (400 on a list): the syntax, keys and values it checks. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      app=web,,x
      =web
      a b
      app=web,
      app IN (web)
      app in (a b)
      app in (web
      app=web x
      !app=web
      app=-bad
      app in (web,bad_)
      Example.COM/app
      a/b/c
      app>1
      """)
  void refusesTextThatIsNoSelector(String text) {
    assertThatThrownBy(() -> LabelSelector.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text);
  }

  @Test
  void printsInKubectlSyntax() {
    assertThat(selector("{matchLabels: {app: web}, matchExpressions: [{key: env, operator: NotIn, values: [b, a]}]}"))
        .hasToString("app=web,env notin (a,b)");
    assertThat(selector("{}")).hasToString("{}");
    assertThat(LabelSelector.NOTHING).hasToString("<none>");
  }

  @Test
  void offersARequirementForIndexing() {
    assertThat(selector("{matchLabels: {app: web}}").indexable()).hasValueSatisfying(r -> assertThat(r).hasToString("app=web"));
    assertThat(selector("{matchExpressions: [{key: app, operator: In, values: [a, b]}]}").indexable())
        .hasValueSatisfying(r -> assertThat(r).hasToString("app in (a,b)"));
    assertThat(selector("{matchExpressions: [{key: x, operator: NotIn, values: [a]}, {key: app, operator: Exists}]}")
        .indexable()).hasValueSatisfying(r -> assertThat(r).hasToString("app"));
    assertThat(selector("{matchExpressions: [{key: app, operator: DoesNotExist}]}").indexable()).isEmpty();
    assertThat(selector("{}").indexable()).isEmpty();
    assertThat(LabelSelector.NOTHING.indexable()).isEmpty();
  }
}
