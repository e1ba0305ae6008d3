package dev.kapas.model;

/**
 * A fact as one container of a workload uses it through its {@code image:} (the image, its
 * signatures): findings are about the workload, at that line, and name the container.
 */
public interface ContainerUse extends FactInUse {
  /** The container that names the fact. */
  ContainerView container();

  @Override
  default KubeObject user() {
    return container().pod().object();
  }

  @Override
  default Field where() {
    return container().get("image");
  }

  @Override
  default String context() {
    return container().label();
  }
}
