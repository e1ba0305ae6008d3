package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same object defined twice in one input (here a directory): a note at both definitions, and
 * the later one is the object everywhere, as {@code kubectl apply -f dir/} would leave it. Inputs
 * given separately are separate sets of objects (the PSS conformance run scans hundreds of files
 * that each wrap a pod in the same Deployment).
 */
class DuplicateObjectsTest {
  @TempDir Path dir;
  private Path old;
  private Path current;

  @BeforeEach
  void writeBothDefinitions() throws IOException {
    old = Files.writeString(dir.resolve("a-old.yaml"), """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: c
            image: nginx:1.27
            securityContext: {privileged: true}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: reader, namespace: ignored}
        rules:
        - {apiGroups: [""], resources: [secrets], verbs: [get]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: readers, namespace: default}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
        subjects: [{kind: User, name: mallory, apiGroup: rbac.authorization.k8s.io}]
        """);
    // the same Pod (no namespace there, `default` here), ClusterRole (its namespace means
    // nothing) and RoleBinding, redefined; the Pod in `shop` is another object
    current = Files.writeString(dir.resolve("b-new.yaml"), """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: default}
        spec:
          containers:
          - name: c
            image: nginx:1.27
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: reader}
        rules:
        - {apiGroups: [""], resources: [configmaps], verbs: [get]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: readers}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
        subjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop}
        spec:
          containers:
          - name: c
            image: nginx:1.27
        """);
  }

  @Test
  void aNoteAtBothDefinitionsAndOnlyTheLaterIsScanned() {
    CliRun run = CliRun.in(dir, "scan", dir.toString(), "--rules", "cluster.privileged-container");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(old + ":1:1: `Pod/default/web` is defined again at " + current
            + ":1; the later definition is the one scanned, as kubectl apply would leave it")
        .contains(current + ":1:1: `Pod/default/web` was already defined at " + old + ":1; this definition replaces it")
        .contains(old + ":10:1: `ClusterRole/reader` is defined again at " + current + ":9")
        .contains(old + ":16:1: `RoleBinding/default/readers` is defined again at " + current + ":15")
        .doesNotContain("Pod/shop/web` is defined")
        // the earlier Pod's privileged container is gone with it
        .doesNotContain("cluster.privileged-container");
    CliRun json = CliRun.in(dir, "scan", dir.toString(), "-f", "json");
    assertThat(json.out()).contains("\"objects\" : 4");
  }

  @Test
  void theEarlierDefinitionGrantsNothing() {
    CliRun secrets = CliRun.in(dir, "rbac", "who-can", "get", "secrets", dir.toString());
    assertThat(secrets.exitCode()).as(secrets.err()).isZero();
    assertThat(secrets.out()).startsWith("No subject can get secrets").doesNotContain("mallory");
    CliRun configMaps = CliRun.in(dir, "rbac", "who-can", "get", "configmaps", dir.toString());
    assertThat(configMaps.out()).contains("User alice").doesNotContain("mallory");
  }

  @Test
  void theLaterDefinitionWinsInOneFile() throws IOException {
    Path both = Files.writeString(dir.resolve("both.yaml"), Files.readString(current) + "---\n" + Files.readString(old));
    CliRun run = CliRun.in(dir, "scan", both.toString(), "--rules", "cluster.privileged-container");
    assertThat(run.exitCode()).isEqualTo(1);
    // the old Pod now comes last (from line 29): its privileged container is the one scanned
    assertThat(run.out()).contains("cluster.privileged-container").contains(both + ":36")
        .contains(both + ":1:1: `Pod/default/web` is defined again at " + both + ":29");
  }

  @Test
  void separateInputsAreSeparateSetsOfObjects() {
    CliRun run = CliRun.in(dir, "scan", old.toString(), current.toString(), "--rules", "cluster.privileged-container");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains(old + ":8").doesNotContain("defined again");
  }
}
