package dev.kapas.source.node;

import dev.kapas.model.Diagnostic;
import dev.kapas.model.Location;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The kubelet's command line as systemd would start it, for a root with no kubelet process (a
 * copied or mounted node filesystem): kubeadm's drop-in {@code kubelet.service.d/10-kubeadm.conf}
 * ({@code /etc} over {@code /usr/lib}), its {@code Environment=} and {@code EnvironmentFile=} lines
 * (kubeadm's {@code var/lib/kubelet/kubeadm-flags.env}, the packages' {@code etc/default/kubelet} or
 * {@code etc/sysconfig/kubelet}) and its {@code ExecStart=}. Every word keeps the file and line it
 * was written on: a flag from {@code KUBELET_EXTRA_ARGS} points at {@code etc/default/kubelet:1}.
 *
 * <p>As systemd does: {@code $VAR} splits the variable's value into words, {@code ${VAR}} keeps it
 * one word; a variable from an environment file overrides one from {@code Environment=}; the last
 * {@code ExecStart=} after an empty one counts. Without the drop-in, kubeadm's environment files are
 * read in the order kubeadm's drop-in names them, with its {@code ExecStart}.
 */
final class KubeletUnit {
  static final List<String> DROP_INS = List.of(
      "etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
      "usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf",
      "lib/systemd/system/kubelet.service.d/10-kubeadm.conf");
  static final String KUBEADM_FLAGS = "/var/lib/kubelet/kubeadm-flags.env";
  private static final List<String> DEFAULT_ENV_FILES = List.of(KUBEADM_FLAGS, "/etc/default/kubelet", "/etc/sysconfig/kubelet");
  private static final String DEFAULT_EXEC =
      "/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS";

  /**
   * The command line, where it was read, and where a finding about an unset flag points.
   *
   * @param files the files the command line was put together from, as the node names them
   */
  record CommandLine(List<Flags.Word> words, List<String> files, Location anchor) {}

  private record Value(String text, Location at) {}

  private final Function<String, Path> file;
  private final List<Diagnostic> errors;
  private final Map<String, Value> environment = new LinkedHashMap<>();
  private final Map<String, Value> fromFiles = new LinkedHashMap<>();
  private final List<String> files = new ArrayList<>();

  /**
   * @param file a path as the node names it to the path under the root
   * @param errors where an unreadable unit or environment file is reported
   */
  KubeletUnit(Function<String, Path> file, List<Diagnostic> errors) {
    this.file = file;
    this.errors = errors;
  }

  /** The kubelet's command line from its unit files, empty when neither the drop-in nor kubeadm's flags file is there. */
  Optional<CommandLine> read() {
    Optional<String> dropIn = DROP_INS.stream().filter(d -> Files.exists(file.apply("/" + d))).findFirst();
    Value exec = null;
    if (dropIn.isPresent()) {
      Path p = file.apply("/" + dropIn.get());
      files.add("/" + dropIn.get());
      List<Line> lines = lines(p);
      for (Line l : lines) {
        int eq = l.text.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String key = l.text.substring(0, eq).strip();
        String value = l.text.substring(eq + 1).strip();
        Location at = new Location(p.toString(), l.number, eq + 2, "");
        switch (key) {
          case "Environment" -> {
            for (String assignment : words(value)) {
              int e = assignment.indexOf('=');
              if (e > 0) {
                environment.put(assignment.substring(0, e), new Value(assignment.substring(e + 1), at));
              }
            }
          }
          case "EnvironmentFile" -> environmentFile(value.startsWith("-") ? value.substring(1) : value);
          case "ExecStart" -> exec = value.isEmpty() ? null : new Value(value, at);
          default -> { }
        }
      }
    } else {
      if (!Files.exists(file.apply(KUBEADM_FLAGS))) {
        return Optional.empty();
      }
      DEFAULT_ENV_FILES.forEach(this::environmentFile);
    }
    if (exec == null) {
      String anchorFile = files.isEmpty() ? "" : file.apply(files.get(0)).toString();
      exec = new Value(DEFAULT_EXEC, new Location(anchorFile, anchorFile.isEmpty() ? 0 : 1, 1, ""));
    }
    environment.putAll(fromFiles);
    List<Flags.Word> out = new ArrayList<>();
    for (String w : words(exec.text.replaceFirst("^[-@:+!]+", ""))) {
      expand(w, exec.at, out);
    }
    return Optional.of(new CommandLine(out, List.copyOf(files), new Location(exec.at.file(), exec.at.line(), exec.at.column(), "ExecStart")));
  }

