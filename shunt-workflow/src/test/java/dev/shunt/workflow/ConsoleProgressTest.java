package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link RolloutListener#console(PrintStream, ConsoleProgress)}: the status line, plain counts, quiet. */
class ConsoleProgressTest {
  private static final String ERASE = "\r\u001b[2K";
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private String roll(ConsoleProgress progress, int hosts, int batchSize, int linesPerHost) {
    List<String> names = IntStream.rangeClosed(1, hosts).mapToObj(i -> "web-" + i).toList();
    Rollout.builder().service("checkout").hosts(names).store(StatusStore.inMemory()).batchSize(batchSize)
        .listener(RolloutListener.console(new PrintStream(bytes, true, StandardCharsets.UTF_8), progress))
        .step(ShuntStep.shunt(ShuntRequest.of("deploy", "ci")))
        .step(Step.named("restart", context -> {
          for (int i = 0; i < linesPerHost; i++) {
            context.log("line " + i + " of " + context.host());
          }
        }))
        .step(ShuntStep.unshunt())
        .build().run();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void statusLineStaysBelowEveryEventLineWhileHostsLogAtOnce() {
    String text = roll(ConsoleProgress.STATUS_LINE, 16, 16, 40);

    assertThat(text).contains(ERASE, "\r[checkout] [");
    List<String> lines = List.of(text.split("\n"));
    int summary = lines.indexOf(lines.stream().filter(line -> line.startsWith("checkout: rollout completed"))
        .findFirst().orElseThrow());
    // Whatever a line holds before its last erase was the status line; after it, one whole event line.
    for (String line : lines.subList(0, summary)) {
      String event = line.substring(line.lastIndexOf(ERASE) < 0 ? 0 : line.lastIndexOf(ERASE) + ERASE.length());
      assertThat(event).matches(" *\\d+\\.\\d{3}s \\[[\\w-]+] .+").doesNotContain("\r", "\u001b");
    }
    for (int host = 1; host <= 16; host++) {
      for (int i = 0; i < 40; i++) {
        assertThat(text).contains("[web-" + host + "]   line " + i + " of web-" + host + "\n");
      }
    }
    assertThat(String.join("\n", lines.subList(summary, lines.size()))).doesNotContain("\r", "\u001b");
    assertThat(Thread.getAllStackTraces().keySet()).filteredOn(thread -> thread.getName().equals("shunt-progress"))
        .allMatch(ConsoleProgressTest::endsWithinTenSeconds, "ends, as it was told to");
  }

  private static boolean endsWithinTenSeconds(Thread thread) {
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  @Test
  void plainProgressIsALineOfCountsAfterEachHostWithoutAnEscapeCode() {
    String text = roll(ConsoleProgress.PLAIN, 3, 1, 1);

    assertThat(text).doesNotContain("\u001b").doesNotContain("\r")
        .containsPattern("\\[checkout] progress: 1/3 done, 0 in progress, 0 failed, 2 left; batch 1/3; \\d+ s elapsed,"
            + " about \\d+ s left\n")
        .contains("progress: 3/3 done, 0 in progress, 0 failed, 0 left; batch 3/3");
  }

  @Test
  void consoleOnAStreamThatIsNotStandardOutputIsPlain() {
    RolloutListener listener = RolloutListener.console(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    Rollout.builder().service("checkout").hosts(List.of("web-1")).store(StatusStore.inMemory()).listener(listener)
        .step(Step.named("restart", context -> { })).build().run();

    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("[checkout] progress: 1/1 done")
        .doesNotContain("\u001b");
  }

  @Test
  void quietPrintsTheWarningsAndTheSummaryOnly() {
    String text = roll(ConsoleProgress.QUIET, 2, 1, 3);

    assertThat(text).contains("[checkout] WARNING: the steps shunt hosts but no step waits for the drain",
        "checkout: rollout completed").doesNotContain("[web-1]", "progress:", "line 0", "\u001b");
  }
}
