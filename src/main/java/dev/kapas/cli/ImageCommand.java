package dev.kapas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kapas.engine.Engine;
import dev.kapas.engine.Evaluation;
import dev.kapas.engine.FactRule;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.Rule;
import dev.kapas.engine.RuleCatalog;
import dev.kapas.inventory.Inventory;
import dev.kapas.model.Diagnostic;
import dev.kapas.model.Fact;
import dev.kapas.model.Finding;
import dev.kapas.policy.Config;
import dev.kapas.policy.Framework;
import dev.kapas.source.image.ImageError;
import dev.kapas.source.image.ImageFact;
import dev.kapas.source.image.ImageSource;
import dev.kapas.source.image.OsRelease;
import dev.kapas.source.image.Platform;
import dev.kapas.source.image.RegistryClient;
import dev.kapas.source.image.SbomFact;
import dev.kapas.source.image.catalog.SbomReader;
import dev.kapas.source.image.sign.ImagePolicy;
import dev.kapas.source.image.sign.ImageSignatures;
import dev.kapas.source.image.sign.SbomAttestationFact;
import dev.kapas.source.image.sign.SignatureFact;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kapas image}: what is inside container images, their known vulnerabilities, and the image rules. */
@Command(
    name = "image",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Open container images and check them: the config (user, environment, exposed ports, history), "
          + "the distribution (os-release), the files of every layer and the packages installed.",
      "",
      "IMAGE is a path to an OCI image layout directory, a `docker save` tar or an OCI archive tar, or else a "
          + "registry reference (nginx, registry.example.com/team/app:1.2, app@sha256:...). Every blob's sha256 is "
          + "checked; layers (gzip, zstd or plain tar) are streamed once, nothing is written to disk.",
      "",
      "Packages: dpkg, rpm and apk databases, jars (nested too), node_modules, Python dist-info/egg-info and Go "
          + "binaries, each with the layer that brought it; listed in the JSON report, or written as an SBOM with "
          + "-f cyclonedx (CycloneDX 1.6) or -f spdx-json (SPDX 2.3). --sbom FILE reads a CycloneDX or SPDX JSON "
          + "SBOM (kapas', Syft's, Trivy's) instead of an image.",
      "",
      "Vulnerabilities: the packages are matched against the offline database of `kapas db update` "
          + "(container.image-vulnerable; distribution packages by source package and release). Without a "
          + "database this is noted and the image rules still run. With --sbom-attestation use, a verified CycloneDX "
          + "or SPDX attestation of the image (cosign attest) is matched instead of the catalogued packages.",
      "",
      "Registry credentials: --username with --password-stdin, else ~/.docker/config.json ($DOCKER_CONFIG): "
          + "credHelpers, auths, credsStore (docker-credential-NAME programs). Anonymous when there are none.",
      "",
      "Examples:",
      "  kapas image alpine:3.19",
      "  docker save app:dev -o app.tar && kapas image app.tar",
      "  kapas image app.tar -f cyclonedx -o app.cdx.json",
      "  kapas image --sbom app.spdx.json --ignore-unfixed",
      "  kapas image --insecure-registry localhost:5000 localhost:5000/app:1.0 -f json -o app.json",
      "  kapas image --key cosign.pub registry.example.com/app:1.2",
      "  kapas image --key cosign.pub --sbom-attestation use registry.example.com/app:1.2",
      "  echo \"$TOKEN\" | kapas image --username ci --password-stdin registry.example.com/app:1.2",
      "",
      "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or config error (or --db "
          + "names no database); 3 some images or SBOMs could not be read (the others were checked)."
    })
public final class ImageCommand implements Callable<Integer> {
  private static final String NAME = "kapas image";
  /** Images whose signatures are looked up at the same time. */
  private static final int SIGNATURE_CHECKS = 8;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Env env;

