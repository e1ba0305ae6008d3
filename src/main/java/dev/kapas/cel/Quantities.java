package dev.kapas.cel;

import static dev.cel.common.CelFunctionDecl.newFunctionDeclaration;
import static dev.cel.common.CelOverloadDecl.newGlobalOverload;
import static dev.cel.common.CelOverloadDecl.newMemberOverload;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Kubernetes quantity library: {@code quantity("200M")} with apimachinery's parsing (the
 * regular-expression check first, then the suffix) and semantic equality, so {@code
 * quantity("200M") == quantity("0.2G")}.
 */
final class Quantities implements Library {
  static final OpaqueType TYPE = OpaqueType.create("kubernetes.Quantity");
  private static final Pattern SHAPE = Pattern.compile("([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)");
  private static final Pattern NUMBER = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)");
  private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
      Map.entry("", BigDecimal.ONE),
      Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")),
      Map.entry("m", new BigDecimal("1e-3")), Map.entry("k", new BigDecimal("1e3")),
      Map.entry("M", new BigDecimal("1e6")), Map.entry("G", new BigDecimal("1e9")),
      Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")),
      Map.entry("E", new BigDecimal("1e18")),
      Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
      Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
      Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)));
  private static final BigDecimal MIN_LONG = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal MAX_LONG = BigDecimal.valueOf(Long.MAX_VALUE);

  /** A quantity's exact value; equal when numerically equal, whatever the suffix. */
  record Quantity(BigDecimal value) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Quantity q && value.compareTo(q.value) == 0;
    }

    @Override
    public int hashCode() {
      return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode();
    }

    boolean isInteger() {
      return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0
          && value.compareTo(MIN_LONG) >= 0 && value.compareTo(MAX_LONG) <= 0;
    }
  }

  @Override
  public List<CelType> types() {
    return List.of(TYPE);
  }

  @Override
  public List<CelFunctionDecl> declarations() {
    var s = SimpleType.STRING;
    var b = SimpleType.BOOL;
    var i = SimpleType.INT;
    return List.of(
        newFunctionDeclaration("quantity", newGlobalOverload("string_to_quantity", TYPE, s)),
        newFunctionDeclaration("isQuantity", newGlobalOverload("is_quantity_string", b, s)),
        newFunctionDeclaration("sign", newMemberOverload("quantity_sign", i, TYPE)),
        newFunctionDeclaration("isGreaterThan", newMemberOverload("quantity_is_greater_than", b, TYPE, TYPE)),
        newFunctionDeclaration("isLessThan", newMemberOverload("quantity_is_less_than", b, TYPE, TYPE)),
        newFunctionDeclaration("compareTo", newMemberOverload("quantity_compare_to", i, TYPE, TYPE)),
        newFunctionDeclaration("asApproximateFloat",
            newMemberOverload("quantity_get_float", SimpleType.DOUBLE, TYPE)),
        newFunctionDeclaration("asInteger", newMemberOverload("quantity_get_int", i, TYPE)),
        newFunctionDeclaration("isInteger", newMemberOverload("quantity_is_integer", b, TYPE)),
        newFunctionDeclaration("add",
            newMemberOverload("quantity_add", TYPE, TYPE, TYPE),
            newMemberOverload("quantity_add_int", TYPE, TYPE, i)),
        newFunctionDeclaration("sub",
            newMemberOverload("quantity_sub", TYPE, TYPE, TYPE),
            newMemberOverload("quantity_sub_int", TYPE, TYPE, i)));
  }

  @Override
  public List<CelFunctionBinding> bindings() {
    return List.of(
        CelFunctionBinding.from("string_to_quantity", String.class, Quantities::parse),
        CelFunctionBinding.from("is_quantity_string", String.class, s -> parseOrReason(s) instanceof Quantity),
        CelFunctionBinding.from("quantity_sign", Quantity.class, q -> (long) q.value().signum()),
        CelFunctionBinding.from("quantity_is_greater_than", Quantity.class, Quantity.class,
            (a, b) -> a.value().compareTo(b.value()) > 0),
        CelFunctionBinding.from("quantity_is_less_than", Quantity.class, Quantity.class,
            (a, b) -> a.value().compareTo(b.value()) < 0),
        CelFunctionBinding.from("quantity_compare_to", Quantity.class, Quantity.class,
            (a, b) -> (long) Integer.signum(a.value().compareTo(b.value()))),
        CelFunctionBinding.from("quantity_get_float", Quantity.class, q -> q.value().doubleValue()),
        CelFunctionBinding.from("quantity_get_int", Quantity.class, Quantities::asInteger),
        CelFunctionBinding.from("quantity_is_integer", Quantity.class, Quantity::isInteger),
        CelFunctionBinding.from("quantity_add", Quantity.class, Quantity.class,
            (a, b) -> new Quantity(a.value().add(b.value()))),
        CelFunctionBinding.from("quantity_add_int", Quantity.class, Long.class,
            (a, b) -> new Quantity(a.value().add(BigDecimal.valueOf(b)))),
        CelFunctionBinding.from("quantity_sub", Quantity.class, Quantity.class,
            (a, b) -> new Quantity(a.value().subtract(b.value()))),
        CelFunctionBinding.from("quantity_sub_int", Quantity.class, Long.class,
            (a, b) -> new Quantity(a.value().subtract(BigDecimal.valueOf(b)))));
  }

  private static long asInteger(Quantity q) {
    if (!q.isInteger()) {
      throw new CelRuntimeError("cannot convert value to integer");
    }
    return q.value().longValueExact();
  }

  static Quantity parse(String s) {
    Object parsed = parseOrReason(s);
    if (parsed instanceof Quantity q) {
      return q;
    }
    throw new CelRuntimeError((String) parsed);
  }

  /**
   * Texts parsed before, with their {@link #parseOrReason} (both immutable): a scan meets the same
   * few limits ({@code 512Mi}) in thousands of containers, for every rule that reads them.
   */
  private static final Map<String, Object> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_PARSED = 4096;

  /** A {@link Quantity}, or apimachinery's reason why {@code s} is not one. */
  static Object parseOrReason(String s) {
    if (s.length() > 64) {
      return parseOrReasonOnce(s); // not kept: a long text is no limit a manifest repeats
    }
    Object known = PARSED.get(s);
    if (known == null) {
      known = parseOrReasonOnce(s);
      if (PARSED.size() >= MAX_PARSED) {
        PARSED.clear(); // a bound, not an eviction policy: the texts of one scan are few
      }
      PARSED.put(s, known);
    }
    return known;
  }

  private static Object parseOrReasonOnce(String s) {
    var m = SHAPE.matcher(s);
    if (s.isEmpty() || !m.matches()) {
      return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    }
    String number = m.group(1);
    String suffix = m.group(2);
    if (!NUMBER.matcher(number).matches()) {
      return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    }
    BigDecimal multiplier = SUFFIXES.get(suffix);
    if (multiplier == null && suffix.matches("[eE][-+]?[0-9]+")) {
      multiplier = BigDecimal.ONE.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
    }
    if (multiplier == null) {
      return "unable to parse quantity's suffix";
    }
    String digits = number.endsWith(".") ? number.substring(0, number.length() - 1) : number;
    return new Quantity(new BigDecimal(digits.startsWith(".") || digits.startsWith("+.")
        || digits.startsWith("-.") ? digits.replace(".", "0.") : digits).multiply(multiplier));
  }
}
