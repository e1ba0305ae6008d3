package dev.kapas.source.image.sign;

import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;
import dev.kapas.model.ReportedFact;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The source of an image's inventory when {@code kapas image --sbom-attestation use} found a
 * verified CycloneDX or SPDX attestation of it: its packages, not those catalogued from the
 * layers, were matched against the vulnerability database. Reported so that a reader knows which
 * inventory the vulnerabilities come from.
 *
 * @param image the image as the user named it
 * @param digest the digest the attestation's subject names
 * @param where where the attestation was found ({@code tag sha256-….att} or a referrer)
 * @param predicateType {@code https://cyclonedx.org/bom} or {@code https://spdx.dev/Document}, or one of
 *     them versioned ({@code https://spdx.dev/Document/v2.3}), as the statement names it
 * @param format the SBOM's format and version ({@code CycloneDX 1.5}, {@code SPDX-2.3})
 * @param policy the policy entry that verified it
 * @param signer the key or keyless identity it verified with
 * @param packages how many packages it lists
 */
public record SbomAttestationFact(String image, String digest, String where, String predicateType, String format,
    String policy, String signer, int packages) implements ReportedFact {
  @Override
  public ObjectRef ref() {
    return new ObjectRef("", "Image", "", image);
  }

  @Override
  public Origin origin() {
    return new Origin(image, 0, 0, 0);
  }

  @Override
  public String reportSection() {
    return "sbomAttestations";
  }

  @Override
  public String reportNoun() {
    return "SBOM attestation";
  }

  @Override
  public Map<String, Object> reportFields() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("image", image);
    out.put("digest", digest);
    out.put("inventory", "attestation");
    out.put("where", where);
    out.put("predicateType", predicateType);
    out.put("format", format);
    out.put("policy", policy);
    out.put("signer", signer);
    out.put("packages", packages);
    return out;
  }
}
