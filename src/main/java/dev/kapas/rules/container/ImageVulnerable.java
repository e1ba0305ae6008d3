package dev.kapas.rules.container;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Location;
import dev.kapas.model.Severity;
import dev.kapas.vuln.VulnerabilityFact;

/** A package inside an image is affected by a known vulnerability (OSV data). */
public final class ImageVulnerable implements FactRule<VulnerabilityFact> {
  private static final RuleSpec SPEC = RuleSpec.rule("container.image-vulnerable")
      .title("Image package with a known vulnerability")
      .severity(Severity.HIGH)
      .input(Input.IMAGE)
      .why("A package in the image is a version an advisory names as vulnerable; whoever reaches the code that uses "
          + "it can use the published exploit. The finding's severity is the advisory's (its CVSS base score, else "
          + "the database's rating).")
      .fix("Rebuild the image on a base with the fixed package version (the finding names it), or upgrade the "
          + "package in the Dockerfile; if the vulnerable code is not reachable, record that in a VEX document "
          + "(--vex) or an exception with a reason.")
      .refs("https://ossf.github.io/osv-schema/", "https://osv.dev/")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public Class<VulnerabilityFact> type() {
    return VulnerabilityFact.class;
  }

  @Override
  public boolean appliesTo(VulnerabilityFact fact) {
    return fact.inImage();
  }

  @Override
  public void check(VulnerabilityFact fact, RuleContext ctx) {
    ctx.fail(new Location(fact.image(), 0, 0, fact.match().pkg().purl()), fact.describe());
  }
}
