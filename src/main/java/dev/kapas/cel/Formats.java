package dev.kapas.cel;

import static dev.cel.common.CelFunctionDecl.newFunctionDeclaration;
import static dev.cel.common.CelOverloadDecl.newGlobalOverload;
import static dev.cel.common.CelOverloadDecl.newMemberOverload;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Kubernetes format library: {@code format.dns1123Label().validate(s)} returns {@code
 * optional.none()} or the list of apimachinery's validation messages, word for word.
 */
final class Formats implements Library {
  static final OpaqueType TYPE = OpaqueType.create("kubernetes.NamedFormat");

  /** A named format; two are equal when they have the same name. */
  record NamedFormat(String name) {}

  private static final String LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String SUBDOMAIN_FMT = LABEL_FMT + "(\\." + LABEL_FMT + ")*";
  private static final String DNS1035_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
  private static final String QUALIFIED_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_FMT + ")?";
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private static final Map<String, Function<String, List<String>>> FORMATS = formats();

  private static Map<String, Function<String, List<String>>> formats() {
    Map<String, Function<String, List<String>>> f = new LinkedHashMap<>();
    f.put("dns1123Label", Formats::dns1123Label);
    f.put("dns1123Subdomain", Formats::dns1123Subdomain);
    f.put("dns1035Label", Formats::dns1035Label);
    f.put("qualifiedName", Formats::qualifiedName);
    f.put("dns1123LabelPrefix", s -> dns1123Label(maskTrailingDash(s)));
    f.put("dns1123SubdomainPrefix", s -> dns1123Subdomain(maskTrailingDash(s)));
    f.put("dns1035LabelPrefix", s -> dns1035Label(maskTrailingDash(s)));
    f.put("labelValue", Formats::labelValue);
    f.put("uri", s -> Urls.parse(s) instanceof Urls.Url ? List.of() : List.of("invalid URI"));
    f.put("uuid", s -> UUID.matcher(s).matches() ? List.of() : List.of("does not match the UUID format"));
    f.put("byte", Formats::base64);
    f.put("date", s -> {
      try {
        LocalDate.parse(s);
        return List.of();
      } catch (DateTimeParseException e) {
        return List.of("invalid date");
      }
    });
    f.put("datetime", s -> {
      try {
        OffsetDateTime.parse(s.replace(' ', 'T').replace('t', 'T').replace('z', 'Z'));
        return List.of();
      } catch (DateTimeParseException e) {
        return List.of("invalid datetime");
      }
    });
    return Map.copyOf(f);
  }

  @Override
  public List<CelType> types() {
    return List.of(TYPE);
  }

  @Override
  public List<CelFunctionDecl> declarations() {
    List<CelFunctionDecl> decls = new ArrayList<>();
    for (String name : FORMATS.keySet()) {
      decls.add(newFunctionDeclaration("format." + name, newGlobalOverload("format_" + name, TYPE)));
    }
    decls.add(newFunctionDeclaration("format.named",
        newGlobalOverload("format_named", OptionalType.create(TYPE), SimpleType.STRING)));
    decls.add(newFunctionDeclaration("validate", newMemberOverload("format_validate",
        OptionalType.create(ListType.create(SimpleType.STRING)), TYPE, SimpleType.STRING)));
    return decls;
  }

  @Override
  public List<CelFunctionBinding> bindings() {
    List<CelFunctionBinding> bindings = new ArrayList<>();
    for (String name : FORMATS.keySet()) {
      bindings.add(CelFunctionBinding.from("format_" + name, List.of(), args -> new NamedFormat(name)));
    }
    bindings.add(CelFunctionBinding.from("format_named", String.class,
        n -> FORMATS.containsKey(n) ? Optional.of(new NamedFormat(n)) : Optional.empty()));
    bindings.add(CelFunctionBinding.from("format_validate", NamedFormat.class, String.class, (f, s) -> {
      List<String> errors = FORMATS.get(f.name()).apply(s);
      return errors.isEmpty() ? Optional.empty() : Optional.of(errors);
    }));
    return bindings;
  }

