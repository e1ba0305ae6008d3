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
import dev.kapas.source.image.ImageError;
import dev.kapas.source.image.ImageFact;
import dev.kapas.source.image.ImageSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
      "  echo \"$TOKEN\" | kapas image --username ci --password-stdin registry.example.com/app:1.2",
      "",
      "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or config error; "
          + "3 some images could not be read (the others were checked)."
    })
public final class ImageCommand implements Callable<Integer> {
  private static final String NAME = "kapas image";
  private final Env env;

  @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image references or paths.")
  List<String> images = new ArrayList<>();

  @Mixin
  RegistryOptions registry = new RegistryOptions();

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
    Optional<RegistryOptions.Registry> reg = registry.prepare(env, NAME);
    if (reg.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    ImageSource source = reg.get().source(env);
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
    List<Rule> rules = catalog.all().stream()
        .filter(r -> r instanceof FactRule<?> f && f.type() == ImageFact.class)
        .filter(r -> !cfg.disabled().contains(r.spec().id()))
        .toList();
    Inventory inv = new Inventory(List.of(), facts, errors, List.of());
    Evaluation evaluation = new Engine(rules, new Engine.Settings(PssVersion.LATEST,
        Framework.FOUR_C.pssLevel(), cfg.params())).run(inv);
    return report.finish(NAME, prepared.get(), catalog, evaluation, Framework.FOUR_C, PssVersion.LATEST, List.of(), env,
        f -> f);
  }
}
