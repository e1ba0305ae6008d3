package dev.kapas.policy;

import dev.kapas.engine.PssVersion;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.LabelSelector;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.Severity;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates {@code .kapas.yaml}. Every mistake is a {@link ConfigException} with the
 * line: an unknown key or rule ID (with a suggestion), a bad severity, an exception without a
 * reason.
 *
 * <pre>
 * failOn: high                      # critical|high|medium|low|info|none
 * pssVersion: v1.30                 # or latest
 * rules:
 *   container.image-not-pinned: {enabled: false}
 *   container.no-cpu-limit: {severity: info}
 *   container.image-registry-untrusted: {trustedRegistries: [registry.example.com]}
 * exceptions:
 *   - rule: cluster.privileged-container
 *     match: {kind: DaemonSet, namespace: kube-system, name: "calico-*"}
 *     reason: the CNI needs it
 *     expires: 2027-01-31
 * </pre>
 */
public final class ConfigLoader {
  public static final String DEFAULT_NAME = ".kapas.yaml";
  private static final List<String> TOP_KEYS = List.of("failOn", "pssVersion", "rules", "exceptions",
      "customRules", "imagePolicy", "requireSignatures");
  private static final List<String> MATCH_KEYS = List.of("kind", "namespace", "name");
  private static final List<String> EXCEPTION_KEYS = List.of("rule", "match", "reason", "expires");

  private final RuleCatalog catalog;
  /** The custom rules of the file being read, which its rules and exceptions may name. */
  private final Map<String, RuleSpec> customRules = new LinkedHashMap<>();

  public ConfigLoader(RuleCatalog catalog) {
    this.catalog = catalog;
  }

  /** Reads {@code file}; an unreadable or invalid file is a {@link ConfigException}. */
  public Config load(Path file) throws ConfigException {
    String name = file.toString();
    Node root;
    try (InputStream in = Files.newInputStream(file)) {
      root = parse(name, in);
    } catch (IOException e) {
      throw new ConfigException(name, 0, "cannot read config file: " + e.getMessage());
    }
    return interpret(name, root);
  }

  private static Node parse(String name, InputStream in) throws ConfigException {
    List<Node> docs = new ArrayList<>();
    List<ConfigException> errors = new ArrayList<>();
    new YamlTreeReader(YamlTreeReader.Limits.DEFAULT).read(in, StandardCharsets.UTF_8, new YamlTreeReader.Sink() {
      @Override
      public void document(int index, Node root) {
        docs.add(root);
      }

      @Override
      public void error(int line, int column, String message) {
        errors.add(new ConfigException(name, line, message));
      }
    });
    if (!errors.isEmpty()) {
      throw errors.get(0);
    }
    if (docs.size() > 1) {
      throw new ConfigException(name, docs.get(1).line(), "the config file must hold one YAML document");
    }
    return docs.isEmpty() ? new MapNode(List.of(), List.of(), 1, 1) : docs.get(0);
  }

  private Config interpret(String file, Node root) throws ConfigException {
    if (root.isNull()) {
      return new Config(file, Optional.empty(), Optional.empty(), Set.of(), Map.of(), Map.of(), List.of());
    }
    MapNode top = map(file, root, "the config file");
    checkKeys(file, top, TOP_KEYS, "top-level key");
    List<CustomRules.Definition> custom = CustomRules.read(file, top.get("customRules"));
    for (CustomRules.Definition d : custom) {
      if (catalog.find(d.spec().id()).isPresent() || customRules.put(d.spec().id(), d.spec()) != null) {
        throw new ConfigException(file, top.get("customRules").line(), "custom rule ID `" + d.spec().id()
            + "` is defined twice");
      }
    }
    Optional<FailOn> failOn = Optional.empty();
    Node failOnNode = top.get("failOn");
    if (failOnNode.isPresent()) {
      String text = scalar(file, failOnNode, "failOn");
      failOn = Optional.of(FailOn.parse(text).orElseThrow(() -> new ConfigException(file, failOnNode.line(),
          "failOn: `" + text + "` is not one of critical, high, medium, low, info, none")));
    }
    Optional<PssVersion> pss = Optional.empty();
    Node pssNode = top.get("pssVersion");
    if (pssNode.isPresent()) {
      String text = scalar(file, pssNode, "pssVersion");
      pss = Optional.of(PssVersion.parse(text).orElseThrow(() -> new ConfigException(file, pssNode.line(),
          "pssVersion: `" + text + "` is not v1.0 ... " + PssVersion.LATEST + " or latest")));
    }
    Set<String> disabled = new LinkedHashSet<>();
    Map<String, Severity> severities = new LinkedHashMap<>();
    Map<String, Map<String, List<String>>> params = new LinkedHashMap<>();
    Node rules = top.get("rules");
    if (rules.isPresent()) {
      for (MapNode.Entry e : map(file, rules, "rules").entries()) {
        RuleSpec spec = knownRule(file, e.value().line(), e.key());
        readRuleSettings(file, spec, e.value(), disabled, severities, params);
      }
    }
    List<RuleException> exceptions = new ArrayList<>();
    Node exNode = top.get("exceptions");
    if (exNode.isPresent()) {
      if (!exNode.isNull() && exNode.items().isEmpty() && exNode.size() == 0) {
        throw new ConfigException(file, exNode.line(), "exceptions: expected a list");
      }
      for (Node item : exNode.items()) {
        exceptions.add(readException(file, item));
      }
    }
    return new Config(file, failOn, pss, disabled, severities, params, exceptions, custom,
        ImagePolicyReader.read(file, top));
  }

