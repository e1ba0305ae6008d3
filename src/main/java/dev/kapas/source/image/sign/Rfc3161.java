package dev.kapas.source.image.sign;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An RFC 3161 timestamp, as a Sigstore bundle carries it ({@code
 * timestampVerificationData.rfc3161Timestamps[].signedTimestamp}: a DER TimeStampResp, or the bare
 * token), verified offline against the timestamp authorities of a trusted root: the token is CMS
 * SignedData (RFC 5652) over a TSTInfo; its signed attributes hold the TSTInfo's digest
 * ({@code messageDigest}) and the content type, and name the signing certificate (ESS
 * {@code signingCertificate} or {@code signingCertificateV2}, which RFC 3161 requires, must name
 * the authority's); the signature over the attributes verifies with the first certificate of an
 * authority's chain, which chains to the chain's last at the stamped time, is for time stamping
 * (extended key usage 1.3.6.1.5.5.7.3.8), and the time lies in the authority's {@code validFor};
 * and the TSTInfo's message imprint is the hash of the bundle's signature.
 */
final class Rfc3161 {
  private static final String SIGNED_DATA = "1.2.840.113549.1.7.2";
  private static final String TST_INFO = "1.2.840.113549.1.9.16.1.4";
  private static final String CONTENT_TYPE = "1.2.840.113549.1.9.3";
  private static final String MESSAGE_DIGEST = "1.2.840.113549.1.9.4";
  private static final String SIGNING_CERTIFICATE = "1.2.840.113549.1.9.16.2.12";
  private static final String SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47";
  private static final String TIME_STAMPING = "1.3.6.1.5.5.7.3.8";
  private static final Map<String, String> DIGESTS = Map.of("2.16.840.1.101.3.4.2.1", "SHA-256",
      "2.16.840.1.101.3.4.2.2", "SHA-384", "2.16.840.1.101.3.4.2.3", "SHA-512", "1.3.14.3.2.26", "SHA-1");
  /** Signature algorithms named outright; rsaEncryption and id-ecPublicKey take the digest algorithm's hash. */
  private static final Map<String, String> SIGNATURES = Map.of("1.2.840.10045.4.3.2", "SHA256withECDSA",
      "1.2.840.10045.4.3.3", "SHA384withECDSA", "1.2.840.10045.4.3.4", "SHA512withECDSA",
      "1.2.840.113549.1.1.11", "SHA256withRSA", "1.2.840.113549.1.1.12", "SHA384withRSA",
      "1.2.840.113549.1.1.13", "SHA512withRSA", "1.3.101.112", "Ed25519");
  private static final DateTimeFormatter GENERALIZED = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  private Rfc3161() {}

  /** The time stamped, or why not: {@code problem} is empty exactly when {@code time} is present. */
  record Result(Optional<Instant> time, String problem) {
    static Result fail(String problem) {
      return new Result(Optional.empty(), problem);
    }
  }

  /** The time {@code stamp} proves {@code signature} existed at, by an authority of {@code root}. */
  static Result verify(byte[] stamp, byte[] signature, TrustedRoot root) {
    Der signedData;
    Der tstInfo;
    Der signer;
    try {
      Der outer = Der.parse(stamp);
      Der first = outer.children().get(0);
      Der contentInfo = outer;
      if (first.tag() == Der.SEQUENCE) {
        // a TimeStampResp: PKIStatusInfo (granted 0, grantedWithMods 1), then the token
        long status = new java.math.BigInteger(first.child(0, Der.INTEGER).content()).longValue();
        if (status > 1) {
          return Result.fail("the timestamp response's status is " + status + ", not granted");
        }
        contentInfo = outer.child(1, Der.SEQUENCE);
      }
      if (!contentInfo.child(0, Der.OID).oid().equals(SIGNED_DATA)) {
        return Result.fail("the timestamp is not CMS SignedData");
      }
      signedData = contentInfo.child(1, 0xa0).child(0, Der.SEQUENCE);
      Der encap = signedData.child(2, Der.SEQUENCE);
      if (!encap.child(0, Der.OID).oid().equals(TST_INFO)) {
        return Result.fail("the timestamp's content is not a TSTInfo");
      }
      tstInfo = Der.parse(encap.child(1, 0xa0).child(0, Der.OCTET_STRING).content());
      List<Der> rest = signedData.children();
      Der infos = rest.get(rest.size() - 1);
      if (infos.tag() != Der.SET || infos.children().size() != 1) {
        return Result.fail("the timestamp has not exactly one signer");
      }
      signer = infos.children().get(0);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return Result.fail("the timestamp is not DER a TimeStampResp or token: " + e.getMessage());
    }
    try {
      Der imprint = tstInfo.child(2, Der.SEQUENCE);
      String imprintHash = DIGESTS.get(imprint.child(0, Der.SEQUENCE).child(0, Der.OID).oid());
      if (imprintHash == null || imprintHash.equals("SHA-1")
          || !Arrays.equals(imprint.child(1, Der.OCTET_STRING).content(), hash(imprintHash, signature))) {
        return Result.fail("the timestamp is over another message, not this signature");
      }
      Instant time = generalized(tstInfo.child(4, Der.GENERALIZED_TIME));
      List<Der> s = signer.children();
      if (s.size() < 6 || s.get(2).tag() != Der.SEQUENCE || s.get(4).tag() != Der.SEQUENCE
          || s.get(5).tag() != Der.OCTET_STRING) {
        return Result.fail("the timestamp's signer is malformed");
      }
      String digest = DIGESTS.get(s.get(2).child(0, Der.OID).oid());
      Der attributes = s.get(3);
      if (digest == null || attributes.tag() != 0xa0) {
        return Result.fail("the timestamp's signer has no signed attributes or an unknown digest");
      }
      byte[] wantDigest = hash(digest, tstInfo.encoded());
      boolean typed = false;
      boolean digested = false;
      Optional<Der> essIds = Optional.empty();
      String essHash = "SHA-1";
      for (Der a : attributes.children()) {
        String oid = a.child(0, Der.OID).oid();
        Der value = a.child(1, Der.SET).children().get(0);
        switch (oid) {
          case CONTENT_TYPE -> typed = value.oid().equals(TST_INFO);
          case MESSAGE_DIGEST -> digested = Arrays.equals(value.content(), wantDigest);
          case SIGNING_CERTIFICATE -> essIds = Optional.of(value.child(0, Der.SEQUENCE));
          case SIGNING_CERTIFICATE_V2 -> {
            essIds = Optional.of(value.child(0, Der.SEQUENCE));
            essHash = "";
          }
          default -> { }
        }
      }
      if (!typed || !digested) {
        return Result.fail("the timestamp's signed attributes do not match its TSTInfo");
      }
      if (essIds.isEmpty()) {
        // RFC 3161 2.4.1: a TSA must name its certificate in the signed attributes
        return Result.fail("the timestamp does not name its signing certificate (ESS signingCertificate)");
      }
      // the signature is over the attributes as a SET OF (tag 0x31), not as the [0] they are stored as
      byte[] signedAttributes = attributes.encoded();
      signedAttributes[0] = (byte) Der.SET;
      byte[] sig = s.get(5).content();
      String sigOid = s.get(4).child(0, Der.OID).oid();
      String algorithm = SIGNATURES.getOrDefault(sigOid, sigOid.equals("1.2.840.113549.1.1.1")
          ? digest.replace("-", "") + "withRSA" : sigOid.equals("1.2.840.10045.2.1")
          ? digest.replace("-", "") + "withECDSA" : "");
      if (algorithm.isEmpty()) {
        return Result.fail("the timestamp's signature algorithm " + sigOid + " is not supported");
      }
      String last = "the timestamp is not signed by a timestamp authority of " + root.name();
      for (TrustedRoot.TimestampAuthority tsa : root.timestampAuthorities()) {
        X509Certificate cert = tsa.chain().get(0);
        if (!verifies(algorithm, cert, signedAttributes, sig) || !essNames(essIds.get(), essHash, cert)) {
          continue;
        }
        Optional<String> problem = authorityProblem(tsa, time);
        if (problem.isEmpty()) {
          return new Result(Optional.of(time), "");
        }
        last = problem.get();
      }
      return Result.fail(last);
    } catch (IllegalArgumentException | IndexOutOfBoundsException | GeneralSecurityException e) {
      return Result.fail("the timestamp is malformed: " + e.getMessage());
    }
  }

  /** The authority's signing certificate is for time stamping, chains to its root, and the time is in its validFor. */
  private static Optional<String> authorityProblem(TrustedRoot.TimestampAuthority tsa, Instant time)
      throws GeneralSecurityException {
    X509Certificate cert = tsa.chain().get(0);
    if (cert.getExtendedKeyUsage() == null || !cert.getExtendedKeyUsage().contains(TIME_STAMPING)) {
      return Optional.of("the timestamp authority's certificate is not for time stamping");
    }
    if (tsa.start().map(time::isBefore).orElse(false) || tsa.end().map(time::isAfter).orElse(false)) {
      return Optional.of("the timestamp's time " + time + " is outside its authority's validFor");
    }
    List<X509Certificate> chain = tsa.chain();
    if (chain.size() > 1) {
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(chain.get(chain.size() - 1), null)));
      params.setRevocationEnabled(false);
      params.setDate(Date.from(time));
      try {
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
            .generateCertPath(chain.subList(0, chain.size() - 1)), params);
      } catch (GeneralSecurityException e) {
        return Optional.of("the timestamp authority's chain is not valid at " + time + ": " + e.getMessage());
      }
    } else {
      try {
        cert.checkValidity(Date.from(time));
      } catch (GeneralSecurityException e) {
        return Optional.of("the timestamp authority's certificate is not valid at " + time);
      }
    }
    return Optional.empty();
  }

  /** ESS signing certificate: the first ESSCertID(v2) hashes to {@code cert} (v2: SHA-256 unless it names its hash). */
  private static boolean essNames(Der certs, String hash, X509Certificate cert) throws GeneralSecurityException {
    Der id = certs.children().get(0);
    List<Der> parts = id.children();
    int at = 0;
    String h = hash;
    if (h.isEmpty()) {
      h = "SHA-256";
      if (parts.get(0).tag() == Der.SEQUENCE) {
        h = DIGESTS.getOrDefault(parts.get(0).child(0, Der.OID).oid(), "");
        at = 1;
      }
    }
    return !h.isEmpty() && Arrays.equals(parts.get(at).content(), hash(h, cert.getEncoded()));
  }

  private static boolean verifies(String algorithm, X509Certificate cert, byte[] message, byte[] signature) {
    try {
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(cert.getPublicKey());
      v.update(message);
      return v.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] hash(String algorithm, byte[] bytes) throws IllegalArgumentException {
    try {
      return MessageDigest.getInstance(algorithm).digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** GeneralizedTime as RFC 3161 writes it: {@code YYYYMMDDhhmmss[.fff]Z}. */
  private static Instant generalized(Der time) {
    String s = new String(time.content(), StandardCharsets.US_ASCII);
    if (!s.matches("\\d{14}(\\.\\d+)?Z")) {
      throw new IllegalArgumentException("genTime `" + s + "` is not a UTC GeneralizedTime");
    }
    Instant whole;
    try {
      whole = LocalDateTime.parse(s.substring(0, 14), GENERALIZED).toInstant(ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("genTime `" + s + "` is not a date", e);
    }
    int dot = s.indexOf('.');
    return dot < 0 ? whole : whole.plusNanos((long) (Double.parseDouble("0" + s.substring(dot, s.length() - 1)) * 1e9));
  }
}
