package dev.kapas.source.image.sign;

import dev.kapas.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A Sigstore instance made of OpenSSL artefacts, offline, for tests: a certificate authority that
 * plays Fulcio (it issues leaf certificates with an email identity and Fulcio's OIDC-issuer
 * extension, for EC, RSA or Ed25519 keys), an EC key that plays Rekor (it signs entry timestamps
 * over the canonical JSON of entries), a timestamp authority ({@code openssl ts -reply}, its
 * certificate for time stamping under its own root) and the {@code trusted_root.json} naming all
 * three. Real certificates, signatures and RFC 3161 tokens; not the public-good Sigstore.
 */
final class TestSigstore {
  static final String ISSUER = "https://issuer.example";
  final Path dir;
  final Cosign cosign;
  final Path caKey;
  final Path ca;
  final Path rekorKey;
  final String logId;
  final Path root;
  private final Path tsaConfig;
  private int n;

  TestSigstore(Path dir) throws Exception {
    this.dir = dir;
    cosign = new Cosign(dir);
    caKey = cosign.key("fulcio-ca", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    ca = selfSigned(caKey, "/O=kapas test/CN=test fulcio", "fulcio-ca");
    rekorKey = cosign.key("rekor", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    byte[] rekorDer = der(Files.readString(Cosign.pub(rekorKey)));
    logId = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rekorDer));
    tsaConfig = tsa("tsa");
    root = dir.resolve("trusted_root.json");
    Files.writeString(root, "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\",\"tlogs\":[{"
        + "\"baseUrl\":\"https://rekor.test\",\"hashAlgorithm\":\"SHA2_256\",\"publicKey\":{\"rawBytes\":\""
        + b64(rekorDer) + "\",\"keyDetails\":\"PKIX_ECDSA_P256_SHA_256\"},\"logId\":{\"keyId\":\""
        + b64(HexFormat.of().parseHex(logId)) + "\"}}],\"certificateAuthorities\":[{\"uri\":\"https://fulcio.test\","
        + "\"certChain\":{\"certificates\":[" + raw(ca) + "]}}],\"timestampAuthorities\":[{\"uri\":\"https://tsa.test\","
        + "\"certChain\":{\"certificates\":[" + raw(dir.resolve("tsa.pem")) + "," + raw(dir.resolve("tsa-root.pem"))
        + "]},\"validFor\":{\"start\":\"2020-01-01T00:00:00Z\"}}]}");
  }

  TrustedRoot trustedRoot() throws Exception {
    return TrustedRoot.read(root, "trusted_root.json");
  }

  Keyless keyless(String subject) throws Exception {
    return new Keyless(trustedRoot(), subject, java.util.Optional.empty(), ISSUER, java.util.Optional.empty());
  }

  private Path selfSigned(Path key, String subject, String name) throws Exception {
    Path out = dir.resolve(name + ".pem");
    LocalRegistry.run("openssl", "req", "-x509", "-new", "-key", key.toString(), "-subj", subject, "-days", "30",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign", "-out",
        out.toString());
    return out;
  }

