package dev.kapas.rules.container;

import dev.kapas.engine.ContainerRule;
import dev.kapas.engine.RuleContext;
import dev.kapas.engine.RuleSpec;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Severity;
import java.util.List;
import java.util.Locale;

/** Images should come only from registries the organisation controls or vets. */
public final class ImageRegistryUntrusted implements ContainerRule {
  static final String PARAM = "trustedRegistries";

  private static final RuleSpec SPEC = RuleSpec.rule("container.image-registry-untrusted")
      .title("Image from an untrusted registry")
      .severity(Severity.MEDIUM)
      .why("An image from an arbitrary registry bypasses the organisation's scanning, signing "
          + "and retention, and typosquatted public images are a known supply-chain attack. The "
          + "rule runs only when `trustedRegistries` is set. References are normalised as the "
          + "kubelet does, so `nginx` is `docker.io/library/nginx`. All three container lists "
          + "are checked.")
      .fix("Mirror the image into a trusted registry and reference it there, or add the registry "
          + "to `rules.container.image-registry-untrusted.trustedRegistries` in .kapas.yaml.")
      .refs("https://kubernetes.io/docs/concepts/containers/images/")
      .control("nsa", "Pod security: building secure container images")
      .requiredParam(PARAM, "The rule runs only when this is set. Registries images may come from: a host with optional port (`registry.example.com`, "
          + "`localhost:5000`), `*.` for any subdomain (`*.dkr.ecr.eu-west-1.amazonaws.com`), or a "
          + "host with a path prefix (`ghcr.io/acme`, `docker.io/library`). `docker.io` covers "
          + "images written without a registry.")
      .build();

  @Override
  public RuleSpec spec() {
    return SPEC;
  }

  @Override
  public void check(ContainerView container, RuleContext ctx) {
    List<String> trusted = ctx.param(PARAM);
    ContainerImage.of(container)
        .filter(image -> trusted.stream().noneMatch(entry -> trusts(entry, image.ref())))
        .ifPresent(image -> ctx.fail(image.field(), container.label() + " uses image `" + image.written()
            + "` from registry `" + image.ref().registry() + "`, which is not in " + PARAM));
  }

  static boolean trusts(String entry, ImageRef ref) {
    String e = entry.trim();
    while (e.endsWith("/")) {
      e = e.substring(0, e.length() - 1);
    }
    int slash = e.indexOf('/');
    String host = (slash < 0 ? e : e.substring(0, slash)).toLowerCase(Locale.ROOT);
    String prefix = slash < 0 ? "" : e.substring(slash + 1);
    if (host.equals("index.docker.io") || host.equals("registry-1.docker.io")) {
      host = ImageRef.DOCKER_HUB;
    }
    String registry = ref.registry().toLowerCase(Locale.ROOT);
    // a wildcard names hosts, whatever port they serve on
    String registryHost = registry.startsWith("[") ? registry : registry.replaceFirst(":[0-9]+$", "");
    boolean hostMatches = host.startsWith("*.")
        ? registryHost.endsWith(host.substring(1)) && registryHost.length() > host.length() - 1
        : registry.equals(host);
    return hostMatches && (prefix.isEmpty() || ref.repository().equals(prefix)
        || ref.repository().startsWith(prefix + "/"));
  }
}
