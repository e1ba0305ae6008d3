package dev.kapas.cel;

import static dev.cel.common.CelFunctionDecl.newFunctionDeclaration;
import static dev.cel.common.CelOverloadDecl.newGlobalOverload;
import static dev.cel.common.CelOverloadDecl.newMemberOverload;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Kubernetes semver library (version 1, with the {@code normalize} flag), with the strict
 * Semantic Versioning 2.0 parsing of blang/semver v4 that the API server uses.
 */
final class Semvers implements Library {
  static final OpaqueType TYPE = OpaqueType.create("kubernetes.Semver");
  private static final Pattern NUMBER = Pattern.compile("0|[1-9][0-9]*");
  private static final Pattern IDENT = Pattern.compile("[0-9A-Za-z-]+");

  /** A version; build metadata does not take part in comparison or equality, as in blang/semver. */
  record Semver(long major, long minor, long patch, List<String> pre, List<String> build)
      implements Comparable<Semver> {
    @Override
    public boolean equals(Object o) {
      return o instanceof Semver v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(major) * 31 * 31 + Long.hashCode(minor) * 31 + Long.hashCode(patch) + pre.hashCode();
    }

    @Override
    public int compareTo(Semver o) {
      int c = Long.compare(major, o.major);
      c = c != 0 ? c : Long.compare(minor, o.minor);
      c = c != 0 ? c : Long.compare(patch, o.patch);
      if (c != 0) {
        return c;
      }
      if (pre.isEmpty() || o.pre.isEmpty()) {
        return Boolean.compare(pre.isEmpty(), o.pre.isEmpty());
      }
      for (int i = 0; i < Math.min(pre.size(), o.pre.size()); i++) {
        c = comparePre(pre.get(i), o.pre.get(i));
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(pre.size(), o.pre.size());
    }

    private static int comparePre(String a, String b) {
      boolean an = a.chars().allMatch(Character::isDigit);
      boolean bn = b.chars().allMatch(Character::isDigit);
      if (an && bn) {
        return new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b));
      }
      return an ? -1 : bn ? 1 : Integer.signum(a.compareTo(b));
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
        newFunctionDeclaration("semver",
            newGlobalOverload("string_to_semver", TYPE, s),
            newGlobalOverload("string_bool_to_semver", TYPE, s, b)),
        newFunctionDeclaration("isSemver",
            newGlobalOverload("is_semver_string", b, s),
            newGlobalOverload("is_semver_string_bool", b, s, b)),
        newFunctionDeclaration("isGreaterThan", newMemberOverload("semver_is_greater_than", b, TYPE, TYPE)),
        newFunctionDeclaration("isLessThan", newMemberOverload("semver_is_less_than", b, TYPE, TYPE)),
        newFunctionDeclaration("compareTo", newMemberOverload("semver_compare_to", i, TYPE, TYPE)),
        newFunctionDeclaration("major", newMemberOverload("semver_major", i, TYPE)),
        newFunctionDeclaration("minor", newMemberOverload("semver_minor", i, TYPE)),
        newFunctionDeclaration("patch", newMemberOverload("semver_patch", i, TYPE)));
  }

  @Override
  public List<CelFunctionBinding> bindings() {
    return List.of(
        CelFunctionBinding.from("string_to_semver", String.class, s -> parse(s, false)),
        CelFunctionBinding.from("string_bool_to_semver", String.class, Boolean.class, Semvers::parse),
        CelFunctionBinding.from("is_semver_string", String.class, s -> parseOrReason(s, false) instanceof Semver),
        CelFunctionBinding.from("is_semver_string_bool", String.class, Boolean.class,
            (s, n) -> parseOrReason(s, n) instanceof Semver),
        CelFunctionBinding.from("semver_is_greater_than", Semver.class, Semver.class, (a, b) -> a.compareTo(b) > 0),
        CelFunctionBinding.from("semver_is_less_than", Semver.class, Semver.class, (a, b) -> a.compareTo(b) < 0),
        CelFunctionBinding.from("semver_compare_to", Semver.class, Semver.class,
            (a, b) -> (long) Integer.signum(a.compareTo(b))),
        CelFunctionBinding.from("semver_major", Semver.class, Semver::major),
        CelFunctionBinding.from("semver_minor", Semver.class, Semver::minor),
        CelFunctionBinding.from("semver_patch", Semver.class, Semver::patch));
  }

  static Semver parse(String s, boolean normalize) {
    Object parsed = parseOrReason(s, normalize);
    if (parsed instanceof Semver v) {
      return v;
    }
    throw new CelRuntimeError((String) parsed);
  }

  static Object parseOrReason(String s, boolean normalize) {
    if (normalize) {
      s = normalized(s);
    }
    if (s.isEmpty()) {
      return "Version string empty";
    }
    String rest = s;
    List<String> build = List.of();
    int plus = rest.indexOf('+');
    if (plus >= 0) {
      build = List.of(rest.substring(plus + 1).split("\\.", -1));
      rest = rest.substring(0, plus);
      for (String id : build) {
        if (!IDENT.matcher(id).matches()) {
          return "Invalid character(s) found in build meta \"" + id + "\"";
        }
      }
    }
    List<String> pre = List.of();
    int dash = rest.indexOf('-');
    if (dash >= 0) {
      pre = List.of(rest.substring(dash + 1).split("\\.", -1));
      rest = rest.substring(0, dash);
      for (String id : pre) {
        if (!IDENT.matcher(id).matches()) {
          return "Invalid character(s) found in prerelease \"" + id + "\"";
        }
        if (id.chars().allMatch(Character::isDigit) && !NUMBER.matcher(id).matches()) {
          return "Numeric PreRelease version must not contain leading zeroes \"" + id + "\"";
        }
      }
    }
    String[] parts = rest.split("\\.", -1);
    if (parts.length != 3) {
      return "No Major.Minor.Patch elements found";
    }
    long[] numbers = new long[3];
    for (int i = 0; i < 3; i++) {
      if (!NUMBER.matcher(parts[i]).matches()) {
        return "Invalid character(s) or leading zeroes in version part \"" + parts[i] + "\"";
      }
      try {
        numbers[i] = Long.parseLong(parts[i]);
      } catch (NumberFormatException e) {
        return "Version part out of range \"" + parts[i] + "\"";
      }
    }
    return new Semver(numbers[0], numbers[1], numbers[2], pre, build);
  }

  /** Kubernetes' normalisation: drop a leading {@code v}, fill in {@code .0}s, drop leading zeros. */
  private static String normalized(String s) {
    s = s.startsWith("v") ? s.substring(1) : s;
    int end = s.length();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '-' || s.charAt(i) == '+') {
        end = i;
        break;
      }
    }
    String[] core = s.substring(0, end).split("\\.", -1);
    if (core.length > 3) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      String part = i < core.length ? core[i] : "0";
      if (part.length() > 1 && part.chars().allMatch(Character::isDigit)) {
        part = part.replaceFirst("^0+(?=.)", "");
      }
      out.append(i > 0 ? "." : "").append(part);
    }
    return out + s.substring(end);
  }
}
