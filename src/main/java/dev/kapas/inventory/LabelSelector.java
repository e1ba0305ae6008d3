package dev.kapas.inventory;

import dev.kapas.model.Node;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector ({@code matchLabels} plus {@code matchExpressions}) with the API
 * server's semantics: every requirement must hold; an empty selector ({@code {}}) selects
 * everything; an absent or null one selects nothing. A selector the API server would reject (an
 * unknown operator, {@code In} without values, {@code Exists} with values, a key or value that is
 * no label key or value) selects nothing and says why in {@link #problem()}. That includes a
 * matchExpressions value that is no label value, which v1.20's validation of a NetworkPolicy lets
 * through: {@code metav1.LabelSelectorAsSelector}, which turns the API type into the selector that
 * matches, and the {@code labelSelector} of a list both refuse it, so what it would select is not
 * defined.
 */
public final class LabelSelector {
  /** Selects nothing: an absent or null selector. */
  public static final LabelSelector NOTHING = new LabelSelector(List.of(), false, "");
  /** Selects everything: {@code {}}. */
  public static final LabelSelector EVERYTHING = new LabelSelector(List.of(), true, "");

  /** Selector operators, as in {@code matchExpressions}. */
  public enum Operator {
    IN, NOT_IN, EXISTS, DOES_NOT_EXIST;

    static Optional<Operator> parse(String text) {
      return switch (text) {
        case "In" -> Optional.of(IN);
        case "NotIn" -> Optional.of(NOT_IN);
        case "Exists" -> Optional.of(EXISTS);
        case "DoesNotExist" -> Optional.of(DOES_NOT_EXIST);
        default -> Optional.empty();
      };
    }
  }

  /** One requirement: {@code matchLabels} entries are {@code key In (value)}. */
  public record Requirement(String key, Operator operator, Set<String> values) {
    public Requirement {
      values = Set.copyOf(values);
    }

    public boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case IN -> value != null && values.contains(value);
        case NOT_IN -> value == null || !values.contains(value);
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
      };
    }

    @Override
    public String toString() {
      return switch (operator) {
        case IN -> values.size() == 1 ? key + "=" + values.iterator().next() : key + " in (" + sorted() + ")";
        case NOT_IN -> key + " notin (" + sorted() + ")";
        case EXISTS -> key;
        case DOES_NOT_EXIST -> "!" + key;
      };
    }

    private String sorted() {
      return values.stream().sorted().collect(Collectors.joining(","));
    }
  }

  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final List<Requirement> requirements;
  private final boolean valid;
  private final String problem;

  private LabelSelector(List<Requirement> requirements, boolean valid, String problem) {
    this.requirements = List.copyOf(requirements);
    this.valid = valid;
    this.problem = problem;
  }

  /** All of these requirements (none: everything). */
  public static LabelSelector of(List<Requirement> requirements) {
    return new LabelSelector(requirements, true, "");
  }

  /** Reads a selector from a manifest ({@code podSelector}, {@code namespaceSelector}, ...). */
  public static LabelSelector of(Node node) {
    if (node.isNull()) {
      return NOTHING;
    }
    if (node.asMap().isEmpty()) {
      return invalid("a label selector must be a map");
    }
    List<Requirement> out = new ArrayList<>();
    Node labels = node.get("matchLabels");
    if (!labels.isNull()) {
      if (labels.asMap().isEmpty()) {
        return invalid("matchLabels must be a map");
      }
      for (var e : labels.asMap().get().entries()) {
        String value = e.value().textOr("");
        Optional<String> bad = badLabel(e.key(), Set.of(value));
        if (bad.isPresent()) {
          return invalid(bad.get());
        }
        out.add(new Requirement(e.key(), Operator.IN, Set.of(value)));
      }
    }
    for (Node expr : node.get("matchExpressions").items()) {
      String key = expr.get("key").textOr("");
      String op = expr.get("operator").textOr("");
      Optional<Operator> operator = Operator.parse(op);
      Set<String> values = new LinkedHashSet<>();
      expr.get("values").items().forEach(v -> values.add(v.textOr("")));
      if (key.isEmpty()) {
        return invalid("a matchExpressions entry has no key");
      }
      if (operator.isEmpty()) {
        return invalid("unknown operator `" + op + "` for key `" + key + "`");
      }
      boolean needsValues = operator.get() == Operator.IN || operator.get() == Operator.NOT_IN;
      if (needsValues && values.isEmpty()) {
        return invalid("operator " + op + " on `" + key + "` needs values");
      }
      if (!needsValues && !values.isEmpty()) {
        return invalid("operator " + op + " on `" + key + "` takes no values");
      }
      Optional<String> bad = badLabel(key, values);
      if (bad.isPresent()) {
        return invalid(bad.get());
      }
      out.add(new Requirement(key, operator.get(), values));
    }
    return of(out);
  }

  /**
   * Parses the kubectl selector syntax ({@code app=web,tier!=db,env in (a,b),env notin (c),key,!key});
   * the empty string selects everything.
   *
   * @throws IllegalArgumentException when the text is not a selector
   */
  public static LabelSelector parse(String text) {
    List<Requirement> out = new ArrayList<>();
    for (String part : splitTopLevel(text)) {
      String p = part.trim();
      if (p.isEmpty()) {
        if (!text.isBlank()) {
          throw new IllegalArgumentException("empty requirement in selector `" + text + "`");
        }
        continue;
      }
      out.add(parseRequirement(p, text));
    }
    return of(out);
  }

  private static Requirement parseRequirement(String p, String text) {
    String lower = p.toLowerCase(Locale.ROOT);
    int set = lower.indexOf(" notin ");
    Operator setOp = Operator.NOT_IN;
    if (set < 0) {
      set = lower.indexOf(" in ");
      setOp = Operator.IN;
    }
    if (set > 0 && p.endsWith(")") && p.indexOf('(') > set) {
      String key = checkedKey(p.substring(0, set).trim(), text);
      Set<String> values = new LinkedHashSet<>();
      for (String v : p.substring(p.indexOf('(') + 1, p.length() - 1).split(",")) {
        values.add(v.trim());
      }
      return new Requirement(key, setOp, values);
    }
    int neq = p.indexOf("!=");
    if (neq > 0) {
      return new Requirement(checkedKey(p.substring(0, neq).trim(), text), Operator.NOT_IN,
          Set.of(p.substring(neq + 2).trim()));
    }
    int eq = p.indexOf('=');
    if (eq > 0) {
      String value = p.substring(p.startsWith("=", eq + 1) ? eq + 2 : eq + 1).trim();
      return new Requirement(checkedKey(p.substring(0, eq).trim(), text), Operator.IN, Set.of(value));
    }
    if (p.startsWith("!")) {
      return new Requirement(checkedKey(p.substring(1).trim(), text), Operator.DOES_NOT_EXIST, Set.of());
    }
    return new Requirement(checkedKey(p, text), Operator.EXISTS, Set.of());
  }

  private static String checkedKey(String key, String text) {
    if (key.isEmpty() || !key.matches("[A-Za-z0-9][-A-Za-z0-9_./]*")) {
      throw new IllegalArgumentException("bad label key `" + key + "` in selector `" + text + "`");
    }
    return key;
  }

  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  /** Why the API refuses a requirement on {@code key} with {@code values}: no label key, or no label value. */
  private static Optional<String> badLabel(String key, Set<String> values) {
    if (!isKey(key)) {
      return Optional.of("`" + key + "` is not a label key");
    }
    return values.stream().filter(v -> !isValue(v)).findFirst()
        .map(v -> "`" + v + "` is not a label value (key `" + key + "`)");
  }

  /**
   * Whether {@code key} is a label key: a name of at most 63 characters (alphanumerics, '-', '_',
   * '.'; alphanumeric at both ends), optionally after a DNS subdomain of at most 253 characters and
   * a slash.
   */
  static boolean isKey(String key) {
    int slash = key.indexOf('/');
    String name = key.substring(slash + 1);
    String prefix = slash < 0 ? "" : key.substring(0, slash);
    boolean prefixOk = slash < 0 || prefix.length() <= 253 && DNS_SUBDOMAIN.matcher(prefix).matches();
    return prefixOk && name.length() <= 63 && NAME.matcher(name).matches();
  }

  /** Whether {@code value} is a label value: empty, or a name of at most 63 characters. */
  static boolean isValue(String value) {
    return value.isEmpty() || value.length() <= 63 && NAME.matcher(value).matches();
  }

  private static LabelSelector invalid(String why) {
    return new LabelSelector(List.of(), false, why);
  }

  public boolean matches(Map<String, String> labels) {
    if (!valid) {
      return false;
    }
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** True for {@code {}}: every object matches. */
  public boolean selectsEverything() {
    return valid && requirements.isEmpty();
  }

  /** True for an absent, null or invalid selector. */
  public boolean selectsNothing() {
    return !valid;
  }

  /** True for an absent or null selector, not for one written and refused. */
  public boolean isAbsent() {
    return !valid && problem.isEmpty();
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  /** Why the API server would reject this selector; empty when it is valid or absent. */
  public Optional<String> problem() {
    return problem.isEmpty() ? Optional.empty() : Optional.of(problem);
  }

  /**
   * The requirement an index should file this selector under, if there is one: the first
   * {@code In} (a matching object carries one of its {@code key=value} labels), else the first
   * {@code Exists} (it carries the key). Lets an index look up candidates by the labels an object
   * has instead of testing every selector.
   */
  Optional<Requirement> indexable() {
    if (!valid) {
      return Optional.empty();
    }
    return requirements.stream().filter(r -> r.operator() == Operator.IN).findFirst()
        .or(() -> requirements.stream().filter(r -> r.operator() == Operator.EXISTS).findFirst());
  }

  /** In kubectl syntax; {@code {}} for everything, {@code <none>} for nothing. */
  @Override
  public String toString() {
    if (!valid) {
      return "<none>";
    }
    return requirements.isEmpty() ? "{}"
        : requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
  }
}
