package dev.kapas.cel;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.types.CelType;
import dev.cel.runtime.CelFunctionBinding;
import java.util.List;

/** One of the Kubernetes CEL libraries: its declarations for the checker and its Java implementations. */
interface Library {
  List<CelFunctionDecl> declarations();

  List<CelFunctionBinding> bindings();

  /** Opaque types it adds, so {@code type(x) == net.IP} resolves. */
  default List<CelType> types() {
    return List.of();
  }
}
