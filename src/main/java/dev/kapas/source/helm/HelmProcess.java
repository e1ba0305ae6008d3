package dev.kapas.source.helm;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link HelmRenderer} in a child JVM and bounds it. Helm's Go runtime, once loaded, keeps
 * SIGINT and SIGTERM for itself and a template cannot be interrupted; a child process can be
 * killed: when the render exceeds its time limit, when the child's memory passes {@link
 * #MAX_RSS_BYTES} (a template looping a hundred million times builds its output in memory long
 * before it returns), and when kapas itself is stopped (a shutdown hook). The child also ends on
 * its own when its stdin closes, so not even a SIGKILL of kapas leaves it running.
 */
final class HelmProcess {
  /** Resident memory a render may use, Helm's and the child JVM's together. */
  static final long MAX_RSS_BYTES = 1536L << 20;
  private static final String CHILD_HEAP = "-Xmx512m";
  private static final long POLL_MILLIS = 50;

  /** Helm refused the chart, or the render was stopped; the message says which. */
  static final class RenderException extends Exception {
    RenderException(String message) {
      super(message);
    }
  }

  private HelmProcess() {}

  static String tooLarge(long maxChars) {
    return "the rendered manifests exceed " + (maxChars >> 20) + " MiB; a template that loops too long?";
  }

  /** Renders the staged chart in {@code work} (a scratch directory the outcome file is written to). */
  static String render(HelmRenderer.Request request, Duration timeout, Path work) throws RenderException {
    Path outcome = work.resolve("outcome");
    Path log = work.resolve("helm.log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        CHILD_HEAP, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"),
        HelmRenderer.class.getName(), outcome.toString()));
    Process child;
    try {
      // Go's log lines (and anything else the library prints) go to a file, never to the terminal.
      child = new ProcessBuilder(command).redirectOutput(log.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new RenderException("cannot start the Helm renderer: " + e.getMessage());
    }
    Thread killer = new Thread(child::destroyForcibly, "kapas-helm-stop");
    Runtime.getRuntime().addShutdownHook(killer);
    try {
      send(child, request);
      waitBounded(child, timeout);
    } finally {
      child.destroyForcibly();
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it kills what is already dead
      }
    }
    return read(outcome, log);
  }

  private static void send(Process child, HelmRenderer.Request request) throws RenderException {
    try {
      OutputStream in = child.getOutputStream();
      in.write((String.join("\n", request.lines()) + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
      // left open: the child ends when it closes
    } catch (IOException e) {
      throw new RenderException("the Helm renderer ended before it was asked anything");
    }
  }

  private static void waitBounded(Process child, Duration timeout) throws RenderException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!child.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        if (System.nanoTime() > deadline) {
          child.destroyForcibly();
          throw new RenderException("rendering took longer than " + timeout.toSeconds()
              + " s and was stopped (--render-timeout); a template that loops too long?");
        }
        if (residentBytes(child) > MAX_RSS_BYTES) {
          child.destroyForcibly();
          throw new RenderException("rendering used more than " + (MAX_RSS_BYTES >> 20)
              + " MiB of memory and was stopped; a template that loops too long?");
        }
      }
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new RenderException("rendering was interrupted");
    }
  }

  /** The child's resident set size from /proc (Linux); 0 where there is none to read. */
  private static long residentBytes(Process child) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(child.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | UncheckedIOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  private static String read(Path outcome, Path log) throws RenderException {
    String text;
    try {
      text = Files.readString(outcome, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RenderException("the Helm renderer stopped without an answer" + lastLine(log));
    }
    int newline = text.indexOf('\n');
    String status = newline < 0 ? text : text.substring(0, newline);
    String body = newline < 0 ? "" : text.substring(newline + 1);
    if (status.equals(HelmRenderer.OK)) {
      return body;
    }
    throw new RenderException(body);
  }

  /** The child's last line of output, for a crash; Go's log prefix (date, time) dropped. */
  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank()).toList();
      if (lines.isEmpty()) {
        return "";
      }
      String last = lines.get(lines.size() - 1).replaceFirst("^\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d ", "");
      return ": " + (last.length() > 300 ? last.substring(0, 300) + "…" : last);
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }
}
