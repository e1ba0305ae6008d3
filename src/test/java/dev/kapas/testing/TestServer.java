package dev.kapas.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a real server it needs (etcd, sshd, nginx, kube-apiserver) is not there.
 * Tests never install anything: {@code .ci/run} does ({@code scripts/test-servers.sh install}, the
 * Kubernetes build). In CI ({@code CI=true}) a missing server fails the test, so that a broken
 * install cannot leave CI green with tests skipped; elsewhere the test is skipped, and the reason
 * is printed on the console too (Maven's summary counts skips but does not say why).
 */
public final class TestServer {
  private TestServer() {}

  /** Fails in CI, else skips, with {@code reason}, unless {@code present}. */
  public static void require(boolean present, String reason) {
    require(present, reason, System.getenv());
  }

  static void require(boolean present, String reason, java.util.Map<String, String> environment) {
    if (present) {
      return;
    }
    if ("true".equalsIgnoreCase(environment.get("CI"))) {
      Assertions.fail("CI=true and a test server is missing: " + reason);
    }
    System.err.println("[kapas tests] SKIPPED: " + reason);
    Assumptions.abort(reason);
  }
}
