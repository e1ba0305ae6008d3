package dev.kapas.cli;

import dev.kapas.inventory.Inventory;
import dev.kapas.inventory.rbac.RbacGraph;
import dev.kapas.source.cluster.ClusterSource;
import dev.kapas.source.cluster.Connection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kapas cluster who-can VERB RESOURCE}: kapas rbac who-can against a live cluster's RBAC objects. */
@Command(
    name = "who-can",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "List the subjects that may VERB RESOURCE in the live cluster: its Roles, ClusterRoles (with the rules "
          + "aggregated into them) and bindings, including the upstream default ones.",
      "",
      "  kapas cluster who-can create pods/exec -n shop",
      "  kapas cluster who-can get secrets --context prod -o json",
      "",
      "Exit codes: 0 answered (also when nobody can); 2 usage error or no connection; 3 some RBAC kinds could not "
          + "be read (the answer then misses what they grant)."
    })
public final class ClusterWhoCanCommand implements Callable<Integer> {
  private static final String NAME = "kapas cluster who-can";
  private final Env env;

  @Parameters(index = "0", paramLabel = "VERB", description = "get, list, create, update, delete, impersonate, ...")
  String verb;

  @Parameters(index = "1", paramLabel = "RESOURCE",
      description = "pods (any API group), pods. (the core group only), pods/exec, deployments.apps, "
          + "or a URL such as /metrics.")
  String resource;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "Only rights that hold in this namespace. Default: every namespace.")
  String namespace = "";

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default) or json.")
  String output = "table";

  @Mixin
  ConnectionOptions connection = new ConnectionOptions();

  ClusterWhoCanCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    WhoCanCommand whoCan = new WhoCanCommand(env);
    whoCan.command = NAME;
    whoCan.verb = verb;
    whoCan.resource = resource;
    whoCan.namespace = namespace;
    whoCan.output = output;
    Optional<Integer> bad = whoCan.check();
    if (bad.isPresent()) {
      return bad.get();
    }
    Optional<Connection> conn = connection.open(env, NAME);
    if (conn.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    ClusterSource.Result read;
    Set<String> clusterScoped;
    try (Connection c = conn.get()) {
      ClusterSource source = new ClusterSource(c.http(), c.server(), c.context(),
          new ClusterSource.Options(List.of(), Set.of(), connection.timeout(), 500, 4))
          .only(Set.of("Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"));
      read = source.read(new TerminalProgress(env.err(), env.interactive(), "kinds", 1));
      // custom resources the server serves outside namespaces, which RoleBindings cannot grant;
      // not asked after a failed read, which may be a server that does not answer
      clusterScoped = read.errors().isEmpty() ? source.clusterScopedResources() : Set.of();
    }
    return whoCan.answer(new Inventory(read.objects(), read.errors(), read.notes()),
        RbacGraph.of(read.objects(), clusterScoped));
  }
}
