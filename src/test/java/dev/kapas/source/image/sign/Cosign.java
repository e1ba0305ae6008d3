package dev.kapas.source.image.sign;

import dev.kapas.testing.LocalRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * Makes cosign's artefacts without cosign or kapas: key pairs and signatures by OpenSSL ({@code
 * openssl genpkey}, {@code openssl dgst -sign}, {@code openssl pkeyutl -sign -rawin} for Ed25519),
 * the simple-signing payload and the signature manifest in the layout cosign writes (one layer per
 * signature, the signature in the {@code dev.cosignproject.cosign/signature} annotation).
 */
final class Cosign {
  static final String SIG_ARTIFACT = "application/vnd.dev.cosign.artifact.sig.v1+json";
  private final Path dir;
  private int n;

  Cosign(Path dir) {
    this.dir = dir;
  }

  /** A private key made by {@code openssl genpkey} with {@code args}; its public half is beside it as NAME.pub. */
  Path key(String name, String... args) throws Exception {
    Path key = dir.resolve(name + ".key");
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "genpkey"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-out", key.toString()));
    LocalRegistry.run(cmd.toArray(String[]::new));
    LocalRegistry.run("openssl", "pkey", "-in", key.toString(), "-pubout", "-out", pub(key).toString());
    return key;
  }

  static Path pub(Path key) {
    return key.resolveSibling(key.getFileName().toString().replace(".key", ".pub"));
  }

  /** The simple-signing payload cosign signs for {@code digest} of {@code repository}. */
  static String payload(String repository, String digest) {
    return "{\"critical\":{\"identity\":{\"docker-reference\":\"" + repository + "\"},\"image\":{\"docker-manifest-digest\":\""
        + digest + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}";
  }

  /** {@code payload} signed with {@code key} by OpenSSL ({@code digest}: sha256, sha384; ed25519 signs raw), base64. */
  String sign(Path key, String payload, String digest) throws Exception {
    Path in = dir.resolve("payload-" + n++);
    Path out = dir.resolve(in.getFileName() + ".sig");
    Files.writeString(in, payload, StandardCharsets.UTF_8);
    if (digest.equals("ed25519")) {
      LocalRegistry.run("openssl", "pkeyutl", "-sign", "-inkey", key.toString(), "-rawin", "-in", in.toString(), "-out",
          out.toString());
    } else {
      LocalRegistry.run("openssl", "dgst", "-" + digest, "-sign", key.toString(), "-out", out.toString(), in.toString());
    }
    return Base64.getEncoder().encodeToString(Files.readAllBytes(out));
  }

  /**
   * A cosign signature manifest in {@code layout}, tagged {@code tag}: one layer per (payload,
   * signature) pair; with a {@code subject} (the image's descriptor) and artifact type when it is
   * to be found as a referrer. Its descriptor JSON (with the artifact type).
   */
  static String signatureManifest(OciLayout layout, String tag, String subject, String... payloadsAndSignatures)
      throws IOException {
    List<String[]> layers = new java.util.ArrayList<>();
    for (int i = 0; i < payloadsAndSignatures.length; i += 2) {
      layers.add(new String[] {SignatureFinder.SIMPLE_SIGNING, payloadsAndSignatures[i],
          "\"" + SignatureFinder.SIGNATURE_ANNOTATION + "\":\"" + payloadsAndSignatures[i + 1] + "\""});
    }
    return manifest(layout, tag, subject, layers);
  }

  /** A cosign attestation manifest ({@code .att}): one DSSE envelope layer per envelope, annotated as cosign does. */
  static String attestationManifest(OciLayout layout, String tag, String predicateType, String... envelopes)
      throws IOException {
    List<String[]> layers = new java.util.ArrayList<>();
    for (String e : envelopes) {
      layers.add(new String[] {SignatureFinder.DSSE, e, "\"" + SignatureFinder.SIGNATURE_ANNOTATION + "\":\"\","
          + "\"predicateType\":\"" + predicateType + "\""});
    }
    return manifest(layout, tag, null, layers);
  }

  /** layers: [media type, blob text, annotations JSON members]. */
  static String manifest(OciLayout layout, String tag, String subject, List<String[]> layerSpecs)
      throws IOException {
    StringBuilder layers = new StringBuilder();
    StringBuilder diffIds = new StringBuilder();
    for (String[] spec : layerSpecs) {
      String layer = layout.blob(spec[0], spec[1].getBytes(StandardCharsets.UTF_8), ",\"annotations\":{" + spec[2] + "}");
      layers.append(layers.length() == 0 ? "" : ",").append(layer);
      diffIds.append(diffIds.length() == 0 ? "" : ",").append('"').append(OciLayout.digestOf(layer)).append('"');
    }
    String config = layout.blob("application/vnd.oci.image.config.v1+json", ("{\"architecture\":\"\",\"created\":"
        + "\"0001-01-01T00:00:00Z\",\"history\":[{\"created\":\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":"
        + "\"layers\",\"diff_ids\":[" + diffIds + "]},\"config\":{}}").getBytes(StandardCharsets.UTF_8), "");
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + OciLayout.MANIFEST + "\""
        + (subject == null ? "" : ",\"artifactType\":\"" + SIG_ARTIFACT + "\"") + ",\"config\":" + config
        + ",\"layers\":[" + layers + "]" + (subject == null ? "" : ",\"subject\":" + subject) + "}";
    String digest = layout.manifest(json, OciLayout.MANIFEST, tag);
    return "{\"mediaType\":\"" + OciLayout.MANIFEST + "\",\"artifactType\":\"" + SIG_ARTIFACT + "\",\"digest\":\""
        + digest + "\",\"size\":" + json.getBytes(StandardCharsets.UTF_8).length + "}";
  }

  /** An in-toto statement about {@code digest} with SLSA v1 provenance naming {@code builder}. */
  static String provenance(String name, String digest, String builder) {
    return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"" + name + "\",\"digest\":{\"sha256\":\""
        + digest.substring(7) + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{"
        + "\"buildDefinition\":{\"buildType\":\"https://example.com/build/v1\",\"externalParameters\":{}},"
        + "\"runDetails\":{\"builder\":{\"id\":\"" + builder + "\"}}}}";
  }

  /** A DSSE envelope of {@code statement}, its PAE signed by OpenSSL with {@code key}. */
  String envelope(Path key, String statement, String digest) throws Exception {
    byte[] body = statement.getBytes(StandardCharsets.UTF_8);
    String type = "application/vnd.in-toto+json";
    String pae = "DSSEv1 " + type.length() + " " + type + " " + body.length + " " + statement;
    return "{\"payloadType\":\"" + type + "\",\"payload\":\"" + Base64.getEncoder().encodeToString(body)
        + "\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"" + sign(key, pae, digest) + "\"}]}";
  }
}
