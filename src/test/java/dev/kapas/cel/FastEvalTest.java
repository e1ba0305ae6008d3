package dev.kapas.cel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.Node;
import dev.kapas.policy.CustomRules;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast path of {@link KubeCel.Program#eval} ({@link FastEval}) against cel-java's interpreter
 * alone, on a real Deployment read from YAML. CelConformanceTest runs every Kubernetes vector
 * through both as well.
 */
class FastEvalTest {
  private static final KubeCel ENV = KubeCel.withVariables(CelRules.VARIABLES);

  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: prod
        labels: {app: web, owner: team-a, x-y: dashed}
      spec:
        replicas: 3
        template:
          spec:
            containers:
            - name: app
              image: registry.example.com/team/app:1.2
              resources: {limits: {memory: 512Mi, cpu: "1.5"}}
            - name: side
              image: busybox
            volumes:
            - name: logs
              hostPath: {path: /var/log/app}
      """;

  private static Map<String, Object> vars() {
    Map<String, Object> vars = new HashMap<>();
    vars.put("object", CelValues.of(yaml(DEPLOYMENT)));
    vars.put("params", CelValues.ofPlain(Map.of("registries", List.of("registry.example.com/", "ghcr.io/"),
        "max", 4, "ratio", 0.5)));
    vars.put("variables", Map.of("spec", ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) vars.get("object")).get("spec"))
        .get("template")).get("spec")));
    return vars;
  }

  /** The one document of {@code text}, read as kapas reads manifests (with lines). */
  static Node yaml(String text) {
    Node[] root = new Node[1];
    new YamlTreeReader(YamlTreeReader.Limits.DEFAULT).read(new ByteArrayInputStream(
        text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8, new YamlTreeReader.Sink() {
          @Override
          public void document(int index, Node node) {
            root[0] = node;
          }

          @Override
          public void error(int line, int column, String message) {
            throw new AssertionError(message);
          }
        });
    return root[0];
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "object.spec.template.spec.containers.all(c, params.registries.exists(r, c.image.startsWith(r)))",
      "object.spec.template.spec.containers.map(c, c.image).filter(i, !i.contains('/')).join(', ')",
      "object.spec.template.spec.containers.exists_one(c, has(c.resources))",
      "object.spec.template.spec.containers.map(c, c.image.split('/').reverse()[0])",
      "'a//b/'.split('/')",
      "object.spec.?replicas.orValue(1) >= 2 && object.spec.replicas * 2 - 1 == 5",
      "object.spec.?strategy.?type.orValue('none') + '/' + string(object.spec.replicas)",
      "object.spec.template.spec.?volumes.orValue([]).all(v, !has(v.hostPath) || v.hostPath.path.startsWith('/var/log/'))",
      "'owner' in object.metadata.labels && !('team' in object.metadata.labels) && object.metadata.labels.size() == 3",
      "object.metadata.labels.x__dash__y == 'dashed' && object.metadata.labels['x-y'] == 'dashed'",
      "[1, 2, 3] == [1, 2, 3] && params.max == 4.0 && 3 > 2.5 && 7 / 2 == 3 && 7 % 2 == 1 && -params.max < 0",
      "params.ratio * 2.0 == 1.0 && size('héllo') == 5 && {'a': 1}.a == 1 && 2 in [1, 2]",
      "object.metadata.labels.map(k, k + '=' + object.metadata.labels[k]).join(',')",
      "quantity(string(object.spec.template.spec.containers[0].resources.limits.memory)).isLessThan(quantity('1Gi'))",
      "variables.spec.containers.size() == 2 ? 'two' : 'other'",
      // map and filter, which the fast path builds in one list (nested: the inner one only)
      "object.spec.template.spec.containers.map(c, has(c.resources), c.name)",
      "object.metadata.labels.filter(k, k.startsWith('o')) + [].map(x, x) + [].filter(x, true)",
      "object.spec.template.spec.containers.map(c, [c.name].map(n, n + '!')).map(l, l.filter(n, n.size() > 4))",
      "object.spec.template.spec.containers.map(c, c.resources.limits.memory)", // fails on the second container
      "[1, 2, 3].filter(x, x / (x - 2) > 0)", // fails at the second element
      // these fail, or leave the modelled subset: the fast path must give up, and cel-java answer
      "object.spec.template.spec.containers.all(c, c.resources.limits.memory != '')",
      "object.spec.replicas / 0 == 1",
      "9223372036854775807 + object.spec.replicas > 0",
      "[1, 2][5] == 1 || true",
      "object.spec.template.spec.containers[0].image == 1",
      "object.metadata.name < 'z'",
      "object.spec.?template.spec.containers.orValue([]).size()",
      // a library call on constants that fails is not made at compile time: each evaluation fails
      "quantity('12x').isLessThan(quantity('1Gi'))",
      "quantity(string(object.spec.replicas)).isLessThan(quantity('1Gi')) && quantity('1Gi').isInteger()",
  })
  void agreesWithCelJava(String expression) throws Exception {
    KubeCel.Program program = ENV.compile(expression);
    Map<String, Object> vars = vars();
    Object fast = outcome(() -> program.eval(vars));
    Object slow = outcome(() -> program.evalCelJava(vars));
    if (fast instanceof CelEvalError f && slow instanceof CelEvalError s) {
      assertThat(f.getMessage()).isEqualTo(s.getMessage());
    } else {
      assertThat(fast).as(expression).isEqualTo(slow);
    }
  }

  @Test
  void theFastPathAnswersWhatItModelsAndGivesUpOnErrors() throws Exception {
    Map<String, Object> vars = vars();
    KubeCel.Program images = ENV.compile("object.spec.template.spec.containers.map(c, c.image)");
    assertThat(images.fast()).isTrue();
    assertThat(images.eval(vars)).isEqualTo(List.of("registry.example.com/team/app:1.2", "busybox"));
    KubeCel.Program missing = ENV.compile("object.spec.template.spec.containers.all(c, c.resources.limits.memory != '')");
    assertThat(missing.fast()).isTrue();
    assertThat(outcome(() -> missing.eval(vars))).isInstanceOf(CelEvalError.class);
    assertThat(((CelEvalError) outcome(() -> missing.eval(vars))).getMessage()).contains("resources");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "!quantity(string(object.spec.template.spec.containers[0].resources.limits.memory)).isLessThan(quantity('64Mi'))",
      "'runs ' + string(object.spec.?replicas.orValue(1)) + ' in ' + object.metadata.namespace",
      "object.spec.template.spec.containers.all(c, c.image.contains('@') || c.image.split('/').reverse()[0].contains(':'))",
      "params.registries.all(l, l in object.metadata.?labels.orValue({}))",
      "object.spec.template.spec.containers.map(c, has(c.resources), c.name)",
      "object.metadata.labels.filter(k, k.startsWith('o')) + [].map(x, x) + [].filter(x, true)",
      "object.spec.template.spec.containers.map(c, [c.name].map(n, n + '!')).map(l, l.filter(n, n.size() > 4))",
  })
  void theFastPathAnswersWithoutHandingOver(String expression) throws Exception {
    KubeCel.Program program = ENV.compile(expression);
    Map<String, Object> vars = vars();
    assertThat(program.evalFast(vars)).isEqualTo(program.evalCelJava(vars));
  }

  @Test
  void everyExamplePolicyTakesTheFastPath() throws Exception {
    List<String> slow = new ArrayList<>();
    for (CustomRules.Definition d : CustomRules.readDir(Path.of("examples/policies"))) {
      List<CustomRules.Expression> exprs = new ArrayList<>();
      d.variables().forEach(exprs::add);
      d.validations().forEach(v -> {
        exprs.add(v.expression());
        v.messageExpression().ifPresent(exprs::add);
      });
      for (CustomRules.Expression e : exprs) {
        if (!ENV.compile(e.text()).fast()) {
          slow.add(d.spec().id() + ": " + e.text());
        }
      }
    }
    assertThat(slow).isEmpty();
  }

  private interface Eval {
    Object run() throws CelEvalError;
  }

  private static Object outcome(Eval eval) {
    try {
      return Optional.ofNullable(eval.run()).orElseThrow();
    } catch (CelEvalError e) {
      return e;
    }
  }
}
