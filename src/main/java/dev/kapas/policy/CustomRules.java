package dev.kapas.policy;

import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.LabelSelector;
import dev.kapas.model.Layer;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.Severity;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the user's own rules: {@code customRules:} in .kapas.yaml and the YAML files of {@code
 * --rules-dir}. Only their metadata and shape are checked here; their CEL is compiled by {@code
 * dev.kapas.cel.CelRules}, which loads cel-java only when there is a rule to compile.
 *
 * <pre>
 * - id: custom.required-labels
 *   title: Workloads carry an owner label
 *   severity: medium                  # default medium
 *   layer: cluster                    # cloud|cluster|container|code, default cluster
 *   why: ...
 *   fix: ...
 *   match: {apiGroups: [apps], kinds: [Deployment], namespaces: [], excludeNamespaces: [kube-system],
 *           labelSelector: "tier in (web)"}    # or {matchLabels: ..., matchExpressions: ...}
 *   params: {owners: [team-a]}        # or paramsFrom: {kind: ConfigMap, namespace: x, name: y}
 *   variables: [{name: labels, expression: "object.metadata.?labels.orValue({})"}]
 *   validations:
 *     - expression: "'owner' in variables.labels"
 *       message: the owner label is missing     # or messageExpression
 *       reason: Invalid
 * </pre>
 */
public final class CustomRules {
  private static final List<String> KEYS = List.of("id", "title", "severity", "layer", "why", "fix",
      "references", "match", "params", "paramsFrom", "variables", "validations");
  private static final List<String> MATCH_KEYS = List.of("apiGroups", "kinds", "namespaces",
      "excludeNamespaces", "labelSelector");
  private static final List<String> VALIDATION_KEYS = List.of("expression", "message", "messageExpression",
      "reason");
  private static final Pattern ID = Pattern.compile("custom\\.[a-z0-9]+(-[a-z0-9]+)*");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private CustomRules() {}

  /**
   * One rule as written: its metadata, what it matches, and the nodes of its expressions (with
   * their lines) for the CEL compiler.
   */
  public record Definition(RuleSpec spec, String file, Match match, Node params, Optional<ParamsRef> paramsFrom,
      List<Expression> variables, List<Validation> validations) {}

  /** Which objects a rule looks at; an empty list matches everything. */
  public record Match(List<String> apiGroups, List<String> kinds, List<String> namespaces,
      List<String> excludeNamespaces, LabelSelector labels) {}

  /** The object holding a rule's {@code params}, looked up among the scanned objects. */
  public record ParamsRef(String kind, String namespace, String name) {}

  /** A named CEL expression ({@code variables}) and where its text starts. */
  public record Expression(String name, String text, int line) {}

  /** One check: the rule fails on an object when {@code expression} is false. */
  public record Validation(Expression expression, String message, Optional<Expression> messageExpression,
      String reason) {}

  /** The rules under {@code customRules:} of a config file. */
  public static List<Definition> read(String file, Node customRules) throws ConfigException {
    if (!customRules.isNull() && customRules.items().isEmpty() && customRules.asMap().isPresent()) {
      throw new ConfigException(file, customRules.line(), "customRules: expected a list of rules");
    }
    List<Definition> out = new ArrayList<>();
    for (Node item : customRules.items()) {
      out.add(definition(file, item));
    }
    return out;
  }

