package dev.kapas.source.image;

import dev.kapas.model.ContainerView;
import dev.kapas.model.ContainerUse;
import dev.kapas.model.Field;
import java.util.Optional;

/**
 * An image as one container of a workload runs it: image rules judge the image, their findings
 * are about the workload at the container's {@code image:} line.
 */
public record ImageUse(ImageFact image, ContainerView container) implements ContainerUse {

  @Override
  public ImageFact used() {
    return image;
  }

  /**
   * Whether the pod keeps the container off UID 0 whatever the image says: {@code runAsNonRoot:
   * true} (the kubelet refuses to start an image that would run as root), or a non-zero {@code
   * runAsUser}; the container's setting wins over the pod's.
   */
  public boolean runsAsNonRoot() {
    Optional<Field> uid = container.effective("runAsUser");
    if (uid.isPresent()) {
      String v = uid.get().node().textOr("");
      if (v.matches("[0-9]+")) {
        return !v.matches("0+");
      }
    }
    return container.effective("runAsNonRoot").map(f -> f.node().textOr("").equals("true")).orElse(false);
  }

  @Override
  public String toString() {
    return "ImageUse[" + image.name() + " by " + user().ref().display() + " " + context() + "]";
  }
}
