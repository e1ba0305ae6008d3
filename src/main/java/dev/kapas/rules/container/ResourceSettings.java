package dev.kapas.rules.container;

import dev.kapas.engine.RuleContext;
import dev.kapas.model.ContainerList;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import java.util.regex.Pattern;

/**
 * A container's {@code resources}, read as the kubelet reads them: ephemeral containers may not
 * set resources at all, a zero limit is no limit, a missing request defaults to the limit, and a
 * pod-level {@code spec.resources} (PodLevelResources) bounds every container of the pod.
 */
final class ResourceSettings {
  private static final Pattern ZERO = Pattern.compile("[+-]?(0+(\\.0*)?|\\.0+)([eE][+-]?[0-9]+|[A-Za-z]{0,2})");

  private ResourceSettings() {}

  /** Ephemeral containers run on the pod's resources; the API rejects {@code resources} on them. */
  static boolean applies(ContainerView container) {
    return container.list() != ContainerList.EPHEMERAL;
  }

  /**
   * Reports a container whose {@code limits.<resource>} is missing or zero, unless the pod sets
   * a non-zero limit for the whole pod.
   */
  static void checkLimit(ContainerView container, String resource, RuleContext ctx) {
    Field limit = container.get("resources", "limits", resource);
    if (!applies(container) || isSet(limit) || isSet(container.pod().spec().path("resources", "limits", resource))) {
      return;
    }
    ctx.fail(limit, limit.node().text().isPresent()
        ? container.label() + " sets `limits." + resource + ": " + limit.node().textOr("")
            + "`, which the kubelet treats as no limit"
        : container.label() + " sets no " + resource + " limit (`resources.limits." + resource + "`)");
  }

  /** Whether the container gets a request for {@code resource}: its own, its limit, or the pod's. */
  static boolean hasRequest(ContainerView container, String resource) {
    Field pod = container.pod().spec().get("resources");
    return isSet(container.get("resources", "requests", resource))
        || isSet(container.get("resources", "limits", resource))
        || isSet(pod.path("requests", resource)) || isSet(pod.path("limits", resource));
  }

  private static boolean isSet(Field quantity) {
    return quantity.node().text().filter(t -> !t.isBlank() && !ZERO.matcher(t.trim()).matches()).isPresent();
  }
}
