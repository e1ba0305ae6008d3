package dev.kapas.source;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import javax.net.ssl.SSLHandshakeException;

/**
 * A failed read or connection said in words a user knows: the JDK's exceptions often carry no
 * message ({@code ClosedChannelException}), or only a path, and a class name is no explanation.
 */
public final class Failures {
  private Failures() {}

  /** One line for {@code t}, from its innermost cause: "connection refused", "permission denied". */
  public static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("").strip();
    if (root instanceof ConnectException || root instanceof HttpConnectTimeoutException) {
      return root instanceof HttpConnectTimeoutException ? "connection timed out" : "connection refused";
    }
    if (root instanceof ClosedChannelException) {
      // what the JDK's HTTP client reports when the server refuses or drops the connection
      return "connection refused or closed by the server";
    }
    if (root instanceof EOFException) {
      return "the connection closed before an answer";
    }
    if (root instanceof UnknownHostException) {
      return "unknown host" + (m.isEmpty() ? "" : " " + m.replaceFirst(":.*", ""));
    }
    if (root instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (root instanceof SocketTimeoutException || root instanceof HttpTimeoutException) {
      return "no answer in time";
    }
    if (root instanceof SSLHandshakeException) {
      return "TLS handshake failed" + (m.isEmpty() ? "" : ": " + m);
    }
    if (root instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (root instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    return m.isEmpty() ? words(root.getClass().getSimpleName()) : m;
  }

  /** {@code IllegalStateException} as "illegal state": a last resort, still no class name. */
  static String words(String className) {
    String bare = className.replaceFirst("(Exception|Error)$", "");
    return bare.isEmpty() ? "failed" : bare.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
  }
}
