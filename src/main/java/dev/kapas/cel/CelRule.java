package dev.kapas.cel;

import dev.cel.common.values.NullValue;
import dev.kapas.engine.ObjectRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Namespaces;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.policy.CustomRules;
import dev.kapas.inventory.Inventory;
import java.util.AbstractMap;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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

  /** A rule's compiled variables and validations. */
  record Parts(List<Compiled> variables, List<Check> checks) {}

  /**
   * The CEL values of the object this thread checks now. The engine runs every rule on one object
   * before the next, so the rules share them: the object is converted field by field as
   * expressions read it, once for all rules, and its namespace looked up once.
   */
  private static final ThreadLocal<Bindings> CURRENT = new ThreadLocal<>();

  private static final class Bindings {
    final KubeObject object;
    final Inventory inventory;
    final Object value;
    /** Made when an expression first reads them: few rules do. */
    private Object namespaceObject;
    private Object request;

    Bindings(KubeObject object, Inventory inventory) {
      this.object = object;
      this.inventory = inventory;
      this.value = CelValues.of(object.root());
    }

    Object namespaceObject() {
      if (namespaceObject == null) {
        namespaceObject = Admission.namespaceObject(object, inventory);
      }
      return namespaceObject;
    }

    Object request() {
      if (request == null) {
        request = Admission.request(object);
      }
      return request;
    }

    static Bindings of(KubeObject object, Inventory inventory) {
      Bindings b = CURRENT.get();
      if (b == null || b.object != object || b.inventory != inventory) {
        b = new Bindings(object, inventory);
        CURRENT.set(b);
      }
      return b;
    }
  }

  private final CustomRules.Definition definition;
  /** All rules' parts, compiled on another thread ({@link CelRules#compile}); this rule's at {@code index}. */
  private final CompletableFuture<List<Parts>> compiled;
  private final int index;
  private volatile Parts parts;
  /** The inline params, converted once for all objects and threads. */
  private final Object params;

  CustomRules.Definition definition() {
    return definition;
  }

  CelRule(CustomRules.Definition definition, CompletableFuture<List<Parts>> compiled, int index) {
    this.definition = definition;
    this.compiled = compiled;
    this.index = index;
    this.params = CelValues.frozen(definition.params());
  }

  /** The compiled parts, once the compiling thread is done; fails as it failed. */
  Parts parts() {
    Parts p = parts;
    if (p == null) {
      p = compiled.join().get(index);
      parts = p;
    }
    return p;
  }

  @Override
  public RuleSpec spec() {
    return definition.spec();
  }

  @Override
  public boolean appliesTo(KubeObject object) {
    CustomRules.Match m = definition.match();
    if (!(m.kinds().isEmpty() || m.kinds().contains("*") || m.kinds().contains(object.kind()))
        || !(m.apiGroups().isEmpty() || m.apiGroups().contains("*") || m.apiGroups().contains(Admission.group(object)))) {
      return false;
    }
    // the namespace and the labels only when the match names them: this runs for every rule and object
    if (!m.namespaces().isEmpty() || !m.excludeNamespaces().isEmpty()) {
      Optional<String> namespace = Namespaces.namespaceOf(object);
      if (!(m.namespaces().isEmpty() || namespace.isPresent() && m.namespaces().contains(namespace.get()))
          || namespace.isPresent() && m.excludeNamespaces().contains(namespace.get())) {
        return false;
      }
    }
    return m.labels().selectsEverything() || m.labels().matches(object.labels());
  }

  @Override
  public void check(KubeObject object, RuleContext ctx) {
    Field at = Field.root(object.root());
    Optional<Object> params = params(ctx);
    if (params.isEmpty()) {
      CustomRules.ParamsRef ref = definition.paramsFrom().orElseThrow();
      ctx.error(object, at, "its params object " + ref.kind() + " " + (ref.namespace().isEmpty() ? ""
          : ref.namespace() + "/") + ref.name() + " is not among the scanned inputs");
      return;
    }
    Parts compiled = parts();
    Activation vars = new Activation(Bindings.of(object, ctx.inventory()), params.get());
    vars.variables = new LazyVariables(compiled.variables(), vars);
    for (Check check : compiled.checks()) {
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

  /**
   * The variables of one rule's evaluation on one object, by name: the object's values, shared by
   * every rule ({@link Bindings}), and the rule's params and variables. A map of its own rather than
   * a hash map filled for every rule and object: expressions only look names up.
   */
  private static final class Activation extends NamedValues {
    private static final List<String> NAMES = List.of("object", "oldObject", "namespaceObject", "request", "params",
        "variables");
    private final Bindings bound;
    private final Object params;
    private Object variables;

    Activation(Bindings bound, Object params) {
      this.bound = bound;
      this.params = params;
    }

    @Override
    public Object get(Object key) {
      if (!(key instanceof String name)) {
        return null;
      }
      return switch (name) {
        case "object" -> bound.value;
        case "oldObject" -> NullValue.NULL_VALUE;
        case "namespaceObject" -> bound.namespaceObject();
        case "request" -> bound.request();
        case "params" -> params;
        case "variables" -> variables;
        default -> null;
      };
    }

    @Override
    List<String> names() {
      return NAMES;
    }
  }

  /** Variables by name, as a map expressions look names up in; a name without a value is absent. */
  private abstract static class NamedValues extends AbstractMap<String, Object> {
    /** The names there may be a value for, in order. */
    abstract List<String> names();

    @Override
    public boolean containsKey(Object key) {
      return get(key) != null;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      Map<String, Object> out = new LinkedHashMap<>();
      for (String name : names()) {
        Object v = get(name);
        if (v != null) {
          out.put(name, v);
        }
      }
      return out.entrySet();
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

  /**
   * {@code variables}: each evaluated when an expression first reads it, once per object, as in the
   * API server. One that fails to evaluate is absent, so an expression reading it fails with "no
   * such key".
   */
  private static final class LazyVariables extends NamedValues {
    private static final Object FAILED = new Object();
    private final List<Compiled> variables;
    private final Map<String, Object> vars;
    private final Object[] values;

    LazyVariables(List<Compiled> variables, Map<String, Object> vars) {
      this.variables = variables;
      this.vars = vars;
      this.values = new Object[variables.size()];
    }

    private Object value(int i) {
      if (values[i] == null) {
        values[i] = FAILED; // while it evaluates: a variable reading itself finds no value
        try {
          values[i] = variables.get(i).program().eval(vars);
        } catch (CelEvalError e) {
          values[i] = FAILED;
        }
      }
      return values[i] == FAILED ? null : values[i];
    }

    @Override
    public Object get(Object key) {
      for (int i = 0; i < values.length; i++) {
        if (variables.get(i).source().name().equals(key)) {
          return value(i);
        }
      }
      return null;
    }

    @Override
    List<String> names() {
      return variables.stream().map(v -> v.source().name()).toList();
    }
  }

  private Optional<Object> params(RuleContext ctx) {
    if (definition.paramsFrom().isEmpty()) {
      return Optional.of(params);
    }
    CustomRules.ParamsRef ref = definition.paramsFrom().get();
    return ctx.inventory().find(ref.kind(), ref.namespace(), ref.name()).map(o -> CelValues.of(o.root()));
  }

}
