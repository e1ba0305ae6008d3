package dev.kapas.source.image.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kapas.source.image.ImageError;
import dev.kapas.source.image.ImageFact;
import dev.kapas.source.image.ImageRef;
import dev.kapas.source.image.RegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The signature collector: for an image read from a registry, the policy entries that apply to
 * it, its signatures (fetched once, from the image's own repository, only when some entry
 * applies) and one {@link SignatureFact} per entry. Images read from files are not looked up.
 */
public final class ImageSignatures {
  /**
   * The predicate types of SBOM attestations: as {@code cosign attest --type cyclonedx | spdxjson}
   * writes them, and versioned as the in-toto predicate list and other attesters spell them
   * ({@code https://spdx.dev/Document/v2.3}, GitHub's attest-sbom; {@code
   * https://cyclonedx.org/bom/v1.5}): the base followed by {@code /v} and a version. Which SBOM it
   * is, is read from the predicate itself.
   */
  public static final List<String> SBOM_TYPES = List.of("https://cyclonedx.org/bom", "https://spdx.dev/Document");
  private static final java.util.regex.Pattern VERSIONED = java.util.regex.Pattern.compile("/v[0-9]+(\\.[0-9]+)*");

  /** Whether {@code predicateType} is an SBOM attestation's ({@link #SBOM_TYPES}, bare or versioned). */
  public static boolean isSbomType(String predicateType) {
    return SBOM_TYPES.stream().anyMatch(t -> predicateType.equals(t) || predicateType.startsWith(t)
        && VERSIONED.matcher(predicateType.substring(t.length())).matches());
  }
  private final ImagePolicy policy;
  private final boolean sbomAttestations;

  public ImageSignatures(ImagePolicy policy) {
    this(policy, false);
  }

  /**
   * With {@code sbomAttestations}, also looks for an image's CycloneDX or SPDX attestations and
   * hands back the first one that a policy entry applying to the image verifies.
   */
  public ImageSignatures(ImagePolicy policy, boolean sbomAttestations) {
    this.policy = policy;
    this.sbomAttestations = sbomAttestations;
  }

  /**
   * A verified SBOM attestation: where it was found, its predicate type, the policy entry and
   * signer that verified it, and its predicate (the SBOM).
   */
  public record SbomAttestation(String where, String predicateType, String policy, String signer, JsonNode predicate) {}

  /** An image to check, and the client to look its signatures up with (the one it was pulled with). */
  public record Target(ImageFact image, RegistryClient client) {}

  public boolean isEmpty() {
    return policy.isEmpty();
  }

  /**
   * What {@link #check} came to for one image: its facts, or why its signatures could not be
   * fetched ({@code error}); {@code note} says when a policy was set but the image, read from a
   * file, was not looked up, or why no SBOM attestation is used; {@code sbom} is the verified SBOM
   * attestation (only when asked for).
   */
  public record Checked(ImageFact image, List<SignatureFact> facts, Optional<String> error, Optional<String> note,
      Optional<SbomAttestation> sbom) {
    Checked(ImageFact image, Optional<String> error, Optional<String> note) {
      this(image, List.of(), error, note, Optional.empty());
    }
  }

