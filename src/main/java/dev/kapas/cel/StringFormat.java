package dev.kapas.cel;

import static dev.cel.common.CelFunctionDecl.newFunctionDeclaration;
import static dev.cel.common.CelOverloadDecl.newMemberOverload;

import com.google.common.primitives.UnsignedLong;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import dev.cel.runtime.CelFunctionBinding;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code "…".format([args])} as the API server has it: cel-go's strings extension version 2, whose
 * formatter prints durations as {@code 60s} and {@code %e} as {@code 3.140000×10⁰⁰}. cel-java's
 * strings extension has no {@code format}.
 */
final class StringFormat implements Library {
  private static final String SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

  @Override
  public List<CelFunctionDecl> declarations() {
    return List.of(newFunctionDeclaration("format", newMemberOverload("string_format",
        SimpleType.STRING, SimpleType.STRING, ListType.create(SimpleType.DYN))));
  }

  @Override
  public List<CelFunctionBinding> bindings() {
    return List.of(CelFunctionBinding.from("string_format", String.class, List.class, StringFormat::format));
  }

  /** Why {@code template} is not a valid format string for {@code argCount} arguments, or null. */
  static String check(String template, int argCount) {
    int used = 0;
    for (int i = 0; i < template.length(); i++) {
      if (template.charAt(i) != '%') {
        continue;
      }
      i++;
      if (i < template.length() && template.charAt(i) == '%') {
        continue;
      }
      if (i < template.length() && template.charAt(i) == '.') {
        i++;
        while (i < template.length() && Character.isDigit(template.charAt(i))) {
          i++;
        }
      }
      if (i >= template.length() || "sdfeboxX".indexOf(template.charAt(i)) < 0) {
        return "unrecognized formatting clause";
      }
      used++;
    }
    return used > argCount ? "index " + argCount + " out of range" : null;
  }

  static String format(String template, List<?> args) {
    StringBuilder out = new StringBuilder();
    int next = 0;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      i++;
      if (i >= template.length()) {
        throw new CelRuntimeError("unexpected end of format string");
      }
      if (template.charAt(i) == '%') {
        out.append('%');
        continue;
      }
      int precision = -1;
      if (template.charAt(i) == '.') {
        int start = ++i;
        while (i < template.length() && Character.isDigit(template.charAt(i))) {
          i++;
        }
        precision = start == i ? 0 : Integer.parseInt(template.substring(start, i));
        if (i >= template.length()) {
          throw new CelRuntimeError("unexpected end of format string");
        }
      }
      if (next >= args.size()) {
        throw new CelRuntimeError("index " + next + " out of range");
      }
      Object arg = args.get(next++);
      out.append(switch (template.charAt(i)) {
        case 's' -> string(arg);
        case 'd' -> decimal(arg);
        case 'f' -> fixed(arg, precision < 0 ? 6 : precision);
        case 'e' -> scientific(arg, precision < 0 ? 6 : precision);
        case 'b' -> radix(arg, 2);
        case 'o' -> radix(arg, 8);
        case 'x' -> hex(arg, false);
        case 'X' -> hex(arg, true);
        default -> throw new CelRuntimeError("could not parse formatting clause: unrecognized formatting clause \""
            + template.charAt(i) + "\"");
      });
    }
    return out.toString();
  }

  static String string(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Double d) {
      return d.isNaN() ? "NaN" : d.isInfinite() ? (d > 0 ? "Infinity" : "-Infinity")
          : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
    if (v instanceof Duration d) {
      return new BigDecimal(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9))
          .stripTrailingZeros().toPlainString() + "s";
    }
    if (v instanceof Instant t) {
      return DateTimeFormatter.ISO_INSTANT.format(t);
    }
    if (v instanceof CelByteString b) {
      return new String(b.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
    }
    if (v instanceof NullValue || v == null) {
      return "null";
    }
    if (v instanceof List<?> l) {
      StringJoiner j = new StringJoiner(", ", "[", "]");
      l.forEach(x -> j.add(quoted(x)));
      return j.toString();
    }
    if (v instanceof Map<?, ?> m) {
      StringJoiner j = new StringJoiner(", ", "{", "}");
      m.entrySet().stream().map(e -> quoted(e.getKey()) + ": " + quoted(e.getValue())).sorted().forEach(j::add);
      return j.toString();
    }
    return String.valueOf(v);
  }

  private static String quoted(Object v) {
    return v instanceof String s ? "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : string(v);
  }

  private static String decimal(Object v) {
    if (v instanceof Long || v instanceof UnsignedLong) {
      return v.toString();
    }
    if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return string(d);
    }
    throw new CelRuntimeError("error during formatting: decimal clause can only be used on integers, was given "
        + typeName(v));
  }

  private static String fixed(Object v, int precision) {
    double d = number(v, "fixed-point");
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return string(d);
    }
    return new BigDecimal(d).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
  }

  private static String scientific(Object v, int precision) {
    double d = number(v, "scientific");
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return string(d);
    }
    String plain = String.format(java.util.Locale.ROOT, "%." + precision + "e", d);
    int e = plain.indexOf('e');
    int exponent = Integer.parseInt(plain.substring(e + 1));
    StringBuilder sup = new StringBuilder(exponent < 0 ? "⁻" : "");
    String digits = String.format("%02d", Math.abs(exponent));
    for (char c : digits.toCharArray()) {
      sup.append(SUPERSCRIPTS.charAt(c - '0'));
    }
    return plain.substring(0, e) + "×10" + sup;
  }

  private static double number(Object v, String clause) {
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof UnsignedLong u) {
      return u.doubleValue();
    }
    throw new CelRuntimeError("error during formatting: " + clause + " clause can only be used on doubles, was given "
        + typeName(v));
  }

  private static String radix(Object v, int radix) {
    if (v instanceof Long l) {
      return Long.toString(l, radix);
    }
    if (v instanceof UnsignedLong u) {
      return u.toString(radix);
    }
    if (v instanceof Boolean b && radix == 2) {
      return b ? "1" : "0";
    }
    throw new CelRuntimeError("error during formatting: only integers can be formatted in base " + radix
        + ", was given " + typeName(v));
  }

  private static String hex(Object v, boolean upper) {
    String out;
    if (v instanceof Long || v instanceof UnsignedLong) {
      out = radix(v, 16);
    } else if (v instanceof String || v instanceof CelByteString) {
      byte[] bytes = v instanceof String s ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8)
          : ((CelByteString) v).toByteArray();
      StringBuilder b = new StringBuilder();
      for (byte x : bytes) {
        b.append(String.format("%02x", x & 255));
      }
      out = b.toString();
    } else {
      throw new CelRuntimeError("error during formatting: only integers, byte buffers, and strings can be"
          + " formatted as hex, was given " + typeName(v));
    }
    return upper ? out.toUpperCase(java.util.Locale.ROOT) : out;
  }

  private static String typeName(Object v) {
    return v instanceof Double ? "double" : v instanceof String ? "string" : v instanceof Boolean ? "bool"
        : v.getClass().getSimpleName();
  }
}
