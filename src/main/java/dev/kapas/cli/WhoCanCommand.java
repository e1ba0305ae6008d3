package dev.kapas.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.rbac.Binding;
import dev.kapas.inventory.rbac.BuiltInRoles;
import dev.kapas.inventory.rbac.Grant;
import dev.kapas.inventory.rbac.PolicyRule;
import dev.kapas.inventory.rbac.RbacGraph;
import dev.kapas.inventory.rbac.Role;
import dev.kapas.inventory.rbac.Subject;
import dev.kapas.model.Diagnostic;
import dev.kapas.source.helm.ChartSource;
import dev.kapas.source.helm.HelmOptions;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kapas rbac who-can VERB RESOURCE [-n NS] PATH...}: the subjects that hold a right, each
 * with the binding, role and rule (file:line) it comes through. The inverse of the
 * {@code cluster.rbac-*} findings, from the same graph.
 */
@Command(
    name = "who-can",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "List the subjects that may VERB RESOURCE, according to the RBAC objects in PATH (files, "
          + "directories, Helm charts rendered as kapas scan renders them, or - for stdin).",
      "",
      "RESOURCE is a resource (pods), a subresource (pods/exec), a resource in an API group "
          + "(deployments.apps, like kubectl), or a non-resource URL (/metrics). Without an API "
          + "group any group's rules count; a trailing dot (pods.) means the core group only. Rules with `*` count; rules limited to resourceNames "
          + "are listed with the names. Only what PATH holds counts: bindings to roles the files "
          + "do not define grant nothing here.",
      "",
      "  kapas rbac who-can create pods/exec -n shop k8s/",
      "  kapas rbac who-can get secrets k8s/ -o json",
      "  kapas rbac who-can update deployments.apps/scale k8s/",
      "",
      "Exit codes: 0 answered (also when nobody can); 2 usage error; 3 some inputs could not be read."
    })
public final class WhoCanCommand implements Callable<Integer> {
  private final Env env;

  @Parameters(index = "0", paramLabel = "VERB", description = "get, list, create, update, delete, impersonate, ...")
  String verb;

  @Parameters(index = "1", paramLabel = "RESOURCE",
      description = "pods (any API group), pods. (the core group only), pods/exec, deployments.apps, "
          + "or a URL such as /metrics.")
  String resource;

