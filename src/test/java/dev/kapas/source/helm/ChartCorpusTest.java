package dev.kapas.source.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.model.KubeObject;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every chart in ../shared/fixtures/charts renders with default values, without an input error,
 * into exactly the objects {@code helm template} gives (hooks included).
 *
 * <p>How the expected objects were established (there is no helm binary here, and Debian ships
 * no Helm package: {@code apt-cache search --names-only ^helm} finds none): by reading each
 * chart's templates and values.yaml by hand: every {@code kind:} document of every template,
 * kept when the {@code if} around it holds under the default values (e.g. cert-manager's
 * rbac.yaml has 11 ClusterRoles and 8 ClusterRoleBindings under {@code global.rbac.create:
 * true}; its CRD templates need {@code crds.enabled}, false; its PSP templates need {@code
 * global.podSecurityPolicy.enabled}, false; postgresql's update-password hooks need {@code
 * passwordUpdateJob.enabled}, false; ingress-nginx's admission job-patch templates are hooks,
 * its networkpolicy among them needs {@code
 * controller.admissionWebhooks.patch.networkPolicy.enabled}, false). Names follow the
 * charts' fullname helpers with release name {@code kapas}; namespaces are {@code default}
 * (helm template's) unless a template names another (cert-manager's leader-election Roles sit
 * in kube-system).
 */
class ChartCorpusTest {
  private static final Path CHARTS = Path.of("../shared/fixtures/charts");
  private final Map<String, String> expected = new TreeMap<>();

  private void expect(String chart, String objects) {
    expected.put(chart, objects);
  }

