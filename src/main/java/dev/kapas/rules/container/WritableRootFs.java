package dev.kapas.rules.container;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerList;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.Severity;

/** A writable root filesystem lets an intruder drop tools and change the image's binaries. */
public final class WritableRootFs implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.writable-root-fs")
      .title("Container root filesystem is writable")
      .severity(Severity.MEDIUM)
      .why("With a writable root filesystem an attacker who gets code execution can download "
          + "tools, replace binaries and persist for the life of the container. An immutable "
          + "container only writes to the volumes it declares. Containers and init containers "
          + "are checked. Ephemeral (debug) containers are not: they are added by hand to "
          + "troubleshoot and usually need to install tools. Windows pods are exempt: Windows "
          + "does not support the setting.")
      .fix("Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` volume "
          + "where the application must write (e.g. /tmp).")
      .refs("https://kubernetes.io/docs/tasks/configure-pod-container/security-context/")
      .control("nsa", "Pod security: non-root, immutable containers")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    if (container.list() == ContainerList.EPHEMERAL || container.pod().isWindows()) {
      return;
    }
    Field readOnly = container.securityContext().get("readOnlyRootFilesystem");
    if (!readOnly.node().isTrue()) {
      ctx.fail(readOnly, readOnly.node().isFalse()
          ? container.label() + " sets `readOnlyRootFilesystem: false`"
          : container.label() + " does not set `readOnlyRootFilesystem: true`");
    }
  }
}
