package dev.kapas.cel;

import dev.kapas.engine.Rule;
import dev.kapas.policy.ConfigException;
import dev.kapas.policy.CustomRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Compiles the user's custom rules into rules the engine runs. */
public final class CelRules {
  /** The variables of a ValidatingAdmissionPolicy, which custom rules share so they can move between the two. */
  public static final List<String> VARIABLES = List.of("object", "oldObject", "namespaceObject", "params", "request",
      "variables");

  private CelRules() {}

  /**
   * One rule per definition. cel-java is loaded here, and only when there is a definition. The
   * rules' metadata is there at once; their expressions compile on a thread of their own (the
   * environment's start and the type-checking cost about a second of CPU, which a scan overlaps
   * with reading its inputs), so a definition whose expressions do not compile is a {@link
   * ConfigException} naming its file, the expression's line and cel-java's message, thrown by
   * {@link #await}, which must come before the rules run.
   */
  public static List<Rule> compile(List<CustomRules.Definition> definitions) {
    if (definitions.isEmpty()) {
      return List.of();
    }
    CompletableFuture<List<CelRule.Parts>> parts = new CompletableFuture<>();
    Thread compiler = new Thread(() -> {
      try {
        parts.complete(compileAll(definitions));
      } catch (ConfigException | RuntimeException | Error e) {
        parts.completeExceptionally(e);
      }
    }, "kapas-cel-compile");
    compiler.setDaemon(true);
    compiler.start();
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < definitions.size(); i++) {
      rules.add(new CelRule(definitions.get(i), parts, i));
    }
    return rules;
  }

  /** {@link #compile} and {@link #await} in one. */
  public static List<Rule> compileNow(List<CustomRules.Definition> definitions) throws ConfigException {
    List<Rule> rules = compile(definitions);
    await(rules);
    return rules;
  }

  /** Waits until the custom rules among {@code rules} are compiled; the first that does not compile fails. */
  public static void await(Collection<? extends Rule> rules) throws ConfigException {
    for (Rule rule : rules) {
      // by ID first, so that a scan without custom rules loads nothing of cel-java
      if (rule.spec().id().startsWith("custom.") && rule instanceof CelRule cel) {
        try {
          cel.parts();
        } catch (CompletionException e) {
          if (e.getCause() instanceof ConfigException config) {
            throw config;
          }
          throw e;
        }
      }
    }
  }

  /**
   * {@link #await}, then, when there are custom rules, cel-java's environment built too: for a
   * server, so that the first evaluation the fast path hands to cel-java (an error, a rare case)
   * does not build it on a request thread (about 0.3 s once).
   */
  public static void awaitAndPrepare(Collection<? extends Rule> rules) throws ConfigException {
    await(rules);
    if (rules.stream().anyMatch(r -> r.spec().id().startsWith("custom.") && r instanceof CelRule)) {
      environment().prepare();
    }
  }

  /** The environment custom rules and admission policies share, built once. */
  public static synchronized KubeCel environment() {
    if (environment == null) {
      environment = KubeCel.withVariables(VARIABLES);
    }
    return environment;
  }

  private static KubeCel environment;

  private static List<CelRule.Parts> compileAll(List<CustomRules.Definition> definitions) throws ConfigException {
    KubeCel env = environment();
    List<CelRule.Parts> all = new ArrayList<>();
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
      all.add(new CelRule.Parts(List.copyOf(variables), List.copyOf(checks)));
    }
    // an expression the fast path does not model is cel-java's at every evaluation: its
    // environment is built here, on the compiling thread, rather than by the first rule to need it
    boolean slow = all.stream().anyMatch(p -> p.variables().stream().anyMatch(v -> !v.program().fast())
        || p.checks().stream().anyMatch(c -> !c.expression().fast() || c.message() != null && !c.message().fast()));
    if (slow) {
      env.prepare();
    }
    return all;
  }

  /** The object {@code rule} reads its params from, when it is a custom rule with {@code paramsFrom}. */
  public static java.util.Optional<CustomRules.ParamsRef> paramsFrom(Rule rule) {
    return rule instanceof CelRule c ? c.definition().paramsFrom() : java.util.Optional.empty();
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
