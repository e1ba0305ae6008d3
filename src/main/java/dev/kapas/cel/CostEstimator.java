package dev.kapas.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The static cost estimate of a checked expression, by cel-go's model ({@code checker/cost.go},
 * which the API server uses): an identifier or a field selection on a map costs 1, a constant 0, a
 * list literal 10, a map literal 30, a call 1 plus its arguments, string traversals 0.1 per
 * character, {@code matches} the product of string and 0.25 per regex character, a comprehension
 * its range's size times its step; sizes are exact for literals and unknown (0 to unbounded) for the
 * dynamically typed {@code object}, {@code params} and {@code variables}, as in a
 * ValidatingAdmissionPolicy, whose expressions the API server compiles with {@code dyn} variables.
 *
 * <p>Two deliberate differences from cel-go's figure, both keeping {@link Estimate#min()} a true
 * lower bound of what an evaluation costs: a comprehension that can stop early ({@code all},
 * {@code exists}) is counted at one iteration at least, not its range's size; and the Kubernetes
 * library functions are counted at 1 plus their arguments.
 */
final class CostEstimator {
  /** An unbounded size or cost (cel-go's {@code math.MaxUint64}). */
  static final long UNBOUNDED = Long.MAX_VALUE;
  private static final double STRING_TRAVERSAL = 0.1;
  private static final double REGEX_LENGTH = 0.25;

  /** A range of costs or sizes; {@link #UNBOUNDED} for no upper bound. */
  record Estimate(long min, long max) {
    static final Estimate ZERO = new Estimate(0, 0);
    static final Estimate UNKNOWN = new Estimate(0, UNBOUNDED);

    static Estimate fixed(long n) {
      return new Estimate(n, n);
    }

    Estimate add(Estimate o) {
      return new Estimate(sum(min, o.min), sum(max, o.max));
    }

    Estimate multiply(Estimate o) {
      return new Estimate(product(min, o.min), product(max, o.max));
    }

    Estimate factor(double perUnit) {
      return new Estimate(scaled(min, perUnit), scaled(max, perUnit));
    }

    Estimate union(Estimate o) {
      return new Estimate(Math.min(min, o.min), Math.max(max, o.max));
    }

    private static long sum(long a, long b) {
      return a > UNBOUNDED - b ? UNBOUNDED : a + b;
    }

    private static long product(long a, long b) {
      return b != 0 && a > UNBOUNDED / b ? UNBOUNDED : a * b;
    }

    private static long scaled(long a, double perUnit) {
      if (a == UNBOUNDED) {
        return UNBOUNDED;
      }
      double v = Math.ceil(a * perUnit);
      return v >= UNBOUNDED ? UNBOUNDED : (long) v;
    }
  }

  private final CelAbstractSyntaxTree ast;
  /** Sizes of nodes computed on the way (call results, comprehensions). */
  private final Map<Long, Estimate> sizes = new HashMap<>();
  /** Sizes of the elements of list nodes, where known. */
  private final Map<Long, Estimate> elementSizes = new HashMap<>();
  /** Sizes of comprehension variables in scope, by name. */
  private final Map<String, Deque<Estimate>> locals = new HashMap<>();

  private CostEstimator(CelAbstractSyntaxTree ast) {
    this.ast = ast;
  }

  /** The estimated cost of a checked expression. */
  static Estimate estimate(CelAbstractSyntaxTree ast) {
    return new CostEstimator(ast).cost(ast.getExpr());
  }

  private Estimate cost(CelExpr e) {
    return switch (e.getKind()) {
      case CONSTANT -> Estimate.ZERO;
      case IDENT -> Estimate.fixed(1);
      case SELECT -> {
        CelExpr.CelSelect select = e.select();
        Estimate operand = cost(select.operand());
        if (select.testOnly()) {
          yield operand.add(Estimate.fixed(1));
        }
        CelKind kind = type(select.operand()).kind();
        yield kind == CelKind.MAP || kind == CelKind.STRUCT || kind == CelKind.TYPE_PARAM
            ? operand.add(Estimate.fixed(1)) : operand;
      }
      case CALL -> call(e);
      case LIST -> {
        Estimate sum = Estimate.fixed(10);
        Estimate element = null;
        for (CelExpr item : e.list().elements()) {
          sum = sum.add(cost(item));
          element = element == null ? sizeOrUnknown(item) : element.union(sizeOrUnknown(item));
        }
        elementSizes.put(e.id(), element == null ? Estimate.ZERO : element);
        yield sum;
      }
      case MAP -> {
        Estimate sum = Estimate.fixed(30);
        for (CelExpr.CelMap.Entry entry : e.map().entries()) {
          sum = sum.add(cost(entry.key())).add(cost(entry.value()));
        }
        yield sum;
      }
      case STRUCT -> {
        Estimate sum = Estimate.fixed(40);
        for (CelExpr.CelStruct.Entry entry : e.struct().entries()) {
          sum = sum.add(cost(entry.value()));
        }
        yield sum;
      }
      case COMPREHENSION -> comprehension(e);
      default -> Estimate.ZERO;
    };
  }

