package dev.kapas.cel;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelListsExtensions;
import dev.cel.extensions.CelStringExtensions;
import dev.cel.parser.CelMacro;
import dev.cel.parser.CelMacroExprFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import dev.cel.validator.CelAstValidator;
import dev.cel.validator.CelValidator;
import dev.cel.validator.CelValidatorFactory;
import dev.cel.validator.validators.DurationLiteralValidator;
import dev.cel.validator.validators.HomogeneousLiteralValidator;
import dev.cel.validator.validators.RegexLiteralValidator;
import dev.cel.validator.validators.TimestampLiteralValidator;
import com.google.common.primitives.UnsignedLong;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelFunctionBinding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL environment of the Kubernetes API server (v1.36), on cel-java: the standard macros, the
 * cel-go extensions Kubernetes enables (strings v2 with {@code format}, sets, lists, two-variable
 * comprehensions, optional types), the Kubernetes libraries (lists, regex, URL, quantity, IP,
 * CIDR, format, semver), cross-type numeric comparisons, homogeneous aggregate literals, the
 * literal validators that run at compile time, and the per-expression cost limit.
 *
 * <p>Variables are all {@code dyn}, as in a ValidatingAdmissionPolicy. Building the environment
 * costs cel-java's start-up (a few hundred milliseconds), so callers build it only when a scan
 * has a custom rule or a policy.
 */
public final class KubeCel {
  /**
   * The API server's limit on one expression's cost ({@code celconfig.PerCallLimit}). kapas counts
   * one unit per evaluated node, which for the expressions policies use stays close to cel-go's
   * estimates; an expression that goes over fails like it would in the API server.
   */
  public static final long PER_CALL_LIMIT = 1_000_000;
  /** The API server refuses longer expressions ({@code celconfig.MaxRequestSizeBytes} guards the rest). */
  public static final int MAX_EXPRESSION_LENGTH = 100_000;

  private static final List<Library> LIBRARIES = List.of(new Net(), new Quantities(), new Urls(),
      new Formats(), new Semvers(), new KubeLists(), new StringFormat());

  private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  private final List<String> variableNames;
  private final java.util.Set<String> variables;
  private final Map<String, Program> compiled = new java.util.concurrent.ConcurrentHashMap<>();
  /** The Kubernetes library functions by overload ID, which {@link FastEval} calls directly. */
  private final Map<String, CelFunctionBinding> bindings = new java.util.HashMap<>();
  private final CheckedCache checkedCache;
  /** cel-java's environment: built when first needed (see {@link #cel()}). */
  private Cel cel;
  private CelValidator validator;
  private final CelFunctionBinding ofNonZeroValue = CelFunctionBinding.from("optional_ofNonZeroValue", Object.class,
      v -> isZero(v) ? Optional.empty() : Optional.of(v));

  private KubeCel(List<String> variables, CheckedCache checkedCache) {
    this.variableNames = List.copyOf(variables);
    this.variables = java.util.Set.copyOf(variables);
    this.checkedCache = checkedCache;
    bindings.put(ofNonZeroValue.getOverloadId(), ofNonZeroValue);
    for (Library library : LIBRARIES) {
      library.bindings().forEach(b -> bindings.put(b.getOverloadId(), b));
    }
  }

  /**
   * cel-java's compiler and interpreter for this environment, built on first use: an expression
   * read from the {@link CheckedCache} and evaluated by {@link FastEval} needs neither, and
   * building them is most of cel-java's start-up.
   */
  private synchronized Cel cel() {
    if (cel == null) {
      build();
    }
    return cel;
  }

  /** Builds cel-java's environment now, if it is not built yet (on a thread that has time for it). */
  void prepare() {
    cel();
  }

  /** Whether cel-java's environment has been built (for tests). */
  synchronized boolean celBuilt() {
    return cel != null;
  }

  private synchronized CelValidator validator() {
    cel();
    return validator;
  }

