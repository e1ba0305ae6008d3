package dev.kapas.source.probe;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Connections and one-shot HTTP/1.1 exchanges for probing, with exact control over timeouts.
 * TLS trusts every certificate: a probe must see what a server presents, never to send it
 * anything secret (no credentials are ever sent). It also notes whether the server asked for a
 * client certificate, which is how an etcd or kubelet that requires one shows itself.
 */
final class Wire {
  private static final int MAX_BODY = 8 * 1024;
  /** The path whose answer is kept as its metric families ({@code # TYPE} lines), not its start. */
  static final String METRICS = "/metrics";
  private static final long MAX_METRICS_SCAN = 16L * 1024 * 1024;
  private static final int MAX_METRIC_TYPES = 64 * 1024;
  private static final int MAX_HEAD = 16 * 1024;
  private final int timeoutMillis;
  private final SSLContext tls;
  /** Sockets whose server sent a CertificateRequest; weak so finished probes are forgotten. */
  private final Set<Socket> askedForClientCert = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /** Host names resolved once, before probing (a name is not looked up again per port). */
  private final Map<String, InetAddress> addresses;

  /** CA certificates the user trusts besides the JDK's ({@code --cacert}), for {@link CertInfo#trusted()}. */
  private final List<X509Certificate> trusted;

  Wire(Duration timeout, Map<String, InetAddress> addresses, List<X509Certificate> trusted) {
    this.addresses = Map.copyOf(addresses);
    this.trusted = List.copyOf(trusted);
    this.timeoutMillis = (int) Math.max(1, timeout.toMillis());
    try {
      tls = SSLContext.getInstance("TLS");
      tls.init(new KeyManager[] {new NoClientCert()}, new TrustManager[] {new TrustAll()}, new SecureRandom());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no TLS", e);
    }
  }

  /** The leaf certificate a server presented on {@code s}, as a probe records it. */
  List<CertInfo> certificates(SSLSocket s) {
    return Certificates.of(s.getSession(), trusted);
  }

  int timeoutMillis() {
    return timeoutMillis;
  }

  /** How a TCP connect ended. */
  enum Connect { OPEN, CLOSED, FILTERED }

  /** A connected socket, or why there is none. */
  record Opened(Connect state, Socket socket, String reason) {}

