package dev.kapas.serve;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Built-in sample AdmissionReviews that kapas serve judges before it says it is ready: a
 * privileged Pod, a compliant Pod, a Deployment and a Service, as the API server sends them.
 * Judging them a few thousand times lets the JIT compile the judging path (reading the request,
 * the rules, the policy, writing the answer) before real requests arrive; without it the first
 * minute of traffic ran beside the compiler on a 2-core node, with a p99 over 10 ms at 200
 * requests/s (bench/README.md, "kapas serve"). Then some of them go through the server's own
 * HTTPS listener over loopback ({@link #overHttps}), for the TLS and HTTP code the samples skip.
 */
final class WarmUp {
  /** The namespace the samples are in; a cluster without it judges them in the default mode. */
  static final String NAMESPACE = "kapas-warm-up";

  private record Sample(String group, String version, String kind, String object) {}

  private static final List<Sample> SAMPLES = List.of(
      new Sample("", "v1", "Pod", """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"privileged","labels":{"app":"web"}},"spec":{"containers":[
       {"name":"web","image":"nginx:1.25","securityContext":{"privileged":true},"ports":[{"containerPort":80}]}]}}"""),
      new Sample("", "v1", "Pod", """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"compliant","labels":{"app":"api"}},"spec":{
       "automountServiceAccountToken":false,"serviceAccountName":"api","securityContext":{"runAsNonRoot":true,
       "runAsUser":10001,"seccompProfile":{"type":"RuntimeDefault"}},"containers":[{"name":"api",
       "image":"registry.example.com/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
       "securityContext":{"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}},
       "resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"200m","memory":"128Mi"}}}]}}"""),
      new Sample("apps", "v1", "Deployment", """
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"shop"},"spec":{"replicas":2,
       "selector":{"matchLabels":{"app":"shop"}},"template":{"metadata":{"labels":{"app":"shop"}},"spec":{
       "hostNetwork":true,"volumes":[{"name":"host","hostPath":{"path":"/var/run"}}],"containers":[{"name":"shop",
       "image":"shop:latest","securityContext":{"capabilities":{"add":["NET_ADMIN"]}},
       "volumeMounts":[{"name":"host","mountPath":"/host"}],"env":[{"name":"PASSWORD","value":"x"}]}]}}}}"""),
      new Sample("", "v1", "Service", """
      {"apiVersion":"v1","kind":"Service","metadata":{"name":"shop"},"spec":{"type":"NodePort",
       "selector":{"app":"shop"},"ports":[{"port":80,"targetPort":8080,"nodePort":30080}]}}"""));

  private WarmUp() {}

  /** What a warm-up did. */
  record Result(int requests, int denied, Duration took) {}

  /** The samples as AdmissionReview v1 requests (CREATE, in {@link #NAMESPACE}). */
  static List<byte[]> reviews() {
    return SAMPLES.stream().map(s -> """
          {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"kapas-warm-up",
           "kind":{"group":"%s","version":"%s","kind":"%s"},"namespace":"%s","operation":"CREATE",
           "userInfo":{"username":"kapas-warm-up"},"object":%s,"dryRun":true}}"""
        .formatted(s.group(), s.version(), s.kind(), NAMESPACE, s.object()).getBytes(StandardCharsets.UTF_8)).toList();
  }

  /**
   * Judges the samples in turn, {@code requests} times, then on in rounds of {@link #ROUND} while
   * the JIT is still busy (it compiled for more than a fifth of the last round's time), up to four
   * times {@code requests}; fewer if {@code stop} says so. The compiler's queue lags behind the
   * requests, and what it compiles after the pod is ready runs beside real requests on the same
   * cores.
   *
   * @throws Webhook.BadReview a sample is not a review the webhook reads (a bug)
   */
  static Result run(Webhook webhook, int requests, BooleanSupplier stop) throws Webhook.BadReview {
    long start = System.nanoTime();
    List<byte[]> reviews = reviews();
    byte[] deny = "\"allowed\":false".getBytes(StandardCharsets.UTF_8);
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
    int done = 0;
    int denied = 0;
    int until = requests;
    long roundStart = System.nanoTime();
    long jitAtRoundStart = timed ? jit.getTotalCompilationTime() : 0;
    while (done < until && !stop.getAsBoolean()) {
      if (contains(webhook.review(reviews.get(done % reviews.size())), deny)) {
        denied++;
      }
      done++;
      if (done == until && timed && until + ROUND <= 4L * requests) {
        long now = System.nanoTime();
        long jitNow = jit.getTotalCompilationTime();
        if ((jitNow - jitAtRoundStart) * 5 > (now - roundStart) / 1_000_000) {
          until += ROUND;
        }
        roundStart = now;
        jitAtRoundStart = jitNow;
      }
    }
    return new Result(done, denied, Duration.ofNanos(System.nanoTime() - start));
  }

  /** Requests judged at a time once the given number is done, while the JIT is busy. */
  static final int ROUND = 250;

  /** The header that marks a warm-up request sent over HTTPS; its value is the server's own random token. */
  static final String HEADER = "Kapas-Warm-Up";
  /** Connections the HTTPS warm-up sends on at once, each kept alive, as the API server does. */
  static final int CONNECTIONS = 4;
  /** How long one HTTPS warm-up request (connecting and the TLS handshake included) may take. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

  /** What the HTTPS warm-up did; {@code failure} is empty when every request was answered. */
  record OverHttps(int requests, Duration took, Optional<String> failure) {}

  /**
   * Posts the samples to {@code target} (the server's own listener) over HTTPS, {@code requests}
   * times in all on {@link #CONNECTIONS} kept-alive connections, within {@code budget}, so that the
   * JIT compiles the TLS ciphers and the HTTP server's exchange path too. Trusts exactly {@code
   * served}, the server's own certificate (which names the service, not the loopback address, so no
   * host name is checked). Each request carries {@link #HEADER} with {@code token}. Stops at the
   * first request that fails or is not answered 200, and says why.
   */
  static OverHttps overHttps(InetSocketAddress target, X509Certificate served, String token, int requests,
      Duration budget, BooleanSupplier stop) {
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    List<byte[]> reviews = reviews();
    URI uri = URI.create("https://" + (target.getAddress() instanceof java.net.Inet6Address
        ? "[" + target.getAddress().getHostAddress() + "]" : target.getAddress().getHostAddress())
        + ":" + target.getPort() + "/validate");
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    AtomicReference<String> failure = new AtomicReference<>();
    HttpClient client;
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {new Pinned(served)}, null);
      client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(REQUEST_TIMEOUT).build();
    } catch (java.security.GeneralSecurityException e) {
      return new OverHttps(0, Duration.ofNanos(System.nanoTime() - start), Optional.of(e.toString()));
    }
    Runnable connection = () -> {
      int n;
      while (failure.get() == null && !stop.getAsBoolean() && System.nanoTime() < deadline
          && (n = sent.getAndIncrement()) < requests) {
        try {
          HttpResponse<Void> r = client.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
              .header("Content-Type", "application/json").header(HEADER, token)
              .POST(HttpRequest.BodyPublishers.ofByteArray(reviews.get(n % reviews.size()))).build(),
              HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() != 200) {
            failure.compareAndSet(null, "answered " + r.statusCode());
          } else {
            answered.incrementAndGet();
          }
        } catch (java.io.IOException e) {
          failure.compareAndSet(null, e.toString());
        } catch (InterruptedException e) {
          failure.compareAndSet(null, "interrupted");
          Thread.currentThread().interrupt();
        }
      }
    };
    List<Thread> threads = new java.util.ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      Thread t = new Thread(connection, "kapas-serve-warm-up-https-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure.compareAndSet(null, "interrupted");
        break;
      }
    }
    if (client instanceof AutoCloseable closeable) {  // Java 21 and later: its threads and connections go now
      try {
        closeable.close();
      } catch (Exception e) {
        // nothing more to do: the connections idle out
      }
    }
    return new OverHttps(answered.get(), Duration.ofNanos(System.nanoTime() - start), Optional.ofNullable(failure.get()));
  }

  /** Trusts exactly one certificate as a server's, whatever name it has. */
  private static final class Pinned extends X509ExtendedTrustManager {
    private final X509Certificate trusted;

    Pinned(X509Certificate trusted) {
      this.trusted = trusted;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      if (chain == null || chain.length == 0 || !chain[0].equals(trusted)) {
        throw new CertificateException("the listener served another certificate than kapas serve's own");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
