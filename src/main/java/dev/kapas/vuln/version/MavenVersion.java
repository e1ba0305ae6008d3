package dev.kapas.vuln.version;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Maven's order (the POM reference's "version order specification", as maven-artifact's
 * ComparableVersion implements it): the version is split into numbers and qualifiers at {@code .},
 * {@code -} and digit/letter transitions, a {@code -} opening a nested list; trailing nulls (0,
 * {@code ""}, {@code ga}, {@code final}, {@code release}) are dropped; known qualifiers order
 * {@code alpha < beta < milestone < rc < snapshot < "" < sp}, others after them alphabetically; a
 * qualifier directly followed by a number ({@code rc1}, {@code rc-1}) is one combined item.
 */
public final class MavenVersion implements VersionOrder {

  @Override
  public int compare(String a, String b) {
    return Integer.signum(parse(a).compareTo(parse(b)));
  }

  private sealed interface Item permits Num, Qualifier, Combination, Items {
    /** Compares with another item, or with "nothing" ({@code other == null}) when this list is longer. */
    int compareTo(Item other);

    boolean isNull();
  }

  private record Num(BigInteger value) implements Item {
    static final Num ZERO = new Num(BigInteger.ZERO);

    @Override
    public int compareTo(Item other) {
      if (other == null) {
        return value.signum() == 0 ? 0 : 1;
      }
      return other instanceof Num n ? value.compareTo(n.value) : 1;
    }

    @Override
    public boolean isNull() {
      return value.signum() == 0;
    }
  }

  private record Qualifier(String value) implements Item {
    private static final List<String> KNOWN = List.of("alpha", "beta", "milestone", "rc", "snapshot", "", "sp");
    private static final String RELEASE = String.valueOf(KNOWN.indexOf(""));

    static Qualifier of(String text, boolean followedByDigit) {
      String v = text;
      if (followedByDigit && v.length() == 1) {
        v = switch (v.charAt(0)) {
          case 'a' -> "alpha";
          case 'b' -> "beta";
          case 'm' -> "milestone";
          default -> v;
        };
      }
      return new Qualifier(v.equals("cr") ? "rc" : v);
    }

    /** A string whose plain order is the qualifier order. */
    String sortKey() {
      if (value.equals("ga") || value.equals("final") || value.equals("release")) {
        return RELEASE;
      }
      int i = KNOWN.indexOf(value);
      return i < 0 ? KNOWN.size() + "-" + value : String.valueOf(i);
    }

    @Override
    public int compareTo(Item other) {
      if (other == null) {
        return Integer.signum(sortKey().compareTo(RELEASE));
      }
      if (other instanceof Qualifier q) {
        return Integer.signum(sortKey().compareTo(q.sortKey()));
      } else if (other instanceof Combination c) {
        int r = compareTo(c.text);
        if (r != 0) {
          return r;
        }
        return compareTo(null) == 0 ? -c.number.compareTo(null) : -1;
      }
      return -1;
    }

    @Override
    public boolean isNull() {
      return value.isEmpty();
    }
  }

  /** A qualifier with its number: {@code rc1}, {@code ga-2}. */
  private record Combination(Qualifier text, Item number) implements Item {
    static Combination of(String value) {
      int digit = 0;
      for (int i = 0; i < value.length(); i++) {
        if (Character.isDigit(value.charAt(i))) {
          digit = i;
          break;
        }
      }
      return new Combination(Qualifier.of(value.substring(0, digit), true), numberItem(value.substring(digit)));
    }

    @Override
    public int compareTo(Item other) {
      if (other == null) {
        int r = text.compareTo(null);
        return r == 0 ? number.compareTo(null) : r;
      }
      if (other instanceof Qualifier q) {
        int r = text.compareTo(q);
        if (r != 0) {
          return r;
        }
        return text.compareTo(null) == 0 ? number.compareTo(null) : 1;
      } else if (other instanceof Items l) {
        return -l.compareTo(this);
      } else if (other instanceof Combination c) {
        int r = text.compareTo(c.text);
        return r != 0 ? r : number.compareTo(c.number);
      }
      return -1;
    }

