package dev.kapas.source.node;

import dev.kapas.model.Diagnostic;
import dev.kapas.model.Fact;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Location;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.source.Progress;
import dev.kapas.source.manifest.ManifestSource;
import dev.kapas.source.manifest.YamlTreeReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads one node's Kubernetes configuration from a root directory ({@code /}, or a mounted or copied
 * node filesystem): static pod manifests, the command lines of running components under
 * {@code proc}, the kubelet's config file, the files whose mode and owner matter, the encryption
 * and audit configuration the API server points at, sshd's config, and the device under etcd's
 * data. Paths the components name are resolved under the root. It never decides what is insecure;
 * it records what is there, and says which components are not.
 */
public final class NodeSource {
  static final String MANIFESTS = "etc/kubernetes/manifests";
  static final String PKI = "etc/kubernetes/pki";
  static final String KUBELET_CONFIG = "/var/lib/kubelet/config.yaml";
  static final String KUBELET_KUBECONFIG = "/etc/kubernetes/kubelet.conf";
  static final String ETCD_DATA = "/var/lib/etcd";
  private static final List<String> KUBECONFIGS =
      List.of("admin.conf", "super-admin.conf", "controller-manager.conf", "scheduler.conf");
  private static final List<String> KUBELET_SERVICES = List.of(
      "etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
      "usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf",
      "lib/systemd/system/kubelet.service",
      "usr/lib/systemd/system/kubelet.service",
      "etc/systemd/system/kubelet.service");
  private static final List<String> SINGLE_BINARIES = List.of("k3s", "k3s-server", "k3s-agent", "rke2", "k0s");

  private final Path root;
  private final List<Path> extraManifests;
  private final List<Fact> facts = new ArrayList<>();
  private final List<Diagnostic> errors = new ArrayList<>();
  private final List<Diagnostic> notes = new ArrayList<>();
  private final Map<Component, String> found = new EnumMap<>(Component.class);
  private final List<String> outOfScope = new ArrayList<>();
  private Map<Integer, String> users = Map.of();
  private Map<Integer, String> groups = Map.of();

  /**
   * @param root the node's filesystem root
   * @param extraManifests more directories of static pod manifests (as given, not under the root)
   */
  public NodeSource(Path root, List<Path> extraManifests) {
    this.root = root;
    this.extraManifests = List.copyOf(extraManifests);
  }

  /**
   * What was read.
   *
   * @param found each component seen and how ({@code static pod manifest /etc/...}, {@code process 812})
   * @param outOfScope single-binary distributions seen (k3s, rke2, k0s), with how they were seen
   */
  public record Result(List<Fact> facts, List<Diagnostic> errors, List<Diagnostic> notes,
      Map<Component, String> found, List<String> outOfScope) {

    /** Whether anything of Kubernetes was seen at all. */
    public boolean kubernetesFound() {
      return !found.isEmpty() || !outOfScope.isEmpty();
    }
  }

