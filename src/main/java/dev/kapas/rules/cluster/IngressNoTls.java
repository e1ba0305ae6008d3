package dev.kapas.rules.cluster;

import dev.kapas.engine.ObjectRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Node;
import dev.kapas.model.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Hosts an Ingress serves without TLS send credentials and cookies in clear text. */
public final class IngressNoTls implements ObjectRule {
  /** Annotations with which cloud ingress controllers terminate TLS for every host of the Ingress. */
  private static final List<String> CLOUD_CERTIFICATES = List.of(
      "alb.ingress.kubernetes.io/certificate-arn", "networking.gke.io/managed-certificates",
      "ingress.gcp.kubernetes.io/pre-shared-cert", "appgw.ingress.kubernetes.io/appgw-ssl-certificate");

  private static final RuleSpec SPEC = RuleSpec.rule("cluster.ingress-no-tls")
      .title("Ingress host served without TLS")
      .severity(Severity.MEDIUM)
      .why("An Ingress rule whose host no `tls` entry covers is served over plain HTTP: "
          + "passwords, session cookies and API tokens cross the network readable and "
          + "modifiable by anyone on the path. A `tls` host `*.example.com` covers one label "
          + "(`shop.example.com`, not `a.b.example.com`); a `tls` entry without hosts covers the "
          + "rules without a host. An Ingress with only a default backend and no `tls` is "
          + "judged the same way. An Ingress that gets its certificate from a cloud load balancer "
          + "annotation (AWS ALB `certificate-arn`, GKE managed or pre-shared certificates, Azure "
          + "Application Gateway) counts as covered.")
      .fix("Add a `tls` entry listing the host and the Secret that holds its certificate (cert-manager "
          + "can issue and renew it), and redirect HTTP to HTTPS in the ingress controller.")
      .refs("https://kubernetes.io/docs/concepts/services-networking/ingress/#tls")
      .control("nsa", "Network separation and hardening: encryption")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public boolean appliesTo(KubeObject object) {
    return object.kind().equals("Ingress")
        && (object.apiVersion().startsWith("networking.k8s.io/") || object.apiVersion().startsWith("extensions/"));
  }

  @Override
  public void check(KubeObject object, RuleContext ctx) {
    if (CLOUD_CERTIFICATES.stream().anyMatch(a -> !object.annotations().getOrDefault(a, "").isBlank())) {
      return;
    }
    Field spec = Field.root(object.root()).get("spec");
    List<String> tlsHosts = new ArrayList<>();
    boolean tlsWithoutHosts = false;
    for (Node tls : spec.node().get("tls").items()) {
      if (tls.get("hosts").size() == 0) {
        tlsWithoutHosts = true;
      }
      tls.get("hosts").items().forEach(h -> tlsHosts.add(h.textOr("").toLowerCase(Locale.ROOT)));
    }
    Field rules = spec.get("rules");
    for (int i = 0; i < rules.node().size(); i++) {
      Field host = rules.get(i).get("host");
      String name = host.node().textOr("");
      if (name.isEmpty() && !tlsWithoutHosts) {
        ctx.fail(host.isPresent() ? host : rules.get(i), "Ingress `" + object.name()
            + "` has a rule without a host and no `tls` entry for it, so it is served over plain HTTP");
      } else if (!name.isEmpty() && tlsHosts.stream().noneMatch(t -> covers(t, name.toLowerCase(Locale.ROOT)))) {
        ctx.fail(host, "Ingress `" + object.name() + "` serves host `" + name + "` without TLS (no `tls` entry covers it)");
      }
    }
    Field backend = spec.get("defaultBackend").isPresent() ? spec.get("defaultBackend") : spec.get("backend");
    if (rules.node().size() == 0 && backend.isPresent() && spec.node().get("tls").size() == 0) {
      ctx.fail(backend, "Ingress `" + object.name() + "` serves its default backend without any `tls`");
    }
  }

  /** Whether TLS host {@code tls} (possibly {@code *.domain}) covers rule host {@code host}. */
  static boolean covers(String tls, String host) {
    if (tls.equals(host)) {
      return true;
    }
    if (tls.startsWith("*.")) {
      String suffix = tls.substring(1);
      if (host.startsWith("*.")) {
        return false;
      }
      return host.endsWith(suffix) && host.indexOf('.') == host.length() - suffix.length();
    }
    return false;
  }
}
