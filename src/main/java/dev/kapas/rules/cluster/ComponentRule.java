package dev.kapas.rules.cluster;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.model.Finding;
import dev.kapas.model.Subject;
import dev.kapas.source.node.Component;
import dev.kapas.source.node.ComponentFact;
import dev.kapas.source.node.Flag;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rule about how control-plane components are started (their flags), wherever the flags were
 * read: a static pod manifest, a process, a mirror pod. It judges only the components it names;
 * on a node without them it evaluates nothing, so their absence never counts as a pass.
 */
abstract class ComponentRule implements FactRule<ComponentFact> {
  static final String KUBEADM = "https://kubernetes.io/docs/reference/command-line-tools-reference/";

  /** The components this rule judges. */
  abstract List<Component> components();

  @Override
  public final Class<ComponentFact> type() {
    return ComponentFact.class;
  }

  @Override
  public final boolean appliesTo(ComponentFact fact) {
    return components().contains(fact.component()) && judges(fact);
  }

  /** Whether a fact of the right component is one this rule has something to say about. */
  boolean judges(ComponentFact fact) {
    return true;
  }

  /**
   * A CIS control of sections 1.2 (API server), 1.3 (controller manager), 1.4 (scheduler) and 2
   * (etcd) concerns that component only.
   */
  @Override
  public boolean concerns(Subject subject, String control) {
    Component about = control.startsWith("1.2.") ? Component.APISERVER
        : control.startsWith("1.3.") ? Component.CONTROLLER_MANAGER
        : control.startsWith("1.4.") ? Component.SCHEDULER
        : control.startsWith("2.") ? Component.ETCD : null;
    return about == null || subject instanceof ComponentFact f && f.component() == about;
  }

  /** Which flags each of the rule's controls is about, when they differ; a finding fails the controls of its flag. */
  Map<String, List<String>> controlFlags() {
    return Map.of();
  }

  @Override
  public boolean fails(Finding finding, String control) {
    List<String> flags = controlFlags().get(control);
    return flags == null || flags.contains(finding.location().path().replaceFirst("^-+", ""));
  }

  /** {@code kube-apiserver (static pod manifest)}. */
  static String who(ComponentFact fact) {
    return fact.component().binary() + " (" + fact.source() + ")";
  }

  /** {@code sets `--flag=value`}, or {@code does not set --flag (default: value)}. */
  static String setting(ComponentFact fact, String flag) {
    Optional<Flag> f = fact.flags().get(flag);
    if (f.isPresent()) {
      return "sets `--" + flag + "=" + f.get().value() + "`";
    }
    return "does not set --" + flag + fact.component().defaultOf(flag).map(d -> " (default: "
        + (d.isEmpty() ? "none" : d) + ")").orElse("");
  }

  /** A finding at the flag (or where it would go). */
  static void fail(RuleContext ctx, ComponentFact fact, String flag, String message) {
    ctx.fail(fact.at(flag), who(fact) + " " + message);
  }

  /** Fails each of {@code flags} that is not set (or set empty). */
  static void requireSet(RuleContext ctx, ComponentFact fact, String... flags) {
    for (String flag : flags) {
      if (!fact.flags().isSet(flag)) {
        fail(ctx, fact, flag, "does not set --" + flag);
      }
    }
  }
}
