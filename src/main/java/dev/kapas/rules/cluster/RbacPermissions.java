package dev.kapas.rules.cluster;

import dev.kapas.engine.InventoryRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.rbac.Binding;
import dev.kapas.inventory.rbac.PolicyRule;
import dev.kapas.inventory.rbac.RbacGraph;
import dev.kapas.inventory.rbac.Role;
import dev.kapas.inventory.rbac.Subject;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The reusable half of the {@code cluster.rbac-*} rules that look at what a role allows: each of
 * them is a test on one policy rule; this walks every role the user wrote (upstream defaults
 * left out) and names the whole chain in the finding, pointing at the {@code rules[i]} entry. A
 * rule limited by {@code resourceNames} reaches a few named objects only: its finding is one
 * severity lower.
 *
 * <p>A role no binding in the scan refers to is still reported ("not bound in this scan"):
 * manifests often ship roles and bindings apart, and a role exists to be bound.
 */
final class RbacPermissions {
  private static final int MAX_BINDINGS = 3;
  private static final int MAX_SUBJECTS = 4;

  /** A rule whose findings are about roles (Role, ClusterRole) only. */
  interface RoleRule extends InventoryRule {
    @Override
    default boolean mayReportOn(KubeObject object) {
      return object.kind().equals("Role") || object.kind().equals("ClusterRole");
    }
  }

  /** What a rule grants that the calling rule objects to, in words; empty when nothing. */
  interface Test {
    Optional<String> check(PolicyRule rule, Role role, RbacGraph graph);
  }

  /** As {@link Test}, for rules whose findings weigh differently from case to case. */
  interface WeighedTest {
    Optional<Verdict> check(PolicyRule rule, Role role, RbacGraph graph);
  }

  /** What a rule grants, in words, and how severe that is before {@code resourceNames} lower it. */
  record Verdict(String what, Severity severity) {}

  private RbacPermissions() {}

  static void check(Inventory inventory, RuleContext ctx, RuleSpec spec, Test test) {
    walk(inventory, ctx, false,
        (rule, role, graph) -> test.check(rule, role, graph).map(what -> new Verdict(what, spec.severity())));
  }

  static void check(Inventory inventory, RuleContext ctx, WeighedTest test) {
    walk(inventory, ctx, false, test);
  }

  /**
   * For cluster.rbac-wildcard alone: also the rules that grant every verb on every resource, and
   * the non-resource {@code *} of a role that amounts to cluster-admin, which the other rules
   * leave to it, so that such a role is one finding instead of one per rule.
   */
  static void checkEverything(Inventory inventory, RuleContext ctx, WeighedTest test) {
    walk(inventory, ctx, true, test);
  }

  private static void walk(Inventory inventory, RuleContext ctx, boolean everything, WeighedTest test) {
    RbacGraph graph = inventory.rbac();
    for (Role role : graph.roles()) {
      if (role.upstreamDefault()) {
        continue;
      }
      ctx.evaluated(role.object());
      if (role.aggregating()) {
        continue; // its rules are the aggregation controller's copy of its components': reported there
      }
      boolean clusterAdmin = amountsToClusterAdmin(role);
      for (PolicyRule rule : role.ownRules()) {
        if (!everything && (grantsEverything(rule) || (clusterAdmin && grantsEveryUrl(rule)))) {
          continue;
        }
        test.check(rule, role, graph).ifPresent(verdict -> ctx.fail(role.object(), rule.at(),
            rule.restrictedToNames() ? verdict.severity().lower() : verdict.severity(),
            role.display() + " " + verdict.what() + names(rule) + "; " + holders(role, graph)));
      }
    }
  }

  /** Every verb on every resource of every API group, for any name. */
  static boolean grantsEverything(PolicyRule rule) {
    return rule.verbs().contains(PolicyRule.ALL) && rule.apiGroups().contains(PolicyRule.ALL)
        && rule.resources().contains(PolicyRule.ALL) && !rule.restrictedToNames();
  }

