package dev.kapas.rules.container;

import dev.kapas.model.Finding;
import dev.kapas.model.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One hostPath volume is one finding of weight: the rules that judge hostPath volumes report the
 * same mount from several sides (a runtime socket is also a sensitive path, a hostPath volume,
 * a volume type the restricted profile refuses). The most specific rule that reported a volume
 * keeps its severity and names the others; the others stay (every rule still has its verdict, for
 * frameworks, JSON and SARIF) as {@code info} notes that name it.
 */
public final class HostPathFindings {
  /** Most specific first. */
  static final List<String> RANK = List.of("container.runtime-socket-mount", "container.sensitive-host-path",
      "container.hostpath-volume", "cluster.restricted-volume-types");
  private static final Pattern VOLUME = Pattern.compile("^(.*\\bvolumes\\[\\d+]\\.hostPath)(?:\\..*)?$");

  private HostPathFindings() {}

  /** The findings, with those about a volume a more specific rule reported made notes; same order. */
  public static List<Finding> group(List<Finding> findings) {
    Map<Object, Integer> best = new HashMap<>();
    Map<Object, Set<String>> rules = new HashMap<>();
    boolean any = false;
    for (Finding f : findings) {
      Object volume = volume(f);
      if (volume != null) {
        any = true;
        best.merge(volume, RANK.indexOf(f.ruleId()), Math::min);
        rules.computeIfAbsent(volume, k -> new LinkedHashSet<>()).add(f.ruleId());
      }
    }
    if (!any) {
      return findings;
    }
    List<Finding> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      Object volume = volume(f);
      if (volume == null || rules.get(volume).size() == 1) {
        out.add(f);
        continue;
      }
      String leader = RANK.get(best.get(volume));
      if (f.ruleId().equals(leader)) {
        List<String> others = RANK.stream().filter(r -> !r.equals(leader) && rules.get(volume).contains(r)).toList();
        out.add(with(f, f.severity(), f.message() + " (also noted by " + String.join(", ", others) + ")"));
      } else {
        out.add(with(f, Severity.INFO, f.message() + " (a note: " + leader + " reports this volume)"));
      }
    }
    return out;
  }

  /** Which object's which hostPath volume a finding is about; null for a finding of another rule. */
  private static Object volume(Finding f) {
    if (f.error() || !RANK.contains(f.ruleId())) {
      return null;
    }
    Matcher m = VOLUME.matcher(f.location().path());
    return m.matches() ? List.of(f.objectIdentity(), m.group(1)) : null;
  }

  private static Finding with(Finding f, Severity severity, String message) {
    return new Finding(f.ruleId(), severity, message, f.object(), f.location(), f.suppression(), f.subjectFile(),
        f.error());
  }
}
