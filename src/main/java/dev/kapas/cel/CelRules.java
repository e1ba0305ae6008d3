package dev.kapas.cel;

import dev.kapas.engine.Rule;
import dev.kapas.policy.ConfigException;
import dev.kapas.policy.CustomRules;
import java.util.ArrayList;
import java.util.List;

/** Compiles the user's custom rules into rules the engine runs. */
public final class CelRules {
  /** The variables of a ValidatingAdmissionPolicy, which custom rules share so they can move between the two. */
  public static final List<String> VARIABLES = List.of("object", "oldObject", "namespaceObject", "params", "request",
      "variables");

  private CelRules() {}

  /**
   * One rule per definition. A definition whose expressions do not compile is a {@link
   * ConfigException} naming its file, the expression's line and cel-java's message. cel-java is
   * loaded here, and only when there is a definition.
   */
  public static List<Rule> compile(List<CustomRules.Definition> definitions) throws ConfigException {
    if (definitions.isEmpty()) {
      return List.of();
    }
    KubeCel env = KubeCel.withVariables(VARIABLES);
    List<Rule> rules = new ArrayList<>();
    for (CustomRules.Definition d : definitions) {
      List<CelRule.Compiled> variables = new ArrayList<>();
      for (CustomRules.Expression v : d.variables()) {
        variables.add(new CelRule.Compiled(v, compile(env, d, v, "variable " + v.name())));
      }
      List<CelRule.Check> checks = new ArrayList<>();
      for (CustomRules.Validation v : d.validations()) {
        KubeCel.Program expression = compile(env, d, v.expression(), "validation");
        requireType(d, v.expression(), expression, "bool");
        KubeCel.Program message = null;
        if (v.messageExpression().isPresent()) {
          message = compile(env, d, v.messageExpression().get(), "messageExpression");
          requireType(d, v.messageExpression().get(), message, "string");
        }
        checks.add(new CelRule.Check(v, expression, message));
      }
      rules.add(new CelRule(d, variables, checks));
    }
    return rules;
  }

  /** Compiles one expression, naming the rule, its file and the expression's line when it fails. */
  static KubeCel.Program compile(KubeCel env, CustomRules.Definition d, CustomRules.Expression e, String what)
      throws ConfigException {
    KubeCel.Program program;
    try {
      program = env.compile(e.text());
    } catch (CelCompileError err) {
      // a block scalar's trailing newline puts "unexpected end" one line past the text
      int lines = (int) e.text().stripTrailing().lines().count();
      throw new ConfigException(d.file(), e.line() + Math.min(err.line(), Math.max(1, lines)) - 1, d.spec().id() + ": " + what
          + " does not compile:" + indent(err.getMessage()));
    }
    long cheapest = program.cost().min();
    if (cheapest > KubeCel.PER_CALL_LIMIT) {
      throw new ConfigException(d.file(), e.line(), d.spec().id() + ": " + what + ": estimated rule cost exceeds budget by "
          + "factor of " + factor(cheapest, KubeCel.PER_CALL_LIMIT) + ": even its cheapest evaluation costs " + cheapest
          + ", over the API server's per-expression limit of " + KubeCel.PER_CALL_LIMIT
          + ", so every evaluation would fail with \"operation cancelled: actual cost limit exceeded\"");
    }
    return program;
  }

  /** How far over the limit, worded as the API server words it. */
  static String factor(long cost, long limit) {
    double factor = (double) cost / limit;
    return factor > 100 ? "more than 100x" : factor < 1.5 ? String.format(java.util.Locale.ROOT, "%fx", factor)
        : String.format(java.util.Locale.ROOT, "%.1fx", factor);
  }

  private static void requireType(CustomRules.Definition d, CustomRules.Expression e, KubeCel.Program program,
      String type) throws ConfigException {
    String actual = program.resultType().name();
    if (!actual.equals(type) && !actual.equals("dyn")) {
      throw new ConfigException(d.file(), e.line(), d.spec().id() + ": `" + e.text().strip() + "` must evaluate to "
          + type + ", not " + actual);
    }
  }

  private static String indent(String message) {
    return "\n  " + message.strip().replace("\n", "\n  ");
  }
}
