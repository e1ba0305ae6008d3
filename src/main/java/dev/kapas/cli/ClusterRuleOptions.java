package dev.kapas.cli;

import dev.kapas.engine.PssVersion;
import dev.kapas.policy.Config;
import dev.kapas.policy.Framework;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --framework}, {@code --rules} and {@code --pss-version} of the commands that judge a cluster (cluster, serve). */
final class ClusterRuleOptions {
  @Option(names = "--framework", paramLabel = "NAME",
      description = "Rules to run and score: 4c (default, all), pss-baseline, pss-restricted, cis, nsa.")
  String framework = Framework.FOUR_C.id();

  @Option(names = "--rules", paramLabel = "ID", split = ",",
      description = "Run only these rules (IDs or globs), within the framework.")
  List<String> onlyRules = new ArrayList<>();

  @Option(names = "--pss-version", paramLabel = "VERSION",
      description = "Pod Security Standards version (default: pssVersion from the config, else latest).")
  String pssVersion;

  /** The framework named, if it is one. */
  Optional<Framework> framework() {
    return Framework.parse(framework);
  }

  /** Whether --pss-version, when given, names a version. */
  boolean pssVersionValid() {
    return pssVersion == null || PssVersion.parse(pssVersion).isPresent();
  }

  /** The version to judge by: --pss-version, else the config's pssVersion, else the latest. */
  PssVersion pssVersion(Config cfg) {
    return pssVersion == null ? cfg.pssVersion().orElse(PssVersion.LATEST) : PssVersion.parse(pssVersion).orElseThrow();
  }

  String badPssVersion() {
    return "--pss-version: `" + pssVersion + "` is not v1.0 ... " + PssVersion.LATEST + " or latest";
  }
}
