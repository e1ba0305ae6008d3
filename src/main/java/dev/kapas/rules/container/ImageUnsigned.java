package dev.kapas.rules.container;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Location;
import dev.kapas.model.Severity;
import dev.kapas.source.image.sign.SignatureFact;

/** An image a policy entry (or {@code --key}) wants signed carries no cosign signature at all. */
public final class ImageUnsigned implements FactRule<SignatureFact> {
  private static final RuleSpec SPEC = RuleSpec.rule("container.image-unsigned")
      .title("Image is not signed")
      .severity(Severity.HIGH)
      .input(Input.IMAGE)
      .why("A signature by the team's key ties an image digest to the pipeline that built it. Without one, nothing "
          + "tells a build of yours from an image pushed with a leaked registry password or a tag moved to "
          + "another digest, and an admission controller such as Sigstore's policy-controller would refuse it. "
          + "Judged against the keys of `--key` and of the `imagePolicy:` entries in .kapas.yaml that match the "
          + "image; with `requireSignatures: true` an image no entry matches fails too.")
      .fix("Sign the image digest in the pipeline that builds it (`cosign sign --key cosign.key "
          + "registry/app@sha256:...`) and keep the private key in the pipeline's secret store; or add an "
          + "`imagePolicy:` entry for the image if it is signed by a key kapas was not given.")
      .refs("https://docs.sigstore.dev/cosign/signing/signing_with_containers/",
          "https://docs.sigstore.dev/policy-controller/overview/")
      .control("nsa", "Pod security: building secure container images")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public Class<SignatureFact> type() {
    return SignatureFact.class;
  }

  @Override
  public boolean appliesTo(SignatureFact f) {
    return !f.isAttestation();
  }

  @Override
  public void check(SignatureFact f, RuleContext ctx) {
    if (!f.verdicts().isEmpty()) {
      return;
    }
    Location at = new Location(f.name(), 0, 0, "signatures");
    if (f.policy().equals(SignatureFact.REQUIRED)) {
      ctx.fail(at, "image " + f.name() + " matches no imagePolicy entry, and requireSignatures is true");
    } else {
      ctx.fail(at, "image " + f.name() + " (" + f.digest() + ") has no cosign signature (neither the sha256-….sig "
          + "tag nor a referrer); policy " + f.policy() + " wants one by " + String.join(", ", f.keys()));
    }
  }
}
