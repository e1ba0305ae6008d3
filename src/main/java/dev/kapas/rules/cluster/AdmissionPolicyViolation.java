package dev.kapas.rules.cluster;

import dev.cel.common.values.NullValue;
import dev.kapas.cel.Admission;
import dev.kapas.cel.CelCompileError;
import dev.kapas.cel.CelEvalError;
import dev.kapas.cel.CelRules;
import dev.kapas.cel.CelValues;
import dev.kapas.cel.KubeCel;
import dev.kapas.engine.InventoryRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.LabelSelector;
import dev.kapas.inventory.Namespaces;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Node;
import dev.kapas.model.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ValidatingAdmissionPolicies and their bindings among the scanned objects, evaluated offline
 * against the other scanned objects as the API server would admit each at CREATE.
 */
public final class AdmissionPolicyViolation implements InventoryRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.admission-policy-violation")
      .title("Object violates a ValidatingAdmissionPolicy among the scanned inputs")
      .severity(Severity.HIGH)
      .why("A ValidatingAdmissionPolicy (admissionregistration.k8s.io v1 or v1beta1) and its bindings "
          + "are evaluated against every other scanned object as the API server would admit it at CREATE: "
          + "matchConstraints and the binding's matchResources (resourceRules, excludeResourceRules, "
          + "namespaceSelector, objectSelector, matchPolicy), matchConditions, paramKind with the binding's "
          + "paramRef (name or selector, namespace, parameterNotFoundAction), variables, validations with "
          + "message, messageExpression and reason, auditAnnotations and failurePolicy. An object the policy "
          + "rejects is a finding whose severity follows the binding's validationActions: Deny high (the API "
          + "server refuses the object, so the deployment breaks), Warn medium (the client sees a warning), "
          + "Audit low (only the audit log records it). A policy no binding names, a binding that names a "
          + "policy or params object missing from the scan are notes of severity info; an expression that "
          + "does not compile is a finding of status error at its line, and its policy is not evaluated. A kind maps to its resource by the built-in table, by a "
          + "CustomResourceDefinition among the inputs, or else by the lowercase plural guess, which the "
          + "message then says. `authorizer` is not available offline; the admission configuration kinds "
          + "themselves are exempt, as in the API server.")
      .fix("Change the object so the policy admits it, or, when the policy is wrong, change the policy or "
          + "narrow its binding's matchResources.")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/")
      .build();

  private static final String GROUP = "admissionregistration.k8s.io";
  private static final Set<String> VERSIONS = Set.of(GROUP + "/v1", GROUP + "/v1beta1");
  /** Kinds the API server never sends through admission policies. */
  private static final Set<String> EXEMPT = Set.of("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
      "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration",
      "MutatingWebhookConfiguration");

  /** Resources of the built-in kinds (and of the common add-ons) by kind. */
  private static final Map<String, String> RESOURCES = Map.ofEntries(
      Map.entry("Pod", "pods"), Map.entry("Service", "services"), Map.entry("ConfigMap", "configmaps"),
      Map.entry("Secret", "secrets"), Map.entry("Namespace", "namespaces"),
      Map.entry("ServiceAccount", "serviceaccounts"), Map.entry("PersistentVolume", "persistentvolumes"),
      Map.entry("PersistentVolumeClaim", "persistentvolumeclaims"), Map.entry("Node", "nodes"),
      Map.entry("Endpoints", "endpoints"), Map.entry("LimitRange", "limitranges"),
      Map.entry("ResourceQuota", "resourcequotas"), Map.entry("ReplicationController", "replicationcontrollers"),
      Map.entry("PodTemplate", "podtemplates"), Map.entry("Event", "events"),
      Map.entry("ComponentStatus", "componentstatuses"), Map.entry("Deployment", "deployments"),
      Map.entry("StatefulSet", "statefulsets"), Map.entry("DaemonSet", "daemonsets"),
      Map.entry("ReplicaSet", "replicasets"), Map.entry("ControllerRevision", "controllerrevisions"),
      Map.entry("Job", "jobs"), Map.entry("CronJob", "cronjobs"), Map.entry("Ingress", "ingresses"),
      Map.entry("IngressClass", "ingressclasses"), Map.entry("NetworkPolicy", "networkpolicies"),
      Map.entry("IPAddress", "ipaddresses"), Map.entry("ServiceCIDR", "servicecidrs"), Map.entry("Role", "roles"),
      Map.entry("ClusterRole", "clusterroles"), Map.entry("RoleBinding", "rolebindings"),
      Map.entry("ClusterRoleBinding", "clusterrolebindings"),
      Map.entry("PodDisruptionBudget", "poddisruptionbudgets"),
      Map.entry("PodSecurityPolicy", "podsecuritypolicies"),
      Map.entry("HorizontalPodAutoscaler", "horizontalpodautoscalers"),
      Map.entry("StorageClass", "storageclasses"), Map.entry("CSIDriver", "csidrivers"),
      Map.entry("CSINode", "csinodes"), Map.entry("VolumeAttachment", "volumeattachments"),
      Map.entry("CSIStorageCapacity", "csistoragecapacities"),
      Map.entry("ValidatingWebhookConfiguration", "validatingwebhookconfigurations"),
      Map.entry("MutatingWebhookConfiguration", "mutatingwebhookconfigurations"),
      Map.entry("ValidatingAdmissionPolicy", "validatingadmissionpolicies"),
      Map.entry("ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings"),
      Map.entry("CustomResourceDefinition", "customresourcedefinitions"),
      Map.entry("PriorityClass", "priorityclasses"), Map.entry("RuntimeClass", "runtimeclasses"),
      Map.entry("EndpointSlice", "endpointslices"), Map.entry("Lease", "leases"),
      Map.entry("CertificateSigningRequest", "certificatesigningrequests"),
      Map.entry("APIService", "apiservices"), Map.entry("FlowSchema", "flowschemas"),
      Map.entry("PriorityLevelConfiguration", "prioritylevelconfigurations"),
      Map.entry("VerticalPodAutoscaler", "verticalpodautoscalers"),
      Map.entry("VolumeSnapshot", "volumesnapshots"), Map.entry("VolumeSnapshotClass", "volumesnapshotclasses"),
      Map.entry("Gateway", "gateways"), Map.entry("GatewayClass", "gatewayclasses"),
      Map.entry("HTTPRoute", "httproutes"), Map.entry("ResourceClaim", "resourceclaims"),
      Map.entry("DeviceClass", "deviceclasses"), Map.entry("ResourceSlice", "resourceslices"));

  /** The groups that serve the same resource under matchPolicy Equivalent. */
  private static final Map<String, Set<String>> EQUIVALENT_GROUPS = Map.of(
      "deployments", Set.of("apps", "extensions"), "daemonsets", Set.of("apps", "extensions"),
      "replicasets", Set.of("apps", "extensions"), "ingresses", Set.of("networking.k8s.io", "extensions"),
      "networkpolicies", Set.of("networking.k8s.io", "extensions"), "events", Set.of("", "events.k8s.io"),
      "podsecuritypolicies", Set.of("policy", "extensions"));

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  /** An expression of a policy, compiled; {@code name} is the variable, condition or annotation key. */
  private record Compiled(String name, String text, KubeCel.Program program) {}

  private record Check(Compiled expression, String message, Compiled messageExpression, String reason) {}

  private record Policy(KubeObject object, Node matchConstraints, boolean failOpen, Optional<Node> paramKind,
      List<Compiled> conditions, List<Compiled> variables, List<Check> validations, List<Compiled> annotations) {}

  /** What an admission request is about: group, version, resource (and whether it was guessed), scope, name. */
  private record Target(String group, String version, String resource, boolean guessed, boolean namespaced,
      String name) {}

  /** One binding's evaluation of one object, reporting under the binding's actions. */
  private record Verdict(Policy policy, KubeObject binding, KubeObject object, Target target, List<String> actions,
      RuleContext ctx) {
    void reject(String message) {
      Severity severity = actions.contains("Deny") ? Severity.HIGH
          : actions.contains("Warn") ? Severity.MEDIUM : Severity.LOW;
      ctx.fail(object, Field.root(object.root()), severity, "ValidatingAdmissionPolicy `" + policy.object().name()
          + "` with binding `" + binding.name() + "` (" + String.join(", ", actions) + "): " + message
          + (target.guessed() ? " (resource `" + target.resource() + "` guessed from kind " + object.kind() + ")"
          : ""));
    }
  }

  @Override
  public void check(Inventory inventory, RuleContext ctx) {
    List<KubeObject> policies = ofKind(inventory, "ValidatingAdmissionPolicy");
    List<KubeObject> bindings = ofKind(inventory, "ValidatingAdmissionPolicyBinding");
    if (policies.isEmpty() && bindings.isEmpty()) {
      return; // cel-java is loaded only for a scan that holds policies
    }
    KubeCel env = CelRules.environment();
    Map<String, KubeObject> byName = new LinkedHashMap<>();
    Map<String, Policy> compiled = new HashMap<>();
    for (KubeObject p : policies) {
      ctx.evaluated(p);
      byName.putIfAbsent(p.name(), p);
      compile(env, p, ctx).ifPresent(c -> compiled.putIfAbsent(p.name(), c));
    }
    Map<String, Crd> crds = crds(inventory);
    Set<String> bound = new java.util.HashSet<>();
    for (KubeObject b : bindings) {
      ctx.evaluated(b);
      Field spec = Field.root(b.root()).get("spec");
      String policyName = spec.get("policyName").node().textOr("");
      if (!byName.containsKey(policyName)) {
        note(ctx, b, spec.get("policyName"), "binding `" + b.name() + "` names ValidatingAdmissionPolicy `"
            + policyName + "`, which is not among the scanned inputs, so it is not evaluated");
        continue;
      }
      bound.add(policyName);
      List<String> actions = strings(spec.node().get("validationActions"));
      if (actions.isEmpty()) {
        note(ctx, b, spec, "binding `" + b.name() + "` has no validationActions (the API server requires "
            + "Deny, Warn or Audit), so it is not evaluated");
        continue;
      }
      Policy policy = compiled.get(policyName);
      if (policy != null) {
        missingParams(inventory, policy, b, ctx);
        List<KubeObject> paramObjects = policy.paramKind().map(k -> inventory.objects().stream()
            .filter(o -> o.kind().equals(k.get("kind").textOr(""))
                && Admission.group(o).equals(Admission.groupOf(k.get("apiVersion").textOr(""))))
            .toList()).orElse(List.of());
        for (KubeObject o : inventory.objects()) {
          if (!EXEMPT.contains(o.kind())) {
            admit(inventory, policy, b, o, target(o, crds), crds, paramObjects, actions, ctx);
          }
        }
      }
    }
    for (KubeObject p : policies) {
      if (!bound.contains(p.name())) {
        note(ctx, p, Field.root(p.root()).path("metadata", "name"), "ValidatingAdmissionPolicy `" + p.name()
            + "` would reject nothing: no ValidatingAdmissionPolicyBinding among the scanned inputs names it");
      }
    }
  }

  private static List<KubeObject> ofKind(Inventory inventory, String kind) {
    return inventory.objects().stream().filter(o -> o.kind().equals(kind) && VERSIONS.contains(o.apiVersion()))
        .toList();
  }

  private static void note(RuleContext ctx, KubeObject object, Field at, String message) {
    ctx.fail(object, at, Severity.INFO, message);
  }

  /**
   * Compiles a policy's expressions; one that does not compile is a finding of status error at its
   * line, and the policy is left out.
   */
  private static Optional<Policy> compile(KubeCel env, KubeObject p, RuleContext ctx) {
    Field spec = Field.root(p.root()).get("spec");
    boolean ok = true;
    List<Compiled> conditions = new ArrayList<>();
    List<Compiled> variables = new ArrayList<>();
    List<Check> validations = new ArrayList<>();
    List<Compiled> annotations = new ArrayList<>();
    for (int i = 0; i < spec.get("matchConditions").node().size(); i++) {
      Field c = spec.get("matchConditions").get(i);
      Compiled e = compile(env, p, c, "name", "expression", ctx);
      ok &= e != null && conditions.add(e);
    }
    for (int i = 0; i < spec.get("variables").node().size(); i++) {
      Compiled e = compile(env, p, spec.get("variables").get(i), "name", "expression", ctx);
      ok &= e != null && variables.add(e);
    }
    for (int i = 0; i < spec.get("validations").node().size(); i++) {
      Field v = spec.get("validations").get(i);
      Compiled e = compile(env, p, v, "expression", "expression", ctx);
      Compiled m = v.get("messageExpression").isPresent()
          ? compile(env, p, v, "messageExpression", "messageExpression", ctx) : null;
      ok &= e != null && (m != null || v.get("messageExpression").isMissing())
          && validations.add(new Check(e, v.node().get("message").textOr(""), m,
              v.node().get("reason").textOr("Invalid")));
    }
    for (int i = 0; i < spec.get("auditAnnotations").node().size(); i++) {
      Compiled e = compile(env, p, spec.get("auditAnnotations").get(i), "key", "valueExpression", ctx);
      ok &= e != null && annotations.add(e);
    }
    if (!ok) {
      return Optional.empty();
    }
    Node kind = spec.node().get("paramKind");
    return Optional.of(new Policy(p, spec.node().get("matchConstraints"),
        spec.node().get("failurePolicy").textOr("Fail").equals("Ignore"),
        kind.isNull() ? Optional.empty() : Optional.of(kind), conditions, variables, validations, annotations));
  }

  private static Compiled compile(KubeCel env, KubeObject p, Field entry, String nameKey, String key,
      RuleContext ctx) {
    Field text = entry.get(key);
    try {
      return new Compiled(entry.node().get(nameKey).textOr(""), text.node().textOr(""),
          env.compile(text.node().textOr("")));
    } catch (CelCompileError e) {
      ctx.error(p, text, "ValidatingAdmissionPolicy `" + p.name() + "`: " + text.path() + " does not compile, so "
          + "the policy is not evaluated: " + Admission.oneLine(e.getMessage()));
      return null;
    }
  }

  /** A binding whose paramRef names a params object the scan does not hold: a note (paramNotFoundAction still applies). */
  private static void missingParams(Inventory inventory, Policy policy, KubeObject binding, RuleContext ctx) {
    Field ref = Field.root(binding.root()).path("spec", "paramRef");
    if (policy.paramKind().isEmpty() || ref.isMissing()) {
      return;
    }
    String kind = policy.paramKind().get().get("kind").textOr("");
    String name = ref.node().get("name").textOr("");
    boolean any = inventory.objects().stream().anyMatch(o -> o.kind().equals(kind)
        && (name.isEmpty() || o.name().equals(name)));
    if (!any) {
      note(ctx, binding, ref, "binding `" + binding.name() + "` refers to params " + kind
          + (name.isEmpty() ? "" : " `" + name + "`") + ", which are not among the scanned inputs; parameterNotFoundAction "
          + ref.node().get("parameterNotFoundAction").textOr("Deny") + " applies to the objects it matches");
    }
  }

  /** The admission of {@code o} by one binding of {@code policy}. */
  private static void admit(Inventory inventory, Policy policy, KubeObject binding, KubeObject o, Target t,
      Map<String, Crd> crds, List<KubeObject> paramObjects, List<String> actions, RuleContext ctx) {
    if (!matches(policy.matchConstraints(), o, t, inventory, true)
        || !matches(binding.root().path("spec", "matchResources"), o, t, inventory, false)) {
      return;
    }
    ctx.evaluated(o);
    Verdict verdict = new Verdict(policy, binding, o, t, actions, ctx);
    Node ref = binding.root().path("spec", "paramRef");
    List<Object> params = new ArrayList<>();
    if (policy.paramKind().isEmpty()) {
      params.add(NullValue.NULL_VALUE);
    } else if (ref.isNull()) {
      failed(verdict, "policy has paramKind but binding `" + binding.name() + "` has no paramRef");
      return;
    } else {
      Node kind = policy.paramKind().get();
      String paramKind = kind.get("kind").textOr("");
      String paramGroup = Admission.groupOf(kind.get("apiVersion").textOr(""));
      String namespace = ref.get("namespace").textOr("");
      boolean clusterParams = clusterScoped(paramGroup, paramKind, crds);
      if (namespace.isEmpty() && !clusterParams) {
        if (!t.namespaced()) {
          failed(verdict, "paramRef.namespace is unset for a namespaced paramKind and the object is cluster-scoped");
          return;
        }
        namespace = o.namespace().isEmpty() ? Namespaces.DEFAULT : o.namespace();
      }
      String name = ref.get("name").textOr("");
      LabelSelector selector = LabelSelector.of(ref.get("selector"));
      for (KubeObject p : paramObjects) {
        if ((clusterParams || (p.namespace().isEmpty() ? Namespaces.DEFAULT : p.namespace()).equals(namespace))
            && (name.isEmpty() ? selector.matches(p.labels()) : p.name().equals(name))) {
          params.add(CelValues.of(p.root()));
        }
      }
      if (params.isEmpty()) {
        if (!ref.get("parameterNotFoundAction").textOr("Deny").equals("Allow")) {
          verdict.reject("no params found for policy binding with `Deny` parameterNotFoundAction");
        }
        return;
      }
    }
    Map<String, Object> vars = new HashMap<>();
    vars.put("object", CelValues.of(o.root()));
    vars.put("oldObject", NullValue.NULL_VALUE);
    vars.put("namespaceObject", Admission.namespaceObject(o, inventory));
    Map<String, Object> request = new HashMap<>(Admission.request(o));
    request.put("resource", Map.of("group", t.group(), "version", t.version(), "resource", t.resource()));
    vars.put("request", request);
    for (Object p : params) {
      vars.put("params", p);
      vars.remove("variables");
      evaluate(policy, verdict, vars);
    }
  }

  /** matchConditions, variables, validations and auditAnnotations with one params object. */
  private static void evaluate(Policy policy, Verdict verdict, Map<String, Object> vars) {
    for (Compiled c : policy.conditions()) {
      Optional<Boolean> matched = bool(c, vars, verdict, "match condition `" + c.name() + "`");
      if (matched.isEmpty() || !matched.get()) {
        return; // a false condition skips the object; an error was reported under failurePolicy
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    vars.put("variables", values);
    for (Compiled v : policy.variables()) {
      try {
        values.put(v.name(), v.program().eval(vars));
      } catch (CelEvalError e) {
        // left out: an expression that reads it fails with "no such key", where the API server fails lazily
      }
    }
    List<String> denials = new ArrayList<>();
    for (Check check : policy.validations()) {
      Optional<Boolean> ok = bool(check.expression(), vars, verdict, null);
      if (ok.isPresent() && !ok.get()) {
        String reason = check.reason().equals("Invalid") ? "" : " (reason " + check.reason() + ")";
        denials.add(message(check, vars) + reason);
      }
    }
    if (denials.isEmpty()) {
      return;
    }
    List<String> annotations = new ArrayList<>();
    for (Compiled a : policy.annotations()) {
      try {
        Object value = a.program().eval(vars);
        if (value instanceof String s) {
          annotations.add(policy.object().name() + "/" + a.name() + "=" + Admission.oneLine(s));
        } else if (!(value instanceof NullValue)) {
          failed(verdict, "valueExpression of audit annotation `" + a.name() + "` gave " + value
              + ", not a string or null");
        }
      } catch (CelEvalError e) {
        failed(verdict, "valueExpression of audit annotation `" + a.name() + "` resulted in error: " + e.getMessage());
      }
    }
    String audit = annotations.isEmpty() ? "" : " [audit annotations: " + String.join(", ", annotations) + "]";
    denials.forEach(d -> verdict.reject(d + audit));
  }

  /** A boolean expression's value; empty after an error, which failurePolicy Fail turns into a rejection. */
  private static Optional<Boolean> bool(Compiled e, Map<String, Object> vars, Verdict verdict, String what) {
    String name = what != null ? what : "expression '" + Admission.oneLine(e.text()) + "'";
    try {
      Object result = e.program().eval(vars);
      if (result instanceof Boolean b) {
        return Optional.of(b);
      }
      failed(verdict, name + " resulted in error: gave " + result + ", not a bool");
    } catch (CelEvalError err) {
      failed(verdict, name + " resulted in error: " + err.getMessage());
    }
    return Optional.empty();
  }

  /** A runtime error or misconfiguration: a rejection under failurePolicy Fail, nothing under Ignore. */
  private static void failed(Verdict verdict, String message) {
    if (!verdict.policy().failOpen()) {
      verdict.reject(message + " (failurePolicy Fail)");
    }
  }

  /**
   * The messageExpression's value when it is a non-blank string on one line, else the message,
   * else the failed expression: the API server's order.
   */
  private static String message(Check check, Map<String, Object> vars) {
    if (check.messageExpression() != null) {
      try {
        if (check.messageExpression().program().eval(vars) instanceof String s && !s.isBlank() && !s.contains("\n")) {
          return s.strip();
        }
      } catch (CelEvalError e) {
        // falls back to message, as in the API server
      }
    }
    return check.message().isBlank() ? "failed expression: " + Admission.oneLine(check.expression().text())
        : check.message();
  }

  /**
   * Whether a matchConstraints (policy) or matchResources (binding) selects {@code o}. A policy
   * without resourceRules selects nothing; a binding without them leaves resources to its policy.
   */
  private static boolean matches(Node match, KubeObject o, Target t, Inventory inventory, boolean policy) {
    if (match.isNull()) {
      return !policy;
    }
    boolean equivalent = !match.get("matchPolicy").textOr("Equivalent").equals("Exact");
    List<Node> rules = match.get("resourceRules").items();
    if ((policy || !rules.isEmpty()) && rules.stream().noneMatch(r -> ruleMatches(r, t, equivalent))) {
      return false;
    }
    if (match.get("excludeResourceRules").items().stream().anyMatch(r -> ruleMatches(r, t, equivalent))) {
      return false;
    }
    if (!selector(match.get("objectSelector")).matches(o.labels())) {
      return false;
    }
    Map<String, String> nsLabels;
    if (o.kind().equals("Namespace") && o.apiVersion().equals("v1")) {
      nsLabels = new HashMap<>(o.labels()); // a Namespace is matched by its own labels
      nsLabels.put(Namespaces.NAME_LABEL, o.name());
    } else if (t.namespaced()) {
      nsLabels = inventory.namespaces().labels(o.namespace().isEmpty() ? Namespaces.DEFAULT : o.namespace());
    } else {
      return true; // namespaceSelector does not apply to cluster-scoped objects
    }
    return selector(match.get("namespaceSelector")).matches(nsLabels);
  }

  /** An unset selector selects everything (the API server defaults it to {}). */
  private static LabelSelector selector(Node node) {
    return node.isNull() ? LabelSelector.EVERYTHING : LabelSelector.of(node);
  }

  private static boolean ruleMatches(Node rule, Target t, boolean equivalent) {
    List<String> operations = strings(rule.get("operations"));
    List<String> groups = strings(rule.get("apiGroups"));
    List<String> versions = strings(rule.get("apiVersions"));
    List<String> names = strings(rule.get("resourceNames"));
    String scope = rule.get("scope").textOr("*");
    Set<String> sameGroups = equivalent
        ? EQUIVALENT_GROUPS.getOrDefault(t.resource(), Set.of(t.group())) : Set.of(t.group());
    return (operations.contains("*") || operations.contains("CREATE"))
        && (groups.contains("*") || groups.stream().anyMatch(sameGroups::contains))
        && (versions.contains("*") || versions.contains(t.version()) || equivalent && !versions.isEmpty())
        && (scope.equals("*") || scope.equals("Namespaced") == t.namespaced())
        && (names.isEmpty() || names.contains(t.name()))
        && strings(rule.get("resources")).stream().anyMatch(r -> {
          int slash = r.indexOf('/');
          String resource = slash < 0 ? r : r.substring(0, slash);
          String sub = slash < 0 ? "" : r.substring(slash + 1);
          return (resource.equals("*") || resource.equals(t.resource())) && (sub.isEmpty() || sub.equals("*"));
        });
  }

  private static Target target(KubeObject o, Map<String, Crd> crds) {
    String group = Admission.group(o);
    String version = o.apiVersion().substring(o.apiVersion().indexOf('/') + 1);
    Crd crd = crds.get(group + "/" + o.kind());
    String resource = crd == null ? null : crd.plural();
    boolean guessed = false;
    if (resource == null) {
      resource = RESOURCES.get(o.kind());
    }
    if (resource == null) {
      resource = plural(o.kind().toLowerCase(Locale.ROOT));
      guessed = true;
    }
    return new Target(group, version, resource, guessed, !clusterScoped(group, o.kind(), crds), o.name());
  }

  /** A custom resource as its CustomResourceDefinition among the inputs declares it. */
  private record Crd(String plural, boolean clusterScoped) {}

  /** The scanned CustomResourceDefinitions, by {@code group/Kind}. */
  private static Map<String, Crd> crds(Inventory inventory) {
    Map<String, Crd> out = new HashMap<>();
    for (KubeObject crd : inventory.objects()) {
      if (crd.kind().equals("CustomResourceDefinition")) {
        Node spec = crd.root().get("spec");
        String plural = spec.path("names", "plural").textOr("");
        if (!plural.isEmpty()) {
          out.put(spec.get("group").textOr("") + "/" + spec.path("names", "kind").textOr(""),
              new Crd(plural, spec.get("scope").textOr("").equals("Cluster")));
        }
      }
    }
    return out;
  }

  /** Whether objects of {@code group/kind} live outside namespaces, by their CRD when the scan holds it. */
  private static boolean clusterScoped(String group, String kind, Map<String, Crd> crds) {
    Crd crd = crds.get(group + "/" + kind);
    return crd != null ? crd.clusterScoped() : Namespaces.isClusterScoped(kind);
  }

  private static String plural(String kind) {
    if (kind.endsWith("s") || kind.endsWith("x") || kind.endsWith("ch") || kind.endsWith("sh")) {
      return kind + "es";
    }
    return kind.endsWith("y") && kind.length() > 1 && "aeiou".indexOf(kind.charAt(kind.length() - 2)) < 0
        ? kind.substring(0, kind.length() - 1) + "ies" : kind + "s";
  }

  private static List<String> strings(Node list) {
    return list.items().stream().map(n -> n.textOr("")).toList();
  }
}
