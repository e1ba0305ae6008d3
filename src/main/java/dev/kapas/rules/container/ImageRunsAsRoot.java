package dev.kapas.rules.container;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.FactInUse;
import dev.kapas.model.Location;
import dev.kapas.model.Severity;
import dev.kapas.source.image.ImageFact;
import dev.kapas.source.image.ImageUse;

/** The image's config runs its process as root. */
public final class ImageRunsAsRoot implements FactRule<ImageFact> {
  private static final RuleSpec SPEC = RuleSpec.rule("container.image-runs-as-root")
      .title("Image runs as root")
      .severity(Severity.MEDIUM)
      .input(Input.IMAGE)
      .why("An image whose config sets no `USER`, or `root`/`0`, starts its process as UID 0 wherever it runs "
          + "without a pod-level override. Root in a container is root on the node's kernel: one container "
          + "escape, a writable hostPath or a capability too many, and the node is the attacker's.")
      .fix("Add `USER 10001` (a numeric, non-root UID, so `runAsNonRoot` can verify it) to the Dockerfile's final "
          + "stage, after making what the process writes owned by that user; or set `runAsUser` and "
          + "`runAsNonRoot: true` in the pod.")
      .refs("https://docs.docker.com/reference/dockerfile/#user",
          "https://kubernetes.io/docs/concepts/security/pod-security-standards/")
      .control("nsa", "Non-root containers")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public Class<ImageFact> type() {
    return ImageFact.class;
  }

  /** The pod's own settings win: {@code runAsUser} non-zero or {@code runAsNonRoot: true}. */
  @Override
  public boolean appliesTo(ImageFact image, FactInUse use) {
    return !(use instanceof ImageUse u && u.runsAsNonRoot());
  }

  @Override
  public void check(ImageFact image, RuleContext ctx) {
    String user = image.config().user().strip();
    String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
    Location at = new Location(image.name(), 0, 0, "config.User");
    if (user.isEmpty()) {
      ctx.fail(at, "image " + image.name() + " sets no user (config.User is empty), so it runs as root");
    } else if (name.equals("root") || name.equals("0")) {
      ctx.fail(at, "image " + image.name() + " runs as root (config.User is `" + user + "`)");
    }
  }
}
