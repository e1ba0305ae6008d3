package dev.kapas.rules.container;

import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads a container's {@code securityContext.capabilities} lists. */
final class CapabilityNames {
  private CapabilityNames() {}

  /** The items of {@code capabilities.add} or {@code capabilities.drop}, each with its position. */
  static List<Field> items(ContainerView container, String list) {
    Field field = container.securityContext().path("capabilities", list);
    List<Field> out = new ArrayList<>();
    for (int i = 0; i < field.node().size(); i++) {
      out.add(field.get(i));
    }
    return out;
  }

  /**
   * The capability an item names, as the runtimes read it: case-insensitive, with or without the
   * {@code CAP_} prefix ({@code cap_sys_admin} is SYS_ADMIN).
   */
  static String name(Field item) {
    String text = item.node().textOr("").trim().toUpperCase(Locale.ROOT);
    return text.startsWith("CAP_") ? text.substring(4) : text;
  }

  /** True when one of {@code items} names {@code capability} or ALL. */
  static boolean coversOrAll(List<Field> items, String capability) {
    return items.stream().map(CapabilityNames::name).anyMatch(n -> n.equals(capability) || n.equals("ALL"));
  }
}