  @Test
  void everyChartRendersTheObjectsHelmTemplateGives() {
    expect("cert-manager", """
          ClusterRole/kapas-cert-manager-cainjector
          ClusterRole/kapas-cert-manager-cluster-view
          ClusterRole/kapas-cert-manager-controller-approve:cert-manager-io
          ClusterRole/kapas-cert-manager-controller-certificates
          ClusterRole/kapas-cert-manager-controller-certificatesigningrequests
          ClusterRole/kapas-cert-manager-controller-challenges
          ClusterRole/kapas-cert-manager-controller-clusterissuers
          ClusterRole/kapas-cert-manager-controller-ingress-shim
          ClusterRole/kapas-cert-manager-controller-issuers
          ClusterRole/kapas-cert-manager-controller-orders
          ClusterRole/kapas-cert-manager-edit
          ClusterRole/kapas-cert-manager-view
          ClusterRole/kapas-cert-manager-webhook:subjectaccessreviews
          ClusterRoleBinding/kapas-cert-manager-cainjector
          ClusterRoleBinding/kapas-cert-manager-controller-approve:cert-manager-io
          ClusterRoleBinding/kapas-cert-manager-controller-certificates
          ClusterRoleBinding/kapas-cert-manager-controller-certificatesigningrequests
          ClusterRoleBinding/kapas-cert-manager-controller-challenges
          ClusterRoleBinding/kapas-cert-manager-controller-clusterissuers
          ClusterRoleBinding/kapas-cert-manager-controller-ingress-shim
          ClusterRoleBinding/kapas-cert-manager-controller-issuers
          ClusterRoleBinding/kapas-cert-manager-controller-orders
          ClusterRoleBinding/kapas-cert-manager-webhook:subjectaccessreviews
          Deployment/default/kapas-cert-manager
          Deployment/default/kapas-cert-manager-cainjector
          Deployment/default/kapas-cert-manager-webhook
          Job/default/kapas-cert-manager-startupapicheck [hook post-install]
          MutatingWebhookConfiguration/kapas-cert-manager-webhook
          Role/default/kapas-cert-manager-startupapicheck:create-cert [hook post-install]
          Role/default/kapas-cert-manager-webhook:dynamic-serving
          Role/kube-system/kapas-cert-manager-cainjector:leaderelection
          Role/kube-system/kapas-cert-manager:leaderelection
          RoleBinding/default/kapas-cert-manager-startupapicheck:create-cert [hook post-install]
          RoleBinding/default/kapas-cert-manager-webhook:dynamic-serving
          RoleBinding/kube-system/kapas-cert-manager-cainjector:leaderelection
          RoleBinding/kube-system/kapas-cert-manager:leaderelection
          Service/default/kapas-cert-manager
          Service/default/kapas-cert-manager-cainjector
          Service/default/kapas-cert-manager-webhook
          ServiceAccount/default/kapas-cert-manager
          ServiceAccount/default/kapas-cert-manager-cainjector
          ServiceAccount/default/kapas-cert-manager-startupapicheck [hook post-install]
          ServiceAccount/default/kapas-cert-manager-webhook
          ValidatingWebhookConfiguration/kapas-cert-manager-webhook
          """);
    expect("ingress-nginx", """
          ClusterRole/kapas-ingress-nginx
          ClusterRole/kapas-ingress-nginx-admission [hook pre-install,pre-upgrade,post-install,post-upgrade]
          ClusterRoleBinding/kapas-ingress-nginx
          ClusterRoleBinding/kapas-ingress-nginx-admission [hook pre-install,pre-upgrade,post-install,post-upgrade]
          ConfigMap/default/kapas-ingress-nginx-controller
          Deployment/default/kapas-ingress-nginx-controller
          IngressClass/nginx
          Job/default/kapas-ingress-nginx-admission-create [hook pre-install,pre-upgrade]
          Job/default/kapas-ingress-nginx-admission-patch [hook post-install,post-upgrade]
          Role/default/kapas-ingress-nginx
          Role/default/kapas-ingress-nginx-admission [hook pre-install,pre-upgrade,post-install,post-upgrade]
          RoleBinding/default/kapas-ingress-nginx
          RoleBinding/default/kapas-ingress-nginx-admission [hook pre-install,pre-upgrade,post-install,post-upgrade]
          Service/default/kapas-ingress-nginx-controller
          Service/default/kapas-ingress-nginx-controller-admission
          ServiceAccount/default/kapas-ingress-nginx
          ServiceAccount/default/kapas-ingress-nginx-admission [hook pre-install,pre-upgrade,post-install,post-upgrade]
          ValidatingWebhookConfiguration/kapas-ingress-nginx-admission
          """);
    expect("postgresql", """
          NetworkPolicy/default/kapas-postgresql
          PodDisruptionBudget/default/kapas-postgresql
          Secret/default/kapas-postgresql
          Service/default/kapas-postgresql
          Service/default/kapas-postgresql-hl
          ServiceAccount/default/kapas-postgresql
          StatefulSet/default/kapas-postgresql
          """);
    expect("prometheus-node-exporter", """
          DaemonSet/default/kapas-prometheus-node-exporter
          Service/default/kapas-prometheus-node-exporter
          ServiceAccount/default/kapas-prometheus-node-exporter
          """);
    long start = System.nanoTime();
    for (Map.Entry<String, String> e : expected.entrySet()) {
      ChartSource source = new ChartSource(HelmOptions.defaults(), YamlTreeReader.Limits.DEFAULT);
      ManifestSource.Result r = source.read(CHARTS.resolve(e.getKey()).toString());
      assertThat(r.errors()).as(e.getKey()).isEmpty();
      List<String> got = new ArrayList<>();
      for (KubeObject o : r.objects()) {
        got.add(o.ref().display() + source.hook(o.key()).map(h -> " [hook " + h.substring("Helm hook: ".length()) + "]")
            .orElse(""));
      }
      assertThat(got).as(e.getKey()).containsExactlyInAnyOrderElementsOf(e.getValue().lines().toList());
    }
    // a generous bound, not a benchmark (bench/helm-render.sh measures): four charts rendered
    // one child process each take a few seconds on an idle machine
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(120));
  }
}