  @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "Image references or paths.")
  List<String> images = new ArrayList<>();

  @Option(names = "--sbom", paramLabel = "FILE",
      description = "Read the packages from this CycloneDX or SPDX JSON SBOM instead of an image. Repeatable.")
  List<Path> sboms = new ArrayList<>();

  @Option(names = "--sbom-attestation", paramLabel = "MODE", defaultValue = "ignore",
      description = "use: match the vulnerabilities of an image read from a registry against the packages of its "
          + "CycloneDX or SPDX attestation (cosign attest --type cyclonedx|spdxjson), when a --key or an imagePolicy "
          + "entry that applies to the image verifies it, instead of the packages catalogued from its layers; "
          + "ignore (the default): always the layers'.")
  String sbomAttestation = "ignore";

  @Mixin
  RegistryOptions registry = new RegistryOptions();

  @Option(names = "--timings", description = "Say on stderr where each image's time went (pull, decompress, catalogue) and how long "
      + "matching took.")
  boolean timings;

  @Mixin
  VulnOptions vuln = new VulnOptions();

  @Mixin
  SigningKeys signing = new SigningKeys();

  @Mixin
  ReportOptions report = new ReportOptions();

  ImageCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    RuleCatalog catalog = RuleCatalog.builtIn();
    report.sbomFormats = true;
    Optional<ReportOptions.Prepared> prepared = report.prepare(catalog, env, NAME);
    if (prepared.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    Config cfg = prepared.get().config();
    if (images.isEmpty() && sboms.isEmpty()) {
      return usage("name an IMAGE, or an SBOM with --sbom FILE");
    }
    Optional<ReportOptions.ReportTarget> sbomOut = prepared.get().targets().stream().filter(t -> t.format().isSbom())
        .findFirst();
    if (sbomOut.isPresent() && new LinkedHashSet<>(images).size() + sboms.size() != 1) {
      return usage("--format " + sbomOut.get().format().id() + " writes the SBOM of one image; name one image (or one "
          + "--sbom FILE)");
    }
    try {
      vuln.validate(env);
    } catch (VulnOptions.UsageException e) {
      return usage(e.getMessage());
    }
    boolean matchVulnerabilities = vuln.databaseExists(env);
    if (!matchVulnerabilities && vuln.databaseNamed()) {
      return usage("--db " + vuln.db + ": no vulnerability database there: run `kapas db update --db " + vuln.db
          + "` (or `kapas db import`)");
    }
    Optional<RegistryOptions.Registry> reg = registry.prepare(env, NAME);
    if (reg.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    ImageSource source = reg.get().source(env);
    Optional<ImagePolicy> policy = signing.policy(cfg.imagePolicy(), env, NAME);
    if (policy.isEmpty()) {
      return ExitCode.USAGE.code();
    }
    if (!List.of("ignore", "use").contains(sbomAttestation)) {
      return usage("--sbom-attestation: expected use or ignore, not `" + sbomAttestation + "`");
    }
    boolean useSbomAttestations = sbomAttestation.equals("use");
    if (useSbomAttestations && policy.get().isEmpty()) {
      return usage("--sbom-attestation use: an SBOM attestation is used only when it verifies: give --key FILE or "
          + "imagePolicy entries (keys or keyless) in .kapas.yaml");
    }
    ImageSignatures signatures = new ImageSignatures(policy.get(), useSbomAttestations);
    List<Fact> facts = new ArrayList<>();
    List<Diagnostic> errors = new ArrayList<>();
    List<Diagnostic> notes = new ArrayList<>();
    List<VulnOptions.Scanned> scanned = new ArrayList<>();
    for (String image : new LinkedHashSet<>(images)) {
      long start = System.nanoTime();
      try {
        ImageSource.Result r = source.read(image);
        r.image().ifPresent(f -> {
          facts.add(f);
          scanned.add(new VulnOptions.Scanned(image, f.packages()));
        });
        r.problems().forEach(p -> errors.add(Diagnostic.ofFile(image, p)));
        r.notes().forEach(n -> notes.add(Diagnostic.ofFile(image, n)));
        if (timings) {
          env.err().printf(Locale.ROOT, "%s: %s: %.2f s: pull %.2f s, decompress %.2f s, catalogue %.2f s; %d packages%n",
              NAME, image, seconds(System.nanoTime() - start), seconds(r.timings().pullNanos()),
              seconds(r.timings().decompressNanos()), seconds(r.timings().catalogueNanos()),
              r.image().map(f -> f.packages().size()).orElse(0));
        }
      } catch (ImageError e) {
        errors.add(Diagnostic.ofFile(image, e.getMessage()));
      }
    }
    for (Path file : sboms) {
      try {
        SbomReader.Contents c = SbomReader.read(env.workingDir().resolve(file));
        OsRelease os = c.os().map(o -> new OsRelease(o.id(), o.versionId(), o.prettyName())).orElse(OsRelease.NONE);
        facts.add(new SbomFact(file.toString(), c.format(), c.subject(), os, c.packages(), env.today()));
        scanned.add(new VulnOptions.Scanned(file.toString(), c.packages()));
      } catch (SbomReader.NotAnSbomException e) {
        errors.add(new Diagnostic(file.toString(), e.line(), 0, e.problem()));
      }
    }
    List<ImageSignatures.Target> read = facts.stream().filter(ImageFact.class::isInstance)
        .map(f -> new ImageSignatures.Target((ImageFact) f, reg.get().client())).toList();
    for (ImageSignatures.Checked c : signatures.checkAll(read, SIGNATURE_CHECKS)) {
      facts.addAll(c.facts());
      c.error().ifPresent(e -> errors.add(Diagnostic.ofFile(c.image().name(), e)));
      c.note().ifPresent(n -> notes.add(Diagnostic.ofFile(c.image().name(), n)));
      c.sbom().ifPresent(a -> useAttestation(c.image(), a, scanned, facts, notes));
    }
    UnaryOperator<List<Finding>> adjust = f -> f;
    if (matchVulnerabilities) {
      try {
        vuln.measureCpu = timings;
        VulnOptions.Matched matched = vuln.match(scanned, env, Instant.now());
        facts.addAll(matched.facts());
        if (timings) {
          env.err().println(NAME + ": " + matched.timing());
        }
        matched.notes().forEach(n -> notes.add(Diagnostic.ofFile(NAME, n)));
        adjust = matched.adjust();
      } catch (VulnOptions.UsageException e) {
        return usage(e.getMessage());
      }
    } else {
      String why = "no vulnerability database in " + vuln.dbDir(env) + ": container.image-vulnerable was not "
          + "checked; run `kapas db update` (or `kapas db import FILE.zip` without network)";
      env.err().println(NAME + ": " + why);
      notes.add(Diagnostic.ofFile(NAME, why));
    }
    List<Rule> rules = catalog.all().stream()
        .filter(r -> r instanceof FactRule<?> f && (f.type().isAssignableFrom(ImageFact.class) || f.type() == SignatureFact.class
            || (matchVulnerabilities && r.spec().id().equals("container.image-vulnerable"))))
        .filter(r -> !cfg.disabled().contains(r.spec().id()))
        .toList();
    Inventory inv = new Inventory(List.of(), facts, errors, notes);
    Evaluation evaluation = new Engine(rules, new Engine.Settings(PssVersion.LATEST,
        Framework.FOUR_C.pssLevel(), cfg.params())).run(inv);
    return report.finish(NAME, prepared.get(), catalog, evaluation, Framework.FOUR_C, PssVersion.LATEST, List.of(), env,
        adjust);
  }

  /**
   * Matches {@code image}'s vulnerabilities against the packages of its verified SBOM attestation
   * instead of the catalogued ones, and says so (a fact in the report, a note); a predicate that is
   * not an SBOM leaves the catalogue in place, with a note.
   */
  private static void useAttestation(ImageFact image, ImageSignatures.SbomAttestation a,
      List<VulnOptions.Scanned> scanned, List<Fact> facts, List<Diagnostic> notes) {
    String source = "SBOM attestation at " + a.where();
    SbomReader.Contents c;
    try {
      JsonNode predicate = a.predicate().isTextual() ? JSON.readTree(a.predicate().asText()) : a.predicate();
      SbomReader.Contents read = SbomReader.read(predicate, source);
      OsRelease os = image.os();
      c = os.known() ? read.on(new dev.kapas.source.image.catalog.OsRelease(os.id(), os.versionId(), os.id(),
          os.prettyName())) : read;
    } catch (SbomReader.NotAnSbomException | IOException e) {
      notes.add(Diagnostic.ofFile(image.name(), "the " + source + " verifies but its predicate is not a CycloneDX or "
          + "SPDX JSON SBOM (" + (e instanceof SbomReader.NotAnSbomException n ? n.problem() : e.getMessage())
          + "): its packages are catalogued from its layers"));
      return;
    }
    scanned.replaceAll(s -> s.image().equals(image.name()) ? new VulnOptions.Scanned(s.image(), c.packages()) : s);
    facts.add(new SbomAttestationFact(image.name(), image.digest(), a.where(), a.predicateType(), c.format(), a.policy(),
        a.signer(), c.packages().size()));
    notes.add(Diagnostic.ofFile(image.name(), "vulnerabilities matched against the " + c.packages().size()
        + " packages of its " + c.format() + " " + source + " (verified for policy " + a.policy() + " by " + a.signer()
        + "), not those catalogued from its layers"));
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private int usage(String message) {
    env.err().println(NAME + ": " + message);
    return ExitCode.USAGE.code();
  }
}
