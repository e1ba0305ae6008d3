package dev.kapas.rules.cluster;

import dev.kapas.engine.ObjectRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.NetworkPolicies;
import dev.kapas.inventory.NetworkPolicies.Direction;
import dev.kapas.inventory.NetworkPolicies.Policy;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Node;
import dev.kapas.model.Severity;
import java.util.List;

/** An egress allow-list that admits the whole internet admits the cloud metadata service too. */
public final class MetadataApiReachable implements ObjectRule {
  /** The link-local metadata endpoints of AWS, GCP, Azure, OCI, ... and AWS's IPv6 one. */
  private static final List<Cidr> METADATA = List.of(
      Cidr.parse("169.254.169.254/32").orElseThrow(), Cidr.parse("fd00:ec2::254/128").orElseThrow());
  private static final int METADATA_PORT = 80;

  private static final RuleSpec SPEC = RuleSpec.rule("cluster.metadata-api-reachable")
      .title("Egress policy lets pods reach the cloud metadata API")
      .severity(Severity.MEDIUM)
      .why("The cloud metadata service (169.254.169.254, and fd00:ec2::254 on AWS IPv6) answers "
          + "any pod that can reach it, and on many clusters hands out the node's cloud "
          + "credentials. An egress rule for 0.0.0.0/0 or ::/0 — or any ipBlock containing the "
          + "metadata address, or a rule without `to` — opens it unless the ipBlock `except`s the "
          + "address. Rules whose ports cannot carry TCP port 80 are not judged, nor rules of a "
          + "direction the policy does not affect (egress rules in an Ingress-only policy are "
          + "ignored by Kubernetes).")
      .fix("Add `except: [169.254.169.254/32]` to the 0.0.0.0/0 ipBlock (and `fd00:ec2::254/128` to "
          + "::/0), or allow only the destinations the workload needs; on managed clusters also "
          + "enable the provider's metadata protection (IMDSv2 hop limit 1, GKE metadata server).")
      .refs("https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors",
          "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-v2-how-it-works.html")
      .control("nsa", "Network separation and hardening: protecting sensitive cloud infrastructure")
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
      if (direction != Direction.EGRESS || !PolicyRules.allowsTcp(rule, METADATA_PORT)) {
        return;
      }
      Field peers = rule.get("to");
      if (peers.node().size() == 0) {
        ctx.fail(rule, PolicyRules.name(policy, direction, rule)
            + " has no `to`, so it allows every destination, the metadata API 169.254.169.254 included");
        return;
      }
      for (int i = 0; i < peers.node().size(); i++) {
        Field cidr = peers.get(i).path("ipBlock", "cidr");
        Node except = peers.get(i).node().path("ipBlock", "except");
        Cidr.parse(cidr.node().textOr("")).ifPresent(block -> METADATA.stream()
            .filter(block::contains)
            .filter(meta -> except.items().stream().map(e -> Cidr.parse(e.textOr("")))
                .noneMatch(e -> e.isPresent() && e.get().contains(meta)))
            .findFirst()
            .ifPresent(meta -> ctx.fail(cidr, PolicyRules.name(policy, direction, rule) + " allows `"
                + cidr.node().textOr("") + "` without excepting the metadata API address")));
      }
    });
  }
}