  public Result read() {
    users = ids("etc/passwd");
    groups = ids("etc/group");
    Map<Component, ComponentFact> components = new EnumMap<>(Component.class);
    Map<Component, List<ComponentFact>> processes = readProcesses();
    Optional<KubeletFact> kubelet = readKubelet(processes.getOrDefault(Component.KUBELET, List.of()));
    readManifests(components, kubelet.map(NodeSource::staticPodPath).orElse("/" + MANIFESTS));
    List<ComponentFact> running = new ArrayList<>(components.values());
    for (Map.Entry<Component, List<ComponentFact>> e : processes.entrySet()) {
      if (e.getKey() == Component.KUBELET) {
        continue;
      }
      if (components.containsKey(e.getKey())) {
        notes.add(Diagnostic.ofFile(e.getValue().get(0).anchor().file(), e.getKey().binary()
            + " runs from its static pod manifest; its flags are checked there"));
      } else {
        // without a manifest, every process of the component is checked (a test cluster may run several)
        running.addAll(e.getValue());
        found.put(e.getKey(), e.getValue().stream().map(ComponentFact::source).collect(Collectors.joining(", ")));
      }
    }
    facts.addAll(running);
    Set<String> dataDirs = new LinkedHashSet<>();
    for (ComponentFact c : running) {
      if (c.component() == Component.APISERVER) {
        linkedApiserverFiles(c);
      } else if (c.component() == Component.ETCD) {
        dataDirs.add(c.flags().get("data-dir").map(Flag::value).orElse(ETCD_DATA));
      }
    }
    for (String name : KUBECONFIGS) {
      stat(file("/etc/kubernetes/" + name), NodeFile.Role.KUBECONFIG, name);
    }
    readPki();
    for (String dataDir : dataDirs) {
      stat(file(dataDir), NodeFile.Role.ETCD_DATA, "etcd data directory");
      etcdDisk(dataDir);
    }
    readSshd();
    for (Component c : Component.values()) {
      if (!found.containsKey(c)) {
        notes.add(Diagnostic.ofFile(root.toString(), c.binary() + ": not on this node ("
            + (c == Component.KUBELET
                ? "no kubelet process, no " + KUBELET_CONFIG.substring(1) + ", no " + KubeletUnit.KUBEADM_FLAGS.substring(1)
                : "no static pod manifest, no process") + "); its checks are not applicable"));
      }
    }
    for (String s : outOfScope) {
      notes.add(Diagnostic.ofFile(root.toString(), s + ": single-binary Kubernetes distributions are out of "
          + "scope for kapas node for now; their embedded components were not audited"));
    }
    return new Result(facts, errors, notes, found, outOfScope);
  }

  /** {@code p} as the node knows it, without the leading slash (a --manifests directory outside the root: as given). */
  private String nodePath(Path p) {
    return p.startsWith(root) ? root.relativize(p).toString() : p.toString().replaceFirst("^/+", "");
  }

  /** {@code path} as the node names it (absolute), under the root. */
  Path file(String path) {
    String rel = path.replaceFirst("^/+", "");
    return rel.isEmpty() ? root : root.resolve(rel);
  }

  /** Where the kubelet takes static pods from: its --pod-manifest-path, its config's staticPodPath, or kubeadm's. */
  private static String staticPodPath(KubeletFact kubelet) {
    String path = kubelet.setting("pod-manifest-path", "staticPodPath", "").value().trim();
    return path.isEmpty() ? "/" + MANIFESTS : path;
  }

