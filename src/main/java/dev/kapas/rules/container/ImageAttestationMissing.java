package dev.kapas.rules.container;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Location;
import dev.kapas.model.Severity;
import dev.kapas.source.image.sign.SignatureFact;
import dev.kapas.source.image.sign.Verdict;

/** An imagePolicy entry requires an attestation (SLSA provenance, an SBOM) the image lacks or cannot prove. */
public final class ImageAttestationMissing implements FactRule<SignatureFact> {
  private static final RuleSpec SPEC = RuleSpec.rule("container.image-attestation-missing")
      .title("Required image attestation is missing or does not verify")
      .severity(Severity.HIGH)
      .input(Input.IMAGE)
      .why("An `imagePolicy:` entry asks for a signed in-toto attestation of this type, such as SLSA provenance "
          + "saying which builder made the image from which source. None was found whose DSSE envelope verifies "
          + "with the entry's keys and whose subject is this digest (and, for provenance, whose builder is "
          + "allowed), so where the image came from is unproven; policy-controller would refuse it.")
      .fix("Attest the digest in the build pipeline (`cosign attest --key cosign.key --type slsaprovenance1 "
          + "--predicate provenance.json registry/app@sha256:...`, or the provenance generator of the CI system) "
          + "with a key of the entry, from an allowed builder.")
      .refs("https://docs.sigstore.dev/cosign/verifying/attestation/", "https://slsa.dev/spec/v1.0/provenance",
          "https://github.com/secure-systems-lab/dsse/blob/master/protocol.md")
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
    return f.isAttestation();
  }

  @Override
  public void check(SignatureFact f, RuleContext ctx) {
    if (f.signed()) {
      return;
    }
    Location at = new Location(f.name(), 0, 0, "attestations");
    if (f.verdicts().isEmpty()) {
      ctx.fail(at, "image " + f.name() + " (" + f.digest() + ") has no " + f.attestation() + " attestation; policy "
          + f.policy() + " requires one signed by " + String.join(", ", f.keys()));
      return;
    }
    for (Verdict v : f.verdicts()) {
      ctx.fail(new Location(f.name(), 0, 0, v.where()), "image " + f.name() + ": the " + f.attestation()
          + " attestation at " + v.where() + " is not valid for policy " + f.policy() + ": " + v.reason());
    }
  }
}
