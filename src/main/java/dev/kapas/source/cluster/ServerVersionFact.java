package dev.kapas.source.cluster;

import dev.kapas.model.Fact;
import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;
import java.time.LocalDate;

/**
 * A live cluster's API server version ({@code /version}), with the release data to judge it by
 * and the day of the scan.
 */
public record ServerVersionFact(String context, ClusterSource.ServerVersion version, ReleaseData releases,
    LocalDate today) implements Fact {

  @Override
  public ObjectRef ref() {
    return new ObjectRef("", "ServerVersion", "", context);
  }

  @Override
  public Origin origin() {
    return new Origin("cluster/" + context + "/version", 0, 0, 0);
  }
}
