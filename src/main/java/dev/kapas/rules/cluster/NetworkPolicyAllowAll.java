package dev.kapas.rules.cluster;

import dev.kapas.engine.ObjectRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.LabelSelector;
import dev.kapas.inventory.NetworkPolicies;
import dev.kapas.inventory.NetworkPolicies.Policy;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Node;
import dev.kapas.model.Severity;

/** A policy rule that admits everything isolates nothing. */
public final class NetworkPolicyAllowAll implements ObjectRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.network-policy-allow-all")
      .title("NetworkPolicy rule allows all traffic")
      .severity(Severity.MEDIUM)
      .why("A NetworkPolicy rule without peers (`ingress: [{}]`, a rule with no `from`/`to`), with "
          + "an empty peer (`from: [{}]`), with a peer of every namespace and every pod "
          + "(`namespaceSelector: {}`), or with an ipBlock of 0.0.0.0/0 or ::/0 and no `except`, "
          + "admits traffic from (or to) anyone; when it also names no ports, the policy's pods are "
          + "as open as if no policy selected them, while the policy gives the impression they are "
          + "isolated. Rules limited to some ports are not judged, nor rules of a direction the "
          + "policy does not affect.")
      .fix("Name the peers the pods really talk to (`podSelector`, `namespaceSelector` with labels, "
          + "narrow ipBlocks) and the ports, or delete the rule if the intent was to deny.")
      .refs("https://kubernetes.io/docs/concepts/services-networking/network-policies/#allow-all-ingress-traffic")
      .control("cis", "5.3.2")
      .control("nsa", "Network separation and hardening: network policies")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public boolean appliesTo(KubeObject object) {
    return NetworkPolicies.isNetworkPolicy(object);
  }

  @Override
  public void check(KubeObject object, RuleContext ctx) {
    Policy policy = NetworkPolicies.read(object);
    PolicyRules.forEach(policy, (direction, rule) -> {
      if (!PolicyRules.allPorts(rule)) {
        return;
      }
      String name = PolicyRules.name(policy, direction, rule);
      String side = direction == NetworkPolicies.Direction.INGRESS ? "from" : "to";
      Field peers = rule.get(direction.peers());
      if (peers.node().size() == 0) {
        ctx.fail(rule, name + " names no peers and no ports, so it allows all traffic " + side + " anywhere");
        return;
      }
      for (int i = 0; i < peers.node().size(); i++) {
        Field peer = peers.get(i);
        everyone(peer.node()).ifPresent(what -> ctx.fail(peer, name + " allows all traffic " + side + " " + what));
      }
    });
  }

  /** What the peer admits, when that is everyone. */
  private static java.util.Optional<String> everyone(Node peer) {
    if (peer.asMap().map(m -> m.size() == 0).orElse(false)) {
      return java.util.Optional.of("anywhere (an empty peer `{}`)");
    }
    Node namespaces = peer.get("namespaceSelector");
    Node pods = peer.get("podSelector");
    if (!namespaces.isNull() && LabelSelector.of(namespaces).selectsEverything()
        && (pods.isNull() || LabelSelector.of(pods).selectsEverything())) {
      return java.util.Optional.of("every pod of every namespace (`namespaceSelector: {}`)");
    }
    Node block = peer.get("ipBlock");
    if (block.get("except").size() == 0
        && Cidr.parse(block.get("cidr").textOr("")).map(Cidr::isEverything).orElse(false)) {
      return java.util.Optional.of("every address (`" + block.get("cidr").textOr("") + "` without `except`)");
    }
    return java.util.Optional.empty();
  }
}
