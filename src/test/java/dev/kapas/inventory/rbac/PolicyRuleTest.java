package dev.kapas.inventory.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Matching follows the API server's RBAC authorizer (plugin/pkg/auth/authorizer/rbac). */
class PolicyRuleTest {

  private static PolicyRule rule(List<String> verbs, List<String> groups, List<String> resources, List<String> urls) {
    return new PolicyRule(null, null, verbs, groups, resources, List.of(), urls);
  }

  @Test
  void resourcesAndSubresources() {
    PolicyRule pods = rule(List.of("get"), List.of(""), List.of("pods", "*/scale", "pods/*"), List.of());
    assertThat(pods.allows("get", "", "pods", "")).isTrue();
    assertThat(pods.allows("get", null, "pods", "")).as("no group asked: any group").isTrue();
    assertThat(pods.allows("get", "apps", "pods", "")).isFalse();
    assertThat(pods.allows("get", "", "deployments", "scale")).as("*/scale").isTrue();
    assertThat(pods.allows("get", "", "pods", "exec")).as("pods/* is not a pattern").isFalse();
    assertThat(pods.allows("list", "", "pods", "")).isFalse();
    PolicyRule all = rule(List.of("*"), List.of("*"), List.of("*"), List.of());
    assertThat(all.allows("escalate", "rbac.authorization.k8s.io", "clusterroles", "")).isTrue();
    assertThat(all.allows("create", "", "pods", "exec")).isTrue();
  }

  @Test
  void nonResourceUrls() {
    PolicyRule urls = rule(List.of("get"), List.of(), List.of(), List.of("/healthz", "/debug/*"));
    assertThat(urls.coversUrl("/healthz")).isTrue();
    assertThat(urls.coversUrl("/healthz/etcd")).isFalse();
    assertThat(urls.coversUrl("/debug/pprof/profile")).isTrue();
    assertThat(urls.coversUrl("/metrics")).isFalse();
    assertThat(rule(List.of("get"), List.of(), List.of(), List.of("*")).coversUrl("/logs")).isTrue();
    // the authorizer trims every trailing `*`: `/debug/**` is the prefix `/debug/`
    PolicyRule stars = rule(List.of("get"), List.of(), List.of(), List.of("/debug/**"));
    assertThat(stars.coversUrl("/debug/pprof")).isTrue();
    assertThat(stars.coversUrl("/debug")).isFalse();
  }

  @Test
  void describeSpellsTheCoreGroup() {
    assertThat(rule(List.of("get", "list"), List.of(""), List.of("secrets"), List.of()).describe())
        .isEqualTo("verbs [get, list] on resources [secrets] in apiGroups [\"\"]");
  }
}
