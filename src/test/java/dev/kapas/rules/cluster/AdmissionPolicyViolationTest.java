package dev.kapas.rules.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.engine.Engine;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Finding;
import dev.kapas.source.Progress;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the fixtures cannot say: severities by validation action, messages, and policies that do not compile. */
class AdmissionPolicyViolationTest {
  private static final String FIXTURES = "src/test/resources/rules/cluster.admission-policy-violation/";

  @TempDir
  Path dir;

  private static List<Finding> run(String file) {
    ManifestSource.Result r = new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(file), Progress.NONE);
    assertThat(r.errors()).isEmpty();
    Inventory inventory = new Inventory(r.objects(), r.errors(), r.notes());
    return new Engine(List.of(RuleCatalog.builtIn().find("cluster.admission-policy-violation").orElseThrow()),
        Engine.Settings.defaults()).run(inventory).findings();
  }

  private static List<String> summary(List<Finding> findings) {
    return findings.stream().map(f -> f.severity().label() + " " + f.status() + " " + f.object().display() + ": "
        + f.message()).toList();
  }

  @Test
  void severityFollowsTheBindingsActions() {
    assertThat(summary(run(FIXTURES + "fail-params.yaml"))).containsExactlyInAnyOrder(
        "low fail Deployment/web/web: ValidatingAdmissionPolicy `replica-limit` with binding `by-name` (Audit): "
            + "replicas must be at most 3",
        "high fail Deployment/api/api: ValidatingAdmissionPolicy `replica-limit` with binding `by-selector` (Deny): "
            + "replicas must be at most 2",
        "high fail Deployment/batch/job-runner: ValidatingAdmissionPolicy `replica-limit` with binding "
            + "`deny-without-params` (Deny): no params found for policy binding with `Deny` parameterNotFoundAction");
    assertThat(summary(run(FIXTURES + "fail-match-policy-exact.yaml"))).containsExactly(
        "medium fail Ingress/shop/web: ValidatingAdmissionPolicy `ingress-tls` with binding `ingress-tls-shop` (Warn): "
            + "Ingress web has no tls");
  }

  @Test
  void runtimeErrorsRejectUnderFailurePolicyFail() {
    assertThat(summary(run(FIXTURES + "fail-conditions-and-errors.yaml"))).containsExactlyInAnyOrder(
        "high fail ConfigMap/shop/settings: ValidatingAdmissionPolicy `team-label` with binding `team-label` "
            + "(Deny, Audit): ConfigMap settings has no team label",
        "high fail ConfigMap/shop/settings: ValidatingAdmissionPolicy `team-label` with binding `team-label` "
            + "(Deny, Audit): expression 'object.metadata.annotations.owner.contains('@')' resulted in error: "
            + "evaluation error at <input>:15: key 'annotations' is not present in map. (failurePolicy Fail)",
        "high fail Secret/shop/token2: ValidatingAdmissionPolicy `owner-lenient` with binding `owner-lenient` (Deny): "
            + "failed expression: object.metadata.annotations.owner.contains('@')");
  }

  @Test
  void notesAreInfoAndNameWhatIsMissing() {
    assertThat(summary(run(FIXTURES + "fail-notes.yaml"))).containsExactlyInAnyOrder(
        "info fail ValidatingAdmissionPolicy/unbound: ValidatingAdmissionPolicy `unbound` would reject nothing: no "
            + "ValidatingAdmissionPolicyBinding among the scanned inputs names it",
        "info fail ValidatingAdmissionPolicyBinding/dangling: binding `dangling` names ValidatingAdmissionPolicy "
            + "`nowhere`, which is not among the scanned inputs, so it is not evaluated",
        "info fail ValidatingAdmissionPolicyBinding/with-params: binding `with-params` refers to params Limits "
            + "`cluster-limits`, which are not among the scanned inputs; parameterNotFoundAction Allow applies to the "
            + "objects it matches");
  }

  @Test
  void auditAnnotationsGoWithTheViolation() throws IOException {
    Path file = dir.resolve("audit.yaml");
    Files.writeString(file, """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: replicas}
        spec:
          matchConstraints:
            resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
          validations:
          - expression: "object.spec.replicas < 50"
            reason: Forbidden
          auditAnnotations:
          - key: high-replica-count
            valueExpression: "'Deployment spec.replicas set to ' + string(object.spec.replicas)"
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: replicas}
        spec: {policyName: replicas, validationActions: [Audit]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: huge, namespace: shop}
        spec: {replicas: 60}
        """);
    assertThat(summary(run(file.toString()))).containsExactly(
        "low fail Deployment/shop/huge: ValidatingAdmissionPolicy `replicas` with binding `replicas` (Audit): failed "
            + "expression: object.spec.replicas < 50 (reason Forbidden) [audit annotations: "
            + "replicas/high-replica-count=Deployment spec.replicas set to 60]");
  }

  @Test
  void anExpressionThatDoesNotCompileIsAnErrorAtItsLineAndThePolicyIsNotEvaluated() throws IOException {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(file, """
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: ValidatingAdmissionPolicy
        metadata: {name: broken}
        spec:
          matchConstraints:
            resourceRules: [{apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"]}]
          validations:
          - expression: "object.spec.replicas <"
        ---
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: broken}
        spec: {policyName: broken, validationActions: [Deny]}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c, namespace: shop}
        """);
    List<Finding> findings = run(file.toString());
    assertThat(findings).hasSize(1);
    assertThat(findings.get(0).status()).isEqualTo("error");
    assertThat(findings.get(0).location().line()).isEqualTo(8);
    assertThat(findings.get(0).message()).startsWith("ValidatingAdmissionPolicy `broken`: "
        + "spec.validations[0].expression does not compile, so the policy is not evaluated: ERROR: <input>:1:");
  }

  @Test
  void aScanWithoutPoliciesFindsNothing() {
    assertThat(run("examples/shop")).isEmpty();
  }
}
