package dev.kapas.source.image.sign;

import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;
import dev.kapas.model.ReportedFact;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The signatures of one image judged against one policy entry that applies to it: what {@code
 * container.image-unsigned} and {@code container.image-signature-invalid} look at; or, with an
 * {@code attestation} predicate type, its attestations of that type ({@code
 * container.image-attestation-missing}). Never holds a
 * secret: the keys are public, and only where signatures were found is reported.
 *
 * @param name the image as the user named it
 * @param digest the manifest digest the signatures must sign
 * @param policy the entry that asks for signatures: its name, {@code --key}, or {@code
 *     requireSignatures} when no entry matches and signatures are required
 * @param keys the names of the entry's keys (none for {@code requireSignatures})
 * @param verdicts one per signature (or attestation of the type) found, in the order found
 * @param attestation the predicate type the entry requires attested; empty for signatures
 */
public record SignatureFact(String name, String digest, String policy, List<String> keys, List<Verdict> verdicts,
    String attestation) implements ReportedFact {
  /** The policy name when an image matched no entry and {@code requireSignatures: true}. */
  public static final String REQUIRED = "requireSignatures";

  public SignatureFact {
    keys = List.copyOf(keys);
    verdicts = List.copyOf(verdicts);
  }

  /** The signatures (not attestations) of an image. */
  public SignatureFact(String name, String digest, String policy, List<String> keys, List<Verdict> verdicts) {
    this(name, digest, policy, keys, verdicts, "");
  }

  public boolean isAttestation() {
    return !attestation.isEmpty();
  }

  public boolean signed() {
    return verdicts.stream().anyMatch(Verdict::valid);
  }

  @Override
  public ObjectRef ref() {
    return new ObjectRef("", "Image", "", name);
  }

  @Override
  public Origin origin() {
    return new Origin(name, 0, 0, 0);
  }

  @Override
  public String reportSection() {
    return "signatures";
  }

  @Override
  public String reportNoun() {
    return isAttestation() ? "attestation check" : "signature check";
  }

  @Override
  public Map<String, Object> reportFields() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("image", name);
    out.put("digest", digest);
    out.put("policy", policy);
    out.put("attestation", attestation);
    out.put("keys", keys);
    out.put("signed", signed());
    List<Object> list = new ArrayList<>();
    for (Verdict v : verdicts) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("where", v.where());
      m.put("valid", v.valid());
      m.put("key", v.key());
      m.put("reason", v.reason());
      list.add(m);
    }
    out.put("signatures", list);
    return out;
  }
}
