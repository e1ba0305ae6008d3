package dev.kapas.rules.cloud;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Location;
import dev.kapas.model.Severity;
import dev.kapas.source.node.SshdConfigFact;
import java.util.Locale;
import java.util.Optional;

/** sshd lets root or passwords in. */
public final class SshWeakConfig implements FactRule<SshdConfigFact> {
  private static final RuleSpec SPEC = RuleSpec.rule("cloud.ssh-weak-config")
      .title("SSH allows root login or password authentication")
      .severity(Severity.MEDIUM)
      .input(Input.NODE)
      .why("A node's SSH is a way around every Kubernetes control. Password authentication invites "
          + "guessing from wherever port 22 is reachable; a root login skips the one step that leaves a "
          + "trace of who did it.")
      .fix("In sshd_config set `PasswordAuthentication no`, `KbdInteractiveAuthentication no` and "
          + "`PermitRootLogin no` (or prohibit-password), then reload sshd.")
      .refs("https://man.openbsd.org/sshd_config")
      .control("nsa", "Network separation and hardening")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public Class<SshdConfigFact> type() {
    return SshdConfigFact.class;
  }

  @Override
  public void check(SshdConfigFact fact, RuleContext ctx) {
    Optional<SshdConfigFact.Setting> root = fact.get("PermitRootLogin");
    if (root.isPresent() && root.get().value().toLowerCase(Locale.ROOT).equals("yes")) {
      ctx.fail(root.get().at(), "sshd permits root login (`" + root.get().keyword() + " " + root.get().value() + "`)");
    }
    Optional<SshdConfigFact.Setting> password = fact.get("PasswordAuthentication");
    if (password.isEmpty()) {
      ctx.fail(new Location(fact.file(), 0, 0, "PasswordAuthentication"),
          "sshd_config does not set PasswordAuthentication, and sshd's default is yes");
    } else if (password.get().value().toLowerCase(Locale.ROOT).equals("yes")) {
      ctx.fail(password.get().at(), "sshd allows password authentication (`" + password.get().keyword() + " "
          + password.get().value() + "`)");
    }
  }
}
