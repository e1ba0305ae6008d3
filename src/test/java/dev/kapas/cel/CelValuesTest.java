package dev.kapas.cel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Which YAML scalars become CEL ints and doubles: the hand-written recognizers of {@link
 * CelValues} against the regular expressions they stand for (YAML 1.2's core schema, as the API
 * server's decoder reads plain scalars), on the grammar's edges and on random strings of the
 * characters that matter (seeded, so a failure names its case).
 */
class CelValuesTest {
  private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
  private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

  @Test
  void theEdgesOfTheGrammar() {
    for (String text : new String[] {"", "-", "+", ".", "0", "00", "-0", "+7", "012", "1.", ".5", "-.5e-3", "1e", "1e+",
        "1E9", "1.e5", "e5", "512Mi", "1.5.2", "\u0663", "0x1F", "1_000", " 1", "1 ", "+-1", "1e5.0", ".e1"}) {
      agree(text);
    }
  }

  @Test
  void randomStringsOfDigitsSignsDotsAndExponents() {
    Random random = new Random(18);
    String chars = "0123456789+-.eEMi ";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(8); i > 0; i--) {
        text.append(chars.charAt(random.nextInt(chars.length())));
      }
      agree(text.toString());
    }
  }

  private static void agree(String text) {
    assertThat(CelValues.isInt(text)).as("int: '%s'", text).isEqualTo(INT.matcher(text).matches());
    assertThat(CelValues.isFloat(text)).as("float: '%s'", text).isEqualTo(FLOAT.matcher(text).matches());
  }
}
