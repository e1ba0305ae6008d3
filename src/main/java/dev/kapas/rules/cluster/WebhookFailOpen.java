package dev.kapas.rules.cluster;

import dev.kapas.engine.ObjectRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Severity;

/** A webhook that fails open lets every request through while it is down. */
public final class WebhookFailOpen implements ObjectRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.webhook-fail-open")
      .title("Admission webhook fails open")
      .severity(Severity.LOW)
      .why("With `failurePolicy: Ignore` the API server admits a request unchanged when the "
          + "webhook cannot be reached or times out. A policy webhook (image signatures, pod "
          + "security, tenancy) is then bypassed by whoever can crash, overload or isolate it. "
          + "`admissionregistration.k8s.io/v1beta1` defaulted to Ignore, so an unset policy counts "
          + "there; in v1 the default is Fail.")
      .fix("Set `failurePolicy: Fail` on webhooks that enforce security, run them with several "
          + "replicas and a PodDisruptionBudget, and exclude the webhook's own namespace with a "
          + "`namespaceSelector` so that it can always be restarted.")
      .refs("https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#failure-policy")
      .control("nsa", "Pod security: pod security enforcement")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public boolean appliesTo(KubeObject object) {
    return (object.kind().equals("ValidatingWebhookConfiguration") || object.kind().equals("MutatingWebhookConfiguration"))
        && object.apiVersion().startsWith("admissionregistration.k8s.io/");
  }

  @Override
  public void check(KubeObject object, RuleContext ctx) {
    boolean legacy = object.apiVersion().endsWith("/v1beta1");
    Field webhooks = Field.root(object.root()).get("webhooks");
    for (int i = 0; i < webhooks.node().size(); i++) {
      Field webhook = webhooks.get(i);
      Field policy = webhook.get("failurePolicy");
      String name = webhook.node().get("name").textOr("#" + i);
      if (policy.node().textOr("").equals("Ignore")) {
        ctx.fail(policy, "webhook `" + name + "` of " + object.kind() + " `" + object.name()
            + "` sets `failurePolicy: Ignore`: requests pass unchecked when it is unreachable");
      } else if (policy.isMissing() && legacy) {
        ctx.fail(webhook, "webhook `" + name + "` of " + object.kind() + " `" + object.name()
            + "` (v1beta1) sets no failurePolicy, which defaults to Ignore there");
      }
    }
  }
}