  private void build() {
    CelOptions options = CelOptions.current()
        .enableHeterogeneousNumericComparisons(true)
        .enableOptionalSyntax(true)
        .enableTimestampEpoch(true)
        .maxExpressionCodePointSize(MAX_EXPRESSION_LENGTH)
        .comprehensionMaxIterations((int) PER_CALL_LIMIT)
        .build();
    EnumSet<CelStringExtensions.Function> strings = EnumSet.allOf(CelStringExtensions.Function.class);
    strings.remove(CelStringExtensions.Function.REVERSE); // Kubernetes enables strings v2, without reverse
    EnumSet<CelListsExtensions.Function> lists = EnumSet.allOf(CelListsExtensions.Function.class);
    lists.remove(CelListsExtensions.Function.SORT_BY); // cel-java 0.14's sortBy mistypes its result; see sortBy()
    var builder = CelFactory.standardCelBuilder()
        .setOptions(options)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addMacros(sortBy())
        .addCompilerLibraries(CelExtensions.optional(), CelExtensions.strings(strings),
            CelExtensions.sets(options), CelExtensions.lists(lists), CelExtensions.comprehensions())
        .addRuntimeLibraries(CelExtensions.optional(), CelExtensions.strings(strings),
            CelExtensions.sets(options), CelExtensions.lists(lists), CelExtensions.comprehensions())
        .setTypeProvider(new KubeTypes());
    for (Library library : LIBRARIES) {
      builder.addFunctionDeclarations(library.declarations()).addFunctionBindings(library.bindings());
    }
    builder.addFunctionBindings(ofNonZeroValue);
    for (String name : variableNames) {
      builder.addVar(name, SimpleType.DYN);
    }
    this.cel = builder.build();
    this.validator = CelValidatorFactory.standardCelValidatorBuilder(cel)
        .addAstValidators(DurationLiteralValidator.INSTANCE, TimestampLiteralValidator.INSTANCE,
            RegexLiteralValidator.INSTANCE, new KubeChecks(),
            // cel-go's strings extension exempts format's argument list from the rule
            HomogeneousLiteralValidator.newInstance("format"))
        .build();
  }

  /** An environment whose expressions may use {@code variables} (all dynamically typed). */
  public static KubeCel withVariables(List<String> variables) {
    return new KubeCel(variables, CheckedCache.besideJar());
  }

  /** As {@link #withVariables(List)}, with checked expressions kept in {@code cache} (null: none). */
  static KubeCel withVariables(List<String> variables, CheckedCache cache) {
    return new KubeCel(variables, cache);
  }

  /** A compiled expression, ready to evaluate any number of times. */
  public final class Program {
    private final CelAbstractSyntaxTree ast;
    /** cel-java's program, made when first needed: most evaluations take the fast path. */
    private volatile CelRuntime.Program program;
    private final CelType resultType;
    private final FastEval fast;
    private final CostEstimator.Estimate cost;

    private Program(CelAbstractSyntaxTree ast, CelRuntime.Program program, FastEval fast) {
      this.ast = ast;
      this.program = program;
      this.resultType = ast.getResultType();
      this.fast = fast;
      this.cost = CostEstimator.estimate(ast);
    }

    private CelRuntime.Program program() throws CelEvaluationException {
      CelRuntime.Program p = program;
      if (p == null) {
        p = cel().createProgram(ast);
        program = p;
      }
      return p;
    }

    /** The static cost estimate, by the API server's model ({@link CostEstimator}). */
    CostEstimator.Estimate cost() {
      return cost;
    }

    /** Whether {@link FastEval} models this expression (else only cel-java evaluates it). */
    boolean fast() {
      return fast != null;
    }

    public CelType resultType() {
      return resultType;
    }

    /**
     * The value of the expression with these variables bound; a variable holding a Kubernetes
     * object should come from {@link CelValues#of}. Fails with the runtime error, or when the
     * expression's cost exceeds {@link #PER_CALL_LIMIT}.
     */
    public Object eval(Map<String, ?> variables) throws CelEvalError {
      if (fast != null) {
        try {
          return fast.eval(variables);
        } catch (FastEval.GiveUp e) {
          // an error, or a case the fast path does not model: cel-java evaluates it from the start
        }
      }
      return evalCelJava(variables);
    }

    /** {@link #eval} by the fast path alone, for tests: fails with {@link FastEval.GiveUp} where it would hand over. */
    Object evalFast(Map<String, ?> variables) {
      if (fast == null) {
        throw new IllegalStateException("not on the fast path");
      }
      return fast.eval(variables);
    }