  /**
   * {@link #check} for every image, at most {@code parallel} at a time (each image's requests go
   * to its own registry one after another); results in the order of {@code images}.
   */
  public List<Checked> checkAll(List<Target> images, int parallel) {
    if (policy.isEmpty() || images.isEmpty()) {
      return images.stream().map(i -> new Checked(i.image(), Optional.empty(), Optional.empty())).toList();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, images.size())), r -> {
      Thread t = new Thread(r, "kapas-signatures");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Checked>> futures = new ArrayList<>();
      for (Target target : images) {
        ImageFact image = target.image();
        futures.add(pool.submit(() -> {
          if (image.reference().isEmpty()) {
            return new Checked(image, Optional.empty(), Optional.of("read from a file: its signatures "
                + "are not checked (kapas looks them up in the image's registry; push it, or name it by reference)"));
          }
          try {
            return check(image, target.client());
          } catch (ImageError e) {
            return new Checked(image, Optional.of("signatures: " + e.getMessage()), Optional.empty());
          }
        }));
      }
      List<Checked> out = new ArrayList<>();
      for (Future<Checked> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking signatures", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** The digest {@code ref}'s tag points at now (the index of a multi-platform image). */
  private static String resolve(RegistryClient client, ImageRef ref) throws ImageError {
    return SignatureFinder.sha256(client.manifest(ref, ref.reference()).bytes());
  }

  /** The Sigstore bundles that are image signatures (a message signature, or cosign v3's DSSE), judged by {@code e}. */
  static List<Verdict> bundleVerdicts(String digest, List<SignatureFinder.Bundle> bundles, ImagePolicy.Entry e) {
    List<Verdict> out = new ArrayList<>();
    for (SignatureFinder.Bundle b : bundles) {
      SigstoreBundle.Checked c = checked(digest, b, e);
      if (c.isSignature()) {
        out.add(new Verdict(b.where(), c.problem().isEmpty(), c.signer(), c.problem().orElse("")));
      }
    }
    return out;
  }

  /**
   * The Sigstore bundles that are attestations of {@code predicateType} (cosign v3 stores {@code
   * cosign attest --new-bundle-format} so, among the referrers), judged by {@code e} as the
   * {@code .att} envelopes are: the bundle's checks, then the SLSA builder allow-list.
   */
  static List<Verdict> bundleAttestations(String digest, List<SignatureFinder.Bundle> bundles, ImagePolicy.Entry e,
      String predicateType) {
    List<Verdict> out = new ArrayList<>();
    for (SignatureFinder.Bundle b : bundles) {
      SigstoreBundle.Checked c = checked(digest, b, e);
      if (c.isSignature() || !c.predicateType().equals(predicateType)) {
        continue;
      }
      Optional<String> problem = c.problem().isPresent() ? c.problem()
          : SigstoreBundle.statement(b.bytes()).map(s -> AttestationCheck.builderProblem(s, e.builders()))
              .orElse(Optional.of("its in-toto statement cannot be read"));
      out.add(new Verdict(b.where(), problem.isEmpty(), c.signer(), problem.orElse("")));
    }
    return out;
  }

  private static SigstoreBundle.Checked checked(String digest, SignatureFinder.Bundle b, ImagePolicy.Entry e) {
    try {
      return SigstoreBundle.check(b.bytes(), digest, Optional.of(b.subject()), e.keys(), e.keyless());
    } catch (RuntimeException ex) {
      // a bundle shaped in a way the checks did not foresee is invalid, never a crash of the scan
      return new SigstoreBundle.Checked(Optional.of("the bundle could not be checked: " + ex), "", "");
    }
  }

  public Checked check(ImageFact image, RegistryClient client) throws ImageError {
    Optional<ImageRef> ref = image.reference().isEmpty() ? Optional.empty() : ImageRef.parse(image.reference());
    if (policy.isEmpty() || ref.isEmpty() || image.digest().isEmpty()) {
      return new Checked(image, Optional.empty(), Optional.empty());
    }
    List<ImagePolicy.Entry> entries = policy.matching(ref.get(), image.name());
    if (entries.isEmpty()) {
      Optional<String> note = sbomAttestations ? Optional.of("no imagePolicy entry (nor --key) applies to this image, "
          + "so no SBOM attestation of it can be verified: its packages are catalogued from its layers") : Optional.empty();
      return new Checked(image, policy.requireSignatures()
          ? List.of(new SignatureFact(image.name(), image.digest(), SignatureFact.REQUIRED, List.of(), List.of()))
          : List.of(), Optional.empty(), note, Optional.empty());
    }
    boolean attestations = sbomAttestations || entries.stream().anyMatch(e -> !e.attestations().isEmpty());
    // cosign signs what the reference resolves to: for a multi-platform image the index, whose
    // digest differs from the platform's manifest that was read (signed too with sign --recursive)
    String root = ref.get().digest().isEmpty() ? resolve(client, ref.get()) : ref.get().digest();
    List<String> digests = root.equals(image.digest()) ? List.of(root) : List.of(root, image.digest());
    SignatureFinder finder = new SignatureFinder(client);
    List<SignatureFinder.Found> found = new ArrayList<>();
    for (String d : digests) {
      found.add(finder.find(ref.get(), d, attestations));
    }
    List<SignatureFact> out = new ArrayList<>();
    for (ImagePolicy.Entry e : entries) {
      List<String> keys = e.signers();
      List<Verdict> signatures = new ArrayList<>();
      for (int i = 0; i < digests.size(); i++) {
        signatures.addAll(SignatureCheck.verify(digests.get(i), found.get(i).signatures(), e.keys(), e.keyless()));
        signatures.addAll(bundleVerdicts(digests.get(i), found.get(i).bundles(), e));
      }
      out.add(new SignatureFact(image.name(), root, e.name(), keys, signatures));
      for (String type : e.attestations()) {
        List<Verdict> attested = new ArrayList<>();
        for (int i = 0; i < digests.size(); i++) {
          attested.addAll(AttestationCheck.verify(digests.get(i), found.get(i).attestations(), e.keys(), e.keyless(),
              type, e.builders()));
          attested.addAll(bundleAttestations(digests.get(i), found.get(i).bundles(), e, type));
        }
        out.add(new SignatureFact(image.name(), root, e.name(), keys, attested, type));
      }
    }
    if (!sbomAttestations) {
      return new Checked(image, out, Optional.empty(), Optional.empty(), Optional.empty());
    }
    String rejected = "";
    for (ImagePolicy.Entry e : entries) {
      for (int i = 0; i < digests.size(); i++) {
        for (AttestationCheck.Attested a : AttestationCheck.judge(digests.get(i), found.get(i).attestations(), e.keys(),
            e.keyless(), ImageSignatures::isSbomType, List.of())) {
          if (a.verdict().valid()) {
            JsonNode predicate = a.statement().orElseThrow().path("predicate");
            return new Checked(image, out, Optional.empty(), Optional.empty(), Optional.of(new SbomAttestation(
                a.verdict().where(), a.predicateType(), e.name(), a.verdict().key(), predicate)));
          }
          if (rejected.isEmpty()) {
            rejected = "the SBOM attestation at " + a.verdict().where() + " is not valid for policy " + e.name() + " ("
                + a.verdict().reason() + "), so it is not used: its packages are catalogued from its layers";
          }
        }
      }
    }
    return new Checked(image, out, Optional.empty(), rejected.isEmpty() ? Optional.of("no SBOM attestation (CycloneDX or "
        + "SPDX) found: its packages are catalogued from its layers") : Optional.of(rejected), Optional.empty());
  }
}
