package dev.kapas.serve;

import dev.kapas.engine.Engine;
import dev.kapas.engine.Evaluation;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Finding;
import dev.kapas.model.KubeObject;
import dev.kapas.cel.CelRules;
import dev.kapas.policy.Config;
import dev.kapas.policy.CustomRules;
import dev.kapas.policy.ConfigException;
import dev.kapas.policy.Policy;
import dev.kapas.policy.Scores;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The rules, their settings and the config (exceptions, severity overrides, ignore annotations)
 * that kapas serve judges by, exactly as kapas scan and kapas cluster apply them. Immutable: a
 * reloaded config makes a new one.
 */
public final class Judge {
  private final RuleCatalog catalog;
  private final Config config;
  private final Engine engine;
  /** The objects the rules read by name (custom rules' paramsFrom). */
  private final List<CustomRules.ParamsRef> lookups;

  /**
   * Rules that report what a namespace lacks (a NetworkPolicy, a LimitRange, a ResourceQuota): an
   * object judged alone (kapas serve --offline) cannot tell, so they do not run there.
   */
  public static final java.util.Set<String> NEED_THE_CLUSTER = java.util.Set.of("cluster.namespace-no-network-policy",
      "cluster.no-default-deny", "cluster.namespace-no-limit-range", "cluster.namespace-no-quota");

  public Judge(RuleCatalog catalog, Config config, Engine engine) {
    this.catalog = catalog;
    this.config = config;
    this.engine = engine;
    this.lookups = engine.rules().stream().map(CelRules::paramsFrom).flatMap(java.util.Optional::stream).toList();
  }

  /** Makes the judge for a config (picks the rules it leaves on). */
  public interface Factory {
    /**
     * The rules a config is read against: the built-in ones and the user's own rule files
     * ({@code --rules-dir}), read again at each call so that a changed rule file is reloaded.
     *
     * @throws ConfigException a rule file does not load or its rules do not compile
     */
    RuleCatalog catalog() throws ConfigException;

    /**
     * The judge for {@code config}, read against {@code catalog}: its own {@code customRules}
     * compiled and added.
     *
     * @throws ConfigException the config's custom rules do not compile
     * @throws IllegalArgumentException when the config leaves no rule to run, with the reason
     */
    Judge of(RuleCatalog catalog, Config config) throws ConfigException;

    /** Files whose change makes the catalog and the judge be made again (the rule files). */
    default List<java.nio.file.Path> watched() {
      return List.of();
    }
  }

  /**
   * The unsuppressed findings about {@code incoming} among the cluster as cached ({@code scope};
   * the cached copy of {@code incoming}, if any, is replaced by it): what a full scan of the
   * cache with {@code incoming} in it reports about {@code incoming}, at the cost of judging
   * {@code incoming} alone among the objects that can change that ({@link Scope#inventory}).
   */
  List<Finding> judge(KubeObject incoming, Scope scope, LocalDate today) {
    Inventory inventory = scope.inventory(incoming, lookups);
    Evaluation evaluation = engine.runOn(inventory, incoming);
    String key = incoming.key();
    List<Finding> about = evaluation.findings().stream().filter(f -> f.objectKey().equals(key)).toList();
    // the findings are all about incoming: only its ignore annotations count
    return new Policy(config, catalog, today).apply(about, new Inventory(List.of(incoming), List.of(), List.of()))
        .findings().stream().filter(f -> !f.suppressed()).toList();
  }

  /** A full scan of {@code objects}, as kapas cluster runs it. */
  Audit audit(List<KubeObject> objects, List<Diagnostic> errors, List<Diagnostic> notes, LocalDate today) {
    long start = System.nanoTime();
    Instant at = Instant.now();
    Inventory inventory = new Inventory(objects, List.of(), errors, notes);
    Evaluation evaluation = engine.run(inventory);
    Policy.Outcome outcome = new Policy(config, catalog, today).apply(evaluation.findings(), inventory);
    Scores scores = Scores.of(evaluation, outcome.findings(), errors.size());
    return new Audit(at, Duration.ofNanos(System.nanoTime() - start), objects.size(), outcome.findings(), scores,
        evaluation, errors);
  }

  /** One continuous-audit run: when, how long, what it found (suppressed findings marked) and the scores. */
  public record Audit(Instant at, Duration took, int objects, List<Finding> findings, Scores scores,
      Evaluation evaluation, List<Diagnostic> errors) {}
}
