package dev.kapas.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The JDK's exceptions, as a user reads them: words, never a class name. */
class FailuresTest {

  @Test
  void aRefusedConnectionOfTheJdkHttpClientIsSaidInWords() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      port = s.getLocalPort();
    } // closed: nothing listens on the port any more
    HttpClient http = HttpClient.newHttpClient();
    Throwable failure = null;
    try {
      http.sendAsync(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/version")).build(),
          HttpResponse.BodyHandlers.ofString()).get();
    } catch (ExecutionException e) {
      failure = e;
    }
    assertThat(failure).isNotNull();
    assertThat(Failures.describe(failure)).startsWith("connection refused").doesNotContain("Exception");
  }

  @Test
  void exceptionsWithoutMessageAreWordsNotClassNames() {
    assertThat(Failures.describe(new IOException("wrapped", new ClosedChannelException())))
        .isEqualTo("connection refused or closed by the server");
    assertThat(Failures.describe(new java.net.ConnectException())).isEqualTo("connection refused");
    assertThat(Failures.describe(new IllegalStateException())).isEqualTo("illegal state");
    assertThat(Failures.describe(new IOException("disk on fire"))).isEqualTo("disk on fire");
  }
}
