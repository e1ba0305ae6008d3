package dev.kapas.source.probe;

import dev.kapas.model.Fact;
import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;
import java.util.List;

/**
 * What a web endpoint the user named ({@code kapas probe --http URL}) answered to one plain
 * {@code GET}, and for HTTPS what its TLS offered.
 *
 * @param url the URL as asked
 * @param host the host part, for the certificate name check
 * @param https whether the URL is HTTPS
 * @param answer the answer to {@code GET url}
 * @param certificates the leaf certificate presented (empty for HTTP)
 * @param protocols each TLS version tried and whether the server accepted it
 */
public record HttpEndpoint(String url, String host, boolean https, HttpAnswer answer, List<CertInfo> certificates,
    List<TlsVersion> protocols) implements Fact {

  public HttpEndpoint {
    certificates = List.copyOf(certificates);
    protocols = List.copyOf(protocols);
  }

  /**
   * One protocol version tried.
   *
   * @param name {@code TLSv1}, {@code TLSv1.1}, {@code TLSv1.2}, {@code TLSv1.3}
   * @param accepted the server completed a handshake (or answered a ClientHello) at this version
   * @param how how it was tried, or why it could not be
   */
  public record TlsVersion(String name, Outcome accepted, String how) {}

  /** Whether a version was accepted, refused, or could not be tried from here. */
  public enum Outcome { ACCEPTED, REFUSED, UNTESTED }

  @Override
  public ObjectRef ref() {
    return new ObjectRef("", "URL", "", url);
  }

  @Override
  public Origin origin() {
    return new Origin(url, 0, 0, 0);
  }
}
