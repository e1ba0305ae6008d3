package dev.kapas.rules.container;

import dev.kapas.engine.PodRule;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Field;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import dev.kapas.rules.PodSecurity;
import java.util.Optional;

/**
 * PSS baseline "AppArmor": the profile, set by the {@code appArmorProfile} field or by the legacy
 * per-container annotation, may only be the runtime default or a localhost profile.
 */
public final class AppArmorUnconfined implements PodRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.apparmor-unconfined")
      .title("AppArmor profile overridden or disabled")
      .severity(Severity.HIGH)
      .pss(PssLevel.BASELINE, 0)
      .why("Running unconfined (or with any profile other than the runtime default or one loaded "
          + "on the node) removes the AppArmor mandatory access control that blocks many "
          + "container-escape techniques.")
      .fix("Remove the override, or set `appArmorProfile.type` to RuntimeDefault or Localhost "
          + "(annotation values `runtime/default` or `localhost/<profile>`).")
      .control("cis", "5.7.3")
      .control("nsa", "Pod security: hardening container environments")
      .refs(PodSecurity.BASELINE_DOC,
          "https://kubernetes.io/docs/tutorials/security/apparmor/")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(PodView pod, RuleContext ctx) {
    for (PodSecurity.Annotation a : PodSecurity.annotationsWithPrefix(pod, PodSecurity.APPARMOR_ANNOTATION)) {
      if (!PodSecurity.allowedAppArmorAnnotation(a.value())) {
        ctx.fail(a.field(), "annotation `" + a.key() + "` sets AppArmor profile `" + a.value() + "`");
      }
    }
    for (PodSecurity.Owner owner : PodSecurity.securityContexts(pod)) {
      badProfile(owner.securityContext()).ifPresent(f ->
          ctx.fail(f, owner.who() + " sets AppArmor profile type `" + PodSecurity.text(f) + "`"));
    }
  }

  /** The profile's type (or the profile, if it has none) when it is set to a forbidden value. */
  private static Optional<Field> badProfile(Field securityContext) {
    return PodSecurity.set(securityContext.get("appArmorProfile"))
        .filter(p -> !PodSecurity.confiningProfile(p.node()))
        .map(p -> p.get("type"));
  }
}