    /** {@link #eval} by cel-java's interpreter alone. */
    Object evalCelJava(Map<String, ?> variables) throws CelEvalError {
      long[] cost = {0};
      try {
        // a resolver rather than the map: cel-java copies a map into a new activation on every call
        return program().trace((CelVariableResolver) name -> Optional.ofNullable(variables.get(name)), (expr, value) -> {
          if (++cost[0] > PER_CALL_LIMIT) {
            throw new CostExceeded();
          }
        });
      } catch (CostExceeded e) {
        throw new CelEvalError("operation cancelled: actual cost limit exceeded");
      } catch (CelEvaluationException e) {
        throw new CelEvalError(message(e));
      } catch (RuntimeException e) { // a library function's own failure, should cel-java not wrap it
        throw new CelEvalError(String.valueOf(e.getMessage()));
      }
    }
  }

  /**
   * Compiles {@code expression} or fails with cel-java's messages (with line and column). The same
   * text is compiled once: cel-java's checker rebuilds its function table on every check, which
   * costs more than evaluating a rule over thousands of objects.
   */
  public Program compile(String expression) throws CelCompileError {
    Program known = compiled.get(expression);
    if (known == null) {
      known = compileOnce(expression);
      compiled.put(expression, known);
    }
    return known;
  }

  private Program compileOnce(String expression) throws CelCompileError {
    if (checkedCache != null) {
      Optional<CelAbstractSyntaxTree> known = checkedCache.get(expression);
      if (known.isPresent()) {
        return new Program(known.get(), null, fast(known.get()));
      }
    }
    CelValidationResult result = cel().compile(expression);
    try {
      CelAbstractSyntaxTree ast = result.getAst();
      CelValidationResult validated = validator().validate(ast);
      if (validated.hasError()) {
        throw new CelCompileError(validated.getErrorString(), firstLine(validated));
      }
      Program program = new Program(ast, cel().createProgram(ast), fast(ast));
      if (checkedCache != null) {
        checkedCache.put(expression, ast); // only what compiled: an error is found again, and worded as now
      }
      return program;
    } catch (CelValidationException e) {
      throw new CelCompileError(e.getMessage(), firstLine(result));
    } catch (CelEvaluationException e) {
      throw new CelCompileError("program instantiation failed: " + e.getMessage(), 1);
    }
  }

  private FastEval fast(CelAbstractSyntaxTree ast) {
    return FastEval.compile(ast, variables, bindings, PER_CALL_LIMIT).orElse(null);
  }

  /**
   * Go's zero values, which {@code optional.ofNonZeroValue} tests: cel-go takes Go's zero {@code
   * time.Time} (0001-01-01T00:00:00Z) as the zero timestamp where cel-java takes the epoch.
   */
  private static boolean isZero(Object v) {
    return v instanceof NullValue || Boolean.FALSE.equals(v) || v instanceof Long l && l == 0
        || v instanceof Double d && d == 0 || v instanceof UnsignedLong u && u.longValue() == 0
        || v instanceof String str && str.isEmpty() || v instanceof CelByteString b && b.isEmpty()
        || v instanceof Collection<?> c && c.isEmpty() || v instanceof Map<?, ?> m && m.isEmpty()
        || v instanceof Duration d && d.isZero() || GO_ZERO_TIME.equals(v);
  }

  private static int firstLine(CelValidationResult result) {
    return result.getErrors().stream().map(i -> i.getSourceLocation().getLine()).filter(l -> l > 0)
        .findFirst().orElse(1);
  }

  private static String message(CelEvaluationException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root instanceof CelRuntimeError ? e.getMessage() + ": " + root.getMessage() : e.getMessage();
  }

  private static final class CostExceeded extends RuntimeException {
    CostExceeded() {
      super(null, null, false, false);
    }
  }

