package dev.kapas.source.probe;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request kapas sent without credentials and what came back.
 *
 * @param method {@code GET} or {@code POST}
 * @param url the full URL asked for
 * @param status the HTTP status code, 0 when no HTTP answer came (then {@code statusLine} says why)
 * @param statusLine the status line as received ({@code HTTP/1.1 200 OK}) or the failure
 * @param headers response headers, names in lower case (the last one wins when repeated)
 * @param body the start of the body (a few KiB at most), for identifying the component; for a
 *     {@code 200} answer to {@code GET /metrics}, its {@code # TYPE} lines (the metric families)
 */
public record HttpAnswer(String method, String url, int status, String statusLine, Map<String, String> headers,
    String body) {

  public HttpAnswer {
    headers = Map.copyOf(headers);
  }

  public static HttpAnswer failed(String method, String url, String why) {
    return new HttpAnswer(method, url, 0, why, Map.of(), "");
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  public boolean ok() {
    return status == 200;
  }

  /** The request path: {@code /api/v1/namespaces}. */
  public String path() {
    int scheme = url.indexOf("://");
    int slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
    return slash < 0 ? "/" : url.substring(slash);
  }

  /** What a finding shows: {@code GET https://10.0.0.1:6443/version -> HTTP/1.1 200 OK}. */
  public String evidence() {
    return method + " " + url + " -> " + statusLine;
  }

  /** Whether the body is a Kubernetes API object of this kind ({@code "kind":"PodList"}). */
  boolean bodyHasKind(String kind) {
    return body.replace(" ", "").contains("\"kind\":\"" + kind + "\"");
  }
}
