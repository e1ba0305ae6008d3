package dev.kapas.rules.cluster;

import dev.kapas.engine.ObjectRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Severity;
import java.util.Map;
import java.util.Set;

/** A cloud load balancer without source ranges is open to the whole internet. */
public final class ServiceLoadBalancerOpen implements ObjectRule {
  static final String RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges";
  private static final Set<String> ANYWHERE = Set.of("0.0.0.0/0", "::/0");
  /** Annotations (and the value that makes it so) that ask the cloud for a private load balancer. */
  private static final Map<String, String> INTERNAL = Map.of(
      "service.beta.kubernetes.io/aws-load-balancer-internal", "true",
      "service.beta.kubernetes.io/aws-load-balancer-scheme", "internal",
      "networking.gke.io/load-balancer-type", "Internal",
      "cloud.google.com/load-balancer-type", "Internal",
      "service.beta.kubernetes.io/azure-load-balancer-internal", "true",
      "service.beta.kubernetes.io/oci-load-balancer-internal", "true",
      "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type", "private");

  private static final RuleSpec SPEC = RuleSpec.rule("cluster.service-loadbalancer-open")
      .title("LoadBalancer Service open to any source")
      .severity(Severity.MEDIUM)
      .why("A Service of type LoadBalancer gets a cloud load balancer, public unless asked "
          + "otherwise. Without `loadBalancerSourceRanges` (or the older "
          + "`" + RANGES_ANNOTATION + "` annotation) every address on the internet reaches it, "
          + "so the application's own authentication is all that stands between it and the world. "
          + "A range of 0.0.0.0/0 or ::/0 counts as none. Load balancers marked internal with the "
          + "usual cloud annotations (AWS, GKE, Azure, OCI, IBM) are not judged.")
      .fix("Set `spec.loadBalancerSourceRanges` to the client networks that need the service, or "
          + "make the load balancer internal, or expose the application through an Ingress that "
          + "authenticates.")
      .refs("https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/")
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
    Field spec = Field.root(object.root()).get("spec");
    Field type = spec.get("type");
    Map<String, String> annotations = object.annotations();
    if (!type.node().textOr("").equals("LoadBalancer")
        || INTERNAL.entrySet().stream().anyMatch(e -> e.getValue().equalsIgnoreCase(annotations.get(e.getKey())))) {
      return;
    }
    Field ranges = spec.get("loadBalancerSourceRanges");
    for (int i = 0; i < ranges.node().size(); i++) {
      Field range = ranges.get(i);
      if (ANYWHERE.contains(range.node().textOr("").trim())) {
        ctx.fail(range, "LoadBalancer Service `" + object.name() + "` allows source range `"
            + range.node().textOr("") + "`, which is every address");
        return;
      }
    }
    String annotated = annotations.getOrDefault(RANGES_ANNOTATION, "").trim();
    if (ranges.node().size() == 0 && annotated.isEmpty()) {
      ctx.fail(type, "LoadBalancer Service `" + object.name()
          + "` sets no loadBalancerSourceRanges, so any address can reach it");
    } else if (ranges.node().size() == 0 && ANYWHERE.stream().anyMatch(annotated::contains)) {
      ctx.fail(Field.root(object.root()).path("metadata", "annotations", RANGES_ANNOTATION),
          "LoadBalancer Service `" + object.name() + "` allows source ranges `" + annotated
              + "` by annotation, which include every address");
    }
  }
}
