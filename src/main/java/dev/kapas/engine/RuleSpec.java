package dev.kapas.engine;

import dev.kapas.model.Layer;
import dev.kapas.model.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything a rule declares about itself, once: the {@code kapas rules} listing, docs/rules.md
 * and the SARIF rule metadata all come from here.
 *
 * @param id stable public ID, {@code <layer>.<slug>}
 * @param title one line, what the rule is about
 * @param severity default severity (config may override it)
 * @param input which collector feeds it
 * @param why why it matters, in a few sentences
 * @param remediation what to change
 * @param references URLs
 * @param controls framework controls this rule implements, such as {@code cis 5.2.2}
 * @param pssLevel the Pod Security Standards level it belongs to, {@link PssLevel#PRIVILEGED} when none
 * @param pssSince the first PSS minor version in which the check applies
 * @param params parameters a config file may set
 * @param layer the layer it scores under: its ID's prefix, or for a custom rule ({@code
 *     custom.<slug>}) the layer the user declared
 */
public record RuleSpec(
    String id,
    String title,
    Severity severity,
    Input input,
    String why,
    String remediation,
    List<String> references,
    List<Control> controls,
    PssLevel pssLevel,
    int pssSince,
    List<Param> params,
    Layer layer) {

  private static final Pattern ID = Pattern.compile("(cloud|cluster|container|code|custom)\\.[a-z0-9]+(-[a-z0-9]+)*");
  /** The prefix of the IDs of users' own rules, which declare their layer. */
  public static final String CUSTOM_PREFIX = "custom.";

  public RuleSpec(String id, String title, Severity severity, Input input, String why, String remediation,
      List<String> references, List<Control> controls, PssLevel pssLevel, int pssSince, List<Param> params) {
    this(id, title, severity, input, why, remediation, references, controls, pssLevel, pssSince, params,
        id.startsWith(CUSTOM_PREFIX) ? Layer.CLUSTER : Layer.ofRuleId(id));
  }

  public RuleSpec {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("bad rule ID: " + id);
    }
    if (!id.startsWith(CUSTOM_PREFIX) && layer != Layer.ofRuleId(id)) {
      throw new IllegalArgumentException(id + ": a built-in rule's layer is its ID's prefix");
    }
    references = List.copyOf(references);
    controls = List.copyOf(controls);
    params = List.copyOf(params);
  }

  public boolean isCustom() {
    return id.startsWith(CUSTOM_PREFIX);
  }

  public boolean isPss() {
    return pssLevel != PssLevel.PRIVILEGED;
  }

  /**
   * Whether the rule runs with these parameters (its own, from the config): a rule with
   * {@linkplain Builder#requiredParam required parameters} is off until the user sets one of them
   * (several are alternatives, such as namespaces or label selectors).
   */
  public boolean activeWith(Map<String, List<String>> ownParams) {
    List<Param> required = params.stream().filter(Param::required).toList();
    return required.isEmpty()
        || required.stream().anyMatch(p -> !ownParams.getOrDefault(p.name(), List.of()).isEmpty());
  }

  /** Whether this PSS check exists in {@code version} (always true for other rules). */
  public boolean activeIn(PssVersion version) {
    return !isPss() || version.atLeast(pssSince);
  }

  public Optional<Param> param(String name) {
    return params.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** A control of a compliance framework, e.g. {@code new Control("cis", "5.2.2")}. */
  public record Control(String framework, String id) {}

  /**
   * A setting the user may give the rule in the config file: a list of strings.
   *
   * @param name key under {@code rules.<id>} in .kapas.yaml
   * @param description what it does
   * @param required the rule runs only when the user sets it (e.g. an allow-list with no default)
   */
  public record Param(String name, String description, boolean required, Kind kind) {
    public Param(String name, String description, boolean required) {
      this(name, description, required, Kind.TEXT);
    }

    /** What each value must be; the config loader refuses values that are not. */
    public enum Kind {
      TEXT,
      /** A label selector in kubectl syntax, such as {@code tier=payments,env in (a,b)}. */
      LABEL_SELECTOR
    }
  }

  public static Builder rule(String id) {
    return new Builder(id);
  }

  /** Fluent construction, so a rule's metadata reads top to bottom. */
  public static final class Builder {
    private final String id;
    private String title = "";
    private Severity severity = Severity.MEDIUM;
    private Input input = Input.MANIFEST;
    private String why = "";
    private String remediation = "";
    private final List<String> references = new ArrayList<>();
    private final List<Control> controls = new ArrayList<>();
    private PssLevel pssLevel = PssLevel.PRIVILEGED;
    private int pssSince;
    private final List<Param> params = new ArrayList<>();
    private Layer layer;

    private Builder(String id) {
      this.id = id;
    }

    /** The layer of a custom rule; a built-in rule's is its ID's prefix. */
    public Builder layer(Layer l) {
      this.layer = l;
      return this;
    }

    public Builder title(String t) {
      this.title = t;
      return this;
    }

    public Builder severity(Severity s) {
      this.severity = s;
      return this;
    }

    public Builder input(Input i) {
      this.input = i;
      return this;
    }

    public Builder why(String text) {
      this.why = text;
      return this;
    }

    public Builder fix(String text) {
      this.remediation = text;
      return this;
    }

    public Builder refs(String... urls) {
      references.addAll(List.of(urls));
      return this;
    }

    public Builder control(String framework, String controlId) {
      controls.add(new Control(framework, controlId));
      return this;
    }

    /** Marks the rule as a Pod Security Standards check of {@code level} since {@code v1.sinceMinor}. */
    public Builder pss(PssLevel level, int sinceMinor) {
      this.pssLevel = Objects.requireNonNull(level);
      this.pssSince = sinceMinor;
      return this;
    }

    public Builder param(String name, String description) {
      params.add(new Param(name, description, false));
      return this;
    }

    /**
   * A parameter without which the rule does not run: the engine skips it until it, or another
   * required parameter of the rule, is set.
   */
    public Builder requiredParam(String name, String description) {
      params.add(new Param(name, description, true));
      return this;
    }

    /** A required parameter whose values are label selectors in kubectl syntax. */
    public Builder requiredSelectorParam(String name, String description) {
      params.add(new Param(name, description, true, Param.Kind.LABEL_SELECTOR));
      return this;
    }

    public RuleSpec build() {
      if (title.isEmpty() || why.isEmpty() || remediation.isEmpty()) {
        throw new IllegalStateException(id + ": title, why and fix are required");
      }
      return layer == null
          ? new RuleSpec(id, title, severity, input, why, remediation, references, controls, pssLevel,
              pssSince, params)
          : new RuleSpec(id, title, severity, input, why, remediation, references, controls, pssLevel,
              pssSince, params, layer);
    }
  }
}