  /**
   * The rules in the {@code .yaml}/{@code .yml} files of {@code dir} (recursively, in path order):
   * each document is one rule, or a list of rules.
   */
  public static List<Definition> readDir(Path dir) throws ConfigException {
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(dir.toString(), 0, "--rules-dir: not a directory");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).filter(p -> !dataDirectory(dir.relativize(p)))
          .filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
    } catch (IOException e) {
      throw new ConfigException(dir.toString(), 0, "--rules-dir: cannot list: " + e.getMessage());
    }
    List<Definition> out = new ArrayList<>();
    // one reader for all files, each read with a buffer of its size: a reader and a 64 KiB buffer
    // for each of fifty small files cost more than parsing them
    YamlTreeReader reader = new YamlTreeReader(YamlTreeReader.Limits.DEFAULT);
    for (Path file : files) {
      String name = file.toString();
      for (Node doc : documents(reader, file)) {
        if (doc.asMap().isPresent()) {
          out.add(definition(name, doc));
        } else if (!doc.isNull()) {
          out.addAll(read(name, doc));
        }
      }
    }
    return out;
  }

  /**
   * Whether {@code relative} lies in a {@code ..}-named directory: a mounted ConfigMap keeps its
   * files there ({@code ..2026_12_05_22_00_00.123/rules.yaml}, swapped whole on a change) and
   * links each name to them, so each rule would be read twice.
   */
  private static boolean dataDirectory(Path relative) {
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      if (relative.getName(i).toString().startsWith("..")) {
        return true;
      }
    }
    return false;
  }

  private static List<Node> documents(YamlTreeReader reader, Path file) throws ConfigException {
    String name = file.toString();
    List<Node> docs = new ArrayList<>();
    List<ConfigException> errors = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      reader.read(in, StandardCharsets.UTF_8, new YamlTreeReader.Sink() {
        @Override
        public void document(int index, Node root) {
          docs.add(root);
        }

        @Override
        public void error(int line, int column, String message) {
          errors.add(new ConfigException(name, line, message));
        }
      }, Files.size(file));
    } catch (IOException e) {
      throw new ConfigException(name, 0, "cannot read rule file: " + e.getMessage());
    }
    if (!errors.isEmpty()) {
      throw errors.get(0);
    }
    return docs;
  }

  private static Definition definition(String file, Node node) throws ConfigException {
    MapNode rule = node.asMap().orElseThrow(() -> new ConfigException(file, node.line(), "a custom rule must be a map"));
    checkKeys(file, rule, KEYS, "custom rule key");
    Node idNode = rule.get("id");
    String id = text(file, idNode, rule, "id");
    if (!ID.matcher(id).matches()) {
      throw new ConfigException(file, idNode.line(), "custom rule ID `" + id
          + "` must be custom.<slug> (lower case letters, digits and dashes), such as custom.required-labels");
    }
    String title = text(file, rule.get("title"), rule, id + ": title");
    RuleSpec.Builder spec = RuleSpec.rule(id).title(title)
        .why(rule.get("why").textOr("A rule of your own, from " + file + "."))
        .fix(rule.get("fix").textOr("Change the object so that the rule's validations hold."));
    Node severity = rule.get("severity");
    if (severity.isPresent()) {
      String s = text(file, severity, rule, id + ": severity");
      spec.severity(Severity.parse(s).orElseThrow(() -> new ConfigException(file, severity.line(),
          id + ": severity `" + s + "` is not one of critical, high, medium, low, info")));
    }
    Node layer = rule.get("layer");
    Layer l = Layer.CLUSTER;
    if (layer.isPresent()) {
      String s = text(file, layer, rule, id + ": layer");
      l = Arrays.stream(Layer.values()).filter(x -> x.label().equals(s)).findFirst()
          .orElseThrow(() -> new ConfigException(file, layer.line(), id + ": layer `" + s
              + "` is not one of cloud, cluster, container, code"));
    }
    spec.layer(l);
    for (String ref : strings(file, rule.get("references"), id + ": references")) {
      spec.refs(ref);
    }
    Optional<ParamsRef> paramsFrom = Optional.empty();
    Node from = rule.get("paramsFrom");
    if (from.isPresent()) {
      MapNode f = from.asMap().orElseThrow(() -> new ConfigException(file, from.line(),
          id + ": paramsFrom must be a map {kind, namespace, name}"));
      checkKeys(file, f, List.of("kind", "namespace", "name"), "paramsFrom key");
      paramsFrom = Optional.of(new ParamsRef(text(file, f.get("kind"), f, id + ": paramsFrom.kind"),
          f.get("namespace").textOr(""), text(file, f.get("name"), f, id + ": paramsFrom.name")));
      if (rule.get("params").isPresent()) {
        throw new ConfigException(file, from.line(), id + ": set params or paramsFrom, not both");
      }
    }
    List<Expression> variables = new ArrayList<>();
    for (Node v : rule.get("variables").items()) {
      MapNode var = v.asMap().orElseThrow(() -> new ConfigException(file, v.line(),
          id + ": a variable must be a map {name, expression}"));
      checkKeys(file, var, List.of("name", "expression"), "variable key");
      String name = text(file, var.get("name"), var, id + ": variable name");
      if (!NAME.matcher(name).matches()) {
        throw new ConfigException(file, var.get("name").line(), id + ": variable name `" + name
            + "` is not a CEL identifier");
      }
      variables.add(expression(file, var.get("expression"), var, name, id + ": variable " + name));
    }
    Node validationsNode = rule.get("validations");
    if (validationsNode.items().isEmpty()) {
      throw new ConfigException(file, validationsNode.isPresent() ? validationsNode.line() : rule.line(),
          id + ": a custom rule needs at least one entry under validations");
    }
    List<Validation> validations = new ArrayList<>();
    for (Node v : validationsNode.items()) {
      MapNode val = v.asMap().orElseThrow(() -> new ConfigException(file, v.line(),
          id + ": a validation must be a map {expression, message, messageExpression, reason}"));
      checkKeys(file, val, VALIDATION_KEYS, "validation key");
      Expression expr = expression(file, val.get("expression"), val, "expression", id + ": validation");
      Optional<Expression> messageExpression = val.get("messageExpression").isPresent()
          ? Optional.of(expression(file, val.get("messageExpression"), val, "messageExpression",
              id + ": messageExpression"))
          : Optional.empty();
      validations.add(new Validation(expr, val.get("message").textOr(""), messageExpression,
          val.get("reason").textOr("Invalid")));
    }
    return new Definition(spec.build(), file, match(file, id, rule.get("match")), rule.get("params"), paramsFrom,
        variables, validations);
  }

  private static Match match(String file, String id, Node node) throws ConfigException {
    if (node.isNull()) {
      return new Match(List.of(), List.of(), List.of(), List.of(), LabelSelector.EVERYTHING);
    }
    MapNode m = node.asMap().orElseThrow(() -> new ConfigException(file, node.line(), id + ": match must be a map"));
    checkKeys(file, m, MATCH_KEYS, "match key");
    LabelSelector labels = LabelSelector.EVERYTHING;
    Node selector = m.get("labelSelector");
    if (selector.text().isPresent()) {
      try {
        labels = LabelSelector.parse(selector.text().get());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(file, selector.line(), id + ": labelSelector: " + e.getMessage());
      }
    } else if (selector.isPresent()) {
      labels = LabelSelector.of(selector);
      if (labels.problem().isPresent()) {
        throw new ConfigException(file, selector.line(), id + ": labelSelector: " + labels.problem().get());
      }
    }
    return new Match(strings(file, m.get("apiGroups"), id + ": match.apiGroups"),
        strings(file, m.get("kinds"), id + ": match.kinds"),
        strings(file, m.get("namespaces"), id + ": match.namespaces"),
        strings(file, m.get("excludeNamespaces"), id + ": match.excludeNamespaces"), labels);
  }

  /**
   * An expression and the line its text starts on: a block scalar ({@code |}) starts on the line
   * after its indicator.
   */
  private static Expression expression(String file, Node node, MapNode parent, String name, String what)
      throws ConfigException {
    String text = text(file, node, parent, what + " expression");
    boolean block = text.contains("\n");
    return new Expression(name, text, node.line() + (block ? 1 : 0));
  }

  private static List<String> strings(String file, Node node, String what) throws ConfigException {
    if (node.isNull()) {
      return List.of();
    }
    if (node.text().isPresent()) {
      return List.of(node.text().get());
    }
    List<String> out = new ArrayList<>();
    for (Node item : node.items()) {
      out.add(item.isNull() ? "" : item.text().orElseThrow(() -> new ConfigException(file, item.line(),
          what + ": expected a list of strings")));
    }
    return out;
  }

  private static String text(String file, Node node, MapNode parent, String what) throws ConfigException {
    if (node.isMissing()) {
      throw new ConfigException(file, parent.line(), what + ": missing");
    }
    return node.text().filter(t -> !t.isBlank())
        .orElseThrow(() -> new ConfigException(file, node.line(), what + ": expected a value"));
  }

  private static void checkKeys(String file, MapNode map, List<String> allowed, String what) throws ConfigException {
    ConfigLoader.checkKeys(file, map, allowed, what);
  }
}
