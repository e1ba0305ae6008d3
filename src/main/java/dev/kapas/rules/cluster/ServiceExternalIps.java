package dev.kapas.rules.cluster;

import dev.kapas.engine.ObjectRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Severity;
import java.util.List;

/** externalIPs let a Service capture traffic for any address (CVE-2020-8554). */
public final class ServiceExternalIps implements ObjectRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.service-external-ips")
      .title("Service sets externalIPs")
      .severity(Severity.HIGH)
      .why("kube-proxy routes traffic for every address in a Service's `externalIPs` to that "
          + "Service's pods, for any client in the cluster, with no check that the address belongs "
          + "to the Service's owner. Whoever can create Services can so intercept traffic meant "
          + "for an external database or API (CVE-2020-8554, unfixable in kube-proxy; the "
          + "upstream mitigation is to forbid the field with an admission policy).")
      .fix("Remove `spec.externalIPs`; use a LoadBalancer Service or an Ingress, and block the "
          + "field cluster-wide (the DenyServiceExternalIPs admission plugin, or a policy engine).")
      .refs("https://github.com/kubernetes/kubernetes/issues/97076",
          "https://kubernetes.io/docs/concepts/services-networking/service/#external-ips")
      .control("nsa", "Network separation and hardening")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public boolean appliesTo(KubeObject object) {
    return object.kind().equals("Service") && object.apiVersion().equals("v1");
  }

  @Override
  public void check(KubeObject object, RuleContext ctx) {
    Field ips = Field.root(object.root()).path("spec", "externalIPs");
    List<String> addresses = ips.node().items().stream().map(n -> n.textOr("")).filter(s -> !s.isEmpty()).toList();
    if (!addresses.isEmpty()) {
      ctx.fail(ips, "Service `" + object.name() + "` claims externalIPs " + String.join(", ", addresses)
          + "; traffic from inside the cluster to those addresses goes to its pods");
    }
  }
}
