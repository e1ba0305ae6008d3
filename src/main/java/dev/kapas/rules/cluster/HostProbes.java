package dev.kapas.rules.cluster;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;
import java.util.List;

/**
 * PSS baseline "Probes / Lifecycle Hooks" (v1.34+): probes and lifecycle handlers may not name a
 * host. The admission controller accepts only an empty host, so 127.0.0.1 and ::1 fail too.
 */
public final class HostProbes implements ContainerRule {
  private static final List<String> PROBES = List.of("livenessProbe", "readinessProbe", "startupProbe");
  private static final List<String> HANDLERS = List.of("postStart", "preStop");
  private static final List<String> ACTIONS = List.of("httpGet", "tcpSocket");
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.host-probes")
      .title("Probe or lifecycle hook targets another host")
      .severity(Severity.MEDIUM)
      .pss(PssLevel.BASELINE, 34)
      .why("The kubelet runs probes and HTTP/TCP lifecycle hooks from the node: a `host` lets a "
          + "pod make the kubelet connect anywhere the node can reach (server-side request forgery).")
      .fix("Remove `host` from `httpGet`/`tcpSocket` probes and lifecycle handlers so they target "
          + "the pod's own IP.")
      .control("nsa", "Pod security: pod security enforcement")
      .refs(PodSecurity.BASELINE_DOC)
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    for (String probe : PROBES) {
      checkHandler(container.get(probe), container, probe, ctx);
    }
    for (String handler : HANDLERS) {
      checkHandler(container.get("lifecycle", handler), container, "lifecycle." + handler, ctx);
    }
  }

  private static void checkHandler(Field handler, ContainerView container, String where, RuleContext ctx) {
    for (String action : ACTIONS) {
      Field host = handler.path(action, "host");
      if (!PodSecurity.text(host).isEmpty()) {
        ctx.fail(host, container.label() + " " + where + " targets host `" + PodSecurity.text(host) + "`");
      }
    }
  }
}
