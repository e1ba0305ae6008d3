package dev.kapas.serve;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Built-in sample AdmissionReviews that kapas serve judges before it says it is ready: a
 * privileged Pod, a compliant Pod, a Deployment and a Service, as the API server sends them.
 * Judging them a few thousand times lets the JIT compile the judging path (reading the request,
 * the rules, the policy, writing the answer) before real requests arrive; without it the first
 * minute of traffic ran beside the compiler on a 2-core node, with a p99 over 10 ms at 200
 * requests/s (bench/README.md, "kapas serve").
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