    @Override
    public boolean isNull() {
      return false;
    }
  }

  private record Items(List<Item> items) implements Item {
    Items() {
      this(new ArrayList<>());
    }

    void normalize() {
      for (int i = items.size() - 1; i >= 0; i--) {
        if (!items.get(i).isNull()) {
          continue;
        }
        if (i == items.size() - 1 || items.get(i + 1) instanceof Qualifier) {
          items.remove(i);
        } else if (items.get(i + 1) instanceof Items next && !next.items.isEmpty()
            && (next.items.get(0) instanceof Combination || next.items.get(0) instanceof Qualifier)) {
          items.remove(i);
        }
      }
    }

    @Override
    public int compareTo(Item other) {
      if (other == null) {
        for (Item i : items) {
          int r = i.compareTo(null);
          if (r != 0) {
            return r;
          }
        }
        return 0;
      }
      if (other instanceof Num) {
        return -1;
      }
      if (!(other instanceof Items l)) {
        return 1; // 1-1 > 1-sp
      }
      int size = Math.max(items.size(), l.items.size());
      for (int k = 0; k < size; k++) {
        Item left = k < items.size() ? items.get(k) : null;
        Item right = k < l.items.size() ? l.items.get(k) : null;
        int r = left == null ? (right == null ? 0 : -right.compareTo(null)) : left.compareTo(right);
        if (r != 0) {
          return r;
        }
      }
      return 0;
    }

    @Override
    public boolean isNull() {
      return items.isEmpty();
    }
  }

  private static Items parse(String version) {
    String v = version.toLowerCase(Locale.ENGLISH);
    Items root = new Items();
    Items list = root;
    Deque<Items> stack = new ArrayDeque<>();
    stack.push(list);
    boolean isDigit = false;
    boolean isCombination = false;
    int start = 0;
    for (int i = 0; i < v.length(); i++) {
      int c = v.charAt(i);
      if (Character.isHighSurrogate(v.charAt(i)) && i + 1 < v.length()) {
        c = v.codePointAt(i);
        i++;
      }
      if (c == '.') {
        list.items.add(i == start ? Num.ZERO : item(isCombination, isDigit, v.substring(start, i)));
        isCombination = false;
        start = i + 1;
      } else if (c == '-') {
        if (i == start) {
          list.items.add(Num.ZERO);
        } else {
          // X-1 reads as X1
          if (!isDigit && i != v.length() - 1 && Character.isDigit(v.charAt(i + 1))) {
            isCombination = true;
            continue;
          }
          list.items.add(item(isCombination, isDigit, v.substring(start, i)));
        }
        start = i + 1;
        if (!list.items.isEmpty()) {
          list = nest(list, stack);
        }
        isCombination = false;
      } else if (c >= '0' && c <= '9') {
        if (!isDigit && i > start) {
          isCombination = true;
          if (!list.items.isEmpty()) {
            list = nest(list, stack);
          }
        }
        isDigit = true;
      } else {
        if (isDigit && i > start) {
          list.items.add(item(isCombination, true, v.substring(start, i)));
          start = i;
          list = nest(list, stack);
          isCombination = false;
        }
        isDigit = false;
      }
    }
    if (v.length() > start) {
      // 1.0.0.X1 < 1.0.0-X2: .X reads as -X for a qualifier X
      if (!isDigit && !list.items.isEmpty()) {
        list = nest(list, stack);
      }
      list.items.add(item(isCombination, isDigit, v.substring(start)));
    }
    while (!stack.isEmpty()) {
      stack.pop().normalize();
    }
    return root;
  }

  private static Items nest(Items list, Deque<Items> stack) {
    Items inner = new Items();
    list.items.add(inner);
    stack.push(inner);
    return inner;
  }

  private static Item item(boolean isCombination, boolean isDigit, String text) {
    if (isCombination) {
      return Combination.of(text.replace("-", ""));
    }
    return isDigit ? numberItem(text) : Qualifier.of(text, false);
  }

  private static Item numberItem(String digits) {
    return digits.isEmpty() ? Num.ZERO : new Num(new BigInteger(digits));
  }
}
