package dev.kapas.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A fast path for the commonest command line, {@code kapas scan PATH... [options]}: it fills
 * {@link ScanCommand}'s fields (and its mixins') as picocli's parse would, without building
 * picocli's model, whose annotations and reflection cost a short scan about a third of its
 * start-up (bench/README.md, "Start-up"). It understands only plain cases and declines
 * everything else (help, version, errors, unknown or option-like values, {@code @files},
 * {@code --}, the {@code --images} options, an option given twice that picocli allows once), which
 * picocli then parses as before, so messages and behaviour stay picocli's. ScanArgsTest checks
 * on generated command lines that whatever it accepts, picocli parses into the same fields.
 */
final class ScanArgs {
  private ScanArgs() {}

  /** {@code args} parsed into a scan command, or null to let picocli parse them. */
  static ScanCommand parse(String[] args, Env env) {
    if (args.length < 2 || !args[0].equals("scan")) {
      return null;
    }
    ScanCommand scan = new ScanCommand(env);
    Set<String> once = new HashSet<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-") || !arg.isEmpty() && arg.charAt(0) != '-' && arg.charAt(0) != '@') {
        scan.paths.add(arg);
        continue;
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (name.equals("--pss") || name.equals("--no-color") || name.equals("--skip-tests")) {
        if (value != null || !once.add(name)) {
          return null;
        }
        switch (name) {
          case "--pss" -> scan.pssVerdicts = true;
          case "--no-color" -> scan.report.noColor = true;
          default -> scan.chart.skipTests = true;
        }
        continue;
      }
      if (value == null) {
        if (i + 1 == args.length) {
          return null;
        }
        value = args[++i];
      }
      boolean stdout = value.equals("-") && (name.equals("-o") || name.equals("--output"));
      if (!stdout && (value.isEmpty() || value.charAt(0) == '-' || value.charAt(0) == '@' || value.indexOf('"') >= 0)) {
        return null;
      }
      if (!set(scan, name, value, once)) {
        return null;
      }
    }
    return scan.paths.isEmpty() ? null : scan;
  }

  /** Sets option {@code name} to {@code value}; false when this path does not handle it. */
  private static boolean set(ScanCommand scan, String name, String value, Set<String> once) {
    switch (name) {
      case "-f", "--format" -> scan.report.addReportArg(true, value);
      case "-o", "--output" -> scan.report.addReportArg(false, value);
      case "--values" -> {
        return addPath(scan.chart.valuesFiles, value);
      }
      case "--set" -> scan.chart.setValues.add(value);
      case "--rules-dir" -> {
        return addPath(scan.customRules.rulesDirs, value);
      }
      case "--rules" -> {
        if (value.startsWith(",") || value.endsWith(",") || value.contains(",,")) {
          return false;
        }
        scan.onlyRules.addAll(List.of(value.split(",")));
      }
      default -> {
        // the single-valued options: given twice is picocli's error to report
        if (!once.add(longName(name))) {
          return false;
        }
        return setSingle(scan, longName(name), value);
      }
    }
    return true;
  }

  private static boolean setSingle(ScanCommand scan, String name, String value) {
    switch (name) {
      case "--fail-on" -> scan.report.failOn = value;
      case "--config" -> {
        Path path = path(value);
        scan.report.config = path;
        return path != null;
      }
      case "--framework" -> scan.framework = value;
      case "--pss-version" -> scan.pssVersion = value;
      case "--namespace" -> scan.namespace = value;
      case "--release-name" -> scan.chart.releaseName = value;
      case "--kube-version" -> scan.chart.kubeVersion = value;
      case "--render-timeout" -> scan.chart.renderTimeout = value;
      default -> {
        return false;
      }
    }
    return true;
  }

  private static String longName(String name) {
    return switch (name) {
      case "-c" -> "--config";
      case "-n" -> "--namespace";
      default -> name;
    };
  }

  private static boolean addPath(List<Path> paths, String value) {
    Path path = path(value);
    if (path != null) {
      paths.add(path);
    }
    return path != null;
  }

  private static Path path(String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      return null;
    }
  }
}