  Opened connect(String host, int port) {
    Socket s = new Socket();
    try {
      InetAddress address = addresses.get(host);
      s.connect(address != null ? new InetSocketAddress(address, port) : new InetSocketAddress(host, port), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      s.setTcpNoDelay(true);
      return new Opened(Connect.OPEN, s, "");
    } catch (ConnectException e) {
      close(s);
      return new Opened(Connect.CLOSED, s, "connection refused");
    } catch (SocketTimeoutException e) {
      close(s);
      return new Opened(Connect.FILTERED, s, "no answer within " + timeoutMillis + " ms");
    } catch (UnknownHostException e) {
      close(s);
      return new Opened(Connect.FILTERED, s, "the host name does not resolve");
    } catch (NoRouteToHostException e) {
      close(s);
      return new Opened(Connect.FILTERED, s, "no route to host");
    } catch (IOException e) {
      close(s);
      return new Opened(Connect.FILTERED, s, String.valueOf(e.getMessage()));
    }
  }

  /** Wraps a connected socket in TLS and completes the handshake (SNI for host names). */
  SSLSocket handshake(Socket plain, String host, int port, String... protocols) throws IOException {
    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
    s.setSoTimeout(timeoutMillis);
    if (protocols.length > 0) {
      s.setEnabledProtocols(protocols);
    }
    s.startHandshake();
    return s;
  }

  boolean serverAskedForClientCert(Socket s) {
    return askedForClientCert.contains(s);
  }

  /** Sends one request with {@code Connection: close} and reads the answer. */
  HttpAnswer exchange(Socket s, String method, String url, String hostHeader, String path, String jsonBody) {
    try {
      StringBuilder req = new StringBuilder()
          .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
          .append("Host: ").append(hostHeader).append("\r\n")
          .append("User-Agent: kapas-probe\r\n")
          .append("Accept: application/json, */*\r\n")
          .append("Connection: close\r\n");
      byte[] body = jsonBody.getBytes(StandardCharsets.UTF_8);
      if (!jsonBody.isEmpty()) {
        req.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return read(new BufferedInputStream(s.getInputStream()), method, url, path.equals(METRICS));
    } catch (SSLException e) {
      return HttpAnswer.failed(method, url, "TLS: " + tlsReason(e));
    } catch (SocketTimeoutException e) {
      return HttpAnswer.failed(method, url, "no answer within " + timeoutMillis + " ms");
    } catch (IOException e) {
      return HttpAnswer.failed(method, url, "connection failed: " + e.getMessage());
    }
  }

  private static HttpAnswer read(InputStream in, String method, String url, boolean metrics) throws IOException {
    String head = readHead(in);
    if (head.isEmpty()) {
      return HttpAnswer.failed(method, url, "connection closed without an answer");
    }
    String[] lines = head.split("\r\n");
    String statusLine = lines[0];
    String[] parts = statusLine.split(" ", 3);
    if (!parts[0].startsWith("HTTP/") || parts.length < 2 || !parts[1].matches("\\d{3}")) {
      return HttpAnswer.failed(method, url, "not HTTP: " + printable(statusLine));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    InputStream body;
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      body = new Dechunked(in);
    } else {
      long length = parseLong(headers.getOrDefault("content-length", "-1"));
      body = length < 0 ? in : new Limited(in, length);
    }
    int status = Integer.parseInt(parts[1]);
    String text = metrics && status == 200 ? metricTypes(body) : readBody(body, MAX_BODY);
    return new HttpAnswer(method, url, status, statusLine, headers, text);
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while (buf.size() < MAX_HEAD && (b = in.read()) >= 0) {
      buf.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
      if (matched == 4) {
        break;
      }
    }
    String head = buf.toString(StandardCharsets.ISO_8859_1);
    return head.endsWith("\r\n\r\n") ? head.substring(0, head.length() - 4) : head;
  }

  private static String readBody(InputStream in, int max) throws IOException {
    byte[] buf = new byte[max];
    int n = 0;
    try {
      int r;
      while (n < max && (r = in.read(buf, n, max - n)) > 0) {
        n += r;
      }
    } catch (SocketTimeoutException e) {
      // a server that keeps the connection open after the body: what came is enough
    }
    return new String(buf, 0, n, StandardCharsets.UTF_8);
  }

  /**
   * The {@code # TYPE} lines of a Prometheus text answer: the metric families a component
   * exports tell it apart, and they sort anywhere in a body of megabytes. Reads at most
   * {@link #MAX_METRICS_SCAN} bytes, line by line, and keeps no sample values.
   */
  private static String metricTypes(InputStream in) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder();
    long read = 0;
    try {
      String line;
      while (read < MAX_METRICS_SCAN && (line = lines.readLine()) != null) {
        read += line.length() + 1;
        if (line.startsWith("# TYPE ") && out.length() + line.length() < MAX_METRIC_TYPES) {
          out.append(printable(line)).append('\n');
        }
      }
    } catch (SocketTimeoutException e) {
      // the families seen so far
    }
    return out.toString();
  }

  /** At most {@code left} bytes of {@code in}: a body with a Content-Length. */
  private static final class Limited extends FilterInputStream {
    private long left;

    Limited(InputStream in, long left) {
      super(in);
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      left = b < 0 ? 0 : left - 1;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      left = n < 0 ? 0 : left - n;
      return n;
    }
  }

  /** The body of a chunked answer (chunk extensions and trailers ignored). */
  private static final class Dechunked extends InputStream {
    private final InputStream in;
    private long left;
    private boolean started;
    private boolean done;

    Dechunked(InputStream in) {
      this.in = in;
    }

    private boolean next() throws IOException {
      if (started) {
        readLine(in); // the CRLF after the previous chunk
      }
      started = true;
      String sizeLine = readLine(in);
      int semi = sizeLine.indexOf(';');
      left = parseHex(semi < 0 ? sizeLine.trim() : sizeLine.substring(0, semi).trim());
      done = left <= 0;
      return !done;
    }

    @Override
    public int read() throws IOException {
      if (done || (left == 0 && !next())) {
        return -1;
      }
      int b = in.read();
      if (b < 0) {
        done = true;
        return -1;
      }
      left--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (done || (left == 0 && !next())) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        done = true;
        return -1;
      }
      left -= n;
      return n;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n' && sb.length() < 1024) {
      if (b != '\r') {
        sb.append((char) b);
      }
    }
    return sb.toString();
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long parseHex(String s) {
    try {
      return Long.parseLong(s, 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Control characters and non-ASCII shown as {@code ?}: answers come from untrusted servers. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
      if (sb.length() >= 200) {
        sb.append("...");
        break;
      }
    }
    return sb.toString();
  }

  /** A TLS failure in a few words: the alert name when the server sent one. */
  static String tlsReason(SSLException e) {
    String m = String.valueOf(e.getMessage());
    int alert = m.indexOf("Received fatal alert: ");
    return alert >= 0 ? "server sent alert " + m.substring(alert + 22).trim() : m;
  }

  static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing more to learn from this connection
    }
  }

  /** Presents no client certificate, and remembers which servers asked for one. */
  private final class NoClientCert extends X509ExtendedKeyManager {
    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      if (socket != null) {
        askedForClientCert.add(socket);
      }
      return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[0];
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return new String[0];
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return new X509Certificate[0];
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return null;
    }
  }

  /** Accepts every server certificate: probing records certificates, it does not rely on them. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