  private static String maskTrailingDash(String s) {
    return s.length() > 1 && s.endsWith("-") ? s.substring(0, s.length() - 2) + "a" : s;
  }

  private static List<String> dns1123Label(String s) {
    return lengthAndShape(s, 63, LABEL_FMT, "a lowercase RFC 1123 label must consist of lower case"
        + " alphanumeric characters or '-', and must start and end with an alphanumeric character",
        "my-name", "123-abc");
  }

  private static List<String> dns1123Subdomain(String s) {
    return lengthAndShape(s, 253, SUBDOMAIN_FMT, "a lowercase RFC 1123 subdomain must consist of lower"
        + " case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric"
        + " character", "example.com");
  }

  private static List<String> dns1035Label(String s) {
    return lengthAndShape(s, 63, DNS1035_FMT, "a DNS-1035 label must consist of lower case"
        + " alphanumeric characters or '-', start with an alphabetic character, and end with an"
        + " alphanumeric character", "my-name", "abc-123");
  }

  /** apimachinery's usual pair of checks: a maximum length, then a regular expression. */
  private static List<String> lengthAndShape(String s, int maxLength, String regex, String message,
      String... examples) {
    List<String> errors = new ArrayList<>();
    if (s.length() > maxLength) {
      errors.add(maxLen(maxLength));
    }
    if (!s.matches(regex)) {
      errors.add(regexError(message, regex, examples));
    }
    return errors;
  }

  private static List<String> qualifiedName(String value) {
    List<String> errors = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      String prefix = parts[0];
      name = parts[1];
      if (prefix.isEmpty()) {
        errors.add("prefix part must be non-empty");
      } else {
        for (String e : dns1123Subdomain(prefix)) {
          errors.add("prefix part " + e);
        }
      }
    } else {
      return List.of(regexError("a qualified name must consist of alphanumeric characters, '-', '_'"
          + " or '.', and must start and end with an alphanumeric character", QUALIFIED_FMT,
          "MyName", "my.name", "123-abc") + " with an optional DNS subdomain prefix and '/' (e.g."
          + " 'example.com/MyName')");
    }
    if (name.isEmpty()) {
      errors.add("name part must be non-empty");
    } else if (name.length() > 63) {
      errors.add("name part " + maxLen(63));
    }
    if (!name.matches(QUALIFIED_FMT)) {
      errors.add("name part " + regexError("must consist of alphanumeric characters, '-', '_' or '.',"
          + " and must start and end with an alphanumeric character", QUALIFIED_FMT, "MyName",
          "my.name", "123-abc"));
    }
    return errors;
  }

  private static List<String> labelValue(String s) {
    return lengthAndShape(s, 63, LABEL_VALUE_FMT, "a valid label must be an empty string or consist of"
        + " alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric"
        + " character", "MyValue", "my_value", "12345");
  }

  private static List<String> base64(String s) {
    try {
      if (s.length() % 4 != 0) {
        return List.of("invalid base64"); // Go's standard encoding requires the padding Java's decoder forgives
      }
      Base64.getDecoder().decode(s);
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of("invalid base64");
    }
  }

  private static String maxLen(int n) {
    return "must be no more than " + n + " characters";
  }

  /** apimachinery's {@code RegexError}, with its double space before "or". */
  private static String regexError(String message, String regex, String... examples) {
    StringBuilder out = new StringBuilder(message);
    if (examples.length > 0) {
      out.append(" (e.g. ");
      for (int i = 0; i < examples.length; i++) {
        if (i > 0) {
          out.append(" or ");
        }
        out.append('\'').append(examples[i]).append("', ");
      }
      out.append("regex used for validation is '").append(regex).append("')");
    }
    return out.toString();
  }
}
