package dev.kapas.engine;

import dev.kapas.inventory.Inventory;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Fact;
import dev.kapas.model.FactInUse;
import dev.kapas.model.Field;
import dev.kapas.model.Finding;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Location;
import dev.kapas.model.PodView;
import dev.kapas.model.Severity;
import dev.kapas.rules.container.HostPathFindings;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs rules over an inventory in one pass: each object once, its pod view built once and
 * handed to every pod and container rule, then the fact rules over the facts of their type, then
 * the inventory rules. Evaluated subjects are counted by index: objects first, then facts.
 */
public final class Engine {

  /** What the engine needs besides the rules: PSS version and level, rule parameters. */
  public record Settings(PssVersion pssVersion, PssLevel pssLevel, Map<String, Map<String, List<String>>> params) {
    public static Settings defaults() {
      return new Settings(PssVersion.LATEST, PssLevel.BASELINE, Map.of());
    }
  }

  /** Below this many objects, one thread walks them all (splitting costs more than it saves). */
  private static final int PARALLEL_THRESHOLD = 2_000;

  /** Slices of the objects above that threshold: small enough that the cores finish together. */
  private static final int SLICES = 32;

  private final List<Rule> rules;
  private final Settings settings;

  public Engine(List<Rule> rules, Settings settings) {
    this.rules = rules.stream()
        .filter(r -> r.spec().activeIn(settings.pssVersion()))
        .filter(r -> r.spec().activeWith(settings.params().getOrDefault(r.spec().id(), Map.of())))
        .toList();
    this.settings = settings;
  }

  /** The rules that run: those given, less those off for the PSS version or for want of a required parameter. */
  public List<Rule> rules() {
    return rules;
  }

  public Evaluation run(Inventory inventory) {
    return run(inventory, null);
  }

  /**
   * The findings a {@link #run} of {@code inventory} would report about {@code only} (one of its
   * objects), and others besides: the per-object rules walk {@code only} alone, and of the
   * inventory rules only those that {@linkplain InventoryRule#mayReportOn may report on it} run.
   * All in the calling thread (kapas serve judges each request in its own). The evaluated counts
   * cover {@code only} alone.
   */
  public Evaluation runOn(Inventory inventory, KubeObject only) {
    return run(inventory, only);
  }

  private Evaluation run(Inventory inventory, KubeObject only) {
    List<ContainerRule> containerRules = new ArrayList<>();
    List<PodRule> podRules = new ArrayList<>();
    List<ObjectRule> objectRules = new ArrayList<>();
    List<InventoryRule> inventoryRules = new ArrayList<>();
    List<FactRule<?>> factRules = new ArrayList<>();
    for (Rule rule : rules) {
      if (rule instanceof ContainerRule r) {
        containerRules.add(r);
      } else if (rule instanceof PodRule r) {
        podRules.add(r);
      } else if (rule instanceof ObjectRule r) {
        objectRules.add(r);
      } else if (rule instanceof InventoryRule r && (only == null || r.mayReportOn(only))) {
        inventoryRules.add(r);
      }
      // a rule may judge objects and facts both (code.hardcoded-secret: manifests and images)
      if (rule instanceof FactRule<?> r) {
        factRules.add(r);
      }
    }
    List<KubeObject> objects = inventory.objects();
    Map<KubeObject, Integer> indexOf = new IdentityHashMap<>();
    for (int i = 0; i < objects.size(); i++) {
      if (only == null || objects.get(i) == only) {
        indexOf.put(objects.get(i), i);
      }
    }
    // Rules are pure, so the work is split into tasks that run on all cores: slices of the
    // inventory for the per-object rules, then each fact rule and each inventory rule (which
    // often builds an index first). Each task reports into its own context, and the contexts are
    // joined in task order, so the output does not depend on timing.
    int slices = objects.size() < PARALLEL_THRESHOLD ? 1 : SLICES;
    List<Consumer<Context>> tasks = new ArrayList<>();
    if (only != null) {
      int at = indexOf.get(only);
      tasks.add(part -> walk(objects, at, at + 1, part, objectRules, podRules, containerRules));
    }
    for (int s = 0; s < slices && only == null; s++) {
      int from = objects.size() * s / slices;
      int to = objects.size() * (s + 1) / slices;
      tasks.add(part -> walk(objects, from, to, part, objectRules, podRules, containerRules));
    }
    List<Fact> facts = inventory.facts();
    // a fact that objects use (an image their containers run) is judged through each use
    Map<Fact, Boolean> usedFacts = new IdentityHashMap<>();
    for (Fact f : facts) {
      if (f instanceof FactInUse use) {
        usedFacts.put(use.used(), true);
      }
    }
    for (FactRule<?> rule : factRules) {
      tasks.add(part -> {
        for (int j = 0; j < facts.size(); j++) {
          Fact f = facts.get(j);
          Fact judged = f instanceof FactInUse use ? use.used() : f;
          if (rule.type().isInstance(judged) && !usedFacts.containsKey(f) && applies(rule, judged, f)) {
            part.fact = f;
            part.enter(rule, objects.size() + j);
            check(rule, judged, part);
          }
        }
      });
    }
    for (InventoryRule rule : inventoryRules) {
      tasks.add(part -> {
        part.enter(rule, -1);
        rule.check(inventory, part);
      });
    }
    List<Context> parts = only != null ? runHere(tasks, () -> new Context(inventory, indexOf))
        : runAll(tasks, () -> new Context(inventory, indexOf));
    Context ctx = parts.get(0);
    for (Context part : parts.subList(1, parts.size())) {
      ctx.findings.addAll(part.findings);
      part.evaluated.forEach((id, bits) -> ctx.evaluated.get(id).or(bits));
    }
    return new Evaluation(inventory, rules, HostPathFindings.group(ctx.findings), ctx.evaluated);
  }