  /** One word of ExecStart: a variable becomes its value's words (all of it for {@code ${VAR}}), each where the value was set. */
  private void expand(String word, Location execAt, List<Flags.Word> out) {
    if (word.matches("\\$[A-Za-z_][A-Za-z0-9_]*")) {
      Value v = environment.get(word.substring(1));
      if (v != null) {
        for (String part : v.text.strip().split("\\s+")) {
          if (!part.isEmpty()) {
            out.add(word(part, v.at));
          }
        }
      }
      return;
    }
    if (word.matches("\\$\\{[A-Za-z_][A-Za-z0-9_]*}")) {
      Value v = environment.get(word.substring(2, word.length() - 1));
      if (v != null) {
        out.add(word(v.text, v.at));
      }
      return;
    }
    out.add(word(word, execAt));
  }

  private static Flags.Word word(String text, Location at) {
    return new Flags.Word(text, new Location(at.file(), at.line(), at.column(), ControlPlanePods.flagPath(text)));
  }

  /** {@code KEY=VALUE} lines of an environment file (a missing file is skipped, as with {@code -}). */
  private void environmentFile(String path) {
    Path p = file.apply(path);
    if (!Files.exists(p)) {
      return; // systemd skips a missing file named with `-`, and kubeadm's drop-in names them so
    }
    files.add(path);
    for (Line l : lines(p)) {
      String text = l.text.startsWith("export ") ? l.text.substring(7).strip() : l.text;
      int eq = text.indexOf('=');
      if (eq <= 0 || text.startsWith("#") || text.startsWith(";")) {
        continue;
      }
      String raw = text.substring(eq + 1).strip();
      List<String> value = words(raw);
      // a quoted value ends at its closing quote; what follows it (a comment) is not part of it
      String joined = raw.startsWith("\"") || raw.startsWith("'")
          ? (value.isEmpty() ? "" : value.get(0)) : String.join(" ", value);
      fromFiles.put(text.substring(0, eq).strip(), new Value(joined, new Location(p.toString(), l.number, eq + 2, "")));
    }
  }

  private record Line(String text, int number) {}

  /** Logical lines (a trailing backslash continues a line), comments and blank lines left out. */
  private List<Line> lines(Path p) {
    List<String> raw;
    try {
      raw = Files.isDirectory(p) ? null : Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      errors.add(Diagnostic.ofFile(p.toString(), "cannot read: " + NodeSource.reason(e)));
      return List.of(); // the kubelet is then judged by what else there is
    }
    if (raw == null) {
      errors.add(Diagnostic.ofFile(p.toString(), "cannot read: is a directory"));
      return List.of();
    }
    List<Line> out = new ArrayList<>();
    StringBuilder pending = null;
    int start = 0;
    for (int i = 0; i < raw.size(); i++) {
      String s = raw.get(i).strip();
      if (pending == null && (s.isEmpty() || s.startsWith("#") || s.startsWith(";"))) {
        continue;
      }
      if (pending == null) {
        pending = new StringBuilder();
        start = i + 1;
      }
      boolean more = s.endsWith("\\");
      pending.append(more ? s.substring(0, s.length() - 1) + " " : s);
      if (!more) {
        out.add(new Line(pending.toString().strip(), start));
        pending = null;
      }
    }
    if (pending != null) {
      out.add(new Line(pending.toString().strip(), start));
    }
    return out;
  }

  /** Splits on whitespace outside double or single quotes, which are removed ({@code "A=b c" D=e}). */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
          w.append(text.charAt(++i));
        } else {
          w.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      out.add(w.toString());
    }
    return out;
  }
}
