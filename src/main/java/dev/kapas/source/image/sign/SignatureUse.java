package dev.kapas.source.image.sign;

import dev.kapas.model.ContainerUse;
import dev.kapas.model.ContainerView;

/**
 * An image's signature check as one container of a workload runs the image ({@code kapas scan
 * --images}, {@code kapas cluster --images}): the signature rules judge the check, their
 * findings are about the workload at the container's {@code image:} line.
 */
public record SignatureUse(SignatureFact used, ContainerView container) implements ContainerUse {
  @Override
  public String toString() {
    return "SignatureUse[" + used.name() + " by " + user().ref().display() + " " + context() + "]";
  }
}
