package dev.kapas.cel;

import dev.cel.common.values.NullValue;
import dev.kapas.engine.ObjectRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Namespaces;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.policy.CustomRules;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A custom rule: a ValidatingAdmissionPolicy-style list of CEL validations over each object its
 * {@code match} selects. A false validation is a finding with the rule's message; a validation that
 * fails to evaluate is a finding of status {@code error} on that object.
 */
final class CelRule implements ObjectRule {
  /** A compiled named expression (a variable). */
  record Compiled(CustomRules.Expression source, KubeCel.Program program) {}

  /** A compiled validation; {@code message} is null without a messageExpression. */
  record Check(CustomRules.Validation source, KubeCel.Program expression, KubeCel.Program message) {}

  private final CustomRules.Definition definition;
  private final List<Compiled> variables;
  private final List<Check> checks;

  CelRule(CustomRules.Definition definition, List<Compiled> variables, List<Check> checks) {
    this.definition = definition;
    this.variables = List.copyOf(variables);
    this.checks = List.copyOf(checks);
  }

  @Override
  public RuleSpec spec() {
    return definition.spec();
  }

  @Override
  public boolean appliesTo(KubeObject object) {
    CustomRules.Match m = definition.match();
    Optional<String> namespace = Namespaces.namespaceOf(object);
    return (m.kinds().isEmpty() || m.kinds().contains("*") || m.kinds().contains(object.kind()))
        && (m.apiGroups().isEmpty() || m.apiGroups().contains("*") || m.apiGroups().contains(Admission.group(object)))
        && (m.namespaces().isEmpty() || namespace.isPresent() && m.namespaces().contains(namespace.get()))
        && (namespace.isEmpty() || !m.excludeNamespaces().contains(namespace.get()))
        && m.labels().matches(object.labels());
  }

  @Override
  public void check(KubeObject object, RuleContext ctx) {
    Field at = Field.root(object.root());
    Map<String, Object> vars = new HashMap<>();
    vars.put("object", CelValues.of(object.root()));
    vars.put("oldObject", NullValue.NULL_VALUE);
    vars.put("namespaceObject", Admission.namespaceObject(object, ctx.inventory()));
    vars.put("request", Admission.request(object));
    Optional<Object> params = params(ctx);
    if (params.isEmpty()) {
      CustomRules.ParamsRef ref = definition.paramsFrom().orElseThrow();
      ctx.error(object, at, "its params object " + ref.kind() + " " + (ref.namespace().isEmpty() ? ""
          : ref.namespace() + "/") + ref.name() + " is not among the scanned inputs");
      return;
    }
    vars.put("params", params.get());
    Map<String, Object> values = new LinkedHashMap<>();
    vars.put("variables", values);
    for (Compiled v : variables) {
      try {
        values.put(v.source().name(), v.program().eval(vars));
      } catch (CelEvalError e) {
        // left out: a validation that reads it fails with "no such key", as it would lazily in the API server
      }
    }
    for (Check check : checks) {
      Object result;
      try {
        result = check.expression().eval(vars);
      } catch (CelEvalError e) {
        ctx.error(object, at, "`" + Admission.oneLine(check.source().expression().text()) + "` failed: " + e.getMessage());
        continue;
      }
      if (!(result instanceof Boolean ok)) {
        ctx.error(object, at, "`" + Admission.oneLine(check.source().expression().text()) + "` gave " + result
            + ", not a bool");
      } else if (!ok) {
        ctx.fail(at, message(check, vars) + " (" + object.kind() + " " + object.name() + ")");
      }
    }
  }

  /** The messageExpression's text, else the message, else the failed expression (the API server's fallback). */
  private static String message(Check check, Map<String, Object> vars) {
    if (check.message() != null) {
      try {
        if (check.message().eval(vars) instanceof String s && !s.isBlank()) {
          return Admission.oneLine(s);
        }
      } catch (CelEvalError e) {
        // the API server then falls back to message, as here
      }
    }
    String message = check.source().message();
    return message.isBlank() ? "failed expression: " + Admission.oneLine(check.source().expression().text()) : message;
  }

  private Optional<Object> params(RuleContext ctx) {
    if (definition.paramsFrom().isEmpty()) {
      return Optional.of(CelValues.of(definition.params()));
    }
    CustomRules.ParamsRef ref = definition.paramsFrom().get();
    return ctx.inventory().find(ref.kind(), ref.namespace(), ref.name()).map(o -> CelValues.of(o.root()));
  }

}
