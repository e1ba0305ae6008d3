package dev.kapas.rules.container;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.Severity;
import java.util.Map;
import java.util.Optional;

/** A container with no mandatory access control or syscall filter of any kind. */
public final class NoLinuxHardening implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.no-linux-hardening")
      .title("Container without any Linux hardening")
      .severity(Severity.LOW)
      .why("Seccomp, AppArmor, SELinux and dropped capabilities each shrink what a compromised "
          + "process can ask of the kernel; a container with none of them relies on the "
          + "namespace boundary alone. The rule passes when at least one is in force for the "
          + "container: a RuntimeDefault or Localhost seccomp or AppArmor profile (field at "
          + "container or pod level, or the legacy annotation), SELinux options (container or "
          + "pod level), or a non-empty `capabilities.drop`. A privileged container fails "
          + "whatever it sets: the runtimes apply none of these to it. All three container lists "
          + "are checked; Windows pods are exempt.")
      .fix("Set `securityContext.seccompProfile.type: RuntimeDefault` at pod level, and drop "
          + "ALL capabilities in each container.")
      .refs("https://kubernetes.io/docs/tutorials/security/seccomp/",
          "https://kubernetes.io/docs/tutorials/security/apparmor/")
      .control("cis", "5.7.3")
      .control("nsa", "Pod security: hardening container environments")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    if (container.pod().isWindows()) {
      return;
    }
    Field privileged = container.securityContext().get("privileged");
    if (privileged.node().isTrue()) {
      ctx.fail(privileged, container.label() + " is privileged, so no seccomp or AppArmor profile, "
          + "SELinux type or capability drop applies to it");
      return;
    }
    if (seccomp(container) || appArmor(container)
        || seLinux(container) || !CapabilityNames.items(container, "drop").isEmpty()) {
      return;
    }
    ctx.fail(container.securityContext(), container.label() + " has no Linux hardening: no "
        + "seccomp or AppArmor profile, no SELinux options and no dropped capabilities");
  }

  private static boolean seccomp(ContainerView container) {
    Map<String, String> annotations = container.pod().annotations();
    return confined(container.effective("seccompProfile", "type"), Optional
        .ofNullable(annotations.get("container.seccomp.security.alpha.kubernetes.io/" + container.name()))
        .or(() -> Optional.ofNullable(annotations.get("seccomp.security.alpha.kubernetes.io/pod"))));
  }

  private static boolean appArmor(ContainerView container) {
    return confined(container.effective("appArmorProfile", "type"), Optional.ofNullable(container.pod()
        .annotations().get("container.apparmor.security.beta.kubernetes.io/" + container.name())));
  }

  // The field wins over the legacy annotation, as in the kubelet.
  private static boolean confined(Optional<Field> type, Optional<String> annotation) {
    if (type.isPresent()) {
      String t = type.get().node().textOr("");
      return t.equals("RuntimeDefault") || t.equals("Localhost");
    }
    return annotation.filter(a -> a.equals("runtime/default") || a.equals("docker/default")
        || a.startsWith("localhost/")).isPresent();
  }

  private static boolean seLinux(ContainerView container) {
    return container.effective("seLinuxOptions").flatMap(f -> f.node().asMap())
        .filter(m -> m.entries().stream().anyMatch(e -> !e.value().textOr("").isBlank()))
        .isPresent();
  }
}
