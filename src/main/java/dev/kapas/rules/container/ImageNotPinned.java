package dev.kapas.rules.container;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Severity;

/** Only a digest names one image for good; tags can be moved. */
public final class ImageNotPinned implements ContainerRule {
  private static final RuleSpec SPEC = RuleSpec.rule("container.image-not-pinned")
      .title("Image not pinned by digest")
      .severity(Severity.LOW)
      .why("Tags are mutable: whoever can push to the repository (or a compromised registry) "
          + "can move `1.27` to different content, and the next node to pull runs it. A digest "
          + "(`@sha256:...`) names exactly one image, which is also what signatures and "
          + "vulnerability scans refer to. All three container lists are checked.")
      .fix("Reference images by digest, keeping the tag for readers: `nginx:1.27.3@sha256:...`; "
          + "let a bot (Renovate, Dependabot) update the digests.")
      .refs("https://kubernetes.io/docs/concepts/containers/images/#image-names")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    ContainerImage.of(container).filter(image -> !image.ref().hasDigest()).ifPresent(image ->
        ctx.fail(image.field(), container.label() + " uses image `" + image.written()
            + "`, which is not pinned by digest"));
  }
}
