package dev.kapas.rules;

import dev.kapas.model.Fact;
import dev.kapas.model.SoftwarePackage;
import dev.kapas.rules.code.SecretDetector;
import dev.kapas.source.image.FileSecret;
import dev.kapas.source.image.ImageConfig;
import dev.kapas.source.image.ImageFact;
import dev.kapas.source.image.OsRelease;
import dev.kapas.source.image.Platform;
import dev.kapas.source.image.ImageError;
import dev.kapas.source.image.sign.AttestationCheck;
import dev.kapas.source.image.sign.CosignSignature;
import dev.kapas.source.image.sign.ImagePolicy;
import dev.kapas.source.image.sign.SignatureCheck;
import dev.kapas.source.image.sign.SignatureFact;
import dev.kapas.source.image.sign.TrustedKey;
import java.nio.charset.StandardCharsets;
import dev.kapas.vuln.Matcher;
import dev.kapas.vuln.OsvFixtures;
import dev.kapas.vuln.VulnerabilityFact;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.kapas.source.probe.CertInfo;
import dev.kapas.source.probe.HttpAnswer;
import dev.kapas.source.probe.HttpEndpoint;
import dev.kapas.source.probe.PortFact;
import dev.kapas.source.cluster.ClusterSource;
import dev.kapas.source.cluster.ReleaseData;
import dev.kapas.source.cluster.ServerVersionFact;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Fixtures for rules that judge facts rather than manifests: each YAML document is one fact as a
 * collector would record it — a probed port ({@code kind: Port}: what it answered; the component
 * is identified from that by the same code the probe uses) or a web endpoint ({@code kind: URL}).
 * The answers are written after real servers' answers (kube-apiserver v1.20, etcd 3.4, nginx,
 * OpenSSH; the real-server tests under source/probe check the collector produces them).
 */
final class FactFixtures {
  private FactFixtures() {}

  /** The facts of a fixture, one per document, in order. */
  static List<Fact> read(String text) {
    return documents(text).stream().flatMap(List::stream).toList();
  }

