package dev.kapas.cel;

import static dev.cel.common.CelFunctionDecl.newFunctionDeclaration;
import static dev.cel.common.CelOverloadDecl.newGlobalOverload;
import static dev.cel.common.CelOverloadDecl.newMemberOverload;

import com.google.common.primitives.UnsignedLong;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.common.values.CelByteString;
import dev.cel.runtime.CelFunctionBinding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The Kubernetes lists library ({@code sum}, {@code min}, {@code max}, {@code isSorted}, {@code
 * indexOf}, {@code lastIndexOf}), the regex library ({@code find}, {@code findAll}, RE2 syntax), and
 * the runtime half of kapas' {@code sortBy}.
 *
 * <p>The list functions are declared once over {@code list(T)} and dispatch on the elements at run
 * time, so {@code dyn([1.0, 2.0]).sum()} works as in cel-go; which element types each function
 * accepts is checked after type-checking by {@link KubeCel} (see {@link #SUMMABLE}, {@link #COMPARABLE}).
 */
final class KubeLists implements Library {
  static final String SORT_BY_FUNCTION = "@kapas_sortBy";
  /** Element types {@code sum()} accepts. */
  static final Set<String> SUMMABLE = Set.of("int", "uint", "double", "google.protobuf.Duration", "dyn");
  /** Element types {@code min()}, {@code max()} and {@code isSorted()} accept. */
  static final Set<String> COMPARABLE = Set.of("int", "uint", "double", "bool", "string", "bytes",
      "google.protobuf.Duration", "google.protobuf.Timestamp", "dyn");

  @Override
  public List<CelFunctionDecl> declarations() {
    var t = TypeParamType.create("T");
    var listT = ListType.create(t);
    var s = SimpleType.STRING;
    return List.of(
        newFunctionDeclaration("sum", newMemberOverload("list_sum", t, listT)),
        newFunctionDeclaration("min", newMemberOverload("list_min", t, listT)),
        newFunctionDeclaration("max", newMemberOverload("list_max", t, listT)),
        newFunctionDeclaration("isSorted",
            newMemberOverload("list_is_sorted", SimpleType.BOOL, listT)),
        newFunctionDeclaration("indexOf",
            newMemberOverload("list_index_of", SimpleType.INT, listT, t)),
        newFunctionDeclaration("lastIndexOf",
            newMemberOverload("list_last_index_of", SimpleType.INT, listT, t)),
        newFunctionDeclaration("find", newMemberOverload("string_find", s, s, s)),
        newFunctionDeclaration("findAll",
            newMemberOverload("string_find_all", ListType.create(s), s, s),
            newMemberOverload("string_find_all_n", ListType.create(s), s, s, SimpleType.INT)),
        newFunctionDeclaration(SORT_BY_FUNCTION, newGlobalOverload("list_sort_by_keys",
            listT, listT, ListType.create(SimpleType.DYN))));
  }

  @Override
  public List<CelFunctionBinding> bindings() {
    return List.of(
        CelFunctionBinding.from("list_sum", List.class, KubeLists::sum),
        CelFunctionBinding.from("list_min", List.class, l -> extreme(l, -1, "min")),
        CelFunctionBinding.from("list_max", List.class, l -> extreme(l, 1, "max")),
        CelFunctionBinding.from("list_is_sorted", List.class, KubeLists::isSorted),
        CelFunctionBinding.from("list_index_of", List.class, Object.class, (l, x) -> (long) indexOf(l, x)),
        CelFunctionBinding.from("list_last_index_of", List.class, Object.class,
            (l, x) -> (long) lastIndexOf(l, x)),
        CelFunctionBinding.from("string_find", String.class, String.class, (s, re) -> {
          Matcher m = compile(re).matcher(s);
          return m.find() ? m.group() : "";
        }),
        CelFunctionBinding.from("string_find_all", String.class, String.class, (s, re) -> findAll(s, re, -1)),
        CelFunctionBinding.from("string_find_all_n", List.of(String.class, String.class, Long.class),
            args -> findAll((String) args[0], (String) args[1], (Long) args[2])),
        CelFunctionBinding.from("list_sort_by_keys", List.class, List.class, KubeLists::sortByKeys));
  }

  static Pattern compile(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new CelRuntimeError("invalid regular expression: " + e.getMessage());
    }
  }

  private static List<String> findAll(String s, String regex, long limit) {
    List<String> out = new ArrayList<>();
    if (limit == 0) {
      return out;
    }
    Matcher m = compile(regex).matcher(s);
    while (m.find() && (limit < 0 || out.size() < limit)) {
      out.add(m.group());
    }
    return out;
  }

  private static Object sum(List<?> list) {
    if (list.isEmpty()) {
      return 0L;
    }
    Object first = list.get(0);
    if (first instanceof Long) {
      long total = 0;
      for (Object x : list) {
        total = Math.addExact(total, (Long) x);
      }
      return total;
    }
    if (first instanceof Double) {
      double total = 0;
      for (Object x : list) {
        total += (Double) x;
      }
      return total;
    }
    if (first instanceof UnsignedLong) {
      UnsignedLong total = UnsignedLong.ZERO;
      for (Object x : list) {
        total = total.plus((UnsignedLong) x);
      }
      return total;
    }
    if (first instanceof Duration) {
      Duration total = Duration.ZERO;
      for (Object x : list) {
        total = total.plus((Duration) x);
      }
      return total;
    }
    throw new CelRuntimeError("no such overload: sum() of a list of " + first.getClass().getSimpleName());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    if (a instanceof Comparable ca && (a.getClass() == b.getClass() || a instanceof CelByteString)) {
      return ca.compareTo(b);
    }
    if (a instanceof Number && b instanceof Number) {
      return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
    }
    throw new CelRuntimeError("no such overload: cannot compare " + a.getClass().getSimpleName()
        + " and " + b.getClass().getSimpleName());
  }

  private static Object extreme(List<?> list, int sign, String name) {
    if (list.isEmpty()) {
      throw new CelRuntimeError(name + "(list) called on an empty list");
    }
    Object best = list.get(0);
    for (Object x : list) {
      if (compare(x, best) * sign > 0) {
        best = x;
      }
    }
    return best;
  }

  private static boolean isSorted(List<?> list) {
    for (int i = 1; i < list.size(); i++) {
      if (compare(list.get(i - 1), list.get(i)) > 0) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(List<?> list, Object x) {
    for (int i = 0; i < list.size(); i++) {
      if (Values.equal(list.get(i), x)) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(List<?> list, Object x) {
    for (int i = list.size() - 1; i >= 0; i--) {
      if (Values.equal(list.get(i), x)) {
        return i;
      }
    }
    return -1;
  }

  private static List<Object> sortByKeys(List<?> list, List<?> keys) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparing(i -> keys.get(i), KubeLists::compare));
    List<Object> out = new ArrayList<>();
    for (int i : order) {
      out.add(list.get(i));
    }
    return out;
  }

  /** Equality of CEL values as {@code ==} sees them for the types a list can hold. */
  static final class Values {
    private Values() {}

    static boolean equal(Object a, Object b) {
      if (a instanceof Number && b instanceof Number && !(a instanceof UnsignedLong)
          && !(b instanceof UnsignedLong)) {
        return ((Number) a).doubleValue() == ((Number) b).doubleValue();
      }
      if (a instanceof List<?> la && b instanceof List<?> lb) {
        if (la.size() != lb.size()) {
          return false;
        }
        for (int i = 0; i < la.size(); i++) {
          if (!equal(la.get(i), lb.get(i))) {
            return false;
          }
        }
        return true;
      }
      if (a instanceof java.util.Map<?, ?> ma && b instanceof java.util.Map<?, ?> mb) {
        if (ma.size() != mb.size()) {
          return false;
        }
        for (var e : ma.entrySet()) {
          if (!mb.containsKey(e.getKey()) || !equal(e.getValue(), mb.get(e.getKey()))) {
            return false;
          }
        }
        return true;
      }
      return Objects.equals(a, b) || a instanceof Instant ia && b instanceof Instant ib && ia.equals(ib);
    }
  }
}
