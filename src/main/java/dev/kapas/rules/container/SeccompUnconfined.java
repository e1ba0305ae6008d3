package dev.kapas.rules.container;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;

/**
 * PSS baseline "Seccomp": a seccomp profile, where one is set, must be RuntimeDefault or
 * Localhost. Up to v1.18 the admission controller reads the legacy annotations, from v1.19 the
 * {@code seccompProfile} fields.
 */
public final class SeccompUnconfined implements PodRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.seccomp-unconfined")
      .title("Seccomp profile Unconfined or not a known confining one")
      .severity(Severity.HIGH)
      .pss(PssLevel.BASELINE, 0)
      .why("An Unconfined seccomp profile lets the container make every system call, including "
          + "the rarely used ones behind most kernel privilege-escalation exploits.")
      .fix("Set `securityContext.seccompProfile.type` to RuntimeDefault (or Localhost with a "
          + "profile), or remove the Unconfined setting.")
      .control("cis", "5.7.2")
      .control("nsa", "Pod security: hardening container environments")
      .refs(PodSecurity.BASELINE_DOC,
          "https://kubernetes.io/docs/tutorials/security/seccomp/")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    // At restricted, container.seccomp-missing takes this check's place, Windows exemption included.
    if (PodSecurity.exemptWindows(pod, ctx, true)) {
      return;
    }
    if (ctx.pssVersion().atLeast(PodSecurity.SECCOMP_FIELDS_SINCE)) {
      for (PodSecurity.Owner owner : PodSecurity.securityContexts(pod)) {
        checkField(owner.securityContext(), owner.who(), ctx);
      }
    } else {
      checkAnnotation(PodSecurity.annotation(pod, PodSecurity.SECCOMP_POD_ANNOTATION), "the pod", ctx);
      for (ContainerView c : pod.containers()) {
        checkAnnotation(PodSecurity.annotation(pod, PodSecurity.SECCOMP_CONTAINER_ANNOTATION + c.name()),
            c.label(), ctx);
      }
    }
  }

  private static void checkField(Field securityContext, String who, RuleContext ctx) {
    PodSecurity.set(securityContext.get("seccompProfile"))
        .filter(p -> !PodSecurity.confiningProfile(p.node()))
        .map(p -> p.get("type"))
        .ifPresent(type -> ctx.fail(type, who + " sets seccomp profile type `" + PodSecurity.text(type) + "`"));
  }

  private static void checkAnnotation(Field annotation, String who, RuleContext ctx) {
    if (annotation.isPresent() && !PodSecurity.validSeccompAnnotation(PodSecurity.text(annotation))) {
      ctx.fail(annotation, who + " has seccomp profile `" + PodSecurity.text(annotation) + "` by annotation");
    }
  }
}