  /**
   * Runs the tasks on every core, each worker taking the next task not yet taken, so a slow
   * task (the first slice, run while the JIT is still cold, or an inventory rule building an
   * index) does not hold up tasks queued behind it. A parallel stream split the list into fixed
   * halves instead, and on two cores one thread ran every object slice while the other finished
   * the inventory rules and waited. Returns the contexts in task order.
   */
  private static List<Context> runAll(List<Consumer<Context>> tasks, Supplier<Context> contexts) {
    Context[] done = new Context[tasks.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable worker = () -> {
      for (int i = next.getAndIncrement(); i < done.length && failure.get() == null; i = next.getAndIncrement()) {
        try {
          Context part = contexts.get();
          tasks.get(i).accept(part);
          done[i] = part;
        } catch (RuntimeException | Error e) {
          failure.compareAndSet(null, e);
        }
      }
    };
    int helpers = Math.min(Runtime.getRuntime().availableProcessors(), tasks.size()) - 1;
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < helpers; t++) {
      Thread thread = new Thread(worker, "kapas-rules-" + (t + 1));
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    worker.run();
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running rules", e);
      }
    }
    Throwable e = failure.get();
    if (e instanceof RuntimeException r) {
      throw r;
    } else if (e instanceof Error err) {
      throw err;
    }
    return List.of(done);
  }

  /**
   * The tasks one after another in this thread, all into one context (which is what joining
   * their contexts in task order gives, without a context and a bit set per rule for each).
   */
  private static List<Context> runHere(List<Consumer<Context>> tasks, Supplier<Context> contexts) {
    Context all = contexts.get();
    for (Consumer<Context> task : tasks) {
      all.object = null;
      all.fact = null;
      task.accept(all);
    }
    return List.of(all);
  }

  private static <T extends Fact> boolean applies(FactRule<T> rule, Fact fact, Fact subject) {
    T judged = rule.type().cast(fact);
    return subject instanceof FactInUse use ? rule.appliesTo(judged, use) : rule.appliesTo(judged);
  }

  private static <T extends Fact> void check(FactRule<T> rule, Fact fact, RuleContext ctx) {
    rule.check(rule.type().cast(fact), ctx);
  }

  private static void walk(List<KubeObject> objects, int from, int to, Context ctx,
      List<ObjectRule> objectRules, List<PodRule> podRules, List<ContainerRule> containerRules) {
    for (int i = from; i < to; i++) {
      KubeObject object = objects.get(i);
      ctx.object = object;
      for (ObjectRule rule : objectRules) {
        if (rule.appliesTo(object)) {
          ctx.enter(rule, i);
          rule.check(object, ctx);
        }
      }
      Optional<PodView> pod = PodView.of(object);
      if (pod.isEmpty()) {
        continue;
      }
      for (PodRule rule : podRules) {
        ctx.enter(rule, i);
        rule.check(pod.get(), ctx);
      }
      for (ContainerRule rule : containerRules) {
        ctx.enter(rule, i);
        for (ContainerView c : pod.get().containers()) {
          rule.check(c, ctx);
        }
      }
    }
  }

  /** One mutable context reused across the walk; rules only see it through {@link RuleContext}. */
  private final class Context implements RuleContext {
    private final Inventory inventory;
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, BitSet> evaluated = new LinkedHashMap<>();
    private final Map<String, String> texts = new HashMap<>();
    private final Map<KubeObject, Integer> indexOf;
    private Rule rule;
    private KubeObject object;
    private Fact fact;

    Context(Inventory inventory, Map<KubeObject, Integer> indexOf) {
      this.inventory = inventory;
      this.indexOf = indexOf;
      for (Rule r : rules) {
        evaluated.put(r.spec().id(), new BitSet());
      }
    }

    void enter(Rule r, int objectIndex) {
      this.rule = r;
      if (objectIndex >= 0) {
        evaluated.get(r.spec().id()).set(objectIndex);
      }
    }

    @Override
    public Inventory inventory() {
      return inventory;
    }

    @Override
    public PssVersion pssVersion() {
      return settings.pssVersion();
    }

    @Override
    public PssLevel pssLevel() {
      return settings.pssLevel();
    }

    @Override
    public List<String> param(String name) {
      return settings.params().getOrDefault(rule.spec().id(), Map.of()).getOrDefault(name, List.of());
    }

    @Override
    public void fail(Field at, String message) {
      if (object == null) {
        throw new IllegalStateException(rule.spec().id() + ": an inventory rule must name the object");
      }
      fail(object, at, message);
    }

    @Override
    public void fail(KubeObject about, Field at, String message) {
      fail(about, at, rule.spec().severity(), message);
    }

    @Override
    public void fail(KubeObject about, Field at, Severity severity, String message) {
      Location location = new Location(about.fileOf(at), at.line(), at.column(), shared(at.path()));
      findings.add(Finding.of(rule.spec().id(), severity, shared(message), about.ref(), location));
      if (object == null) {
        evaluated(about);
      }
    }

    @Override
    public void error(KubeObject about, Field at, String message) {
      fail(about, at, message);
      Finding failed = findings.remove(findings.size() - 1);
      findings.add(new Finding(failed.ruleId(), failed.severity(), failed.message(), failed.object(),
          failed.location(), "", failed.subjectFile(), true));
    }

    @Override
    public void fail(Location at, String message) {
      if (fact == null) {
        throw new IllegalStateException(rule.spec().id() + ": only a fact rule reports without an object");
      }
      RuleSpec spec = rule.spec();
      if (fact instanceof FactInUse use) {
        // about the object, where it names the fact
        Field where = use.where();
        Location named = new Location(use.user().fileOf(where), where.line(), where.column(), shared(where.path()));
        findings.add(Finding.of(spec.id(), spec.severity(), message + " (" + use.context() + ")", use.ref(), named));
        return;
      }
      findings.add(new Finding(spec.id(), spec.severity(), message, fact.ref(), at, "", fact.origin().file()));
    }

    /**
     * One instance per distinct text: a large scan keeps hundreds of thousands of findings whose
     * messages and paths repeat ("container `app` sets no cpu limit").
     */
    private String shared(String text) {
      String known = texts.putIfAbsent(text, text);
      return known == null ? text : known;
    }

    @Override
    public void evaluated(KubeObject about) {
      Integer index = indexOf.get(about);
      if (index != null) {
        evaluated.get(rule.spec().id()).set(index);
      }
    }
  }
}
