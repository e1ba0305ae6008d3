package dev.kapas.rules.cluster;

import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.rbac.Binding;
import dev.kapas.inventory.rbac.PolicyRule;
import dev.kapas.inventory.rbac.Subject;
import dev.kapas.model.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The API server's debug and metrics endpoints tell an intruder how the cluster is built. */
public final class RbacNonresourceWildcard implements RbacPermissions.RoleRule {
  private static final List<String> SENSITIVE = List.of("/debug/pprof", "/metrics", "/logs");
  private static final Set<String> BROAD_GROUPS = Set.of("system:authenticated", "system:unauthenticated",
      "system:serviceaccounts");
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.rbac-nonresource-wildcard")
      .title("RBAC opens API server endpoints outside the resource API")
      .severity(Severity.MEDIUM)
      .why("`nonResourceURLs: [\"*\"]` grants every path the API server serves outside the resource "
          + "API, now and after upgrades. `/debug/*` (profiling), `/metrics` and `/logs` disclose "
          + "internals and log files; they are reported only when the role is held by a broad "
          + "subject (Groups `system:authenticated`, `system:unauthenticated`, `system:serviceaccounts` "
          + "or User `system:anonymous`), since monitoring agents read `/metrics` by design.")
      .fix("List the exact paths the subject needs (`/healthz`, `/version`), and bind `/metrics` to "
          + "the monitoring ServiceAccount only.")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources")
      .control("cis", "5.1.3")
      .control("nsa", "Authentication and authorization: role-based access control")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    RbacPermissions.check(inventory, ctx, SPEC, (rule, role, graph) -> {
      if (rule.nonResourceURLs().contains(PolicyRule.ALL)) {
        return Optional.of("allows " + RbacPermissions.words(rule.verbs()) + " on nonResourceURLs `*`");
      }
      List<String> open = new ArrayList<>();
      for (String url : SENSITIVE) {
        if (rule.coversUrl(url) || rule.coversUrl(url + "/")) {
          open.add(url);
        }
      }
      if (open.isEmpty() || rule.verbs().isEmpty()) {
        return Optional.empty();
      }
      List<String> broad = new ArrayList<>();
      for (Binding b : graph.holdersOf(role)) {
        for (Subject s : b.subjects()) {
          if (isBroad(s) && !broad.contains(s.display())) {
            broad.add(s.display());
          }
        }
      }
      return broad.isEmpty() ? Optional.empty()
          : Optional.of("allows " + RbacPermissions.words(rule.verbs()) + " on " + RbacPermissions.words(open)
              + " to " + String.join(", ", broad));
    });
  }

  private static boolean isBroad(Subject s) {
    return (s.kind().equals(Subject.GROUP) && BROAD_GROUPS.contains(s.name()))
        || (s.kind().equals(Subject.USER) && s.name().equals("system:anonymous"));
  }
}