  /**
   * The facts of each document: one, except for {@code kind: Package} (a package as a cataloger
   * reports it), which yields one fact per vulnerability the matcher finds for it in the real OSV
   * records of shared/fixtures/osv — none when it is not affected.
   */
  static List<List<Fact>> documents(String text) {
    List<List<Fact>> out = new ArrayList<>();
    for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(text)) {
      if (doc instanceof Map<?, ?> m) {
        out.add(str(m, "kind", "").equals("Package") ? vulnerabilities(m) : List.of(fact(m)));
      }
    }
    return out;
  }

  private static List<Fact> vulnerabilities(Map<?, ?> m) {
    String name = str(m, "name", "");
    String version = str(m, "version", "");
    SoftwarePackage pkg = new SoftwarePackage(str(m, "ecosystem", ""), name, version, str(m, "sourceName", name),
        str(m, "sourceVersion", version), str(m, "purl", ""), str(m, "path", "fixture"), 0, str(m, "layer", ""));
    try {
      return new Matcher(OsvFixtures.lookup()).match(List.of(pkg)).matches().stream()
          .map(v -> (Fact) new VulnerabilityFact(v, pkg.layer().isEmpty() ? "" : str(m, "image", "fixture-image")))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Fact fact(Map<?, ?> m) {
    String kind = str(m, "kind", "");
    return switch (kind) {
      case "Port" -> port(m);
      case "URL" -> endpoint(m);
      case "ServerVersion" -> serverVersion(m);
      case "Image" -> image(m);
      case "ImageSignatures" -> signatures(m);
      default -> throw new IllegalArgumentException("fixture document kind must be Port, URL, ServerVersion, Image or "
          + "ImageSignatures, not `"
          + kind + "`");
    };
  }

  private static PortFact port(Map<?, ?> m) {
    String host = str(m, "host", "10.0.0.1");
    int port = ((Number) m.get("port")).intValue();
    String state = str(m, "state", "open");
    if (!state.equals("open")) {
      return PortFact.notOpen(host, port, PortFact.State.valueOf(state.toUpperCase(Locale.ROOT)), str(m, "reason", ""));
    }
    PortFact.Transport transport = PortFact.Transport.valueOf(str(m, "transport", "none").toUpperCase(Locale.ROOT));
    String scheme = transport == PortFact.Transport.TLS ? "https://" : "http://";
    List<HttpAnswer> answers = new ArrayList<>();
    for (Object o : list(m, "answers")) {
      answers.add(answer((Map<?, ?>) o, scheme + host + ":" + port));
    }
    return PortFact.open(host, port, transport, Boolean.TRUE.equals(m.get("clientCertRequired")), certificates(m),
        str(m, "banner", ""), answers);
  }

  private static HttpAnswer answer(Map<?, ?> a, String base) {
    int status = ((Number) a.get("status")).intValue();
    Map<String, String> headers = new LinkedHashMap<>();
    if (a.get("headers") instanceof Map<?, ?> h) {
      h.forEach((k, v) -> headers.put(String.valueOf(k).toLowerCase(Locale.ROOT), String.valueOf(v)));
    }
    return new HttpAnswer(str(a, "method", "GET"), base + str(a, "path", "/"), status,
        "HTTP/1.1 " + status + " " + str(a, "reason", ""), headers, str(a, "body", ""));
  }

  private static HttpEndpoint endpoint(Map<?, ?> m) {
    String url = str(m, "url", "");
    String host = url.replaceFirst("^https?://", "").replaceFirst("[:/].*$", "");
    boolean https = url.startsWith("https://");
    HttpAnswer answer = answer(m, url.replaceFirst("^(https?://[^/]+).*$", "$1"));
    List<CertInfo> certs = certificates(m);
    List<HttpEndpoint.TlsVersion> versions = new ArrayList<>();
    if (m.get("protocols") instanceof Map<?, ?> p) {
      p.forEach((k, v) -> versions.add(new HttpEndpoint.TlsVersion(String.valueOf(k),
          HttpEndpoint.Outcome.valueOf(String.valueOf(v).toUpperCase(Locale.ROOT)), "fixture")));
    }
    return new HttpEndpoint(url, host, https, answer, certs, versions);
  }

  /** {@code certificate: {subject, issuer, notBefore, notAfter, names, selfSigned, trusted, expired}}, if any. */
  private static List<CertInfo> certificates(Map<?, ?> m) {
    List<CertInfo> certs = new ArrayList<>();
    if (m.get("certificate") instanceof Map<?, ?> c) {
      certs.add(new CertInfo(str(c, "subject", ""), str(c, "issuer", ""), day(c, "notBefore"), day(c, "notAfter"),
          list(c, "names").stream().map(String::valueOf).toList(), Boolean.TRUE.equals(c.get("selfSigned")),
          Boolean.TRUE.equals(c.get("trusted")), Boolean.TRUE.equals(c.get("expired"))));
    }
    return certs;
  }

  /** A live cluster's /version on a given day ({@code today}), judged by the built-in release data. */
  private static ServerVersionFact serverVersion(Map<?, ?> m) {
    return new ServerVersionFact(str(m, "context", "test"), new ClusterSource.ServerVersion(str(m, "gitVersion", ""),
        Integer.parseInt(str(m, "major", "1")), ClusterSource.leadingInt(str(m, "minor", "0"))), ReleaseData.builtIn(),
        LocalDate.parse(str(m, "today", "2026-01-01")));
  }

  /**
   * An image as {@code kapas image} records it: {@code name}, {@code user}, {@code env}, {@code
   * exposedPorts}, {@code history}, {@code os: {id, versionId, prettyName}}, {@code sshServers},
   * {@code packages: [{ecosystem, name, version, path}]}, {@code files: [{path, text}]} (searched
   * for secrets as the collector does) and the day of the scan ({@code today}).
   */
  private static ImageFact image(Map<?, ?> m) {
    String name = str(m, "name", "registry.example/app:1");
    List<SoftwarePackage> packages = new ArrayList<>();
    for (Object o : list(m, "packages")) {
      Map<?, ?> p = (Map<?, ?>) o;
      packages.add(new SoftwarePackage(str(p, "ecosystem", ""), str(p, "name", ""), str(p, "version", ""),
          str(p, "name", ""), str(p, "version", ""), "", str(p, "path", ""), 0, "sha256:" + "0".repeat(64)));
    }
    List<FileSecret> secrets = new ArrayList<>();
    for (Object o : list(m, "files")) {
      Map<?, ?> f = (Map<?, ?>) o;
      for (SecretDetector.Match match : SecretDetector.inText(str(f, "text", ""))) {
        secrets.add(new FileSecret(str(f, "path", ""), "sha256:" + "1".repeat(64), match));
      }
    }
    OsRelease os = OsRelease.NONE;
    if (m.get("os") instanceof Map<?, ?> o) {
      os = new OsRelease(str(o, "id", ""), str(o, "versionId", ""), str(o, "prettyName", ""));
    }
    ImageConfig config = new ImageConfig(str(m, "user", ""), strings(m, "env"), strings(m, "exposedPorts"),
        strings(m, "history"), Map.of());
    return new ImageFact(name, name, "sha256:" + "2".repeat(64), "sha256:" + "3".repeat(64),
        new Platform("linux", "amd64", ""), config, List.of(), packages, os, strings(m, "sshServers"), secrets,
        LocalDate.parse(str(m, "today", "2026-12-05")));
  }

  /**
   * The signatures of an image as the registry served them, judged by the real check: {@code
   * name}, {@code digest}, {@code policy} (default {@code --key}), {@code keys: [{name, pem}]}
   * and {@code signatures: [{where, payload, signature}]} (payload as the blob's text, signature
   * as the annotation's base64). The signatures were made by OpenSSL over these payloads. With
   * {@code attestation: PREDICATE-TYPE}, {@code envelopes: [{where, envelope}]} (DSSE envelopes,
   * signed by OpenSSL over their PAE) and {@code builders} are judged instead.
   */
  private static SignatureFact signatures(Map<?, ?> m) {
    List<TrustedKey> keys = new ArrayList<>();
    for (Object o : list(m, "keys")) {
      Map<?, ?> k = (Map<?, ?>) o;
      try {
        keys.add(TrustedKey.parse(str(k, "pem", ""), str(k, "name", "")));
      } catch (ImageError e) {
        throw new IllegalArgumentException(e.getMessage());
      }
    }
    List<CosignSignature> found = new ArrayList<>();
    for (Object o : list(m, "signatures")) {
      Map<?, ?> s = (Map<?, ?>) o;
      found.add(new CosignSignature(str(s, "where", "tag"), str(s, "payload", "").getBytes(StandardCharsets.UTF_8),
          str(s, "signature", "")));
    }
    String digest = str(m, "digest", "");
    if (m.containsKey("attestation")) {
      List<CosignSignature> envelopes = new ArrayList<>();
      for (Object o : list(m, "envelopes")) {
        Map<?, ?> e = (Map<?, ?>) o;
        envelopes.add(new CosignSignature(str(e, "where", "tag"), str(e, "envelope", "").getBytes(StandardCharsets.UTF_8),
            ""));
      }
      String type = str(m, "attestation", "");
      return new SignatureFact(str(m, "name", ""), digest, str(m, "policy", "provenance"),
          keys.stream().map(TrustedKey::name).toList(),
          AttestationCheck.verify(digest, envelopes, keys, type, strings(m, "builders")), type);
    }
    return new SignatureFact(str(m, "name", ""), digest, str(m, "policy", ImagePolicy.CLI_KEYS),
        keys.stream().map(TrustedKey::name).toList(), SignatureCheck.verify(digest, found, keys));
  }

  private static List<String> strings(Map<?, ?> m, String key) {
    return list(m, key).stream().map(String::valueOf).toList();
  }

  private static Instant day(Map<?, ?> m, String key) {
    return LocalDate.parse(str(m, key, "2026-01-01")).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  private static String str(Map<?, ?> m, String key, String dflt) {
    Object v = m.get(key);
    return v == null ? dflt : String.valueOf(v);
  }

  private static List<?> list(Map<?, ?> m, String key) {
    return m.get(key) instanceof List<?> l ? l : List.of();
  }
}
