package dev.kapas.rules.container;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Severity;

/** {@code latest}, written or implied, is whatever was pushed last. */
public final class ImageLatest implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.image-latest")
      .title("Image uses the latest tag")
      .severity(Severity.MEDIUM)
      .why("An image without a tag is pulled as `latest`, and `latest` moves with every push: "
          + "two nodes can run different code under one spec, a rollback does not roll back, "
          + "and nobody can tell which version (and which vulnerabilities) is running. A digest "
          + "pins the image whatever the tag. All three container lists are checked; references "
          + "the kubelet cannot parse are left to the kubelet's InvalidImageName error.")
      .fix("Use an explicit version tag (`nginx:1.27.3`), better still a digest "
          + "(`nginx:1.27.3@sha256:...`).")
      .refs("https://kubernetes.io/docs/concepts/containers/images/#image-names")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    ContainerImage.of(container).filter(image -> image.ref().pullsLatest()).ifPresent(image ->
        ctx.fail(image.field(), container.label() + " uses image `" + image.written() + "`"
            + (image.ref().hasTag() ? " with the `latest` tag" : " without a tag, so `latest` is pulled")));
  }
}
