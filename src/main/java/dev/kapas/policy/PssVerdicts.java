package dev.kapas.policy;

import dev.kapas.engine.Engine;
import dev.kapas.engine.PssLevel;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.Rule;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Finding;
import dev.kapas.model.KubeObject;
import dev.kapas.model.PodView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The verdict the Pod Security admission controller would give each pod-bearing object: the
 * highest level it satisfies and the checks that stop it reaching the next one. Config
 * exceptions do not apply: the admission controller does not know them.
 */
public final class PssVerdicts {
  private PssVerdicts() {}

  /** One object's verdict; {@code blockers} are empty for restricted. */
  public record Verdict(KubeObject object, PssLevel level, List<Finding> blockers) {}

  public static List<Verdict> of(Inventory inventory, List<Rule> catalog, PssVersion version) {
    List<Rule> baseline = catalog.stream().filter(r -> r.spec().pssLevel() == PssLevel.BASELINE).toList();
    List<Rule> restricted = catalog.stream().filter(r -> r.spec().isPss()).toList();
    Map<String, List<Finding>> baselineFails = byObject(
        new Engine(baseline, new Engine.Settings(version, PssLevel.BASELINE, Map.of())).run(inventory).findings());
    Map<String, List<Finding>> restrictedFails = byObject(
        new Engine(restricted, new Engine.Settings(version, PssLevel.RESTRICTED, Map.of())).run(inventory).findings());
    List<Verdict> out = new ArrayList<>();
    for (KubeObject o : inventory.objects()) {
      if (PodView.of(o).isEmpty()) {
        continue;
      }
      String key = o.key();
      List<Finding> b = baselineFails.getOrDefault(key, List.of());
      List<Finding> r = restrictedFails.getOrDefault(key, List.of());
      if (!b.isEmpty()) {
        out.add(new Verdict(o, PssLevel.PRIVILEGED, b));
      } else if (!r.isEmpty()) {
        out.add(new Verdict(o, PssLevel.BASELINE, r));
      } else {
        out.add(new Verdict(o, PssLevel.RESTRICTED, List.of()));
      }
    }
    return out;
  }

  private static Map<String, List<Finding>> byObject(List<Finding> findings) {
    Map<String, List<Finding>> out = new HashMap<>();
    for (Finding f : findings) {
      out.computeIfAbsent(f.objectKey(), k -> new ArrayList<>()).add(f);
    }
    return out;
  }
}
