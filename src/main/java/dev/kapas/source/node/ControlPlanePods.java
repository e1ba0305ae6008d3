package dev.kapas.source.node;

import dev.kapas.model.KubeObject;
import dev.kapas.model.Location;
import dev.kapas.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Component flags from pods: the static pod manifests of a node, and the mirror pods of those
 * manifests that a cluster shows in kube-system. One function for both, so {@code kapas node},
 * {@code kapas scan} and {@code kapas cluster} feed the same flag rules the same facts; each flag
 * keeps the manifest line of its argument.
 */
public final class ControlPlanePods {
  private ControlPlanePods() {}

  /**
   * The component facts of the control-plane pods among {@code objects}: Pods in kube-system
   * labelled with a {@code component} or {@code tier: control-plane}, whose container runs a
   * component's executable.
   */
  public static List<ComponentFact> mirrorPods(List<KubeObject> objects) {
    List<ComponentFact> out = new ArrayList<>();
    for (KubeObject o : objects) {
      if (o.kind().equals("Pod") && o.namespace().equals("kube-system")
          && (o.labels().containsKey("component") || "control-plane".equals(o.labels().get("tier")))) {
        of(o, "mirror pod " + o.namespace() + "/" + o.name(), o.namespace() + "/" + o.name())
            .map(c -> new ComponentFact(c.flags(), c.source(), c.name(), c.anchor(), o.key()))
            .ifPresent(out::add);
      }
    }
    return out;
  }

  /** The component a static pod manifest starts, if it starts one. */
  public static Optional<ComponentFact> staticPod(KubeObject pod) {
    return pod.kind().equals("Pod") ? of(pod, "static pod manifest", "") : Optional.empty();
  }

  private static Optional<ComponentFact> of(KubeObject pod, String source, String name) {
    Optional<Component> byLabel = Component.ofBinary(pod.labels().getOrDefault("component", ""));
    List<Node> containers = pod.root().path("spec", "containers").items();
    for (Node c : containers) {
      List<Node> command = c.get("command").items();
      List<Node> args = c.get("args").items();
      Optional<Component> byCommand = command.isEmpty() ? Optional.empty()
          : Component.ofBinary(command.get(0).textOr(""));
      Optional<Component> component = byCommand.or(() -> containers.size() == 1 ? byLabel : Optional.empty());
      if (component.isEmpty()) {
        continue;
      }
      String file = pod.origin().file();
      List<Flags.Word> words = new ArrayList<>();
      for (Node n : concat(command, args)) {
        String text = n.textOr("");
        words.add(new Flags.Word(text, new Location(file, n.line(), n.column(), flagPath(text))));
      }
      Flags flags = Flags.parse(component.get(), words);
      Node anchorNode = c.get("command").isPresent() ? c.get("command") : c.get("args").isPresent() ? c.get("args") : c;
      return Optional.of(new ComponentFact(flags, source, name.isEmpty() ? component.get().binary() : name,
          new Location(file, anchorNode.line(), anchorNode.column(), "command")));
    }
    return Optional.empty();
  }

  private static List<Node> concat(List<Node> a, List<Node> b) {
    List<Node> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** {@code --name} of a word that is a flag, for the finding's path. */
  static String flagPath(String word) {
    String w = word.trim();
    if (!w.startsWith("-")) {
      return "";
    }
    int eq = w.indexOf('=');
    String name = (eq < 0 ? w : w.substring(0, eq)).replaceFirst("^-+", "");
    return "--" + name;
  }
}
