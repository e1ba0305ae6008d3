package dev.kapas.rules.container;

import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import java.util.Optional;

/**
 * A container's {@code image}: the field, the text as written (for messages) and the parsed
 * reference. Containers without an image, or with one the kubelet cannot parse (it fails them
 * with InvalidImageName), have none: the image rules have nothing to judge.
 */
record ContainerImage(Field field, String written, ImageRef ref) {

  static Optional<ContainerImage> of(ContainerView container) {
    Field field = container.get("image");
    String written = field.node().textOr("");
    return ImageRef.parse(written).map(ref -> new ContainerImage(field, written, ref));
  }
}
