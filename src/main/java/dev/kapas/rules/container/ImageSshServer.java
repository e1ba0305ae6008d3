package dev.kapas.rules.container;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Location;
import dev.kapas.model.Severity;
import dev.kapas.model.SoftwarePackage;
import dev.kapas.source.image.ImageFact;
import dev.kapas.source.image.Inventoried;
import java.util.List;
import java.util.Set;

/** An SSH server inside an image. */
public final class ImageSshServer implements FactRule<Inventoried> {
  private static final RuleSpec SPEC = RuleSpec.rule("container.image-ssh-server")
      .title("Image contains an SSH server")
      .severity(Severity.MEDIUM)
      .input(Input.IMAGE)
      .why("A container is entered with `kubectl exec`, which the API server authenticates, authorises and audits. "
          + "An SSH server (sshd or dropbear in the image, an SSH server package, or port 22 exposed) is a second "
          + "door with its own keys and passwords that Kubernetes RBAC and audit logs do not see, and one more "
          + "network service to patch. An SBOM read with `kapas image --sbom` is judged by its packages (it has no "
          + "files or config).")
      .fix("Remove the SSH server from the image (uninstall the package in the Dockerfile's final stage, drop "
          + "`EXPOSE 22`); use `kubectl exec` or an ephemeral debug container instead.")
      .refs("https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/#ephemeral-container")
      .build();

  private static final Set<String> SSH_PACKAGES = Set.of("openssh-server", "openssh", "dropbear", "dropbear-bin",
      "openssh-server-pam");

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public Class<Inventoried> type() {
    return Inventoried.class;
  }

  @Override
  public void check(Inventoried inventory, RuleContext ctx) {
    String name = inventory.inventoryName();
    // an SBOM (kapas image --sbom) lists packages only: no files, no config to expose a port in
    List<String> servers = inventory instanceof ImageFact image ? image.sshServers() : List.of();
    List<String> ports = inventory instanceof ImageFact image ? image.config().exposedPorts() : List.of();
    for (String path : servers) {
      ctx.fail(new Location(name, 0, 0, path), "image " + name + " contains the SSH server /" + path);
    }
    for (SoftwarePackage p : inventory.packages()) {
      // distribution packages only (their ecosystem names a release, `Debian:12`): an npm `openssh` is a client library
      if (SSH_PACKAGES.contains(p.name()) && p.ecosystem().contains(":") && servers.isEmpty()) {
        ctx.fail(new Location(name, 0, 0, p.path()), inventory.reportNoun() + " " + name + " has the SSH server package "
            + p.name() + " " + p.version() + " installed");
      }
    }
    for (String port : ports) {
      if (port.equals("22") || port.equals("22/tcp")) {
        ctx.fail(new Location(name, 0, 0, "config.ExposedPorts." + port), "image " + name
            + " exposes the SSH port " + port);
      }
    }
  }
}
