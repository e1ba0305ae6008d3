package dev.kapas.rules.cluster;

import dev.kapas.source.node.Component;
import java.util.List;

/** A flag rule about kube-apiserver alone. */
abstract class ApiserverRule extends ComponentRule {
  @Override
  final List<Component> components() {
    return List.of(Component.APISERVER);
  }
}