  /** Every verb on every non-resource URL. */
  static boolean grantsEveryUrl(PolicyRule rule) {
    return rule.verbs().contains(PolicyRule.ALL) && rule.nonResourceURLs().contains(PolicyRule.ALL);
  }

  /** A ClusterRole whose own rules grant everything on every resource and every URL, as cluster-admin does. */
  static boolean amountsToClusterAdmin(Role role) {
    return role.cluster() && role.ownRules().stream().anyMatch(RbacPermissions::grantsEverything)
        && role.ownRules().stream().anyMatch(RbacPermissions::grantsEveryUrl);
  }

  /** The first of {@code role}'s rules {@code wanted} accepts, as {@code rules[i]}. */
  static Optional<String> ruleWhere(Role role, Predicate<PolicyRule> wanted) {
    return role.rules().stream().filter(wanted).findFirst().map(r -> r.at().path());
  }

  /**
   * {@code verbs} on any of {@code resources} (each {@code group/resource[/subresource]}, the
   * core group written as an empty group) in words, when {@code rule} allows it.
   */
  static Optional<String> allows(PolicyRule rule, List<String> verbs, String... resources) {
    if (!rule.allowsAnyVerb(verbs)) {
      return Optional.empty();
    }
    List<String> covered = new ArrayList<>();
    for (String r : resources) {
      int slash = r.indexOf('/');
      String group = r.substring(0, slash);
      String rest = r.substring(slash + 1);
      int sub = rest.indexOf('/');
      String resource = sub < 0 ? rest : rest.substring(0, sub);
      String subresource = sub < 0 ? "" : rest.substring(sub + 1);
      if (rule.covers(group, resource, subresource) && !covered.contains(rest)) {
        covered.add(rest);
      }
    }
    if (covered.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("allows " + words(rule.allowedVerbs(verbs)) + " on " + words(covered)
        + (rule.resources().contains(PolicyRule.ALL) ? " (through resources `*`)" : ""));
  }

  /** {@code `get`, `list`}. */
  static String words(List<String> items) {
    return String.join(", ", items.stream().map(s -> "`" + s + "`").toList());
  }

  private static String names(PolicyRule rule) {
    return rule.restrictedToNames() ? ", only for resourceNames " + words(rule.resourceNames()) : "";
  }

  /** Who holds {@code role}'s rules, through which bindings; or that no binding does. */
  static String holders(Role role, RbacGraph graph) {
    List<Binding> bindings = graph.holdersOf(role);
    StringBuilder sb = new StringBuilder();
    List<Role> into = graph.aggregatedInto(role);
    if (!into.isEmpty()) {
      sb.append("aggregated into ").append(String.join(", ", into.stream().map(Role::display).toList()));
      sb.append("; ");
    }
    if (bindings.isEmpty()) {
      return sb.append("not bound in this scan").toString();
    }
    sb.append("held via ");
    for (int i = 0; i < bindings.size() && i < MAX_BINDINGS; i++) {
      if (i > 0) {
        sb.append("; ");
      }
      sb.append(binding(bindings.get(i)));
    }
    if (bindings.size() > MAX_BINDINGS) {
      sb.append("; and ").append(bindings.size() - MAX_BINDINGS).append(" more bindings");
    }
    return sb.toString();
  }

  /** {@code RoleBinding `shop/x` (namespace shop only) by User `alice`, Group `devs`}: a ClusterRole's rights bound in one namespace. */
  static String binding(Binding b) {
    StringBuilder sb = new StringBuilder(b.display());
    if (!b.cluster() && !b.roleKind().equals("Role")) {
      sb.append(" (namespace ").append(b.namespace()).append(" only)");
    }
    List<Subject> subjects = b.subjects();
    if (subjects.isEmpty()) {
      return sb.append(" with no subjects").toString();
    }
    sb.append(" by ");
    sb.append(String.join(", ", subjects.stream().limit(MAX_SUBJECTS).map(Subject::display).toList()));
    if (subjects.size() > MAX_SUBJECTS) {
      sb.append(" and ").append(subjects.size() - MAX_SUBJECTS).append(" more");
    }
    return sb.toString();
  }
}
