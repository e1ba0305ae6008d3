package dev.kapas.source.node;

import dev.kapas.model.Location;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A component's command line as flags, parsed the way its Go flag library does: {@code --flag=value},
 * {@code --flag value} (not for boolean flags), one or two dashes, a repeated flag's last value
 * wins, list flags are comma-separated. Words that are not flags (the executable, stray
 * arguments) are kept apart.
 */
public final class Flags {
  private final Component component;
  private final List<Flag> flags;

  private Flags(Component component, List<Flag> flags) {
    this.component = component;
    this.flags = List.copyOf(flags);
  }

  /** One word of a command line and where it was written. */
  public record Word(String text, Location at) {}

  /** Parses {@code words}; the first is skipped when it is the executable (does not start with -). */
  public static Flags parse(Component component, List<Word> words) {
    List<Flag> out = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      Word w = words.get(i);
      String text = w.text().trim();
      if (!text.startsWith("-") || text.equals("-") || text.equals("--")) {
        continue;
      }
      String body = text.startsWith("--") ? text.substring(2) : text.substring(1);
      int eq = body.indexOf('=');
      if (eq >= 0) {
        out.add(new Flag(body.substring(0, eq), body.substring(eq + 1), w.at()));
      } else if (!component.isBoolean(body) && i + 1 < words.size() && !words.get(i + 1).text().startsWith("-")) {
        out.add(new Flag(body, words.get(i + 1).text(), w.at()));
        i++;
      } else {
        out.add(new Flag(body, "true", w.at()));
      }
    }
    return new Flags(component, out);
  }

  public Component component() {
    return component;
  }

  public List<Flag> all() {
    return flags;
  }

  /** The flag as set (the last occurrence wins), if it is set. */
  public Optional<Flag> get(String name) {
    for (int i = flags.size() - 1; i >= 0; i--) {
      if (flags.get(i).name().equals(name)) {
        return Optional.of(flags.get(i));
      }
    }
    return Optional.empty();
  }

  public boolean isSet(String name) {
    return get(name).filter(f -> !f.value().isBlank()).isPresent();
  }

  /** The flag's value, else the component's upstream default, else empty text. */
  public String value(String name) {
    return get(name).map(Flag::value).orElseGet(() -> component.defaultOf(name).orElse(""));
  }

  /** A boolean flag's effective value (set or default); Go accepts true/1/t/T/TRUE/True. */
  public boolean isTrue(String name) {
    return List.of("true", "1", "t").contains(value(name).trim().toLowerCase(Locale.ROOT));
  }

  /**
   * The items of a comma-separated list flag, trimmed, empties dropped. A repeated list flag
   * accumulates, as pflag's string slices do; unset, the upstream default applies.
   */
  public List<String> list(String name) {
    List<String> texts = flags.stream().filter(f -> f.name().equals(name)).map(Flag::value).toList();
    if (texts.isEmpty()) {
      texts = List.of(value(name));
    }
    return texts.stream().flatMap(t -> Arrays.stream(t.split(",")))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
