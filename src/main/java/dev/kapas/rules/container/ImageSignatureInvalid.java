package dev.kapas.rules.container;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Location;
import dev.kapas.model.Severity;
import dev.kapas.source.image.sign.SignatureFact;
import dev.kapas.source.image.sign.Verdict;

/** An image has cosign signatures, and none of them is a valid signature of its digest by a trusted key. */
public final class ImageSignatureInvalid implements FactRule<SignatureFact> {
  private static final RuleSpec SPEC = RuleSpec.rule("container.image-signature-invalid")
      .title("Image signature does not verify")
      .severity(Severity.HIGH)
      .input(Input.IMAGE)
      .why("The image carries cosign signatures, but none verifies with a trusted key over a payload that names "
          + "this digest: signed by another key, a payload changed after signing, or a signature for another "
          + "digest copied beside this one (as when a tag is moved to an image that was never signed). Any of "
          + "these is what tampering looks like, and `cosign verify` and policy-controller refuse the image.")
      .fix("Find out who pushed the digest and the signature. Re-sign the digest you mean to run with the "
          + "trusted key (`cosign sign --key cosign.key registry/app@sha256:...`), or pin the reference to the "
          + "digest that was signed; add the signer's public key to the policy only if it is in fact trusted.")
      .refs("https://docs.sigstore.dev/cosign/verifying/verify/",
          "https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md")
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
    return !f.isAttestation() && !f.verdicts().isEmpty();
  }

  @Override
  public void check(SignatureFact f, RuleContext ctx) {
    if (f.signed()) {
      return;
    }
    for (Verdict v : f.verdicts()) {
      ctx.fail(new Location(f.name(), 0, 0, v.where()), "image " + f.name() + ": the signature at " + v.where()
          + " is not valid for policy " + f.policy() + ": " + v.reason());
    }
  }
}
