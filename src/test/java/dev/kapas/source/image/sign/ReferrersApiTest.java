package dev.kapas.source.image.sign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kapas.cli.CliRun;
import dev.kapas.testing.LocalRegistry;
import dev.kapas.testing.ReferrersFront;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures and Sigstore bundles found through the OCI 1.1 referrers API only. The API is played
 * by {@link ReferrersFront}, a test-only HTTP front of the real registry (Debian's docker-registry
 * 2.8, which has no referrers API, and no registry that has one can run here): blobs and
 * manifests are stored and served by the real registry, the front records the manifests pushed
 * with a {@code subject} and lists them as the spec says. Signature manifests are written by
 * hand ({@link Cosign}, signed by OpenSSL) and pushed through the front by skopeo, bytes kept;
 * kapas reads through the front. Each case checks that the front answered the referrers request
 * and that the registry has no referrers tag {@code sha256-<hex>}, so nothing else could have
 * led kapas to the signature.
 */
class ReferrersApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  private static final String SPDX = "application/spdx+json";
  @TempDir
  static Path tmp;
  private static LocalRegistry registry;
  private static Cosign cosign;
  private static Path p256;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.start(tmp);
    cosign = new Cosign(tmp);
    p256 = cosign.key("p256", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  /** An image pushed straight to the registry; [repository, digest, layout dir]. */
  private static String[] image(String name) throws Exception {
    String repository = "ref/" + name + "-" + System.nanoTime();
    OciLayout layout = new OciLayout(tmp.resolve(repository.replace('/', '_')));
    String digest = layout.image("image " + name, "img");
    registry.pushTag(layout.dir(), "img", repository + ":1");
    return new String[] {repository, digest, layout.dir().toString()};
  }

  /** A cosign signature manifest of {@code image} with the image as its subject, pushed through the front; its digest. */
  private static String signatureReferrer(ReferrersFront front, String[] image) throws Exception {
    OciLayout layout = new OciLayout(Path.of(image[2]));
    String p = Cosign.payload(front.host() + "/" + image[0], image[1]);
    String sig = Cosign.signatureManifest(layout, "sig", layout.descriptor(image[1]), p, cosign.sign(p256, p, "sha256"));
    front.pushTag(layout.dir(), "sig", image[0] + ":cosign-sig");
    return OciLayout.digestOf(sig);
  }

  /** {@code n} SPDX SBOM artifacts with the image as subject, pushed through the front; their digests. */
  private static List<String> sbomReferrers(ReferrersFront front, String[] image, int n) throws Exception {
    OciLayout layout = new OciLayout(Path.of(image[2]));
    String empty = layout.blob("application/vnd.oci.empty.v1+json", "{}".getBytes(StandardCharsets.UTF_8), "");
    String layer = layout.blob(SPDX, "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8), "");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String json = "{\"schemaVersion\":2,\"mediaType\":\"" + OciLayout.MANIFEST + "\",\"artifactType\":\"" + SPDX
          + "\",\"config\":" + empty + ",\"layers\":[" + layer + "],\"subject\":" + layout.descriptor(image[1])
          + ",\"annotations\":{\"n\":\"" + i + "\"}}";
      out.add(layout.manifest(json, OciLayout.MANIFEST, "sbom" + i));
      if (i == 0) {
        front.pushTag(layout.dir(), "sbom0", image[0] + ":sbom0");
      } else {
        // the blobs are there now: the others are plain manifest PUTs through the front
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + front.host() + "/v2/" + image[0]
            + "/manifests/sbom" + i)).header("Content-Type", OciLayout.MANIFEST)
            .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("OCI-Subject")).hasValue(image[1]);
      }
    }
    return out;
  }

  private static CliRun kapas(ReferrersFront front, String[] image) {
    return CliRun.run(false, Map.of("HOME", tmp.toString()), "image", "--insecure-registry", front.host(),
        front.host() + "/" + image[0] + ":1", "-f", "json", "--fail-on", "high", "--key", Cosign.pub(p256).toString());
  }

  /** The registry's own answer (not the front's) for a manifest reference: its status. */
  private static int registryManifestStatus(String repository, String reference) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/" + repository + "/manifests/"
        + reference)).header("Accept", OciLayout.MANIFEST + ", " + OciLayout.INDEX).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static void foundThroughTheApiOnly(ReferrersFront front, String[] image) throws Exception {
    assertThat(front.referrerRequests()).contains("/v2/" + image[0] + "/referrers/" + image[1]);
    assertThat(registryManifestStatus(image[0], "sha256-" + image[1].substring(7))).as("referrers tag").isEqualTo(404);
    assertThat(registryManifestStatus(image[0], "sha256-" + image[1].substring(7) + ".sig")).as(".sig tag").isEqualTo(404);
  }

  private static JsonNode signature(CliRun r) throws Exception {
    return JSON.readTree(r.out()).path("signatures").path(0);
  }

  @Test
  void cosignSignatureManifestFoundThroughTheApi() throws Exception {
    try (ReferrersFront front = ReferrersFront.start(registry)) {
      String[] image = image("signed");
      String sig = signatureReferrer(front, image);
      // skopeo kept the manifest's bytes, subject included: the front saw it, the registry stores it
      assertThat(front.recorded(image[0], image[1])).singleElement().satisfies(d -> {
        assertThat(d.path("digest").asText()).isEqualTo(sig);
        assertThat(d.path("artifactType").asText()).isEqualTo(Cosign.SIG_ARTIFACT);
      });
      String stored = LocalRegistry.run("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + registry.host()
          + "/" + image[0] + "@" + sig);
      assertThat(SignatureFinder.sha256(stored.getBytes(StandardCharsets.UTF_8))).isEqualTo(sig);
      assertThat(JSON.readTree(stored).path("subject").path("digest").asText()).isEqualTo(image[1]);
      CliRun r = kapas(front, image);
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      assertThat(signature(r).path("signed").asBoolean()).as(r.out()).isTrue();
      assertThat(signature(r).path("signatures").path(0).path("where").asText()).isEqualTo("referrer " + sig);
      foundThroughTheApiOnly(front, image);
    }
  }

  /**
   * A Sigstore bundle as cosign v3 attaches it (artifact type bundle v0.3, empty config, the bundle
   * as the one layer): a message signature over the image manifest by a key.
   */
  @Test
  void sigstoreBundleFoundThroughTheApi() throws Exception {
    try (ReferrersFront front = ReferrersFront.start(registry)) {
      String[] image = image("bundled");
      OciLayout layout = new OciLayout(Path.of(image[2]));
      byte[] manifestBytes = java.nio.file.Files.readAllBytes(Path.of(image[2], "blobs/sha256", image[1].substring(7)));
      String sig = cosign.sign(p256, new String(manifestBytes, StandardCharsets.UTF_8), "sha256");
      String bundle = "{\"mediaType\":\"" + BUNDLE_TYPE + "\",\"verificationMaterial\":{\"publicKey\":{\"hint\":\"p256\"},"
          + "\"tlogEntries\":[]},\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_256\",\"digest\":\""
          + java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(image[1].substring(7)))
          + "\"},\"signature\":\"" + sig + "\"}}";
      String empty = layout.blob("application/vnd.oci.empty.v1+json", "{}".getBytes(StandardCharsets.UTF_8), "");
      String layer = layout.blob(BUNDLE_TYPE, bundle.getBytes(StandardCharsets.UTF_8), "");
      String digest = layout.manifest("{\"schemaVersion\":2,\"mediaType\":\"" + OciLayout.MANIFEST + "\",\"artifactType\":\""
          + BUNDLE_TYPE + "\",\"config\":" + empty + ",\"layers\":[" + layer + "],\"subject\":" + layout.descriptor(image[1])
          + ",\"annotations\":{\"dev.sigstore.bundle.content\":\"message-signature\"}}", OciLayout.MANIFEST, "bundle");
      front.pushTag(layout.dir(), "bundle", image[0] + ":bundle");
      assertThat(front.recorded(image[0], image[1])).singleElement().satisfies(d -> {
        assertThat(d.path("artifactType").asText()).isEqualTo(BUNDLE_TYPE);
        assertThat(d.path("annotations").path("dev.sigstore.bundle.content").asText()).isEqualTo("message-signature");
      });
      CliRun r = kapas(front, image);
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      assertThat(signature(r).path("signed").asBoolean()).as(r.out()).isTrue();
      assertThat(signature(r).path("signatures").path(0).path("where").asText())
          .isEqualTo("referrer " + digest + " (Sigstore bundle)");
      foundThroughTheApiOnly(front, image);
    }
  }

  /**
   * kapas asks for the referrers unfiltered and keeps the artifact types it reads itself, so a
   * registry that ignores {@code ?artifactType=} serves it as well as one that applies it: 40 SBOM
   * referrers listed before the signature (more than the 32 referrers kapas opens) are neither
   * opened nor counted.
   */
  @Test
  void otherArtifactTypesAreFilteredOutByKapas() throws Exception {
    try (ReferrersFront front = ReferrersFront.start(registry).ignoringFilters()) {
      String[] image = image("many-sboms");
      List<String> sboms = sbomReferrers(front, image, 40);
      String sig = signatureReferrer(front, image);
      assertThat(front.recorded(image[0], image[1])).hasSize(41);
      CliRun r = kapas(front, image);
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      assertThat(signature(r).path("signatures").path(0).path("where").asText()).isEqualTo("referrer " + sig);
      assertThat(front.manifestGets()).as("no SBOM manifest opened")
          .noneMatch(g -> sboms.stream().anyMatch(g::endsWith));
      foundThroughTheApiOnly(front, image);
    }
  }

  /** The front applies a filter when asked, as the spec says (what kapas would get if it sent one). */
  @Test
  void theFrontAppliesTheArtifactTypeFilter() throws Exception {
    try (ReferrersFront front = ReferrersFront.start(registry)) {
      String[] image = image("filtered");
      sbomReferrers(front, image, 2);
      String sig = signatureReferrer(front, image);
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + front.host() + "/v2/" + image[0]
          + "/referrers/" + image[1] + "?artifactType=" + java.net.URLEncoder.encode(Cosign.SIG_ARTIFACT,
          StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
      assertThat(r.headers().firstValue("Content-Type")).hasValue(ReferrersFront.INDEX);
      assertThat(JSON.readTree(r.body()).path("manifests")).singleElement()
          .satisfies(d -> assertThat(d.path("digest").asText()).isEqualTo(sig));
    }
  }

  /** Pages of two: the signature is on the third page, reached through the Link headers. */
  @Test
  void pagesAreFollowed() throws Exception {
    try (ReferrersFront front = ReferrersFront.start(registry).pageSize(2)) {
      String[] image = image("paged");
      sbomReferrers(front, image, 4);
      String sig = signatureReferrer(front, image);
      CliRun r = kapas(front, image);
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      assertThat(signature(r).path("signatures").path(0).path("where").asText()).isEqualTo("referrer " + sig);
      assertThat(front.referrerRequests()).containsExactly("/v2/" + image[0] + "/referrers/" + image[1],
          "/v2/" + image[0] + "/referrers/" + image[1] + "?page=1", "/v2/" + image[0] + "/referrers/" + image[1] + "?page=2");
      foundThroughTheApiOnly(front, image);
    }
  }

  /**
   * A next-page link to another host is not followed (kapas sends nothing to a host the user did
   * not name): an input error naming the image and the host, exit 3; nothing reaches that host.
   */
  @Test
  void aNextPageOnAnotherHostIsNotFollowed() throws Exception {
    try (java.net.ServerSocket elsewhere = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
        ReferrersFront front = ReferrersFront.start(registry).pageSize(1)) {
      String other = "127.0.0.1:" + elsewhere.getLocalPort();
      front.nextPagesOn(other);
      String[] image = image("redirected-pages");
      sbomReferrers(front, image, 1);
      signatureReferrer(front, image);
      CliRun r = kapas(front, image);
      assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(3);
      assertThat(r.out()).contains(front.host() + "/" + image[0] + ":1", "referrers of " + image[1]
          + ": the registry's next-page link leads to another host, http://" + other + "; not followed");
      assertThat(r.out() + r.err()).doesNotContain("Exception");
      elsewhere.setSoTimeout(200);
      assertThat(org.assertj.core.api.Assertions.catchThrowable(elsewhere::accept)).as("no connection to " + other)
          .isInstanceOf(java.net.SocketTimeoutException.class);
    }
  }

  /** Where the API answers 404, the index at the referrers tag is read instead. */
  @Test
  void referrersTagWhenTheApiAnswers404() throws Exception {
    try (ReferrersFront front = ReferrersFront.start(registry).withoutApi()) {
      String[] image = image("fallback");
      CliRun unsigned = kapas(front, image);
      assertThat(unsigned.out()).as(unsigned.err()).contains("container.image-unsigned");
      OciLayout layout = new OciLayout(Path.of(image[2]));
      String p = Cosign.payload(front.host() + "/" + image[0], image[1]);
      String sig = Cosign.signatureManifest(layout, "sig", layout.descriptor(image[1]), p, cosign.sign(p256, p, "sha256"));
      layout.manifest("{\"schemaVersion\":2,\"mediaType\":\"" + OciLayout.INDEX + "\",\"manifests\":[" + sig + "]}",
          OciLayout.INDEX, "referrers");
      registry.pushIndex(layout.dir(), "referrers", image[0] + ":sha256-" + image[1].substring(7));
      CliRun r = kapas(front, image);
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      assertThat(signature(r).path("signatures").path(0).path("where").asText()).isEqualTo("referrer "
          + OciLayout.digestOf(sig));
      assertThat(front.referrerRequests()).contains("/v2/" + image[0] + "/referrers/" + image[1]);
      assertThat(front.manifestGets()).contains(image[0] + "/sha256-" + image[1].substring(7));
    }
  }
}
