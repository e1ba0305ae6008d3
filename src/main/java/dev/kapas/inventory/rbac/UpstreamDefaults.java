package dev.kapas.inventory.rbac;

import dev.kapas.model.Diagnostic;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Node;
import dev.kapas.model.Origin;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The RBAC objects every cluster has: the API server's bootstrap policy and what kubeadm adds.
 * They grant powerful rights by design (the controllers need them) and are not the user's to
 * change, so rules leave them alone.
 *
 * <p>Names and labels prove nothing (anyone who may create a binding chooses its name and
 * labels), so an object counts as a default only when its content is what upstream creates
 * under that kind, namespace and name: a role's rules (compared as sets, order aside), or for
 * an aggregating ClusterRole its {@code aggregationRule} (its rules are the aggregation
 * controller's copy of its components', judged where they are written); a binding's {@code
 * roleRef} and subjects. The defaults are data files beside this class, each naming its source.
 *
 * <p>Every scan asks about them, and parsing the 80 KB of YAML took a tenth of a second or more of
 * a small scan's start-up; so the jar also holds {@value #DIGEST}, each default's key and content
 * in one line, made from the YAML files ({@link #digest}; UpstreamDefaultsTest checks that the
 * two agree), and that is what a scan reads.
 */
public final class UpstreamDefaults {
  static final String BOOTSTRAP_LABEL = "kubernetes.io/bootstrapping";
  static final String BOOTSTRAP_VALUE = "rbac-defaults";
  /** What the data files hold, for messages. */
  static final String KNOWN = "the Kubernetes v1.20 bootstrap policy and kubeadm's objects";
  private static final List<String> FILES = List.of("bootstrap-v1.20.yaml", "kubeadm.yaml");
  static final String DIGEST = "upstream-defaults.txt";
  private static final Map<String, Set<String>> CONTENTS = loadDigest();

  private UpstreamDefaults() {}

  /** Whether {@code object} is an upstream default: same kind, namespace, name and content. */
  public static boolean isDefault(KubeObject object) {
    Set<String> known = CONTENTS.get(key(object));
    return known != null && known.contains(content(object));
  }

  /** Notes for the RBAC objects among {@code objects} that look like defaults and are not (see below). */
  public static List<Diagnostic> lookalikes(List<KubeObject> objects) {
    List<Diagnostic> out = new ArrayList<>();
    for (KubeObject o : objects) {
      if (o.apiVersion().startsWith(RbacGraph.GROUP) && RbacGraph.KINDS.contains(o.kind())) {
        lookalike(o).ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * A note for an object that looks like a default (its name is one, or it carries the bootstrap
   * label) but whose content is not upstream's: rules judge it like any other object.
   */
  static Optional<Diagnostic> lookalike(KubeObject object) {
    boolean sameName = CONTENTS.containsKey(key(object));
    boolean labelled = BOOTSTRAP_VALUE.equals(object.labels().get(BOOTSTRAP_LABEL));
    if ((!sameName && !labelled) || isDefault(object)) {
      return Optional.empty();
    }
    Field name = Field.root(object.root()).path("metadata", "name");
    String why = sameName ? "has the name of an upstream default but not its content"
        : "carries the label `" + BOOTSTRAP_LABEL + ": " + BOOTSTRAP_VALUE + "` but is no upstream default";
    return Optional.of(new Diagnostic(object.origin().file(), name.line(), name.column(), object.ref().display()
        + " " + why + " (kapas knows " + KNOWN + "), so it is judged like any other object"));
  }

  private static String key(KubeObject o) {
    boolean namespaced = o.kind().equals(RbacGraph.ROLE) || o.kind().equals(RbacGraph.ROLE_BINDING);
    String namespace = !namespaced ? "" : o.namespace().isEmpty() ? RbacGraph.DEFAULT_NAMESPACE : o.namespace();
    return RbacGraph.key(o.kind(), namespace, o.name());
  }

  /** What makes the object grant what it grants, written so that equal content gives equal text. */
  static String content(KubeObject o) {
    Node root = o.root();
    switch (o.kind()) {
      case RbacGraph.ROLE_BINDING, RbacGraph.CLUSTER_ROLE_BINDING -> {
        Node ref = root.get("roleRef");
        Set<String> subjects = new TreeSet<>();
        for (Node s : root.get("subjects").items()) {
          String kind = s.get("kind").textOr("");
          subjects.add(kind + "/" + (kind.equals(Subject.SERVICE_ACCOUNT) ? s.get("namespace").textOr("") : "")
              + "/" + s.get("name").textOr(""));
        }
        return "roleRef " + ref.get("kind").textOr("") + "/" + ref.get("name").textOr("") + " subjects " + subjects;
      }
      default -> {
        if (!root.get("aggregationRule").isMissing()) {
          Set<String> selectors = new TreeSet<>();
          for (Node s : root.path("aggregationRule", "clusterRoleSelectors").items()) {
            selectors.add(selector(s));
          }
          return "aggregates " + selectors;
        }
        Set<String> rules = new TreeSet<>();
        for (Node r : root.get("rules").items()) {
          rules.add(sorted(r, "apiGroups") + sorted(r, "resources") + sorted(r, "resourceNames")
              + sorted(r, "nonResourceURLs") + sorted(r, "verbs"));
        }
        return "rules " + rules;
      }
    }
  }

  private static String selector(Node s) {
    Set<String> parts = new TreeSet<>();
    s.get("matchLabels").asMap().ifPresent(labels -> {
      for (String k : labels.keys()) {
        parts.add(k + "=" + labels.get(k).textOr(""));
      }
    });
    for (Node e : s.get("matchExpressions").items()) {
      parts.add(e.get("key").textOr("") + " " + e.get("operator").textOr("") + " " + sorted(e, "values"));
    }
    return parts.toString();
  }

  private static String sorted(Node parent, String field) {
    Set<String> out = new TreeSet<>();
    for (Node item : parent.get(field).items()) {
      item.text().ifPresent(out::add);
    }
    return field + out;
  }

  /** The defaults from {@value #DIGEST}: lines of key, a tab, and content. */
  private static Map<String, Set<String>> loadDigest() {
    Map<String, Set<String>> out = new HashMap<>();
    try (InputStream in = UpstreamDefaults.class.getResourceAsStream("/dev/kapas/rbac/" + DIGEST)) {
      if (in == null) {
        throw new IllegalStateException("missing from the jar: /dev/kapas/rbac/" + DIGEST);
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        int tab = line.indexOf('\t');
        if (tab > 0) {
          out.computeIfAbsent(line.substring(0, tab), k -> new HashSet<>()).add(line.substring(tab + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Set<String>> frozen = new HashMap<>();
    out.forEach((k, v) -> frozen.put(k, Set.copyOf(v)));
    return Map.copyOf(frozen);
  }

  /** {@value #DIGEST} as the YAML data files give it: one sorted line per key and content. */
  static String digest() {
    TreeSet<String> lines = new TreeSet<>();
    fromYaml().forEach((key, contents) -> contents.forEach(content -> {
      if (key.contains("\t") || key.contains("\n") || content.contains("\t") || content.contains("\n")) {
        throw new IllegalStateException("a tab or line break in " + key + ": " + content);
      }
      lines.add(key + "\t" + content);
    }));
    return String.join("\n", lines) + "\n";
  }

  private static Map<String, Set<String>> fromYaml() {
    Map<String, Set<String>> out = new HashMap<>();
    for (String file : FILES) {
      for (KubeObject o : read(file)) {
        out.computeIfAbsent(key(o), k -> new HashSet<>()).add(content(o));
      }
    }
    Map<String, Set<String>> frozen = new HashMap<>();
    out.forEach((k, v) -> frozen.put(k, Set.copyOf(v)));
    return Map.copyOf(frozen);
  }

  /** The items of the {@code List} documents of a bundled data file. */
  static List<KubeObject> read(String file) {
    List<KubeObject> out = new ArrayList<>();
    try (InputStream in = UpstreamDefaults.class.getResourceAsStream("/dev/kapas/rbac/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing from the jar: /dev/kapas/rbac/" + file);
      }
      new YamlTreeReader(YamlTreeReader.Limits.DEFAULT).read(in, StandardCharsets.UTF_8, new YamlTreeReader.Sink() {
        @Override
        public void document(int index, Node root) {
          for (Node item : root.get("items").items()) {
            item.asMap().ifPresent(map -> out.add(new KubeObject(map, new Origin(BuiltInRoles.ORIGIN, 0, 0, 0))));
          }
        }

        @Override
        public void error(int line, int column, String message) {
          throw new IllegalStateException(file + ":" + line + ": " + message);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
