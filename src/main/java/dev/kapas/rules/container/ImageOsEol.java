package dev.kapas.rules.container;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Location;
import dev.kapas.model.Severity;
import dev.kapas.source.image.DistroSupport;
import dev.kapas.source.image.ImageFact;
import dev.kapas.source.image.Inventoried;
import java.util.Optional;

/** The image's distribution release no longer gets security updates (an image read, or an SBOM naming its distribution). */
public final class ImageOsEol implements FactRule<Inventoried> {
  private static final RuleSpec SPEC = RuleSpec.rule("container.image-os-eol")
      .title("Image distribution is past its end of support")
      .severity(Severity.HIGH)
      .input(Input.IMAGE)
      .why("Once a distribution release is past its end of support (for Debian and Ubuntu, the end of LTS), no "
          + "security fixes come for its packages: every vulnerability found from then on stays, and vulnerability "
          + "scanners often stop reporting them. The release comes from the image's os-release file, the dates from "
          + "a dated data file shipped with kapas (kapas --data-info), compared with the day of the scan. An SBOM read "
          + "with `kapas image --sbom` is judged by the operating system it names.")
      .fix("Rebuild the image on a supported release of the distribution (or a minimal base such as distroless), "
          + "and rebuild regularly so the base stays current.")
      .refs("https://endoflife.date/", "https://wiki.debian.org/LTS", "https://ubuntu.com/about/release-cycle",
          "https://alpinelinux.org/releases/")
      .build();

  /** Immutable data shipped in the jar. */
  private static final DistroSupport DATA = DistroSupport.builtIn();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public Class<Inventoried> type() {
    return Inventoried.class;
  }

  @Override
  public boolean appliesTo(Inventoried image) {
    return DATA.find(image.os()).isPresent();
  }

  @Override
  public void check(Inventoried image, RuleContext ctx) {
    Optional<DistroSupport.Release> release = DATA.find(image.os());
    if (release.isPresent() && release.get().endOfSupport().isBefore(image.scannedOn())) {
      String os = image.os().prettyName().isEmpty() ? release.get().name() : image.os().prettyName();
      // an image's release is in its os-release file; an SBOM's in its operating-system component
      String where = image instanceof ImageFact ? "etc/os-release" : "os";
      ctx.fail(new Location(image.inventoryName(), 0, 0, where), image.reportNoun() + " " + image.inventoryName() + " is " + os
          + ", whose security support ended on " + release.get().endOfSupport() + " (distribution data of "
          + DATA.date() + ")");
    }
  }
}
