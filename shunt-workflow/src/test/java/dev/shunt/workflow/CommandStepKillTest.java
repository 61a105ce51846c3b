package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntTimeoutException;
import dev.shunt.StatusStore;
import dev.shunt.StepContext;
import dev.shunt.workflow.internal.ProcessTree;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopped {@link CommandStep} leaves no process behind, on Linux: whatever the command forks
 * at that moment, and whatever detached from its parent. Every process the commands start
 * carries a marker, and a scan of {@code /proc} for it finds survivors wherever they went. Runs
 * with two threads keeping the CPUs busy, as a loaded CI machine does.
 */
@EnabledOnOs(OS.LINUX)
@Tag("drill") // long: run by .ci/run through -Pdrills, not by ./mvnw install
class CommandStepKillTest {
  private static final int REPETITIONS = 200;

  @RegisterExtension
  final MarkedProcesses marked = new MarkedProcesses();

  @RegisterExtension
  final StartedProcesses processes = new StartedProcesses();

  @TempDir
  Path dir;

  private final AtomicBoolean burning = new AtomicBoolean(true);
  private final List<Thread> burners = new ArrayList<>();

  @BeforeEach
  void keepTheCpusBusy() {
    for (int i = 0; i < 2; i++) {
      Thread burner = new Thread(() -> {
        long x = 1;
        while (burning.get()) {
          x = x * 6364136223846793005L + 1442695040888963407L;
        }
        if (x == 42) {
          System.out.print("");
        }
      }, "cpu-burner-" + i);
      burner.setDaemon(true);
      burner.start();
      burners.add(burner);
    }
  }

  @AfterEach
  void stopBurning() throws InterruptedException {
    burning.set(false);
    for (Thread burner : burners) {
      burner.join();
    }
  }

  /**
   * {@code sh -c} running a loop that forks without pause: each round starts a child, a child
   * in a session of its own ({@code setsid}), one without the step's variable ({@code env -i}),
   * both orphaned at once by a parent that exits (a double fork), and one under {@code nohup}; it
   * prints {@code forking} after each round. The marker is in the shell's arguments and in the
   * environment of everything it starts.
   */
  private List<String> forkingCommand() {
    String mark = "SHUNT_TEST_MARK=" + marked.marker();
    String script = "export " + mark + "\n"
        + "while :; do\n"
        + "  sleep 30 &\n"
        + "  (setsid sleep 30 &)\n"
        + "  (env -i " + mark + " sleep 30 &)\n"
        + "  nohup sleep 30 > /dev/null 2>&1 &\n"
        + "  echo forking\n"
        + "done";
    return List.of("sh", "-c", script, marked.marker());
  }

  private void assertNoSurvivor(int repetition) throws Exception {
    List<String> survivors = marked.alive();
    if (!survivors.isEmpty()) {
      marked.killAll();
    }
    assertThat(survivors).as("processes alive after repetition %d", repetition).isEmpty();
  }

  @Test
  void commandsRunInASessionOfTheirOwnOnLinux() {
    assertThat(ProcessTree.ownSessions()).as("a setsid program that runs commands in place was found").isTrue();
  }

  @Test
  void timedOutCommandThatKeepsForkingAndDetachingLeavesNoProcess() throws Exception {
    List<String> command = forkingCommand();
    CommandStep step = CommandStep.builder().command(host -> command).timeout(Duration.ofMillis(30)).build();

    for (int repetition = 0; repetition < REPETITIONS; repetition++) {
      assertThatThrownBy(() -> step.run(RecordingContext.forHost("web-1")))
          .isInstanceOf(ShuntTimeoutException.class)
          .hasMessageEndingWith("; killed it");

      assertNoSurvivor(repetition);
    }
  }

  @Test
  void interruptedCommandThatKeepsForkingAndDetachingLeavesNoProcess() throws Exception {
    List<String> command = forkingCommand();
    CommandStep step = CommandStep.builder().command(host -> command).timeout(Duration.ofSeconds(20)).build();
    Thread runner = Thread.currentThread();

    for (int repetition = 0; repetition < REPETITIONS / 4; repetition++) {
      AtomicInteger rounds = new AtomicInteger();
      StepContext context = new LoggingContext(line -> {
        if (rounds.incrementAndGet() == 3) {
          runner.interrupt();
        }
      });

      assertThatThrownBy(() -> step.run(context)).isInstanceOf(InterruptedException.class);

      assertThat(rounds.get()).as("rounds of forking before the interrupt").isGreaterThanOrEqualTo(3);
      assertNoSurvivor(repetition);
    }
  }

  @Test
  void timeoutKillsChildrenThatDetachedFromTheCommand() throws Exception {
    String mark = "SHUNT_TEST_MARK=" + marked.marker();
    Path own = dir.resolve("own-session.pid");
    Path orphan = dir.resolve("orphan.pid");
    Path cleared = dir.resolve("cleared.pid");
    String script = "export " + mark + "\n"
        + "setsid sh -c 'echo $$ > " + own + "; exec sleep 30' &\n"
        + "(sh -c 'echo $$ > " + orphan + "; exec sleep 30' &)\n"
        + "(env -i " + mark + " sh -c 'echo $$ > " + cleared + "; exec sleep 30' &)\n"
        + "exec sleep 30";
    // Two seconds, so that even a loaded machine writes the PID files before the timeout.
    CommandStep step = CommandStep.builder().command("sh", "-c", script).timeout(Duration.ofSeconds(2)).build();

    assertThatThrownBy(() -> step.run(RecordingContext.forHost("web-1"))).isInstanceOf(ShuntTimeoutException.class);

    assertThat(StartedProcesses.goneWithin(processes.pidIn(own, Duration.ofSeconds(2)), Duration.ofSeconds(2)))
        .as("child in a session of its own killed").isTrue();
    assertThat(StartedProcesses.goneWithin(processes.pidIn(orphan, Duration.ofSeconds(2)), Duration.ofSeconds(2)))
        .as("orphaned grandchild killed").isTrue();
    assertThat(StartedProcesses.goneWithin(processes.pidIn(cleared, Duration.ofSeconds(2)), Duration.ofSeconds(2)))
        .as("orphaned grandchild without the step's variable killed").isTrue();
  }

  /** A context that hands each logged line to {@code onLine}. */
  private record LoggingContext(Consumer<String> onLine) implements StepContext {
    @Override
    public InstanceKey key() {
      return InstanceKey.of("app", "web-1");
    }

    @Override
    public StatusStore store() {
      return StatusStore.inMemory();
    }

    @Override
    public Clock clock() {
      return Clock.systemUTC();
    }

    @Override
    public void log(String line) {
      onLine.accept(line);
    }

    @Override
    public void outcome(String description) {}
  }
}