  @Parameters(index = "2..*", arity = "1..*", paramLabel = "PATH",
      description = "Files, directories (recursive), Helm charts (a directory with Chart.yaml, or a .tgz) "
          + "or - for stdin.")
  List<String> paths = new ArrayList<>();

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "Only rights that hold in this namespace (ClusterRoleBindings, and this "
          + "namespace's RoleBindings). Default: every namespace. Helm charts are rendered into it "
          + "(.Release.Namespace).")
  String namespace = "";

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default) or json.")
  String output = "table";

  @Mixin
  ChartOptions chart = new ChartOptions();

  /** How errors name the command: kapas rbac who-can, or kapas cluster who-can. */
  String command = "kapas rbac who-can";

  WhoCanCommand(Env env) {
    this.env = env;
  }

  /** What was asked, parsed: verb, group (empty: any), resource, subresource; or a URL. */
  record Question(String verb, Optional<String> group, String resource, String subresource, String url) {

    static Question parse(String verb, String text) {
      if (text.startsWith("/")) {
        return new Question(verb, Optional.empty(), "", "", text);
      }
      int slash = text.indexOf('/');
      String head = slash < 0 ? text : text.substring(0, slash);
      String sub = slash < 0 ? "" : text.substring(slash + 1);
      int dot = head.indexOf('.');
      Optional<String> group = dot < 0 ? Optional.empty() : Optional.of(head.substring(dot + 1));
      return new Question(verb, group, dot < 0 ? head : head.substring(0, dot), sub, "");
    }

    boolean isUrl() {
      return !url.isEmpty();
    }

    String what() {
      if (isUrl()) {
        return url;
      }
      return resource + (subresource.isEmpty() ? "" : "/" + subresource)
          + group.map(g -> " (API group " + (g.isEmpty() ? "core" : g) + ")").orElse("");
    }
  }

  @Override
  public Integer call() {
    Optional<Integer> bad = check();
    if (bad.isPresent()) {
      return bad.get();
    }
    // a chart's templates that write {{ .Release.Namespace }} land in the namespace asked about
    Optional<HelmOptions> helm = chart.resolve(env.workingDir(), namespace, env.err(), "kapas rbac who-can");
    if (helm.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    ManifestSource.Result read = new ManifestSource(env.in(), YamlTreeReader.Limits.DEFAULT)
        .withCharts(new ChartSource(helm.get(), YamlTreeReader.Limits.DEFAULT))
        .read(paths, new TerminalProgress(env.err(), env.interactive()));
    Inventory inventory = new Inventory(read.objects(), read.errors(), read.notes());
    return answer(inventory, inventory.rbac());
  }

  /** The usage error's exit code, or empty when the question is well formed (also used by kapas cluster who-can). */
  Optional<Integer> check() {
    if (!output.equals("table") && !output.equals("json")) {
      return Optional.of(usage("--output: `" + output + "` is not table or json"));
    }
    if (verb.isBlank() || resource.isBlank() || resource.endsWith("/") || resource.startsWith(".")) {
      return Optional.of(usage("VERB and RESOURCE must not be empty (RESOURCE: pods, pods/exec, deployments.apps "
          + "or /metrics)"));
    }
    if (Question.parse(verb, resource).isUrl() && !namespace.isEmpty()) {
      return Optional.of(usage("-n: non-resource URLs are not namespaced"));
    }
    return Optional.empty();
  }

  /** Answers from {@code graph}, read with {@code inventory} (files, or a live cluster), and returns the exit code. */
  int answer(Inventory inventory, RbacGraph graph) {
    Question q = Question.parse(verb, resource);
    List<Grant> grants = new ArrayList<>(q.isUrl()
        ? graph.whoCanUrl(q.verb(), q.url())
        : graph.whoCan(q.verb(), q.group(), q.resource(), q.subresource(), namespace));
    grants.sort(Comparator.comparing((Grant g) -> g.subject().kind()).thenComparing(g -> g.subject().namespace())
        .thenComparing(g -> g.subject().name()).thenComparing(Grant::scope)
        .thenComparing(g -> g.binding().display()));
    for (Diagnostic d : inventory.errors()) {
      env.err().println("error: " + d.display());
    }
    try {
      if (output.equals("json")) {
        json(q, grants);
      } else {
        table(q, grants);
      }
    } catch (IOException e) {
      env.err().println(command + ": cannot write the answer: " + e.getMessage());
      return ExitCode.USAGE.code();
    }
    env.out().flush();
    return inventory.errors().isEmpty() ? ExitCode.OK.code() : ExitCode.INPUT_ERROR.code();
  }

  private void table(Question q, List<Grant> grants) {
    String where = namespace.isEmpty() ? "" : " in namespace " + namespace;
    long subjects = grants.stream().map(g -> g.subject().kind() + "\u0000" + g.subject().namespace() + "\u0000"
        + g.subject().name()).distinct().count();
    if (grants.isEmpty()) {
      env.out().println("No subject can " + q.verb() + " " + q.what() + where + " (in the RBAC objects read).");
      return;
    }
    env.out().println("Who can " + q.verb() + " " + q.what() + where + ": " + subjects
        + (subjects == 1 ? " subject" : " subjects") + ", " + grants.size() + (grants.size() == 1 ? " grant" : " grants"));
    env.out().println();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SUBJECT", "NAMESPACE", "WHERE", "VIA BINDING", "ROLE", "RULE"});
    for (Grant g : grants) {
      Subject s = g.subject();
      Binding b = g.binding();
      Role r = g.role();
      PolicyRule rule = g.rule();
      String file = rule.declaredIn().origin().file();
      String ruleText = (file.equals(BuiltInRoles.ORIGIN) ? "built-in (upstream " + rule.declaredIn().name() + ")"
              : rule.at().line() > 0 ? file + ":" + rule.at().line() : file)
          + (rule.declaredIn() == r.object() ? "" : " (in " + rule.declaredIn().kind() + " " + rule.declaredIn().name() + ")")
          + (rule.restrictedToNames() ? " only " + String.join(",", rule.resourceNames()) : "");
      rows.add(new String[] {s.kind() + " " + s.name(), s.namespace().isEmpty() ? "-" : s.namespace(),
          g.scope().isEmpty() ? "cluster-wide" : g.scope(),
          b.kind() + " " + (b.cluster() ? b.name() : b.namespace() + "/" + b.name())
              + (b.upstreamDefault() ? " (default)" : ""),
          r.kind() + " " + (r.cluster() ? r.name() : r.namespace() + "/" + r.name()), ruleText});
    }
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        sb.append(row[i]);
        if (i < row.length - 1) {
          sb.append(" ".repeat(width[i] - row[i].length() + 2));
        }
      }
      env.out().println(sb.toString().stripTrailing());
    }
  }

  private void json(Question q, List<Grant> grants) throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(env.out());
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.useDefaultPrettyPrinter();
    g.writeStartObject();
    g.writeStringField("verb", q.verb());
    if (q.isUrl()) {
      g.writeStringField("nonResourceURL", q.url());
    } else {
      g.writeStringField("resource", q.resource());
      g.writeStringField("subresource", q.subresource());
      if (q.group().isPresent()) {
        g.writeStringField("apiGroup", q.group().get());
      } else {
        g.writeNullField("apiGroup");
      }
    }
    g.writeStringField("namespace", namespace);
    g.writeArrayFieldStart("grants");
    for (Grant grant : grants) {
      g.writeStartObject();
      g.writeObjectFieldStart("subject");
      g.writeStringField("kind", grant.subject().kind());
      g.writeStringField("name", grant.subject().name());
      g.writeStringField("namespace", grant.subject().namespace());
      g.writeEndObject();
      g.writeStringField("scope", grant.scope());
      Binding b = grant.binding();
      writeObject(g, "binding", b.kind(), b.namespace(), b.name(), b.object().origin().file(), b.object().origin().line());
      g.writeBooleanField("upstreamDefault", b.upstreamDefault());
      Role r = grant.role();
      writeObject(g, "role", r.kind(), r.namespace(), r.name(), r.object().origin().file(), r.object().origin().line());
      PolicyRule rule = grant.rule();
      g.writeObjectFieldStart("rule");
      g.writeStringField("declaredIn", rule.declaredIn().ref().display());
      g.writeStringField("file", rule.declaredIn().origin().file());
      g.writeNumberField("line", rule.at().line());
      g.writeStringField("path", rule.at().path());
      writeList(g, "verbs", rule.verbs());
      writeList(g, "apiGroups", rule.apiGroups());
      writeList(g, "resources", rule.resources());
      writeList(g, "resourceNames", rule.resourceNames());
      writeList(g, "nonResourceURLs", rule.nonResourceURLs());
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.flush();
    env.out().println();
  }

  private static void writeObject(JsonGenerator g, String field, String kind, String ns, String name, String file,
      int line) throws IOException {
    g.writeObjectFieldStart(field);
    g.writeStringField("kind", kind);
    g.writeStringField("namespace", ns);
    g.writeStringField("name", name);
    g.writeStringField("file", file);
    g.writeNumberField("line", line);
    g.writeEndObject();
  }

  private static void writeList(JsonGenerator g, String field, List<String> items) throws IOException {
    g.writeArrayFieldStart(field);
    for (String s : items) {
      g.writeString(s);
    }
    g.writeEndArray();
  }

  private int usage(String message) {
    env.err().println(command + ": " + message);
    return ExitCode.USAGE.code();
  }
}
