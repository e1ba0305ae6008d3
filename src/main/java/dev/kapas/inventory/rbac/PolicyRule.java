package dev.kapas.inventory.rbac;

import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a Role's {@code rules}, with where it was written: the role object that declares
 * it (for aggregated ClusterRoles, the component role) and the {@code rules[i]} field. Matching
 * follows the API server's RBAC authorizer: {@code *} matches everything in its list, a resource
 * {@code *}{@code /SUB} matches subresource SUB of any resource, and a URL ending in {@code *} is a prefix
 * (without its trailing stars).
 */
public record PolicyRule(KubeObject declaredIn, Field at, List<String> verbs, List<String> apiGroups,
    List<String> resources, List<String> resourceNames, List<String> nonResourceURLs) {
  public static final String ALL = "*";

  public PolicyRule {
    verbs = List.copyOf(verbs);
    apiGroups = List.copyOf(apiGroups);
    resources = List.copyOf(resources);
    resourceNames = List.copyOf(resourceNames);
    nonResourceURLs = List.copyOf(nonResourceURLs);
  }

  static PolicyRule of(KubeObject declaredIn, Field at) {
    return new PolicyRule(declaredIn, at, strings(at.node().get("verbs")), strings(at.node().get("apiGroups")),
        strings(at.node().get("resources")), strings(at.node().get("resourceNames")),
        strings(at.node().get("nonResourceURLs")));
  }

  private static List<String> strings(Node list) {
    List<String> out = new ArrayList<>(list.size());
    for (Node item : list.items()) {
      item.text().ifPresent(out::add);
    }
    return out;
  }

  public boolean allowsVerb(String verb) {
    return verbs.contains(ALL) || verbs.contains(verb);
  }

  /** Allows at least one of {@code verbs}. */
  public boolean allowsAnyVerb(List<String> candidates) {
    return candidates.stream().anyMatch(this::allowsVerb);
  }

  /** The verbs of {@code candidates} this rule allows, in its own words ({@code *} when that is how). */
  public List<String> allowedVerbs(List<String> candidates) {
    return verbs.contains(ALL) ? List.of(ALL) : candidates.stream().filter(verbs::contains).toList();
  }

  public boolean coversGroup(String group) {
    return apiGroups.contains(ALL) || apiGroups.contains(group);
  }

  /**
   * Covers {@code resource} (optionally {@code resource/subresource}) in {@code group}; an empty
   * {@code group} stands for any group, when the caller did not name one.
   */
  public boolean covers(String group, String resource, String subresource) {
    if (group != null && !coversGroup(group)) {
      return false;
    }
    String combined = subresource.isEmpty() ? resource : resource + "/" + subresource;
    for (String r : resources) {
      if (r.equals(ALL) || r.equals(combined)) {
        return true;
      }
      if (!subresource.isEmpty() && r.equals("*/" + subresource)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code verb} on {@code group/resource[/subresource]} is allowed (any resource name). */
  public boolean allows(String verb, String group, String resource, String subresource) {
    return allowsVerb(verb) && covers(group, resource, subresource);
  }

  /** Exactly, or by prefix when the rule's URL ends in {@code *} (all trailing stars are trimmed, as the authorizer does). */
  public boolean coversUrl(String url) {
    for (String u : nonResourceURLs) {
      if (u.equals(ALL) || u.equals(url) || (u.endsWith("*") && url.startsWith(trimStars(u)))) {
        return true;
      }
    }
    return false;
  }

  private static String trimStars(String u) {
    int end = u.length();
    while (end > 0 && u.charAt(end - 1) == '*') {
      end--;
    }
    return u.substring(0, end);
  }

  /** Only named objects: {@code resourceNames} is set. */
  public boolean restrictedToNames() {
    return !resourceNames.isEmpty();
  }

  /** {@code verbs [get list] on [secrets] in apiGroups [""]}, for messages. */
  public String describe() {
    StringBuilder sb = new StringBuilder("verbs ").append(list(verbs));
    if (!resources.isEmpty() || nonResourceURLs.isEmpty()) {
      sb.append(" on resources ").append(list(resources));
      sb.append(" in apiGroups ").append(list(apiGroups));
    }
    if (!resourceNames.isEmpty()) {
      sb.append(" (resourceNames ").append(list(resourceNames)).append(')');
    }
    if (!nonResourceURLs.isEmpty()) {
      sb.append(" on nonResourceURLs ").append(list(nonResourceURLs));
    }
    return sb.toString();
  }

  static String list(List<String> items) {
    List<String> quoted = items.stream().map(s -> s.isEmpty() ? "\"\"" : s).toList();
    return "[" + String.join(", ", quoted) + "]";
  }
}
