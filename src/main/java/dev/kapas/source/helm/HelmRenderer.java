package dev.kapas.source.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The only class that touches helm-java, and it runs only in the child process {@link
 * HelmProcess} starts: Helm's native library takes over the process's SIGINT and SIGTERM and
 * cannot be interrupted, so it must never be loaded into kapas itself.
 *
 * <p>Protocol: the request comes on stdin (one {@code key value} line each, then {@code end}),
 * since values given with --set may be secrets that a command line would show to every user of
 * the machine. The outcome goes to the file named by the only argument: {@code ok} and the
 * rendered manifests, or {@code error} and Helm's message. After the request, stdin stays open:
 * when it closes, kapas has gone, and so does this process.
 */
public final class HelmRenderer {
  static final String OK = "ok";
  static final String ERROR = "error";
  /** A rendered document of kind Secret; only then is the chart rendered a second time. */
  private static final Pattern SECRET = Pattern.compile("(?m)^kind:\\s*[\"']?Secret[\"']?\\s*$");

  private HelmRenderer() {}

  /** A render, as the parent asks for it. */
  record Request(Path chart, String release, String namespace, String kubeVersion, List<Path> valuesFiles,
      List<String> set, long maxOutputChars) {

    List<String> lines() {
      List<String> out = new ArrayList<>();
      out.add("chart " + chart);
      out.add("release " + release);
      out.add("namespace " + namespace);
      out.add("kubeVersion " + kubeVersion);
      out.add("maxOutputChars " + maxOutputChars);
      valuesFiles.forEach(f -> out.add("values " + f));
      set.forEach(s -> out.add("set " + s.replace("\\", "\\\\").replace("\n", "\\n")));
      out.add("end");
      return out;
    }

    static Request read(BufferedReader in) throws IOException {
      Path chart = null;
      String release = HelmOptions.DEFAULT_RELEASE;
      String namespace = HelmOptions.DEFAULT_NAMESPACE;
      String kubeVersion = "";
      long max = Long.MAX_VALUE;
      List<Path> values = new ArrayList<>();
      List<String> set = new ArrayList<>();
      for (String line = in.readLine(); line != null && !line.equals("end"); line = in.readLine()) {
        int space = line.indexOf(' ');
        String key = space < 0 ? line : line.substring(0, space);
        String value = space < 0 ? "" : line.substring(space + 1);
        switch (key) {
          case "chart" -> chart = Path.of(value);
          case "release" -> release = value;
          case "namespace" -> namespace = value;
          case "kubeVersion" -> kubeVersion = value;
          case "maxOutputChars" -> max = Long.parseLong(value);
          case "values" -> values.add(Path.of(value));
          case "set" -> set.add(unescape(value));
          default -> throw new IOException("unknown request line: " + key);
        }
      }
      if (chart == null) {
        throw new IOException("the request names no chart");
      }
      return new Request(chart, release, namespace, kubeVersion, values, set, max);
    }

    private static String unescape(String s) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\' && i + 1 < s.length()) {
          char next = s.charAt(++i);
          sb.append(next == 'n' ? '\n' : next);
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }
  }

  public static void main(String[] args) throws IOException {
    Path outcome = Path.of(args[0]);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Request request = Request.read(in);
    Thread watch = new Thread(() -> exitWhenClosed(System.in), "kapas-parent-watch");
    watch.setDaemon(true);
    watch.start();
    String result;
    try {
      String manifests = template(request);
      result = manifests.length() > request.maxOutputChars()
          ? ERROR + "\n" + HelmProcess.tooLarge(request.maxOutputChars())
          : OK + "\n" + manifests;
    } catch (RuntimeException | LinkageError e) {
      result = ERROR + "\n" + clean(e.getMessage());
    }
    if (result.startsWith(OK) && SECRET.matcher(result).find()) {
      // a second render tells the values the chart generates (randAlphaNum, genPrivateKey ...)
      // from those it was given: they differ between the two
      try {
        Files.writeString(again(outcome), template(request), StandardCharsets.UTF_8);
      } catch (RuntimeException | LinkageError | IOException e) {
        // without it, every value counts as given
      }
    }
    Path partial = outcome.resolveSibling(outcome.getFileName() + ".part");
    Files.writeString(partial, result, StandardCharsets.UTF_8);
    Files.move(partial, outcome);
    // Helm's Go threads would keep the JVM alive; nothing is left to do.
    Runtime.getRuntime().halt(0);
  }

  private static void exitWhenClosed(InputStream in) {
    try {
      while (in.read() >= 0) {
        // the parent writes nothing more; reading only notices when it is gone
      }
    } catch (IOException e) {
      // gone all the same
    }
    Runtime.getRuntime().halt(1);
  }

  /** Where the child writes its second render, beside the outcome, before the outcome is written. */
  static Path again(Path outcome) {
    return outcome.resolveSibling(outcome.getFileName() + ".again");
  }

  /** {@code helm template} of a staged chart (see {@link ChartStaging}), hooks included. */
  private static String template(Request request) {
    TemplateCommand command = new Helm(request.chart()).template()
        .withName(request.release())
        .withNamespace(request.namespace())
        .withKubeVersion(request.kubeVersion());
    for (Path file : request.valuesFiles()) {
      command = command.withValuesFile(file);
    }
    for (String pair : request.set()) {
      int eq = pair.indexOf('=');
      command = command.set(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return command.call();
  }

  /** Drops Helm's CLI advice ("Use --debug flag ..."), which means nothing to a kapas user. */
  static String clean(String message) {
    if (message == null || message.isBlank()) {
      return "Helm failed without a message";
    }
    StringBuilder sb = new StringBuilder();
    for (String line : message.strip().split("\n")) {
      if (line.isBlank() || line.contains("--debug") || line.equals("---")) {
        continue;
      }
      sb.append(sb.length() == 0 ? "" : "; ").append(line.strip());
    }
    return sb.toString();
  }
}
