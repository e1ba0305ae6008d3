package dev.kapas.rules.container;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Location;
import dev.kapas.model.Severity;
import dev.kapas.model.SoftwarePackage;
import dev.kapas.source.image.ImageFact;
import java.util.Set;

/** An SSH server inside an image. */
public final class ImageSshServer implements FactRule<ImageFact> {
  private static final RuleSpec SPEC = RuleSpec.rule("container.image-ssh-server")
      .title("Image contains an SSH server")
      .severity(Severity.MEDIUM)
      .input(Input.IMAGE)
      .why("A container is entered with `kubectl exec`, which the API server authenticates, authorises and audits. "
          + "An SSH server (sshd or dropbear in the image, an SSH server package, or port 22 exposed) is a second "
          + "door with its own keys and passwords that Kubernetes RBAC and audit logs do not see, and one more "
          + "network service to patch.")
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
  public Class<ImageFact> type() {
    return ImageFact.class;
  }

  @Override
  public void check(ImageFact image, RuleContext ctx) {
    for (String path : image.sshServers()) {
      ctx.fail(new Location(image.name(), 0, 0, path), "image " + image.name() + " contains the SSH server /" + path);
    }
    for (SoftwarePackage p : image.packages()) {
      // distribution packages only (their ecosystem names a release, `Debian:12`): an npm `openssh` is a client library
      if (SSH_PACKAGES.contains(p.name()) && p.ecosystem().contains(":") && image.sshServers().isEmpty()) {
        ctx.fail(new Location(image.name(), 0, 0, p.path()), "image " + image.name() + " has the SSH server package "
            + p.name() + " " + p.version() + " installed");
      }
    }
    for (String port : image.config().exposedPorts()) {
      if (port.equals("22") || port.equals("22/tcp")) {
        ctx.fail(new Location(image.name(), 0, 0, "config.ExposedPorts." + port), "image " + image.name()
            + " exposes the SSH port " + port);
      }
    }
  }
}