  private void readRuleSettings(String file, RuleSpec spec, Node settings, Set<String> disabled,
      Map<String, Severity> severities, Map<String, Map<String, List<String>>> params) throws ConfigException {
    String id = spec.id();
    for (MapNode.Entry s : map(file, settings, id).entries()) {
      Node v = s.value();
      switch (s.key()) {
        case "enabled" -> {
          if (v.isFalse()) {
            disabled.add(id);
          } else if (!v.isTrue()) {
            throw new ConfigException(file, v.line(), id + ".enabled: expected true or false");
          }
        }
        case "severity" -> {
          String text = scalar(file, v, id + ".severity");
          severities.put(id, Severity.parse(text).orElseThrow(() -> new ConfigException(file, v.line(),
              id + ".severity: `" + text + "` is not one of critical, high, medium, low, info")));
        }
        default -> {
          if (spec.param(s.key()).isEmpty()) {
            List<String> known = new ArrayList<>(List.of("enabled", "severity"));
            spec.params().forEach(p -> known.add(p.name()));
            throw new ConfigException(file, v.line(), id + ": unknown setting `" + s.key()
                + "` (known: " + String.join(", ", known) + ")");
          }
          List<String> values = new ArrayList<>();
          List<Node> nodes = v.text().isPresent() ? List.of(v) : v.items();
          for (Node item : nodes) {
            String value = scalar(file, item, id + "." + s.key());
            if (spec.param(s.key()).get().kind() == RuleSpec.Param.Kind.LABEL_SELECTOR) {
              try {
                LabelSelector.parse(value);
              } catch (IllegalArgumentException e) {
                throw new ConfigException(file, item.line(), id + "." + s.key() + ": " + e.getMessage());
              }
            }
            values.add(value);
          }
          params.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(s.key(), List.copyOf(values));
        }
      }
    }
  }

  private RuleException readException(String file, Node item) throws ConfigException {
    MapNode ex = map(file, item, "an exception");
    checkKeys(file, ex, EXCEPTION_KEYS, "exception key");
    Node ruleNode = ex.get("rule");
    if (ruleNode.isMissing()) {
      throw new ConfigException(file, ex.line(), "exception without `rule`");
    }
    String rule = scalar(file, ruleNode, "rule");
    if (rule.contains("*") || rule.contains("?")) {
      boolean any = catalog.specs().stream().anyMatch(s -> RuleException.glob(rule).matcher(s.id()).matches())
          || customRules.keySet().stream().anyMatch(id -> RuleException.glob(rule).matcher(id).matches());
      if (!any) {
        throw new ConfigException(file, ruleNode.line(), "rule pattern `" + rule + "` matches no rule");
      }
    } else {
      knownRule(file, ruleNode.line(), rule);
    }
    String reason = ex.get("reason").textOr("").trim();
    if (reason.isEmpty()) {
      throw new ConfigException(file, ex.line(), "exception for " + rule + " has no `reason`: say why the risk is accepted");
    }
    Node match = ex.get("match");
    String[] globs = {"*", "*", "*"};
    if (match.isPresent()) {
      MapNode m = map(file, match, "match");
      checkKeys(file, m, MATCH_KEYS, "match key");
      for (int i = 0; i < MATCH_KEYS.size(); i++) {
        Node g = m.get(MATCH_KEYS.get(i));
        if (g.isPresent()) {
          globs[i] = scalar(file, g, "match." + MATCH_KEYS.get(i));
        }
      }
    }
    Optional<LocalDate> expires = Optional.empty();
    Node exp = ex.get("expires");
    if (exp.isPresent()) {
      String text = scalar(file, exp, "expires");
      try {
        expires = Optional.of(LocalDate.parse(text));
      } catch (DateTimeParseException e) {
        throw new ConfigException(file, exp.line(), "expires: `" + text + "` is not a date like 2027-01-31");
      }
    }
    return new RuleException(rule, globs[0], globs[1], globs[2], reason, expires, ex.line());
  }

  private RuleSpec knownRule(String file, int line, String id) throws ConfigException {
    Optional<RuleSpec> spec = catalog.find(id).map(r -> r.spec()).or(() -> Optional.ofNullable(customRules.get(id)));
    if (spec.isPresent()) {
      return spec.get();
    }
    String hint = catalog.suggest(id).map(s -> "; did you mean " + s + "?").orElse("; see `kapas rules`");
    throw new ConfigException(file, line, "unknown rule ID `" + id + "`" + hint);
  }

  static void checkKeys(String file, MapNode map, List<String> allowed, String what) throws ConfigException {
    for (String key : map.keys()) {
      if (!allowed.contains(key)) {
        throw new ConfigException(file, map.get(key).line(), "unknown " + what + " `" + key
            + "` (expected one of " + String.join(", ", allowed) + ")");
      }
    }
  }

  private static MapNode map(String file, Node node, String what) throws ConfigException {
    return node.asMap().orElseThrow(() -> new ConfigException(file, node.line(), what + ": expected a map"));
  }

  private static String scalar(String file, Node node, String what) throws ConfigException {
    return node.text().orElseThrow(() -> new ConfigException(file, node.line(), what + ": expected a value"));
  }
}
