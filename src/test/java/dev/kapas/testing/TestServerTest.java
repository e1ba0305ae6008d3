package dev.kapas.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class TestServerTest {

  @Test
  void aMissingServerFailsInCiAndIsSkippedElsewhere() {
    assertThatThrownBy(() -> TestServer.require(false, "etcd missing", Map.of("CI", "true")))
        .isInstanceOf(AssertionFailedError.class).hasMessageContaining("etcd missing");
    assertThatThrownBy(() -> TestServer.require(false, "etcd missing", Map.of()))
        .isInstanceOf(TestAbortedException.class).hasMessageContaining("etcd missing");
    assertThatCode(() -> TestServer.require(true, "etcd missing", Map.of("CI", "true"))).doesNotThrowAnyException();
  }
}
