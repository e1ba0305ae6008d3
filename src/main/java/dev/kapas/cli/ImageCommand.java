package dev.kapas.cli;

import dev.kapas.engine.Engine;
import dev.kapas.engine.Evaluation;
import dev.kapas.engine.FactRule;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Fact;
import dev.kapas.policy.Config;
import dev.kapas.policy.Framework;
import dev.kapas.source.image.Credentials;
import dev.kapas.source.image.ImageError;
import dev.kapas.source.image.ImageFact;
import dev.kapas.source.image.ImageSource;
import dev.kapas.source.image.Platform;
import dev.kapas.source.image.RegistryClient;
import dev.kapas.source.image.sign.ImageSignatures;
import dev.kapas.source.image.sign.SignatureFact;
import dev.kapas.source.image.sign.TrustedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kapas image}: what is inside container images, and the image rules. */
@Command(
    name = "image",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Open container images and check them: the config (user, environment, exposed ports, history), "
          + "the distribution (os-release) and the files of every layer.",
      "",
      "IMAGE is a path to an OCI image layout directory, a `docker save` tar or an OCI archive tar, or else a "
          + "registry reference (nginx, registry.example.com/team/app:1.2, app@sha256:...). Every blob's sha256 is "
          + "checked; layers (gzip, zstd or plain tar) are streamed once, nothing is written to disk.",
      "",
      "Registry credentials: --username with --password-stdin, else ~/.docker/config.json ($DOCKER_CONFIG): "
          + "credHelpers, auths, credsStore (docker-credential-NAME programs). Anonymous when there are none.",
      "",
      "Examples:",
      "  kapas image alpine:3.19",
      "  docker save app:dev -o app.tar && kapas image app.tar",
      "  kapas image --insecure-registry localhost:5000 localhost:5000/app:1.0 -f json -o app.json",
      "  kapas image --key cosign.pub registry.example.com/app:1.2",
      "  echo \"$TOKEN\" | kapas image --username ci --password-stdin registry.example.com/app:1.2",
      "",
      "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or config error; "
          + "3 some images could not be read (the others were checked)."
    })
public final class ImageCommand implements Callable<Integer> {
  private static final String NAME = "kapas image";
  /** Images whose signatures are looked up at the same time. */
  private static final int SIGNATURE_CHECKS = 8;
  private final Env env;

  @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image references or paths.")
  List<String> images = new ArrayList<>();

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Which image of a multi-platform index to read (default: linux/<this machine's architecture>).")
  String platform;

  @Option(names = "--username", paramLabel = "USER", description = "Registry user, for every registry named.")
  String username;

  @Option(names = "--password-stdin", description = "Read the registry password or token from stdin.")
  boolean passwordStdin;

  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
      description = "Speak plain HTTP to this registry. Repeatable.")
  List<String> insecure = new ArrayList<>();

  @Option(names = "--ca-file", paramLabel = "FILE",
      description = "PEM certificates to trust besides the system's, for a registry with a private CA.")
  Path caFile;

  @Option(names = "--key", paramLabel = "FILE",
      description = "A cosign public key (PEM: ECDSA, RSA or Ed25519) every image must carry a valid signature by "
          + "(container.image-unsigned, container.image-signature-invalid). Repeatable: any one key will do.")
  List<Path> keys = new ArrayList<>();

  @Mixin
  ReportOptions report = new ReportOptions();

  ImageCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    RuleCatalog catalog = RuleCatalog.builtIn();
    Optional<ReportOptions.Prepared> prepared = report.prepare(catalog, env, NAME);
    if (prepared.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    Config cfg = prepared.get().config();
    Optional<Platform> wanted = platform == null ? Optional.of(Platform.current()) : Platform.parse(platform);
    if (wanted.isEmpty()) {
      return usage("--platform: `" + platform + "` is not OS/ARCH[/VARIANT], such as linux/amd64 or linux/arm64/v8");
    }
    if (passwordStdin != (username != null)) {
      return usage("--username and --password-stdin go together");
    }
    Optional<Credentials.Login> login = Optional.empty();
    if (passwordStdin) {
      try {
        String secret = new String(env.in().readNBytes(1 << 16), StandardCharsets.UTF_8).strip();
        if (secret.isEmpty()) {
          return usage("--password-stdin: stdin is empty");
        }
        login = Optional.of(new Credentials.Login(username, secret));
      } catch (IOException e) {
        return usage("--password-stdin: cannot read stdin: " + e.getMessage());
      }
    }
    if (caFile != null && !Files.isRegularFile(env.workingDir().resolve(caFile))) {
      return usage("--ca-file " + caFile + ": no such file");
    }
    RegistryClient client;
    try {
      Credentials credentials = Credentials.load(login, Credentials.dockerConfigFile(env.variables()));
      RegistryClient.Options options = RegistryClient.Options.defaults();
      client = new RegistryClient(new RegistryClient.Options(new LinkedHashSet<>(insecure),
          Optional.ofNullable(caFile).map(env.workingDir()::resolve), options.attempts(), options.firstPause()),
          credentials);
    } catch (ImageError e) {
      return usage(e.getMessage());
    }
    List<TrustedKey> trusted = new ArrayList<>();
    for (Path k : keys) {
      try {
        trusted.add(TrustedKey.read(env.workingDir().resolve(k), k.toString()));
      } catch (ImageError e) {
        return usage("--key " + e.getMessage());
      }
    }
    ImageSignatures signatures = new ImageSignatures(client, cfg.imagePolicy().withKeys(trusted));
    ImageSource source = new ImageSource(client, wanted.get(), ImageSource::noPackages, env.workingDir(), env.today());
    List<Fact> facts = new ArrayList<>();
    List<Diagnostic> errors = new ArrayList<>();
    for (String image : new LinkedHashSet<>(images)) {
      try {
        ImageSource.Result r = source.read(image);
        r.image().ifPresent(facts::add);
        r.problems().forEach(p -> errors.add(Diagnostic.ofFile(image, p)));
      } catch (ImageError e) {
        errors.add(Diagnostic.ofFile(image, e.getMessage()));
      }
    }
    List<Diagnostic> notes = new ArrayList<>();
    List<ImageFact> read = facts.stream().map(ImageFact.class::cast).toList();
    for (ImageSignatures.Checked c : signatures.checkAll(read, SIGNATURE_CHECKS)) {
      facts.addAll(c.facts());
      c.error().ifPresent(e -> errors.add(Diagnostic.ofFile(c.image().name(), e)));
      c.note().ifPresent(n -> notes.add(Diagnostic.ofFile(c.image().name(), n)));
    }
    List<Rule> rules = catalog.all().stream()
        .filter(r -> r instanceof FactRule<?> f && (f.type() == ImageFact.class || f.type() == SignatureFact.class))
        .filter(r -> !cfg.disabled().contains(r.spec().id()))
        .toList();
    Inventory inv = new Inventory(List.of(), facts, errors, notes);
    Evaluation evaluation = new Engine(rules, new Engine.Settings(PssVersion.LATEST,
        Framework.FOUR_C.pssLevel(), cfg.params())).run(inv);
    return report.finish(NAME, prepared.get(), catalog, evaluation, Framework.FOUR_C, PssVersion.LATEST, List.of(), env,
        f -> f);
  }

  private int usage(String message) {
    env.err().println(NAME + ": " + message);
    return ExitCode.USAGE.code();
  }
}