  private void readManifests(Map<Component, ComponentFact> components, String staticPodPath) {
    List<Path> dirs = new ArrayList<>();
    Path podPath = file(staticPodPath);
    dirs.add(podPath);
    dirs.addAll(extraManifests);
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        if (!dir.equals(podPath)) {
          errors.add(Diagnostic.ofFile(dir.toString(), "--manifests: no such directory"));
        }
        continue;
      }
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        // as the kubelet does, hidden files (editor swap files, ..data links) are not manifests
        files = s.filter(p -> p.getFileName().toString().matches("[^.].*\\.(yaml|yml|json)")).sorted().toList();
      } catch (IOException e) {
        errors.add(Diagnostic.ofFile(dir.toString(), "cannot list directory: " + reason(e)));
        continue;
      }
      for (Path f : files) {
        stat(f, NodeFile.Role.MANIFEST, f.getFileName() + " manifest");
        for (KubeObject o : readYaml(f)) {
          ControlPlanePods.staticPod(o).ifPresent(c -> {
            if (!components.containsKey(c.component())) {
              components.put(c.component(), c);
              found.put(c.component(), "static pod manifest " + f);
            }
          });
        }
      }
    }
  }

  /** The component processes under proc, by component, in pid order. */
  private Map<Component, List<ComponentFact>> readProcesses() {
    Map<Component, List<ComponentFact>> out = new EnumMap<>(Component.class);
    Path proc = file("/proc");
    if (!Files.isDirectory(proc)) {
      return out;
    }
    List<Path> pids;
    try (Stream<Path> s = Files.list(proc)) {
      pids = s.filter(p -> p.getFileName().toString().matches("\\d+"))
          .sorted((a, b) -> Long.compare(Long.parseLong(a.getFileName().toString()), Long.parseLong(b.getFileName().toString())))
          .toList();
    } catch (IOException e) {
      errors.add(Diagnostic.ofFile(proc.toString(), "cannot list processes: " + reason(e)));
      return out;
    }
    for (Path pid : pids) {
      Path cmdline = pid.resolve("cmdline");
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(cmdline);
      } catch (IOException e) {
        continue; // processes come and go, and kernel threads have nothing to tell
      }
      List<String> argv = argv(bytes);
      if (argv.isEmpty()) {
        continue;
      }
      String exe = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
      if (SINGLE_BINARIES.contains(exe)) {
        outOfScope.add(exe + " (process " + pid.getFileName() + ")");
        continue;
      }
      Optional<Component> c = Component.ofBinary(argv.get(0));
      if (c.isEmpty()) {
        continue;
      }
      String file = cmdline.toString();
      List<Flags.Word> words = argv.stream()
          .map(a -> new Flags.Word(a, new Location(file, 0, 0, ControlPlanePods.flagPath(a)))).toList();
      String name = "process " + pid.getFileName();
      out.computeIfAbsent(c.get(), k -> new ArrayList<>()).add(new ComponentFact(Flags.parse(c.get(), words), name,
          c.get().binary() + " pid " + pid.getFileName(), new Location(file, 0, 0, "cmdline")));
    }
    return out;
  }

  static List<String> argv(byte[] cmdline) {
    String text = new String(cmdline, StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    for (String a : text.split("\u0000")) {
      if (!a.isEmpty()) {
        out.add(a);
      }
    }
    return out;
  }

  private Optional<KubeletFact> readKubelet(List<ComponentFact> processes) {
    Optional<ComponentFact> process = processes.stream().findFirst();
    // no kubelet running here (a copied node filesystem): its flags are those systemd would start it with
    Optional<KubeletUnit.CommandLine> unit = process.isPresent() ? Optional.empty() : new KubeletUnit(this::file, errors).read();
    Flags flags = process.map(ComponentFact::flags)
        .orElse(Flags.parse(Component.KUBELET, unit.map(KubeletUnit.CommandLine::words).orElse(List.of())));
    String configPath = flags.get("config").map(Flag::value).orElse(KUBELET_CONFIG);
    Path config = file(configPath);
    boolean hasConfig = Files.exists(config, LinkOption.NOFOLLOW_LINKS) || Files.exists(config);
    boolean joined = unit.isPresent() && Files.exists(file(KubeletUnit.KUBEADM_FLAGS));
    if (process.isEmpty() && !hasConfig && !joined) {
      return Optional.empty();
    }
    String source = process.map(ComponentFact::source)
        .orElse(unit.isPresent() ? "systemd unit" : "config file");
    unit.ifPresent(u -> notes.add(Diagnostic.ofFile(u.anchor().file(), "kubelet: no kubelet process under the root; "
        + "its flags are those systemd would start it with, read from " + String.join(", ", u.files()))));
    Optional<Flag> configFlag = flags.get("config");
    if (!hasConfig && configFlag.isPresent()) {
      // the kubelet was started with a config file that is not under this root: its settings are unknown
      errors.add(new Diagnostic(configFlag.get().at().file(), configFlag.get().at().line(), 0,
          "the kubelet's --config names " + configPath + ", which is not at " + config
              + "; its settings are judged by flags and defaults only"));
    }
    MapNode configRoot = new MapNode(List.of(), List.of(), 1, 1);
    String configFile = "";
    if (hasConfig) {
      List<KubeObject> objects = readYaml(config);
      if (!objects.isEmpty()) {
        configRoot = objects.get(0).root();
        configFile = config.toString();
      }
      stat(config, NodeFile.Role.KUBELET_CONFIG, "kubelet config");
    }
    Location anchor = process.map(ComponentFact::anchor)
        .or(() -> unit.map(KubeletUnit.CommandLine::anchor).filter(a -> !a.file().isEmpty()))
        .orElse(new Location(config.toString(), 1, 1, ""));
    KubeletFact kubelet = new KubeletFact(flags, source, configRoot, configFile, anchor);
    facts.add(kubelet);
    found.put(Component.KUBELET, process.map(ComponentFact::source)
        .orElse(unit.map(u -> "systemd unit " + String.join(", ", u.files())).orElse("config file " + config)));
    stat(file(flags.get("kubeconfig").map(Flag::value).orElse(KUBELET_KUBECONFIG)), NodeFile.Role.KUBECONFIG,
        NodeFile.KUBELET_KUBECONFIG);
    for (String s : KUBELET_SERVICES) {
      stat(file("/" + s), NodeFile.Role.KUBELET_SERVICE, "kubelet service file");
    }
    return Optional.of(kubelet);
  }

  private void linkedApiserverFiles(ComponentFact apiserver) {
    apiserver.flags().get("encryption-provider-config").ifPresent(f -> {
      Path p = file(f.value());
      for (KubeObject o : readLinked(p, f, "--encryption-provider-config")) {
        if (o.kind().equals("EncryptionConfiguration")) {
          facts.add(encryption(o, nodePath(p)));
          return;
        }
      }
    });
    apiserver.flags().get("audit-policy-file").ifPresent(f -> {
      Path p = file(f.value());
      for (KubeObject o : readLinked(p, f, "--audit-policy-file")) {
        if (o.kind().equals("Policy")) {
          List<AuditPolicyFact.Level> levels = new ArrayList<>();
          for (Node r : o.root().get("rules").items()) {
            Node level = r.get("level");
            levels.add(new AuditPolicyFact.Level(level.textOr(""), at(o, level, "level")));
          }
          facts.add(new AuditPolicyFact(f.value(), p.toString(), nodePath(p), levels, at(o, o.root(), "")));
          return;
        }
      }
    });
  }

  private List<KubeObject> readLinked(Path p, Flag flag, String name) {
    if (!Files.exists(p)) {
      errors.add(new Diagnostic(flag.at().file(), flag.at().line(), flag.at().column(),
          name + " names " + flag.value() + ", which is not at " + p));
      return List.of();
    }
    return readYaml(p);
  }

  private static EncryptionConfigFact encryption(KubeObject o, String name) {
    for (Node entry : o.root().get("resources").items()) {
      boolean secrets = entry.get("resources").items().stream().map(n -> n.textOr(""))
          .anyMatch(r -> r.equals("secrets") || r.equals("*.*") || r.equals("*."));
      if (!secrets) {
        continue;
      }
      List<EncryptionConfigFact.Provider> providers = new ArrayList<>();
      for (Node p : entry.get("providers").items()) {
        Optional<MapNode> m = p.asMap();
        if (m.isEmpty() || m.get().keys().isEmpty()) {
          continue;
        }
        String type = m.get().keys().get(0);
        Node body = m.get().get(type);
        String kmsVersion = type.equals("kms") ? body.get("apiVersion").textOr("v1") : "";
        providers.add(new EncryptionConfigFact.Provider(type, kmsVersion, at(o, p, "providers")));
      }
      return new EncryptionConfigFact(o.origin().file(), name, true, providers, at(o, entry, "resources"));
    }
    Node resources = o.root().get("resources").isPresent() ? o.root().get("resources") : o.root();
    return new EncryptionConfigFact(o.origin().file(), name, false, List.of(), at(o, resources, "resources"));
  }

  private static Location at(KubeObject o, Node n, String path) {
    return new Location(o.origin().file(), n.line(), n.column(), path);
  }

  private void readPki() {
    Path pki = file("/" + PKI);
    if (!Files.isDirectory(pki)) {
      return;
    }
    try (Stream<Path> s = Files.walk(pki)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        boolean key = p.getFileName().toString().endsWith(".key");
        stat(p, key ? NodeFile.Role.PKI_KEY : NodeFile.Role.PKI_FILE, pki.relativize(p).toString());
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      errors.add(Diagnostic.ofFile(pki.toString(), "cannot list directory: " + e.getMessage()));
    }
  }

  /** Records the mode and owner of {@code p} if it exists. */
  private void stat(Path p, NodeFile.Role role, String what) {
    if (!Files.exists(p)) {
      return;
    }
    try {
      int mode = ((Number) Files.getAttribute(p, "unix:mode")).intValue() & 07777;
      int uid = ((Number) Files.getAttribute(p, "unix:uid")).intValue();
      int gid = ((Number) Files.getAttribute(p, "unix:gid")).intValue();
      String owner = users.getOrDefault(uid, String.valueOf(uid)) + ":" + groups.getOrDefault(gid, String.valueOf(gid));
      facts.add(new NodeFile(p.toString(), nodePath(p), role, what, mode, uid, gid, owner));
    } catch (IOException | UnsupportedOperationException e) {
      errors.add(Diagnostic.ofFile(p.toString(), "cannot read mode and owner: " + reason(e)));
    }
  }

  /** The objects of a YAML file, its errors added to ours. */
  private List<KubeObject> readYaml(Path p) {
    if (Files.isDirectory(p)) {
      errors.add(Diagnostic.ofFile(p.toString(), "cannot read: is a directory"));
      return List.of();
    }
    if (!Files.isReadable(p)) {
      errors.add(Diagnostic.ofFile(p.toString(), "cannot read: permission denied"));
      return List.of();
    }
    ManifestSource.Result r = new ManifestSource(new ByteArrayInputStream(new byte[0]), YamlTreeReader.Limits.DEFAULT)
        .read(List.of(p.toString()), Progress.NONE);
    errors.addAll(r.errors());
    return r.objects();
  }

  private void readSshd() {
    Path main = file("/etc/ssh/sshd_config");
    if (!Files.exists(main)) {
      return;
    }
    Map<String, SshdConfigFact.Setting> settings = new LinkedHashMap<>();
    if (sshdFile(main, settings, 0)) {
      facts.add(new SshdConfigFact(main.toString(), nodePath(main), settings));
    }
  }

  /** Reads one sshd config file into {@code settings} (first value wins); false if unreadable. */
  private boolean sshdFile(Path p, Map<String, SshdConfigFact.Setting> settings, int depth) {
    List<String> lines;
    try {
      lines = Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      errors.add(Diagnostic.ofFile(p.toString(), "cannot read: " + reason(e)));
      return false;
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] kv = line.split("[\\s=]+", 2);
      String key = kv[0].toLowerCase(Locale.ROOT);
      // sshd reads no trailing comments, but people write them; the keyword's value is what comes before
      String value = kv.length > 1 ? kv[1].replaceFirst("\\s+#.*$", "").strip() : "";
      if (key.equals("match")) {
        return true; // what follows applies only to some connections
      }
      if (key.equals("include") && depth < 8) {
        for (String pattern : value.split("\\s+")) {
          for (Path inc : glob(pattern.startsWith("/") ? pattern : "/etc/ssh/" + pattern)) {
            sshdFile(inc, settings, depth + 1);
          }
        }
        continue;
      }
      settings.putIfAbsent(key, new SshdConfigFact.Setting(kv[0], value, new Location(p.toString(), i + 1, 1, kv[0])));
    }
    return true;
  }

  /** Files matching a path whose last part may hold {@code *}, under the root, sorted. */
  private List<Path> glob(String pattern) {
    Path full = file(pattern);
    Path dir = full.getParent();
    String name = full.getFileName().toString();
    if (!name.contains("*")) {
      return Files.isRegularFile(full) ? List.of(full) : List.of();
    }
    String regex = ("\\Q" + name + "\\E").replace("*", "\\E.*\\Q");
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches(regex) && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The block device under etcd's data dir, from proc/mounts and sys/block; nothing when they are not there. */
  private void etcdDisk(String dataDir) {
    Path mounts = file("/proc/mounts");
    List<String> lines;
    try {
      lines = Files.readAllLines(mounts, StandardCharsets.UTF_8);
    } catch (IOException e) {
      notes.add(Diagnostic.ofFile(mounts.toString(), "cannot tell the device under etcd's data directory: "
          + reason(e) + "; cloud.etcd-disk-unencrypted not applicable"));
      return;
    }
    String best = "";
    String device = "";
    int line = 0;
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).split("\\s+");
      if (f.length < 2) {
        continue;
      }
      String mountPoint = f[1].replace("\\040", " ");
      boolean under = dataDir.equals(mountPoint) || dataDir.startsWith(mountPoint.endsWith("/") ? mountPoint : mountPoint + "/");
      if (under && mountPoint.length() >= best.length()) {
        best = mountPoint;
        device = f[0];
        line = i + 1;
      }
    }
    if (line == 0) {
      return;
    }
    String evidence;
    boolean encrypted;
    Optional<String> dm = deviceMapperName(device);
    if (dm.isPresent()) {
      Optional<String> crypt = cryptIn(dm.get(), 0);
      encrypted = crypt.isPresent();
      evidence = crypt.map(b -> b + " is dm-crypt (sys/block/" + b + "/dm/uuid starts with CRYPT-)")
          .orElse(dm.get() + " is a device-mapper device with no dm-crypt device under it");
    } else {
      encrypted = false;
      evidence = device.startsWith("/dev/") ? device + " is not a device-mapper (dm-crypt) device"
          : "it is a " + device + " filesystem, not a block device";
    }
    facts.add(new EtcdDiskFact(dataDir, best, device, encrypted, evidence, new Location(mounts.toString(), line, 1, "")));
  }

  /** {@code dm-3} for {@code /dev/dm-3} or {@code /dev/mapper/NAME} (found by sys/block/dm-N/dm/name). */
  private Optional<String> deviceMapperName(String device) {
    if (device.matches("/dev/dm-\\d+")) {
      return Optional.of(device.substring(5));
    }
    if (!device.startsWith("/dev/mapper/")) {
      return Optional.empty();
    }
    String name = device.substring("/dev/mapper/".length());
    try (Stream<Path> s = Files.list(file("/sys/block"))) {
      for (Path b : s.filter(p -> p.getFileName().toString().startsWith("dm-")).sorted().toList()) {
        if (read(b.resolve("dm/name")).equals(name)) {
          return Optional.of(b.getFileName().toString());
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The dm-crypt device among {@code block} and the devices under it (LVM on LUKS). */
  private Optional<String> cryptIn(String block, int depth) {
    Path dir = file("/sys/block/" + block);
    if (read(dir.resolve("dm/uuid")).startsWith("CRYPT-")) {
      return Optional.of(block);
    }
    if (depth > 8 || !Files.isDirectory(dir.resolve("slaves"))) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(dir.resolve("slaves"))) {
      for (Path slave : s.sorted().toList()) {
        Optional<String> c = cryptIn(slave.getFileName().toString(), depth + 1);
        if (c.isPresent()) {
          return c;
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** uid or gid to name, from the root's passwd or group file. */
  private Map<Integer, String> ids(String path) {
    Map<Integer, String> out = new HashMap<>();
    out.put(0, "root");
    for (String line : read(file("/" + path)).split("\n")) {
      String[] f = line.split(":");
      if (f.length > 2 && f[2].matches("\\d+")) {
        out.putIfAbsent(Integer.parseInt(f[2]), f[0]);
      }
    }
    return out;
  }

  static String reason(Exception e) {
    return dev.kapas.source.Failures.describe(e);
  }
}
