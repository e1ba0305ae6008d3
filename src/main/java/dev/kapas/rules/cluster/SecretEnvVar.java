package dev.kapas.rules.cluster;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.Severity;

/** Secrets in environment variables leak through logs, crash dumps and child processes. */
public final class SecretEnvVar implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.secret-env-var")
      .title("Secret exposed as an environment variable")
      .severity(Severity.LOW)
      .why("Environment variables are inherited by every child process, printed by debug "
          + "endpoints and crash reporters, visible in /proc/<pid>/environ and fixed for the life "
          + "of the container (a rotated Secret is not picked up). A mounted Secret volume is "
          + "readable only where mounted, can be given tight file modes and is updated in place. "
          + "All three container lists are checked.")
      .fix("Mount the Secret as a volume (`volumes[].secret` plus `volumeMounts`) and have the "
          + "application read the file, instead of `env[].valueFrom.secretKeyRef` or "
          + "`envFrom[].secretRef`.")
      .refs("https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod")
      .control("cis", "5.4.1")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    Field env = container.get("env");
    for (int i = 0; i < env.node().size(); i++) {
      Field ref = env.get(i).path("valueFrom", "secretKeyRef");
      if (ref.isPresent()) {
        ctx.fail(ref, container.label() + " reads key `" + ref.node().get("key").textOr("?")
            + "` of Secret `" + ref.node().get("name").textOr("?") + "` into environment variable `"
            + env.get(i).node().get("name").textOr("?") + "`");
      }
    }
    Field envFrom = container.get("envFrom");
    for (int i = 0; i < envFrom.node().size(); i++) {
      Field ref = envFrom.get(i).get("secretRef");
      if (ref.isPresent()) {
        ctx.fail(ref, container.label() + " loads every key of Secret `"
            + ref.node().get("name").textOr("?") + "` into its environment");
      }
    }
  }
}
