package dev.kapas.policy;

import dev.kapas.engine.PssVersion;
import dev.kapas.model.Severity;
import dev.kapas.source.image.sign.ImagePolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The user's settings from {@code .kapas.yaml}. Values the file does not set are empty, so that
 * command-line flags and defaults can be layered over it.
 *
 * @param file where it was read from, empty when there was no file
 * @param failOn threshold, when set ({@code none} is {@link FailOn#NONE})
 * @param pssVersion PSS version, when set
 * @param disabled rule IDs that do not run
 * @param severities severity overrides by rule ID
 * @param params rule parameters by rule ID and name
 * @param exceptions accepted risks
 * @param customRules the user's own rules ({@code customRules:}), not yet compiled
 * @param imagePolicy which images must be signed by whom ({@code imagePolicy:}, {@code requireSignatures:})
 */
public record Config(
    String file,
    Optional<FailOn> failOn,
    Optional<PssVersion> pssVersion,
    Set<String> disabled,
    Map<String, Severity> severities,
    Map<String, Map<String, List<String>>> params,
    List<RuleException> exceptions,
    List<CustomRules.Definition> customRules,
    ImagePolicy imagePolicy) {

  public Config(String file, Optional<FailOn> failOn, Optional<PssVersion> pssVersion, Set<String> disabled,
      Map<String, Severity> severities, Map<String, Map<String, List<String>>> params,
      List<RuleException> exceptions) {
    this(file, failOn, pssVersion, disabled, severities, params, exceptions, List.of());
  }

  public Config(String file, Optional<FailOn> failOn, Optional<PssVersion> pssVersion, Set<String> disabled,
      Map<String, Severity> severities, Map<String, Map<String, List<String>>> params,
      List<RuleException> exceptions, List<CustomRules.Definition> customRules) {
    this(file, failOn, pssVersion, disabled, severities, params, exceptions, customRules, ImagePolicy.none());
  }

  public static Config empty() {
    return new Config("", Optional.empty(), Optional.empty(), Set.of(), Map.of(), Map.of(), List.of());
  }
}
