package dev.kapas.rules.cluster;

import dev.kapas.engine.FactRule;
import dev.kapas.engine.Input;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.Location;
import dev.kapas.model.Severity;
import dev.kapas.source.cluster.ReleaseData;
import dev.kapas.source.cluster.ServerVersionFact;
import java.util.Optional;

/** The live cluster runs a Kubernetes minor that upstream no longer patches. */
public final class VersionUnsupported implements FactRule<ServerVersionFact> {
  private static final RuleSpec SPEC = RuleSpec.rule("cluster.version-unsupported")
      .title("Kubernetes version past upstream support")
      .severity(Severity.HIGH)
      .input(Input.CLUSTER)
      .why("Upstream patches only the three most recent minor releases (about 14 months each). An older API "
          + "server, and the kubelets that go with it, get no fixes for vulnerabilities found since, however "
          + "severe; the dates come from a dated data file (kapas --data-info), updatable with --release-data.")
      .fix("Upgrade the control plane, then the nodes, one minor at a time to a supported release "
          + "(https://kubernetes.io/releases/); on a managed service use its upgrade path.")
      .refs("https://kubernetes.io/releases/", "https://kubernetes.io/releases/version-skew-policy/")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public Class<ServerVersionFact> type() {
    return ServerVersionFact.class;
  }

  @Override
  public void check(ServerVersionFact fact, RuleContext ctx) {
    ReleaseData data = fact.releases();
    int major = fact.version().major();
    int minor = fact.version().minor();
    Optional<ReleaseData.Minor> oldest = data.oldestSupported(fact.today());
    Location at = new Location(fact.origin().file(), 0, 0, "gitVersion");
    String version = fact.version().gitVersion().isEmpty() ? major + "." + minor : fact.version().gitVersion();
    Optional<ReleaseData.Minor> own = data.find(major, minor);
    if (own.isPresent() && own.get().endOfSupport().isBefore(fact.today())) {
      ctx.fail(at, "the API server runs Kubernetes " + version + "; upstream support for " + own.get().display()
          + " ended on " + own.get().endOfSupport() + oldest.map(o -> " (oldest supported minor: " + o.display() + ")")
              .orElse("") + "; release data of " + data.date());
    } else if (own.isEmpty() && oldest.isPresent() && older(major, minor, oldest.get())) {
      ctx.fail(at, "the API server runs Kubernetes " + version + ", older than the oldest supported minor "
          + oldest.get().display() + "; release data of " + data.date());
    }
  }

  private static boolean older(int major, int minor, ReleaseData.Minor than) {
    return major < than.major() || (major == than.major() && minor < than.minor());
  }
}
