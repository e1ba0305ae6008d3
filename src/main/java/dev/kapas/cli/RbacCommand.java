package dev.kapas.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kapas rbac ...}: questions about the RBAC objects of some manifests. */
@Command(
    name = "rbac",
    mixinStandardHelpOptions = true,
    description = {
      "Questions about the Roles, ClusterRoles and bindings in manifests.",
      "",
      "  kapas rbac who-can create pods/exec -n shop k8s/"
    })
public final class RbacCommand implements Runnable {
  private final Env env;

  RbacCommand(Env env) {
    this.env = env;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(env.out());
  }
}