  /** A timestamp authority NAME: a root, a time-stamping certificate under it, and the openssl ts config; its config. */
  Path tsa(String name) throws Exception {
    Path rootKey = cosign.key(name + "-root", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384");
    Path tsaRoot = selfSigned(rootKey, "/O=kapas test/CN=" + name + " root", name + "-root");
    Path key = cosign.key(name, "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    Path cert = sign(key, rootKey, tsaRoot, "/O=kapas test/CN=" + name, "extendedKeyUsage=critical,timeStamping\n"
        + "keyUsage=critical,digitalSignature\n", name, List.of("-days", "30"));
    Files.writeString(dir.resolve(name + ".serial"), "01\n");
    Path config = dir.resolve(name + ".cnf");
    Files.writeString(config, "[tsa]\ndefault_tsa = t\n[t]\nserial = " + dir.resolve(name + ".serial") + "\n"
        + "crypto_device = builtin\nsigner_cert = " + cert + "\nsigner_key = " + key + "\nsigner_digest = sha256\n"
        + "default_policy = 1.2.3.4.1\ndigests = sha256, sha384, sha512\naccuracy = secs:1\nordering = no\n"
        + "tsa_name = no\ness_cert_id_chain = no\ness_cert_id_alg = sha256\n");
    return config;
  }

  /** A Fulcio-like leaf for {@code key}: email SAN, issuer extension .1.8; {@code validity} openssl x509 -days or openssl ca dates. */
  String leaf(Path key, String email, String name, List<String> validity) throws Exception {
    return Files.readString(sign(key, caKey, ca, "/O=sigstore.dev", "subjectAltName=email:" + email
        + "\nextendedKeyUsage=codeSigning\nkeyUsage=critical,digitalSignature\n1.3.6.1.4.1.57264.1.8=ASN1:UTF8String:"
        + ISSUER + "\n", name, validity));
  }

  /** A certificate for {@code key} issued by {@code issuer}: {@code openssl x509 -req -days}, or {@code openssl ca} with -startdate/-enddate. */
  private Path sign(Path key, Path issuerKey, Path issuer, String subject, String ext, String name, List<String> validity)
      throws Exception {
    Path csr = dir.resolve(name + ".csr");
    Path extFile = Files.writeString(dir.resolve(name + ".ext"), ext);
    Path out = dir.resolve(name + ".pem");
    LocalRegistry.run("openssl", "req", "-new", "-key", key.toString(), "-subj", subject, "-out", csr.toString());
    List<String> cmd = new ArrayList<>();
    if (validity.get(0).equals("-days")) {
      cmd.addAll(List.of("openssl", "x509", "-req", "-in", csr.toString(), "-CA", issuer.toString(), "-CAkey",
          issuerKey.toString(), "-CAcreateserial", "-extfile", extFile.toString(), "-out", out.toString()));
    } else {
      Path db = Files.createDirectories(dir.resolve("ca-" + name));
      Files.writeString(db.resolve("index.txt"), "");
      Files.writeString(db.resolve("serial"), "1000\n");
      Path cnf = Files.writeString(db.resolve("ca.cnf"), "[ca]\ndefault_ca = t\n[t]\ndatabase = " + db.resolve("index.txt")
          + "\nnew_certs_dir = " + db + "\nserial = " + db.resolve("serial") + "\ndefault_md = sha256\npolicy = any\n"
          + "email_in_dn = no\nunique_subject = no\n[any]\norganizationName = optional\n");
      cmd.addAll(List.of("openssl", "ca", "-batch", "-notext", "-config", cnf.toString(), "-in", csr.toString(), "-cert",
          issuer.toString(), "-keyfile", issuerKey.toString(), "-extfile", extFile.toString(), "-out", out.toString()));
    }
    cmd.addAll(validity);
    LocalRegistry.run(cmd.toArray(String[]::new));
    return out;
  }

  /** An RFC 3161 TimeStampResp by the authority {@code config} ({@link #tsa}) over {@code data}, base64. */
  String timestamp(Path config, byte[] data) throws Exception {
    Path in = Files.write(dir.resolve("ts-data-" + n), data);
    Path query = dir.resolve("ts-" + n + ".tsq");
    Path reply = dir.resolve("ts-" + n++ + ".tsr");
    LocalRegistry.run("openssl", "ts", "-query", "-data", in.toString(), "-sha256", "-cert", "-out", query.toString());
    LocalRegistry.run("openssl", "ts", "-reply", "-config", config.toString(), "-queryfile", query.toString(), "-out",
        reply.toString());
    return b64(Files.readAllBytes(reply));
  }

  String timestamp(byte[] data) throws Exception {
    return timestamp(tsaConfig, data);
  }

  /**
   * A bundle v0.3: {@code content} (the messageSignature or dsseEnvelope member), the leaf, one
   * log entry of {@code body} (JSON) with the test log's SET at {@code time}, and {@code stamps}.
   */
  String bundle(String content, String leafPem, String body, long time, String... stamps) throws Exception {
    String b = b64(body.getBytes(StandardCharsets.UTF_8));
    String canonical = "{\"body\":\"" + b + "\",\"integratedTime\":" + time + ",\"logID\":\"" + logId
        + "\",\"logIndex\":7}";
    String set = cosign.sign(rekorKey, canonical, "sha256");
    StringBuilder ts = new StringBuilder();
    for (String s : stamps) {
      ts.append(ts.length() == 0 ? "" : ",").append("{\"signedTimestamp\":\"").append(s).append("\"}");
    }
    return "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{\"certificate\":"
        + "{\"rawBytes\":\"" + b64(der(leafPem)) + "\"},\"tlogEntries\":[{\"logIndex\":\"7\",\"logId\":{\"keyId\":\""
        + b64(HexFormat.of().parseHex(logId)) + "\"},\"kindVersion\":{\"kind\":\"x\",\"version\":\"x\"},"
        + "\"integratedTime\":\"" + time + "\",\"inclusionPromise\":{\"signedEntryTimestamp\":\"" + set + "\"},"
        + "\"canonicalizedBody\":\"" + b + "\"}]" + (stamps.length == 0 ? "" : ",\"timestampVerificationData\":{"
        + "\"rfc3161Timestamps\":[" + ts + "]}") + "}," + content + "}";
  }

  static byte[] der(String pem) {
    return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static String raw(Path pem) throws Exception {
    return "{\"rawBytes\":\"" + b64(der(Files.readString(pem))) + "\"}";
  }
}