  private Estimate comprehension(CelExpr e) {
    CelExpr.CelComprehension c = e.comprehension();
    Estimate sum = cost(c.iterRange()).add(cost(c.accuInit()));
    push(c.accuVar(), size(c.accuInit()));
    Estimate element = elementSizes.get(c.iterRange().id());
    boolean twoVariables = !c.iterVar2().isEmpty();
    push(c.iterVar(), twoVariables ? Estimate.fixed(1) : element);
    if (twoVariables) {
      push(c.iterVar2(), element);
    }
    Estimate perIteration = cost(c.loopStep()).add(cost(c.loopCondition()));
    pop(c.iterVar());
    if (twoVariables) {
      pop(c.iterVar2());
    }
    sum = sum.add(cost(c.result()));
    pop(c.accuVar());
    Estimate range = sizeOrUnknown(c.iterRange());
    boolean runsToTheEnd = c.loopCondition().getKind() == CelExpr.ExprKind.Kind.CONSTANT
        && c.loopCondition().constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE
        && c.loopCondition().constant().booleanValue();
    Estimate iterations = runsToTheEnd ? range : new Estimate(Math.min(range.min(), 1), range.max());
    if (c.accuInit().getKind() == CelExpr.ExprKind.Kind.LIST || c.accuInit().getKind() == CelExpr.ExprKind.Kind.MAP) {
      sizes.put(e.id(), range);
    }
    return sum.add(iterations.multiply(perIteration));
  }

  private Estimate call(CelExpr e) {
    CelExpr.CelCall call = e.call();
    List<CelExpr> args = call.args();
    List<Estimate> argCosts = new java.util.ArrayList<>();
    Estimate argSum = Estimate.ZERO;
    for (CelExpr arg : args) {
      argCosts.add(cost(arg));
      argSum = argSum.add(argCosts.get(argCosts.size() - 1));
    }
    if (call.function().equals("dyn") && args.size() == 1) {
      Estimate size = size(args.get(0));
      if (size != null) {
        sizes.put(e.id(), size);
      }
      return Estimate.fixed(1).add(argSum);
    }
    Estimate target = call.target().map(this::cost).orElse(Estimate.ZERO);
    List<String> overloads = ast.getReference(e.id()).map(r -> (List<String>) r.overloadIds()).orElse(List.of());
    if (overloads.isEmpty()) {
      return Estimate.ZERO;
    }
    Estimate fn = null;
    for (String overload : overloads) {
      Estimate one = function(e, overload, args, argCosts, argSum);
      fn = fn == null ? one : fn.union(one);
    }
    return target.add(fn);
  }

