package dev.kapas.source.image.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kapas.source.image.ImageError;
import dev.kapas.source.image.ImageRef;
import dev.kapas.source.image.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Finds the cosign signatures of an image digest in its repository, where cosign puts them: the
 * manifest at the tag {@code sha256-<hex>.sig}, and manifests that name the image as their
 * {@code subject}, listed by the OCI 1.1 referrers API or, where the registry does not have it
 * (404), by the index at the referrers tag {@code sha256-<hex>}. Among the referrers, Sigstore
 * bundles as cosign v2.4+ ({@code --new-bundle-format}) and v3 attach them: a manifest whose
 * artifact type, or layer media type, is a bundle's ({@code
 * application/vnd.dev.sigstore.bundle.v0.3+json}, or the older {@code
 * application/vnd.dev.sigstore.bundle+json;version=0.1}/{@code 0.2}) and whose layer is the
 * bundle's JSON. The referrers listing is read unfiltered, every page, and kapas keeps the
 * artifact types it reads ({@link #readable}) itself. Only GETs on the image's own repository are sent.
 */
public final class SignatureFinder {
  static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
  static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
  static final String CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";
  static final String BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";
  static final String TIMESTAMP_ANNOTATION = "dev.sigstore.cosign/rfc3161timestamp";
  static final String DSSE = "application/vnd.dsse.envelope.v1+json";
  static final String IN_TOTO = "application/vnd.in-toto+json";
  /** The artifact type of cosign's signature manifests attached as referrers ({@code --registry-referrers-mode=oci-1-1}). */
  static final String SIGNATURE_ARTIFACT = "application/vnd.dev.cosign.artifact.sig.v1+json";
  private static final java.util.Set<String> UNTYPED_CONFIGS = java.util.Set.of(
      "application/vnd.oci.image.config.v1+json", "application/vnd.oci.empty.v1+json");
  /** At most this many referrers are opened, and payloads are read up to this size. */
  private static final int MAX_REFERRERS = 32;
  private static final int MAX_PAYLOAD = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryClient client;

  public SignatureFinder(RegistryClient client) {
    this.client = client;
  }

  /**
   * What was found: signature layers (simple signing), attestation layers (DSSE envelopes, in
   * {@link CosignSignature#payload()}; their signatures are inside) and Sigstore bundles.
   */
  public record Found(List<CosignSignature> signatures, List<CosignSignature> attestations, List<Bundle> bundles) {
    public Found(List<CosignSignature> signatures, List<CosignSignature> attestations) {
      this(signatures, attestations, List.of());
    }
  }

  /**
   * A Sigstore bundle found as a referrer of an image.
   *
   * @param where {@code referrer sha256:… (Sigstore bundle)}
   * @param bytes the bundle's JSON (digest-checked)
   * @param subject the image manifest it refers to (digest-checked), which a message signature signs
   */
  public record Bundle(String where, byte[] bytes, byte[] subject) {}

  /**
   * The signatures of {@code digest} in {@code ref}'s repository (none when there are none), and
   * with {@code attestations} also the envelopes at {@code sha256-<hex>.att} and among the referrers.
   */
  public Found find(ImageRef ref, String digest, boolean attestations) throws ImageError {
    String hex = digest.substring(digest.indexOf(':') + 1);
    List<CosignSignature> out = new ArrayList<>();
    List<CosignSignature> atts = new ArrayList<>();
    for (String suffix : attestations ? List.of(".sig", ".att") : List.of(".sig")) {
      String tag = "sha256-" + hex + suffix;
      Optional<RegistryClient.Fetched> m = client.manifestIfPresent(ref, tag);
      if (m.isPresent()) {
        layers(ref, "tag " + tag, read(m.get().bytes(), "the " + tag + " manifest"), out, atts);
      }
    }
    List<Bundle> bundles = new ArrayList<>();
    byte[] subject = null;
    for (JsonNode referrer : referrers(ref, digest, hex, attestations)) {
      String d = referrer.path("digest").asText();
      if (!d.matches("sha256:[0-9a-f]{64}")) {
        continue;
      }
      byte[] bytes = client.manifest(ref, d).bytes();
      if (!d.equals(sha256(bytes))) {
        throw new ImageError("referrer " + d + ": the manifest served hashes to " + sha256(bytes));
      }
      JsonNode manifest = read(bytes, "referrer " + d);
      if (!digest.equals(manifest.path("subject").path("digest").asText())) {
        continue;
      }
      List<JsonNode> bundleLayers = new ArrayList<>();
      for (JsonNode layer : manifest.path("layers")) {
        if ((layer.path("mediaType").asText().startsWith(SigstoreBundle.MEDIA_TYPE)
            || manifest.path("artifactType").asText().startsWith(SigstoreBundle.MEDIA_TYPE))
            && layer.path("digest").asText().matches("sha256:[0-9a-f]{64}")) {
          bundleLayers.add(layer);
        }
      }
      if (bundleLayers.isEmpty()) {
        layers(ref, "referrer " + d, manifest, out, atts);
        continue;
      }
      if (subject == null) {
        subject = client.manifest(ref, digest).bytes();
        if (!digest.equals(sha256(subject))) {
          throw new ImageError(digest + ": the manifest served hashes to " + sha256(subject));
        }
      }
      for (JsonNode layer : bundleLayers) {
        String where = "referrer " + d + " (Sigstore bundle)";
        bundles.add(new Bundle(where, blob(ref, where, layer.path("digest").asText()), subject));
      }
    }
    return new Found(out, attestations ? atts : List.of(), bundles);
  }

  /**
   * The descriptors of the referrers kapas reads ({@link #readable}), at most {@link
   * #MAX_REFERRERS}: from the API (every page), else, where the registry has no API (404), from the
   * index at the referrers tag. The listing is asked for unfiltered, as one listing serves every
   * type read here, and kapas filters by artifact type itself, so other referrers (SBOMs, …)
   * are neither opened nor counted.
   */
  private List<JsonNode> referrers(ImageRef ref, String digest, String hex, boolean attestations) throws ImageError {
    List<byte[]> pages;
    try {
      pages = client.referrers(ref, digest);
    } catch (ImageError e) {
      if (e.status() != 404) {
        throw e;
      }
      Optional<RegistryClient.Fetched> tag = client.manifestIfPresent(ref, "sha256-" + hex);
      if (tag.isEmpty()) {
        return List.of();
      }
      pages = List.of(tag.get().bytes());
    } catch (IOException e) {
      throw new ImageError("referrers of " + digest + ": " + e.getMessage());
    }
    List<JsonNode> out = new ArrayList<>();
    for (byte[] page : pages) {
      for (JsonNode d : read(page, "the referrers of " + digest).path("manifests")) {
        if (out.size() < MAX_REFERRERS && readable(d.path("artifactType").asText(), attestations)) {
          out.add(d);
        }
      }
    }
    return out;
  }

  /**
   * Whether a referrer of this artifact type may hold what kapas reads: a cosign signature
   * manifest, a Sigstore bundle, with {@code attestations} a DSSE envelope; or a manifest that
   * names no artifact type of its own (the registry then reports its config's media type).
   */
  static boolean readable(String artifactType, boolean attestations) {
    return artifactType.isEmpty() || artifactType.equals(SIGNATURE_ARTIFACT)
        || artifactType.startsWith(SigstoreBundle.MEDIA_TYPE) || UNTYPED_CONFIGS.contains(artifactType)
        || attestations && (artifactType.equals(DSSE) || artifactType.equals(IN_TOTO));
  }

  /** The signature and attestation layers of one cosign manifest, with their payloads (digest-checked). */
  private void layers(ImageRef ref, String where, JsonNode manifest, List<CosignSignature> signatures,
      List<CosignSignature> attestations) throws ImageError {
    for (JsonNode layer : manifest.path("layers")) {
      JsonNode signature = layer.path("annotations").path(SIGNATURE_ANNOTATION);
      String digest = layer.path("digest").asText();
      boolean envelope = layer.path("mediaType").asText().equals(DSSE);
      if (!(signature.isTextual() || envelope) || !digest.matches("sha256:[0-9a-f]{64}")) {
        continue;
      }
      byte[] payload = blob(ref, where, digest);
      JsonNode a = layer.path("annotations");
      (envelope ? attestations : signatures).add(new CosignSignature(where, payload, signature.asText(),
          a.path(CERTIFICATE_ANNOTATION).asText(), a.path(CHAIN_ANNOTATION).asText(), a.path(BUNDLE_ANNOTATION).asText(),
          a.path(TIMESTAMP_ANNOTATION).asText()));
    }
  }

  /** A signature manifest's layer blob, up to {@link #MAX_PAYLOAD} bytes, its digest checked. */
  private byte[] blob(ImageRef ref, String where, String digest) throws ImageError {
    byte[] payload;
    try (InputStream in = client.blob(ref, digest)) {
      payload = in.readNBytes(MAX_PAYLOAD + 1);
    } catch (IOException e) {
      throw new ImageError(where + ": payload " + digest + ": " + e.getMessage());
    }
    if (payload.length > MAX_PAYLOAD) {
      throw new ImageError(where + ": payload " + digest + " is larger than " + MAX_PAYLOAD + " bytes");
    }
    if (!digest.equals(sha256(payload))) {
      throw new ImageError(where + ": payload " + digest + " hashes to " + sha256(payload));
    }
    return payload;
  }

  static JsonNode read(byte[] bytes, String what) throws ImageError {
    try {
      JsonNode n = JSON.readTree(bytes);
      if (n == null || !n.isObject()) {
        throw new ImageError(what + " is not a JSON object");
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ImageError(what + " is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ImageError(what + ": " + e.getMessage());
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
