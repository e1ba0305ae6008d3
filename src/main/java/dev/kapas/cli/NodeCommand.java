package dev.kapas.cli;

import dev.kapas.engine.Engine;
import dev.kapas.engine.Evaluation;
import dev.kapas.engine.Input;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Diagnostic;
import dev.kapas.policy.Config;
import dev.kapas.policy.Framework;
import dev.kapas.policy.Policy;
import dev.kapas.source.node.NodeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kapas node}: the control-plane and node configuration of one node, read from its filesystem. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Audit one node's Kubernetes configuration (CIS Kubernetes Benchmark sections 1-4, as kube-bench does, "
          + "without running anything on the node).",
      "",
      "Reads, under --root: static pod manifests (where the kubelet takes them: its staticPodPath, else "
          + "etc/kubernetes/manifests), the command lines of running "
          + "kube-apiserver, kube-controller-manager, kube-scheduler, etcd and kubelet processes (proc/*/cmdline), "
          + "the kubelet config file (its --config, else var/lib/kubelet/config.yaml) merged under its flags "
          + "(with no kubelet process, the flags its kubeadm systemd unit would start it with: "
          + "kubelet.service.d/10-kubeadm.conf, var/lib/kubelet/kubeadm-flags.env, etc/default/kubelet), "
          + "mode and owner of manifests, kubeconfigs, kubelet files, PKI and etcd data, the EncryptionConfiguration "
          + "and audit Policy the API server points at, etc/ssh/sshd_config, and the block device under etcd's "
          + "data (proc/mounts, sys/block). Paths the components name are resolved under --root, so a mounted or "
          + "copied node filesystem can be audited offline.",
      "",
      "Components that are not on the node (a worker has no API server) make their checks not applicable, "
          + "never passed; the report says which. k3s, rke2 and k0s are out of scope for now and said so.",
      "",
      "Examples:",
      "  sudo kapas node",
      "  kapas node --root /host --framework cis          (in a pod with the host mounted; see deploy/)",
      "  kapas node --root /mnt/cp1-snapshot -f json -o cp1.json",
      "",
      "Exit codes: 0 nothing at or above --fail-on (or no Kubernetes on this node); 1 findings at or above it; "
          + "2 usage or config error; 3 some files could not be read or parsed (the rest was audited)."
    })
public final class NodeCommand implements Callable<Integer> {
  private static final String NAME = "kapas node";
  private final Env env;

  @Option(names = "--root", paramLabel = "DIR", description = "The node's filesystem root (default /).")
  Path root = Path.of("/");

  @Option(names = "--manifests", paramLabel = "DIR",
      description = "Another directory of static pod manifests (as given, not under --root). Repeatable.")
  List<Path> manifests = new ArrayList<>();

  @Option(names = "--framework", paramLabel = "NAME",
      description = "4c (default: every node rule, by layer) or cis (the CIS Kubernetes Benchmark table, "
          + "sections 1-4, with manual checks listed).")
  String framework = Framework.FOUR_C.id();

  @Mixin
  ReportOptions report = new ReportOptions();

  NodeCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    RuleCatalog catalog = RuleCatalog.builtIn();
    Optional<Framework> fw = Framework.parse(framework);
    if (fw.isEmpty() || (fw.get() != Framework.FOUR_C && fw.get() != Framework.CIS)) {
      return usage("--framework: `" + framework + "` is not one of 4c, cis");
    }
    Optional<ReportOptions.Prepared> prepared = report.prepare(catalog, env, NAME);
    if (prepared.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    Config cfg = prepared.get().config();
    Path rootDir = env.workingDir().resolve(root);
    if (!Files.isDirectory(rootDir)) {
      return usage("--root " + root + ": no such directory");
    }
    List<Path> extra = new ArrayList<>();
    for (Path m : manifests) {
      Path dir = env.workingDir().resolve(m);
      if (!Files.isDirectory(dir)) {
        return usage("--manifests " + m + ": no such directory");
      }
      extra.add(dir);
    }

    NodeSource.Result read = new NodeSource(rootDir, extra).read();
    if (!read.kubernetesFound() && read.errors().isEmpty()) {
      env.out().println(NAME + ": no Kubernetes found under " + rootDir + ": no static pod manifests in "
          + "etc/kubernetes/manifests, no kube-apiserver, kube-controller-manager, kube-scheduler, etcd or kubelet "
          + "process, no kubelet config file, no var/lib/kubelet/kubeadm-flags.env. Nothing to audit.");
      return ExitCode.OK.code();
    }
    List<Rule> rules = catalog.all().stream()
        .filter(r -> r.spec().input() == Input.NODE)
        .filter(r -> fw.get().includes(r.spec()) && !cfg.disabled().contains(r.spec().id()))
        .toList();
    List<Diagnostic> notes = new ArrayList<>(read.notes());
    Inventory inv = new Inventory(List.of(), read.facts(), read.errors(), notes);
    Evaluation first = new Engine(rules, new Engine.Settings(PssVersion.LATEST, fw.get().pssLevel(), cfg.params()))
        .run(inv);
    List<String> idle = rules.stream().map(r -> r.spec().id()).filter(id -> first.evaluatedCount(id) == 0).toList();
    if (!idle.isEmpty()) {
      notes.add(Diagnostic.ofFile(rootDir.toString(), "not applicable, nothing on this node for them to check: "
          + String.join(", ", idle)));
    }
    inv = new Inventory(List.of(), read.facts(), read.errors(), notes);
    Evaluation evaluation = new Evaluation(inv, first.rules(), first.findings(), first.evaluated());
    return report.finish(NAME, prepared.get(), catalog, evaluation, fw.get(), PssVersion.LATEST, List.of(), env, f -> f);
  }

  private int usage(String message) {
    env.err().println(NAME + ": " + message);
    return ExitCode.USAGE.code();
  }
}