  /** One overload's cost, its arguments' included (cel-go's functionCost). */
  private Estimate function(CelExpr e, String overload, List<CelExpr> args, List<Estimate> argCosts,
      Estimate argSum) {
    CelExpr target = e.call().target().orElse(null);
    switch (overload) {
      case "string_to_bytes", "bytes_to_string" -> {
        Estimate size = sizeOrUnknown(args.get(0));
        sizes.put(e.id(), overload.equals("string_to_bytes") ? new Estimate(size.min(), Estimate.product(size.max(), 4))
            : new Estimate(size.min() / 4, size.max()));
        return size.factor(STRING_TRAVERSAL).add(argSum);
      }
      case "starts_with_string", "ends_with_string" -> {
        return sizeOrUnknown(args.get(0)).factor(STRING_TRAVERSAL).add(argSum);
      }
      case "in_list" -> {
        return sizeOrUnknown(args.get(1)).add(argSum);
      }
      case "matches_string" -> {
        if (target == null) {
          break;
        }
        Estimate text = sizeOrUnknown(target).add(Estimate.fixed(1)).factor(STRING_TRAVERSAL);
        return text.multiply(sizeOrUnknown(args.get(0)).factor(REGEX_LENGTH)).add(argSum);
      }
      case "contains_string" -> {
        if (target == null) {
          break;
        }
        return sizeOrUnknown(target).factor(STRING_TRAVERSAL)
            .multiply(sizeOrUnknown(args.get(0)).factor(STRING_TRAVERSAL)).add(argSum);
      }
      case "logical_and", "logical_or" -> {
        return new Estimate(argCosts.get(0).min(), argSum.max());
      }
      case "conditional" -> {
        sizes.put(e.id(), sizeOrUnknown(args.get(1)).union(sizeOrUnknown(args.get(2))));
        Estimate a = elementSizes.get(args.get(1).id());
        Estimate b = elementSizes.get(args.get(2).id());
        if (a != null && b != null) {
          elementSizes.put(e.id(), a.union(b));
        }
        return argCosts.get(0).add(argCosts.get(1).union(argCosts.get(2)));
      }
      case "add_string", "add_bytes", "add_list" -> {
        Estimate result = sizeOrUnknown(args.get(0)).add(sizeOrUnknown(args.get(1)));
        sizes.put(e.id(), result);
        Estimate a = elementSizes.get(args.get(0).id());
        Estimate b = elementSizes.get(args.get(1).id());
        if (a != null && b != null) {
          elementSizes.put(e.id(), a.union(b));
        }
        return overload.equals("add_list") ? Estimate.fixed(1).add(argSum)
            : result.factor(STRING_TRAVERSAL).add(argSum);
      }
      case "index_list" -> {
        Estimate element = elementSizes.get(args.get(0).id());
        if (element != null) {
          sizes.put(e.id(), element);
        }
      }
      default -> {
        if (overload.equals("equals") || overload.equals("not_equals")
            || overload.matches("(less|greater)(_equals)?_(string|bytes)")) {
          Estimate lhs = sizeOrUnknown(args.get(0));
          Estimate rhs = sizeOrUnknown(args.get(1));
          long smallestMax = Math.min(lhs.max(), rhs.max());
          return new Estimate(smallestMax > 0 ? 1 : 0, smallestMax).factor(STRING_TRAVERSAL).add(argSum);
        }
      }
    }
    return Estimate.fixed(1).add(argSum);
  }

  /**
   * What {@code size()} of the node is: exact for literals, derived for concatenations and
   * comprehensions, 1 for scalars, else null (unknown).
   */
  private Estimate size(CelExpr e) {
    Estimate known = sizes.get(e.id());
    if (known != null) {
      return known;
    }
    switch (e.getKind()) {
      case CONSTANT -> {
        CelConstant c = e.constant();
        if (c.getKind() == CelConstant.Kind.STRING_VALUE) {
          return Estimate.fixed(c.stringValue().codePointCount(0, c.stringValue().length()));
        }
        if (c.getKind() == CelConstant.Kind.BYTES_VALUE) {
          return Estimate.fixed(c.bytesValue().size());
        }
      }
      case LIST -> {
        return Estimate.fixed(e.list().elements().size());
      }
      case MAP -> {
        return Estimate.fixed(e.map().entries().size());
      }
      default -> {}
    }
    CelKind kind = type(e).kind();
    if (kind == CelKind.BOOL || kind == CelKind.DOUBLE || kind == CelKind.DURATION || kind == CelKind.INT
        || kind == CelKind.TIMESTAMP || kind == CelKind.UINT) {
      return Estimate.fixed(1);
    }
    if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) {
      Deque<Estimate> scope = locals.get(e.ident().name());
      if (scope != null && !scope.isEmpty() && scope.peek() != NONE) {
        return scope.peek();
      }
    }
    return null;
  }

  private Estimate sizeOrUnknown(CelExpr e) {
    Estimate size = size(e);
    return size == null ? Estimate.UNKNOWN : size;
  }

  private CelType type(CelExpr e) {
    return ast.getType(e.id()).orElse(dev.cel.common.types.SimpleType.DYN);
  }

  /** A local variable of unknown size (a deque holds no nulls). */
  private static final Estimate NONE = new Estimate(-1, -1);

  private void push(String name, Estimate size) {
    locals.computeIfAbsent(name, n -> new ArrayDeque<>()).push(size == null ? NONE : size);
  }

  private void pop(String name) {
    locals.get(name).pop();
  }
}
