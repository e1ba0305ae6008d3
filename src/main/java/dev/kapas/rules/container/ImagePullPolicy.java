package dev.kapas.rules.container;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.Severity;
import java.util.List;

/** A mutable tag served from the node's cache may not be what the registry now holds. */
public final class ImagePullPolicy implements ContainerRule {
  static final String PARAM = "mutableTags";
  private static final String ANY = "*";
  private static final RuleSpec SPEC = RuleSpec.rule("container.image-pull-policy")
      .title("Mutable image tag without imagePullPolicy: Always")
      .severity(Severity.LOW)
      .why("With `IfNotPresent` or `Never` a node runs whatever it cached under a tag, which may "
          + "differ from node to node; and a pod can start from a private image another tenant "
          + "pulled, without the registry checking its credentials. The policy is read as "
          + "Kubernetes defaults it: unset means Always for `latest` or no tag, IfNotPresent "
          + "otherwise. Images pinned by digest are immutable and pass. Only `latest` and images "
          + "without a tag count as mutable unless `mutableTags` says more: a versioned tag "
          + "(`1.27`) is rarely moved, and reporting every one was noise. All three container "
          + "lists are checked.")
      .param(PARAM, "Tags that are moved and so count as mutable, besides `latest` and no tag "
          + "(`[main, stable]`); `[\"*\"]` counts every tag.")
      .fix("Pin the image by digest, or set `imagePullPolicy: Always` (cheap: only the manifest "
          + "is fetched when the layers are cached).")
      .refs("https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    List<String> mutable = ctx.param(PARAM);
    ContainerImage.of(container).map(ContainerImage::ref).filter(ref -> isMutable(ref, mutable)).ifPresent(ref -> {
      Field policy = container.get("imagePullPolicy");
      String written = policy.node().textOr("");
      String effective = !written.isEmpty() ? written : ref.pullsLatest() ? "Always" : "IfNotPresent";
      if (!effective.equals("Always")) {
        ctx.fail(policy, container.label() + " uses the mutable tag `" + (ref.hasTag() ? ref.tag() : "latest") + "` of `"
            + ref.name() + "` with imagePullPolicy " + effective
            + (written.isEmpty() ? " (the default for that tag)" : ""));
      }
    });
  }

  private static boolean isMutable(ImageRef ref, List<String> mutableTags) {
    return ref.pullsLatest() || (!ref.hasDigest() && (mutableTags.contains(ANY) || mutableTags.contains(ref.tag())));
  }
}
