package dev.kapas.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelFunctionBinding;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A faster evaluator for the part of CEL that policies mostly use, over a checked AST: field
 * selection, {@code has}, optional selection, the logical and comparison operators, arithmetic on
 * ints and doubles, the comprehension macros, the common string and list functions and the
 * Kubernetes library functions. It walks a tree of closures built once per expression, where
 * cel-java's interpreter looks up each node's type and reference in maps on every evaluation.
 *
 * <p>It only ever returns a value when the evaluation met no error and no case it does not model;
 * otherwise it gives up ({@link GiveUp}) and cel-java evaluates the expression from the start, so
 * errors, their messages and every rarer case keep cel-java's semantics. An expression using
 * anything it does not model at all is not compiled ({@link #compile} is empty).
 */
final class FastEval {
  /** The evaluation left the modelled subset or met an error: cel-java decides. */
  static final class GiveUp extends RuntimeException {
    private GiveUp() {
      super(null, null, false, false);
    }
  }

  private static final GiveUp GIVE_UP = new GiveUp();
  private static final long MAX_EXACT_DOUBLE = 1L << 53;

  private interface Node {
    Object eval(Frame f);
  }

  /** A value known when the expression is compiled. */
  private record Constant(Object value) implements Node {
    @Override
    public Object eval(Frame f) {
      return value;
    }
  }

  private static final class Frame {
    final Map<String, ?> vars;
    final Object[] locals;
    final long limit;
    long cost;

    Frame(Map<String, ?> vars, int slots, long limit) {
      this.vars = vars;
      this.locals = new Object[slots];
      this.limit = limit;
    }
  }

  /** Not in the modelled subset: the expression is left to cel-java. */
  private static final class NotFast extends Exception {
    NotFast() {
      super(null, null, false, false);
    }
  }

  private final Node root;
  private final int slots;
  private final long costLimit;

  private FastEval(Node root, int slots, long costLimit) {
    this.root = root;
    this.slots = slots;
    this.costLimit = costLimit;
  }

  /**
   * The fast form of {@code ast}, if it uses only the modelled subset. {@code variables} are the
   * environment's variable names; {@code bindings} the Kubernetes library functions. The fast form
   * gives up once its count of evaluated nodes (an over-estimate) passes half of {@code costLimit},
   * so cel-java, which counts exactly, judges every evaluation near the limit.
   */
  static Optional<FastEval> compile(CelAbstractSyntaxTree ast, Set<String> variables,
      Map<String, CelFunctionBinding> bindings, long costLimit) {
    Compiler c = new Compiler(ast, variables, bindings);
    try {
      Node root = c.compile(ast.getExpr());
      return Optional.of(new FastEval(root, c.slots, costLimit / 2));
    } catch (NotFast e) {
      return Optional.empty();
    }
  }

  /** The value, or {@link GiveUp}. */
  Object eval(Map<String, ?> variables) {
    return root.eval(new Frame(variables, slots, costLimit));
  }

  private static final class Compiler {
    private final CelAbstractSyntaxTree ast;
    private final Set<String> variables;
    private final Map<String, CelFunctionBinding> bindings;
    private final Map<String, Integer> scope = new HashMap<>();
    int slots;

    Compiler(CelAbstractSyntaxTree ast, Set<String> variables, Map<String, CelFunctionBinding> bindings) {
      this.ast = ast;
      this.variables = variables;
      this.bindings = bindings;
    }

    Node compile(CelExpr e) throws NotFast {
      return switch (e.getKind()) {
        case CONSTANT -> constant(e.constant());
        case IDENT -> ident(e);
        case SELECT -> select(e);
        case CALL -> call(e);
        case LIST -> list(e.list());
        case MAP -> map(e.map());
        case COMPREHENSION -> comprehension(e.comprehension());
        default -> throw new NotFast();
      };
    }

    private static Node constant(CelConstant c) throws NotFast {
      Object v = switch (c.getKind()) {
        case NULL_VALUE -> NullValue.NULL_VALUE;
        case BOOLEAN_VALUE -> c.booleanValue();
        case INT64_VALUE -> c.int64Value();
        case DOUBLE_VALUE -> c.doubleValue();
        case STRING_VALUE -> c.stringValue();
        default -> throw new NotFast();
      };
      return new Constant(v);
    }

    private Node ident(CelExpr e) throws NotFast {
      String name = e.ident().name();
      Integer slot = scope.get(name);
      if (slot != null) {
        int s = slot;
        return f -> f.locals[s];
      }
      Optional<CelReference> ref = ast.getReference(e.id());
      if (!variables.contains(name) || ref.isPresent() && (!ref.get().name().equals(name) || ref.get().value().isPresent())) {
        throw new NotFast();
      }
      return f -> {
        Object v = f.vars.get(name);
        if (v == null) {
          throw GIVE_UP;
        }
        return v;
      };
    }

    private Node select(CelExpr e) throws NotFast {
      if (ast.getReference(e.id()).isPresent()) {
        throw new NotFast(); // a qualified name the checker resolved (an enum or a namespaced ident)
      }
      Node operand = compile(e.select().operand());
      String field = e.select().field();
      if (e.select().testOnly()) {
        return f -> operand.eval(f) instanceof Map<?, ?> m ? m.containsKey(field) : giveUp();
      }
      return f -> field(operand.eval(f), field);
    }

    private Node list(CelExpr.CelList list) throws NotFast {
      if (!list.optionalIndices().isEmpty()) {
        throw new NotFast();
      }
      Node[] elements = compileAll(list.elements());
      return f -> {
        Object[] out = new Object[elements.length];
        for (int i = 0; i < out.length; i++) {
          out[i] = elements[i].eval(f);
        }
        return List.of(out);
      };
    }

    private Node map(CelExpr.CelMap map) throws NotFast {
      int n = map.entries().size();
      Node[] keys = new Node[n];
      Node[] values = new Node[n];
      for (int i = 0; i < n; i++) {
        CelExpr.CelMap.Entry entry = map.entries().get(i);
        if (entry.optionalEntry()) {
          throw new NotFast();
        }
        keys[i] = compile(entry.key());
        values[i] = compile(entry.value());
      }
      return f -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          if (!(keys[i].eval(f) instanceof String key) || out.put(key, values[i].eval(f)) != null) {
            throw GIVE_UP;
          }
        }
        return Collections.unmodifiableMap(out);
      };
    }

    private Node comprehension(CelExpr.CelComprehension c) throws NotFast {
      if (!c.iterVar2().isEmpty() || c.iterVar().equals(c.accuVar())) {
        throw new NotFast();
      }
      Node range = compile(c.iterRange());
      Node init = compile(c.accuInit());
      int accu = slots++;
      int iter = slots++;
      // nested comprehensions share the accumulator's name: the inner one hides the outer one
      Integer outerAccu = scope.put(c.accuVar(), accu);
      Integer outerIter = scope.put(c.iterVar(), iter);
      Node condition = compile(c.loopCondition());
      Node step = compile(c.loopStep());
      Node[] appends = appends(c);
      restore(c.iterVar(), outerIter);
      Node result = compile(c.result());
      restore(c.accuVar(), outerAccu);
      long bodyCost = 1 + nodes(c.loopCondition()) + nodes(c.loopStep());
      if (appends != null) {
        return appending(range, iter, bodyCost, appends[0], appends[1]);
      }
      return f -> {
        Object over = range.eval(f);
        Collection<?> elements = over instanceof List<?> l ? l : over instanceof Map<?, ?> m ? m.keySet() : giveUp();
        f.locals[accu] = init.eval(f);
        for (Object element : elements) {
          if ((f.cost += bodyCost) > f.limit) {
            throw GIVE_UP;
          }
          f.locals[iter] = element;
          if (!(condition.eval(f) instanceof Boolean go)) {
            throw GIVE_UP;
          }
          if (!go) {
            break;
          }
          f.locals[accu] = step.eval(f);
        }
        f.locals[iter] = null;
        return result.eval(f);
      };
    }

    /**
     * {@code map} and {@code filter} as their macros expand them: the result starts as {@code []},
     * and each step is {@code accu + [e]} or {@code p ? accu + [e] : accu}, where neither {@code p}
     * nor {@code e} reads the result. Evaluated as written, every step copies the list so far;
     * {@link #appending} adds to one list instead, with the same values, order, errors and cost.
     * Returns {@code p} (null when there is none) and {@code e}, compiled, or null.
     */
    private Node[] appends(CelExpr.CelComprehension c) throws NotFast {
      String accu = c.accuVar();
      CelExpr init = c.accuInit();
      CelExpr cond = c.loopCondition();
      if (init.getKind() != CelExpr.ExprKind.Kind.LIST || !init.list().elements().isEmpty()
          || cond.getKind() != CelExpr.ExprKind.Kind.CONSTANT
          || cond.constant().getKind() != CelConstant.Kind.BOOLEAN_VALUE || !cond.constant().booleanValue()
          || !isIdent(c.result(), accu)) {
        return null;
      }
      CelExpr step = c.loopStep();
      CelExpr predicate = null;
      if (isCall(step, "_?_:_", 3) && isIdent(step.call().args().get(2), accu)) {
        predicate = step.call().args().get(0);
        step = step.call().args().get(1);
      }
      if (!isCall(step, "_+_", 2) || !isIdent(step.call().args().get(0), accu) || !libraryOf(step).isEmpty()) {
        return null;
      }
      CelExpr added = step.call().args().get(1);
      if (added.getKind() != CelExpr.ExprKind.Kind.LIST || added.list().elements().size() != 1
          || !added.list().optionalIndices().isEmpty()) {
        return null;
      }
      CelExpr element = added.list().elements().get(0);
      if (mentions(element, accu) || predicate != null && mentions(predicate, accu)) {
        return null;
      }
      return new Node[] {predicate == null ? null : compile(predicate), compile(element)};
    }

    private static Node appending(Node range, int iter, long bodyCost, Node predicate, Node element) {
      return f -> {
        Object over = range.eval(f);
        Collection<?> elements = over instanceof List<?> l ? l : over instanceof Map<?, ?> m ? m.keySet() : giveUp();
        List<Object> out = new ArrayList<>();
        for (Object e : elements) {
          if ((f.cost += bodyCost) > f.limit) {
            throw GIVE_UP;
          }
          f.locals[iter] = e;
          if (predicate == null || bool(predicate.eval(f))) {
            out.add(element.eval(f));
          }
        }
        f.locals[iter] = null;
        return Collections.unmodifiableList(out);
      };
    }

    private List<CelFunctionBinding> libraryOf(CelExpr call) {
      return ast.getReference(call.id()).map(r -> r.overloadIds().stream().map(bindings::get)
          .filter(b -> b != null).toList()).orElse(List.of());
    }

    private static boolean isIdent(CelExpr e, String name) {
      return e.getKind() == CelExpr.ExprKind.Kind.IDENT && e.ident().name().equals(name);
    }

    private static boolean isCall(CelExpr e, String function, int args) {
      return e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().function().equals(function)
          && e.call().target().isEmpty() && e.call().args().size() == args;
    }

    /** Whether {@code name} occurs in {@code e} at all (bound there or not: an over-estimate). */
    private static boolean mentions(CelExpr e, String name) {
      return switch (e.getKind()) {
        case IDENT -> e.ident().name().equals(name);
        case SELECT -> mentions(e.select().operand(), name);
        case CALL -> e.call().target().map(t -> mentions(t, name)).orElse(false)
            || e.call().args().stream().anyMatch(a -> mentions(a, name));
        case LIST -> e.list().elements().stream().anyMatch(x -> mentions(x, name));
        case MAP -> e.map().entries().stream().anyMatch(x -> mentions(x.key(), name) || mentions(x.value(), name));
        case COMPREHENSION -> {
          CelExpr.CelComprehension c = e.comprehension();
          yield c.accuVar().equals(name) || c.iterVar().equals(name) || c.iterVar2().equals(name)
              || mentions(c.iterRange(), name) || mentions(c.accuInit(), name) || mentions(c.loopCondition(), name)
              || mentions(c.loopStep(), name) || mentions(c.result(), name);
        }
        case CONSTANT -> false;
        default -> true;
      };
    }

    private void restore(String name, Integer slot) {
      if (slot == null) {
        scope.remove(name);
      } else {
        scope.put(name, slot);
      }
    }

    private Node[] compileAll(List<CelExpr> exprs) throws NotFast {
      Node[] out = new Node[exprs.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = compile(exprs.get(i));
      }
      return out;
    }

    private Node call(CelExpr e) throws NotFast {
      CelExpr.CelCall call = e.call();
      List<CelExpr> all = new ArrayList<>();
      call.target().ifPresent(all::add);
      all.addAll(call.args());
      Node[] a = compileAll(all);
      List<CelFunctionBinding> library = libraryOf(e);
      boolean member = call.target().isPresent();
      String fn = call.function();
      Node op = switch (a.length) {
        case 1 -> unary(fn, member, a[0]);
        case 2 -> binary(fn, member, a[0], a[1]);
        case 3 -> fn.equals("_?_:_") ? f -> bool(a[0].eval(f)) ? a[1].eval(f) : a[2].eval(f) : null;
        default -> null;
      };
      if (!library.isEmpty()) {
        // a name both the standard library and a Kubernetes library overload (string(ip), string(x))
        return library(library, a, op == null ? f -> giveUp() : op);
      }
      if (op == null) {
        throw new NotFast();
      }
      return op;
    }

    /**
     * A Kubernetes library function; {@code otherwise} when no overload of it takes the arguments.
     * The library's functions depend on their arguments alone, so a call on constants that succeeds
     * ({@code quantity('64Mi')}) is made once, here, and its value kept when it cannot be changed
     * (no list, map or optional, which a caller could hold on to).
     */
    private static Node library(List<CelFunctionBinding> candidates, Node[] a, Node otherwise) {
      Node call = f -> {
        Object[] args = new Object[a.length];
        for (int i = 0; i < args.length; i++) {
          args[i] = a[i].eval(f);
        }
        return apply(candidates, args, otherwise, f);
      };
      Object[] constants = new Object[a.length];
      for (int i = 0; i < a.length; i++) {
        if (!(a[i] instanceof Constant c)) {
          return call;
        }
        constants[i] = c.value();
      }
      Object value;
      try {
        value = apply(candidates, constants, f -> giveUp(), null);
      } catch (GiveUp e) {
        return call; // an error: each evaluation meets it, and cel-java words it
      }
      return value instanceof Collection<?> || value instanceof Map<?, ?> || value instanceof Optional<?> ? call
          : new Constant(value);
    }

    private static Object apply(List<CelFunctionBinding> candidates, Object[] args, Node otherwise, Frame f) {
      CelFunctionBinding match = null;
      for (CelFunctionBinding b : candidates) {
        if (accepts(b, args)) {
          if (match != null) {
            throw GIVE_UP;
          }
          match = b;
        }
      }
      if (match == null) {
        return otherwise.eval(f);
      }
      try {
        return checked(match.getDefinition().apply(args));
      } catch (Exception err) {
        throw GIVE_UP;
      }
    }

    private static Node unary(String fn, boolean member, Node x) {
      return switch (fn) {
        case "!_" -> f -> !bool(x.eval(f));
        case "-_" -> f -> {
          Object v = x.eval(f);
          return v instanceof Long l && l != Long.MIN_VALUE ? (Object) (-l) : v instanceof Double d ? (Object) (-d) : giveUp();
        };
        case "@not_strictly_false" -> f -> bool(x.eval(f));
        case "size" -> f -> size(x.eval(f));
        case "string" -> member ? null : f -> {
          Object v = x.eval(f);
          return v instanceof String || v instanceof Boolean ? v.toString() : v instanceof Long l ? Long.toString(l) : giveUp();
        };
        case "int" -> member ? null : f -> x.eval(f) instanceof Long l ? l : giveUp();
        case "hasValue" -> member ? f -> optional(x.eval(f)).isPresent() : null;
        case "value" -> member ? f -> optional(x.eval(f)).orElseThrow(() -> GIVE_UP) : null;
        case "join" -> member ? f -> join(x.eval(f), "") : null;
        case "reverse" -> member ? f -> {
          List<Object> out = new ArrayList<>(asList(x.eval(f)));
          Collections.reverse(out);
          return Collections.unmodifiableList(out);
        } : null;
        default -> null;
      };
    }

    private static Node binary(String fn, boolean member, Node x, Node y) {
      return switch (fn) {
        case "_&&_" -> f -> bool(x.eval(f)) && bool(y.eval(f));
        case "_||_" -> f -> bool(x.eval(f)) || bool(y.eval(f));
        case "_==_" -> f -> equal(x.eval(f), y.eval(f));
        case "_!=_" -> f -> !equal(x.eval(f), y.eval(f));
        case "_<_" -> f -> compare(x.eval(f), y.eval(f)) < 0;
        case "_<=_" -> f -> compare(x.eval(f), y.eval(f)) <= 0;
        case "_>_" -> f -> compare(x.eval(f), y.eval(f)) > 0;
        case "_>=_" -> f -> compare(x.eval(f), y.eval(f)) >= 0;
        case "_+_" -> f -> add(x.eval(f), y.eval(f));
        case "_-_" -> f -> arithmetic('-', x.eval(f), y.eval(f));
        case "_*_" -> f -> arithmetic('*', x.eval(f), y.eval(f));
        case "_/_" -> f -> arithmetic('/', x.eval(f), y.eval(f));
        case "_%_" -> f -> arithmetic('%', x.eval(f), y.eval(f));
        case "_[_]" -> f -> index(x.eval(f), y.eval(f));
        case "_[?_]" -> f -> optionalIndex(x.eval(f), y.eval(f));
        case "_?._" -> f -> optionalField(x.eval(f), (String) y.eval(f));
        case "@in" -> f -> in(x.eval(f), y.eval(f));
        case "startsWith" -> member ? f -> string(x.eval(f)).startsWith(string(y.eval(f))) : null;
        case "endsWith" -> member ? f -> string(x.eval(f)).endsWith(string(y.eval(f))) : null;
        case "contains" -> member ? f -> string(x.eval(f)).contains(string(y.eval(f))) : null;
        case "join" -> member ? f -> join(x.eval(f), string(y.eval(f))) : null;
        case "split" -> member ? f -> split(string(x.eval(f)), string(y.eval(f))) : null;
        case "orValue" -> member ? f -> {
          Optional<?> o = optional(x.eval(f));
          Object other = y.eval(f); // strict, as in cel-go: an error here is an error either way
          return o.isPresent() ? o.get() : other;
        } : null;
        default -> null;
      };
    }
  }

  /** How many nodes an expression has: what one pass over it may evaluate at most. */
  private static long nodes(CelExpr e) {
    return switch (e.getKind()) {
      case SELECT -> 1 + nodes(e.select().operand());
      case CALL -> 1 + e.call().target().map(FastEval::nodes).orElse(0L)
          + e.call().args().stream().mapToLong(FastEval::nodes).sum();
      case LIST -> 1 + e.list().elements().stream().mapToLong(FastEval::nodes).sum();
      case MAP -> 1 + e.map().entries().stream().mapToLong(x -> nodes(x.key()) + nodes(x.value())).sum();
      case COMPREHENSION -> 1 + nodes(e.comprehension().iterRange()) + nodes(e.comprehension().accuInit())
          + nodes(e.comprehension().result());
      default -> 1;
    };
  }

  private static <T> T giveUp() {
    throw GIVE_UP;
  }

  private static Object checked(Object v) {
    if (v == null || v instanceof Integer || v instanceof Float) {
      throw GIVE_UP; // cel-java would adapt it; leave that to cel-java
    }
    return v;
  }

  private static boolean accepts(CelFunctionBinding b, Object[] args) {
    List<Class<?>> types = b.getArgTypes();
    if (types.size() != args.length) {
      return false;
    }
    for (int i = 0; i < args.length; i++) {
      if (!types.get(i).isInstance(args[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean bool(Object v) {
    return v instanceof Boolean b ? b : giveUp();
  }

  private static String string(Object v) {
    return v instanceof String s ? s : giveUp();
  }

  private static List<?> asList(Object v) {
    return v instanceof List<?> l ? l : giveUp();
  }

  private static Optional<?> optional(Object v) {
    return v instanceof Optional<?> o ? o : giveUp();
  }

  private static Object field(Object operand, String field) {
    if (operand instanceof Map<?, ?> m) {
      Object v = m.get(field);
      if (v != null) {
        return v;
      }
    }
    throw GIVE_UP;
  }

  private static Optional<?> optionalField(Object operand, String field) {
    if (operand instanceof Optional<?> o) {
      return o.isEmpty() ? o : optionalField(o.get(), field);
    }
    if (operand instanceof Map<?, ?> m) {
      return Optional.ofNullable(m.get(field));
    }
    throw GIVE_UP;
  }

  private static Object index(Object operand, Object key) {
    if (operand instanceof List<?> l && key instanceof Long i && i >= 0 && i < l.size()) {
      return l.get((int) (long) i);
    }
    if (operand instanceof Map<?, ?> m && key instanceof String) {
      return field(m, (String) key);
    }
    throw GIVE_UP;
  }

  private static Optional<?> optionalIndex(Object operand, Object key) {
    if (operand instanceof Optional<?> o) {
      return o.isEmpty() ? o : optionalIndex(o.get(), key);
    }
    if (operand instanceof List<?> l && key instanceof Long i) {
      return i >= 0 && i < l.size() ? Optional.of(l.get((int) (long) i)) : Optional.empty();
    }
    if (operand instanceof Map<?, ?> m && key instanceof String s) {
      return Optional.ofNullable(m.get(s));
    }
    throw GIVE_UP;
  }

  private static boolean in(Object element, Object container) {
    if (container instanceof List<?> l) {
      for (Object x : l) {
        if (equal(element, x)) {
          return true;
        }
      }
      return false;
    }
    if (container instanceof Map<?, ?> m && element instanceof String) {
      return m.containsKey(element);
    }
    throw GIVE_UP;
  }

  private static long size(Object v) {
    if (v instanceof String s) {
      return s.codePointCount(0, s.length());
    }
    if (v instanceof Collection<?> c) {
      return c.size();
    }
    return v instanceof Map<?, ?> m ? m.size() : FastEval.<Long>giveUp();
  }

  private static String join(Object list, String separator) {
    StringBuilder out = new StringBuilder();
    List<?> l = asList(list);
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        out.append(separator);
      }
      out.append(string(l.get(i)));
    }
    return out.toString();
  }

  /** Go's strings.Split, which cel-go's split is: every part, empty ones included. */
  private static List<String> split(String s, String separator) {
    if (separator.isEmpty()) {
      throw GIVE_UP;
    }
    List<String> out = new ArrayList<>();
    int from = 0;
    for (int at = s.indexOf(separator); at >= 0; at = s.indexOf(separator, from)) {
      out.add(s.substring(from, at));
      from = at + separator.length();
    }
    out.add(s.substring(from));
    return Collections.unmodifiableList(out);
  }

  private static boolean equal(Object a, Object b) {
    if (a instanceof String s && b instanceof String t) {
      return s.equals(t);
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return x.equals(y);
    }
    if (a instanceof Long x && b instanceof Long y) {
      return x.longValue() == y.longValue();
    }
    if (a instanceof Double x && b instanceof Double y) {
      return x.doubleValue() == y.doubleValue();
    }
    if (a instanceof Long x && b instanceof Double y) {
      return exact(x) == y;
    }
    if (a instanceof Double x && b instanceof Long y) {
      return x == exact(y);
    }
    if (a == NullValue.NULL_VALUE && b == NullValue.NULL_VALUE) {
      return true;
    }
    if (a instanceof List<?> l && b instanceof List<?> m) {
      if (l.size() != m.size()) {
        return false;
      }
      for (int i = 0; i < l.size(); i++) {
        if (!equal(l.get(i), m.get(i))) {
          return false;
        }
      }
      return true;
    }
    throw GIVE_UP;
  }

  private static double exact(long l) {
    if (l > MAX_EXACT_DOUBLE || l < -MAX_EXACT_DOUBLE) {
      throw GIVE_UP;
    }
    return l;
  }

  private static int compare(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    double x = a instanceof Long l ? exact(l) : a instanceof Double d ? d : giveUp();
    double y = b instanceof Long l ? exact(l) : b instanceof Double d ? d : giveUp();
    if (Double.isNaN(x) || Double.isNaN(y)) {
      throw GIVE_UP;
    }
    return Double.compare(x == 0 ? 0 : x, y == 0 ? 0 : y); // -0.0 == 0.0 in CEL
  }

  private static Object add(Object a, Object b) {
    if (a instanceof String s && b instanceof String t) {
      return s.concat(t);
    }
    if (a instanceof List<?> l && b instanceof List<?> m) {
      List<Object> out = new ArrayList<>(l.size() + m.size());
      out.addAll(l);
      out.addAll(m);
      return Collections.unmodifiableList(out);
    }
    return arithmetic('+', a, b);
  }

  private static Object arithmetic(char op, Object a, Object b) {
    try {
      if (a instanceof Long x && b instanceof Long y) {
        return switch (op) {
          case '+' -> Math.addExact(x, y);
          case '-' -> Math.subtractExact(x, y);
          case '*' -> Math.multiplyExact(x, y);
          case '/' -> y == 0 || x == Long.MIN_VALUE && y == -1 ? giveUp() : x / y;
          default -> y == 0 || x == Long.MIN_VALUE && y == -1 ? giveUp() : x % y;
        };
      }
    } catch (ArithmeticException overflow) {
      throw GIVE_UP;
    }
    if (a instanceof Double x && b instanceof Double y) {
      return switch (op) {
        case '+' -> x + y;
        case '-' -> x - y;
        case '*' -> x * y;
        case '/' -> x / y;
        default -> giveUp();
      };
    }
    throw GIVE_UP;
  }
}
