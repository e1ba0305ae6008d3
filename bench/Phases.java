import dev.kapas.engine.Engine;
import dev.kapas.engine.Evaluation;
import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.policy.Config;
import dev.kapas.policy.Policy;
import dev.kapas.source.Progress;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.ByteArrayInputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Times the phases of a scan (read, engine, policy) in one JVM, several rounds, so cold and
 * warm costs can be told apart: {@code java -cp target/kapas.jar bench/Phases.java DIR [ROUNDS [N]]}.
 * A third argument N runs every rule N times over, to estimate the engine's cost once the
 * catalogue has grown. A diagnostic for profiling, not the benchmark (that is bench/run.sh).
 */
public final class Phases {
  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long liveHeapMiB() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return (rt.totalMemory() - rt.freeMemory()) >> 20;
  }

  public static void main(String[] args) {
    String path = args[0];
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    RuleCatalog catalog = RuleCatalog.builtIn();
    int copies = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < copies; i++) {
      rules.addAll(catalog.all());
    }
    for (int r = 1; r <= rounds; r++) {
      long c0 = cpu();
      long t0 = System.nanoTime();
      ManifestSource.Result read = new ManifestSource(new ByteArrayInputStream(new byte[0]),
          YamlTreeReader.Limits.DEFAULT).read(List.of(path), Progress.NONE);
      long t1 = System.nanoTime();
      long c1 = cpu();
      Inventory inventory = new Inventory(read.objects(), read.errors(), read.notes());
      long live = liveHeapMiB();
      // the engine's clock starts after the full collection that measured the live heap
      long e0 = System.nanoTime();
      long ce0 = cpu();
      Evaluation evaluation = new Engine(rules, Engine.Settings.defaults()).run(inventory);
      long t2 = System.nanoTime();
      Policy.Outcome outcome = new Policy(Config.empty(), catalog, LocalDate.now())
          .apply(evaluation.findings(), inventory);
      long t3 = System.nanoTime();
      long c3 = cpu();
      System.out.printf("round %d: read %d ms (cpu %d ms), engine %d ms, policy %d ms; %d objects, %d findings, live heap after reading %d MiB; cpu engine+policy %d ms%n",
          r, (t1 - t0) / 1_000_000, (c1 - c0) / 1_000_000, (t2 - e0) / 1_000_000, (t3 - t2) / 1_000_000,
          inventory.objects().size(), outcome.findings().size(), live, (c3 - ce0) / 1_000_000);
    }
  }
}
