package dev.kapas.inventory;

import dev.kapas.model.Node;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
   * Parses the kubectl selector syntax ({@code app=web,tier!=db,env in (a,b),env notin (c),key,!key})
   * as the API server's parser does: a value list may hold empty values ({@code (a,)} is a and "",
   * {@code ()} is ""), {@code in} and {@code notin} are lower case, keys and values must be label
   * keys and values. The empty string selects everything. The server's {@code >} and {@code <} are
   * not supported.
   *
   * @throws IllegalArgumentException when the text is not a selector
   */
  public static LabelSelector parse(String text) {
    return new Parser(text).selector();
  }

  /** Reads the tokens of a selector: identifiers and the symbols {@code ( ) , ! = == !=} (and {@code < >}). */
  private static final class Parser {
    private static final String SYMBOLS = "()!=,<>";
    private static final String SPACE = " \t\r\n";
    private final String text;
    private final List<String> tokens = new ArrayList<>();
    private int at;

    Parser(String text) {
      this.text = text;
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        int end = i + 1;
        if (SPACE.indexOf(c) >= 0) {
          i++;
          continue;
        }
        if (SYMBOLS.indexOf(c) < 0) {
          while (end < text.length() && SYMBOLS.indexOf(text.charAt(end)) < 0 && SPACE.indexOf(text.charAt(end)) < 0) {
            end++;
          }
        } else if ((c == '!' || c == '=') && text.startsWith("=", end)) {
          end++;
        }
        tokens.add(text.substring(i, end));
        i = end;
      }
    }

    LabelSelector selector() {
      List<Requirement> out = new ArrayList<>();
      while (at < tokens.size()) {
        if (!out.isEmpty() && (!next().equals(",") || at == tokens.size())) {
          throw refused("expected `,` and a requirement after `" + out.get(out.size() - 1) + "`");
        }
        out.add(requirement());
      }
      return of(out);
    }

    private Requirement requirement() {
      boolean not = peek("!");
      if (not) {
        next();
      }
      String key = identifier();
      if (not || at == tokens.size() || peek(",")) {
        if (not && at < tokens.size() && !peek(",")) {
          throw refused("`!" + key + "` takes no operator");
        }
        return checked(new Requirement(key, not ? Operator.DOES_NOT_EXIST : Operator.EXISTS, Set.of()));
      }
      String op = next();
      Set<String> values = new LinkedHashSet<>();
      switch (op) {
        case "=", "==", "!=" -> values.add(at == tokens.size() || peek(",") ? "" : identifier());
        case "in", "notin" -> values.addAll(valueList());
        default -> throw refused("unknown operator `" + op + "` after `" + key + "`");
      }
      return checked(new Requirement(key, op.equals("=") || op.equals("==") || op.equals("in") ? Operator.IN
          : Operator.NOT_IN, values));
    }

    /** {@code (a,b)}; an empty place between commas or parentheses is the value "". */
    private List<String> valueList() {
      if (at == tokens.size() || !next().equals("(")) {
        throw refused("expected `(`");
      }
      List<String> values = new ArrayList<>();
      String current = null;
      while (at < tokens.size()) {
        String t = next();
        if (t.equals(",") || t.equals(")")) {
          values.add(current == null ? "" : current);
          current = null;
          if (t.equals(")")) {
            return values;
          }
        } else if (current == null && !isSymbol(t)) {
          current = t;
        } else {
          throw refused("unexpected `" + t + "` in a value list");
        }
      }
      throw refused("expected `)`");
    }

    private Requirement checked(Requirement r) {
      badLabel(r.key(), r.values()).ifPresent(why -> {
        throw refused(why);
      });
      return r;
    }

    private String identifier() {
      String t = at < tokens.size() ? next() : "";
      if (t.isEmpty() || isSymbol(t)) {
        throw refused("expected a key or value" + (t.isEmpty() ? "" : ", found `" + t + "`"));
      }
      return t;
    }

    private boolean peek(String token) {
      return at < tokens.size() && tokens.get(at).equals(token);
    }

    private String next() {
      return tokens.get(at++);
    }

    private static boolean isSymbol(String token) {
      return SYMBOLS.indexOf(token.charAt(0)) >= 0;
    }

    private IllegalArgumentException refused(String why) {
      return new IllegalArgumentException(why + " in selector `" + text + "`");
    }
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