  /**
   * {@code list.sortBy(e, key)} expands to {@code @kapas_sortBy(list, list.map(e, key))}. cel-java
   * 0.14's own expansion type-checks as a list of lists, which breaks {@code x.sortBy(...) == [...]}.
   */
  private static CelMacro sortBy() {
    return CelMacro.newReceiverMacro("sortBy", 2, (CelMacroExprFactory f, CelExpr target,
        ImmutableList<CelExpr> args) -> {
      CelExpr variable = args.get(0);
      if (variable.getKind() != CelExpr.ExprKind.Kind.IDENT) {
        return Optional.of(f.reportError("sortBy(var, ...) variable name must be a simple identifier"));
      }
      String accu = f.getAccumulatorVarName();
      CelExpr mapped = f.fold(variable.ident().name(), f.copy(target), accu, f.newList(),
          f.newBoolLiteral(true),
          f.newGlobalCall("_+_", f.newIdentifier(accu), f.newList(args.get(1))),
          f.newIdentifier(accu));
      return Optional.of(f.newGlobalCall(KubeLists.SORT_BY_FUNCTION, target, mapped));
    });
  }

  /** The opaque types of the Kubernetes libraries, by name. */
  private static final class KubeTypes implements CelTypeProvider {
    private final ImmutableList<CelType> types = LIBRARIES.stream().flatMap(l -> l.types().stream())
        .collect(ImmutableList.toImmutableList());

    @Override
    public ImmutableCollection<CelType> types() {
      return types;
    }

    @Override
    public Optional<CelType> findType(String name) {
      return types.stream().filter(t -> t.name().equals(name)).findFirst();
    }
  }

  /**
   * Checks the API server makes at compile time that cel-java's checker cannot express: which
   * element types the list functions accept, and constant regular expressions and format strings.
   */
  private static final class KubeChecks implements CelAstValidator {
    @Override
    public void validate(CelNavigableAst navigable, Cel cel, IssuesFactory issues) {
      CelAbstractSyntaxTree ast = navigable.getAst();
      navigable.getRoot().allNodes().filter(n -> n.getKind() == CelExpr.ExprKind.Kind.CALL)
          .forEach(node -> check(node, ast, issues));
    }

    private static void check(CelNavigableExpr node, CelAbstractSyntaxTree ast, IssuesFactory issues) {
      CelExpr.CelCall call = node.expr().call();
      String fn = call.function();
      if (call.target().isPresent() && call.args().isEmpty()
          && (fn.equals("sum") || fn.equals("min") || fn.equals("max") || fn.equals("isSorted"))) {
        CelType target = ast.getType(call.target().get().id()).orElse(SimpleType.DYN);
        if (target instanceof ListType list) {
          String element = list.elemType().name();
          boolean ok = element.length() == 1 // an unbound type parameter: the empty list
              || (fn.equals("sum") ? KubeLists.SUMMABLE : KubeLists.COMPARABLE).contains(element);
          if (!ok) {
            issues.addError(node.id(), "found no matching overload for '" + fn + "' applied to '"
                + CelTypes.format(target) + ".()'");
          }
        }
      }
      if ((fn.equals("find") || fn.equals("findAll") || fn.equals("matches")) && call.args().size() >= 1) {
        constantString(call.args().get(0)).ifPresent(re -> {
          try {
            com.google.re2j.Pattern.compile(re);
          } catch (com.google.re2j.PatternSyntaxException e) {
            issues.addError(node.id(), "program instantiation failed: error parsing regexp: " + e.getMessage());
          }
        });
      }
      if (fn.equals("format") && call.target().isPresent() && call.args().size() == 1
          && call.args().get(0).getKind() == CelExpr.ExprKind.Kind.LIST) {
        constantString(call.target().get()).ifPresent(template -> {
          String problem = StringFormat.check(template, call.args().get(0).list().elements().size());
          if (problem != null) {
            issues.addError(node.id(), "could not parse formatting clause: " + problem);
          }
        });
      }
    }

    private static Optional<String> constantString(CelExpr expr) {
      return expr.getKind() == CelExpr.ExprKind.Kind.CONSTANT
          && expr.constant().getKind() == CelConstant.Kind.STRING_VALUE
          ? Optional.of(expr.constant().stringValue()) : Optional.empty();
    }
  }

  /** CEL type names as the API server's messages print them. */
  static final class CelTypes {
    private CelTypes() {}

    static String format(CelType type) {
      if (type instanceof ListType l) {
        return "list(" + format(l.elemType()) + ")";
      }
      List<String> params = new ArrayList<>();
      type.parameters().forEach(p -> params.add(format(p)));
      return params.isEmpty() ? type.name() : type.name() + "(" + String.join(", ", params) + ")";
    }
  }
}
