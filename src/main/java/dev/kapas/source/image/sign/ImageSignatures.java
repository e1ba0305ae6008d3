package dev.kapas.source.image.sign;

import dev.kapas.source.image.ImageError;
import dev.kapas.source.image.ImageFact;
import dev.kapas.source.image.ImageRef;
import dev.kapas.source.image.RegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The signature collector: for an image read from a registry, the policy entries that apply to
 * it, its signatures (fetched once, from the image's own repository, only when some entry
 * applies) and one {@link SignatureFact} per entry. Images read from files are not looked up.
 */
public final class ImageSignatures {
  private final SignatureFinder finder;
  private final ImagePolicy policy;

  public ImageSignatures(RegistryClient client, ImagePolicy policy) {
    this.finder = new SignatureFinder(client);
    this.policy = policy;
  }

  public List<SignatureFact> check(ImageFact image) throws ImageError {
    Optional<ImageRef> ref = image.reference().isEmpty() ? Optional.empty() : ImageRef.parse(image.reference());
    if (policy.isEmpty() || ref.isEmpty() || image.digest().isEmpty()) {
      return List.of();
    }
    List<ImagePolicy.Entry> entries = policy.matching(ref.get(), image.name());
    if (entries.isEmpty()) {
      return policy.requireSignatures()
          ? List.of(new SignatureFact(image.name(), image.digest(), SignatureFact.REQUIRED, List.of(), List.of()))
          : List.of();
    }
    boolean attestations = entries.stream().anyMatch(e -> !e.attestations().isEmpty());
    SignatureFinder.Found found = finder.find(ref.get(), image.digest(), attestations);
    List<SignatureFact> out = new ArrayList<>();
    for (ImagePolicy.Entry e : entries) {
      List<String> keys = e.keys().stream().map(TrustedKey::name).toList();
      out.add(new SignatureFact(image.name(), image.digest(), e.name(), keys,
          SignatureCheck.verify(image.digest(), found.signatures(), e.keys())));
      for (String type : e.attestations()) {
        out.add(new SignatureFact(image.name(), image.digest(), e.name(), keys,
            AttestationCheck.verify(image.digest(), found.attestations(), e.keys(), type, e.builders()), type));
      }
    }
    return out;
  }
}
