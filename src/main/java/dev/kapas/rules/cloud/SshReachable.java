package dev.kapas.rules.cloud;

import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Severity;
import dev.kapas.source.probe.Component;
import dev.kapas.source.probe.PortFact;

/** SSH answers. */
public final class SshReachable extends PortRule {
  private static final RuleSpec SPEC = RuleSpec.rule("cloud.ssh-reachable")
      .title("SSH reachable")
      .severity(Severity.MEDIUM)
      .input(Input.PROBE)
      .why("SSH on a node is a direct way around every Kubernetes control: whoever gets in is root on "
          + "the node, next to the kubelet's credentials. Open to wide networks it attracts password "
          + "guessing and exploits of the SSH server (its banner tells the version).")
      .fix("Reach nodes through a bastion, SSM/IAP-style access or not at all; firewall port 22 to the "
          + "administration network, and disable password and root login in sshd_config.")
      .refs("https://kubernetes.io/docs/concepts/security/security-checklist/")
      .control("nsa", NETWORK)
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  Component component() {
    return Component.SSH;
  }

  @Override
  public void check(PortFact fact, RuleContext ctx) {
    if (is(fact, Component.SSH)) {
      fail(ctx, fact, "banner", "SSH server on " + fact.hostPort() + " answers with banner `" + fact.banner() + "`");
    }
  }
}
