package dev.kapas.rules.container;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;

/** PSS baseline "SELinux": only the container types, and no custom user or role. */
public final class SeLinuxCustom implements PodRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.selinux-custom")
      .title("Custom SELinux type, user or role")
      .severity(Severity.HIGH)
      .pss(PssLevel.BASELINE, 0)
      .why("A custom SELinux type, user or role can lift the confinement SELinux puts on "
          + "containers (spc_t, for example, is unconfined).")
      .fix("Remove `seLinuxOptions.user` and `seLinuxOptions.role`; leave `type` unset or use "
          + "container_t, container_init_t, container_kvm_t (or container_engine_t from v1.31).")
      .control("cis", "5.7.3")
      .control("nsa", "Pod security: hardening container environments")
      .refs(PodSecurity.BASELINE_DOC)
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    for (PodSecurity.Owner owner : PodSecurity.securityContexts(pod)) {
      check(owner.securityContext().get("seLinuxOptions"), owner.who(), ctx);
    }
  }

  private static void check(Field options, String who, RuleContext ctx) {
    if (PodSecurity.set(options).isEmpty()) {
      return;
    }
    Field type = options.get("type");
    if (!PodSecurity.allowedSeLinuxType(PodSecurity.text(type), ctx.pssVersion())) {
      ctx.fail(type, who + " sets SELinux type `" + PodSecurity.text(type) + "`");
    }
    for (String key : new String[] {"user", "role"}) {
      Field f = options.get(key);
      if (!PodSecurity.text(f).isEmpty()) {
        ctx.fail(f, who + " sets SELinux " + key + " `" + PodSecurity.text(f) + "`");
      }
    }
  }
}
