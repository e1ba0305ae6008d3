package dev.kapas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * README's example outputs are real: every excerpt of a command that runs on {@code examples/}
 * (a block whose first line is {@code $ kapas scan|rbac ...}, or one right after a sentence naming
 * {@code `bin/kapas scan examples/...`}) is compared with what that command prints now. A line
 * {@code ...} stands for lines left out; a line ending in {@code ...} for the end of that line.
 */
class ReadmeExamplesTest {
  private static final Pattern NAMED = Pattern.compile("`bin/kapas (scan examples/[^`]*)`");

  @TestFactory
  List<DynamicTest> excerptsMatchRealOutput() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("README.md"));
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).startsWith("```")) {
        continue;
      }
      boolean plain = lines.get(i).equals("```"); // ```sh, ```yaml: commands and files, not output
      int end = lines.subList(i + 1, lines.size()).indexOf("```") + i + 1;
      List<String> block = lines.subList(i + 1, end);
      String command = null;
      List<String> expected = block;
      if (!block.isEmpty() && block.get(0).matches("\\$ kapas (scan|rbac) .*")) {
        command = block.get(0).substring("$ kapas ".length()).replaceFirst("\\s+#.*", "");
        expected = block.subList(1, block.size());
      } else {
        for (int back = i - 1; back >= Math.max(0, i - 3) && command == null; back--) {
          Matcher m = NAMED.matcher(lines.get(back));
          if (m.find()) {
            command = m.group(1);
          }
        }
      }
      if (command != null && plain) {
        String[] args = command.trim().split("\\s+");
        List<String> want = List.copyOf(expected);
        tests.add(DynamicTest.dynamicTest("README line " + (i + 1) + ": kapas " + command,
            () -> assertExcerpt(CliRun.run(args), want)));
      }
      i = end;
    }
    assertThat(tests).as("README's examples on examples/").hasSizeGreaterThanOrEqualTo(4);
    return tests;
  }

  private static void assertExcerpt(CliRun run, List<String> excerpt) {
    List<String> output = Arrays.asList((run.out() + run.err()).split("\n"));
    for (String line : excerpt) {
      if (line.isBlank() || line.strip().equals("...")) {
        continue;
      }
      if (line.endsWith("...")) {
        String start = line.substring(0, line.length() - 3).stripTrailing();
        assertThat(output).as("a line starting with: " + start).anyMatch(l -> l.startsWith(start));
      } else {
        assertThat(output).as("the line: " + line).contains(line);
      }
    }
  }
}
