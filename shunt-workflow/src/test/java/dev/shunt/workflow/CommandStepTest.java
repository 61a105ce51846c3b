package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.ShuntTimeoutException;
import dev.shunt.StatusStore;
import dev.shunt.StepFailedException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CommandStepTest {
  private final RecordingContext context = RecordingContext.forHost("web-1");

  @TempDir
  Path dir;


  @RegisterExtension
  final StartedProcesses processes = new StartedProcesses();

  private static CommandStep shell(String script) {
    return CommandStep.builder().command("sh", "-c", script).timeout(Duration.ofSeconds(10)).build();
  }

  private long pidIn(Path file) throws Exception {
    return processes.pidIn(file, Duration.ofSeconds(2));
  }

  /** Whether the process is gone within a short grace (a killed process needs a moment to be reaped). */
  private static boolean goneSoon(long pid) throws InterruptedException {
    return StartedProcesses.goneWithin(pid, Duration.ofSeconds(2));
  }

  @Test
  void replacesHostInEveryArgument() throws Exception {
    CommandStep.builder().command("sh", "-c", "printf '%s\\n' \"$@\"", "sh", "{host}", "app@{host}:8080").build()
        .run(context);

    assertThat(context.lines()).containsExactly("web-1", "app@web-1:8080");
  }

  @Test
  void logsEveryLineOfStdoutAndStderr() throws Exception {
    shell("for i in 1 2 3; do echo out-$i; echo err-$i >&2; done").run(context);

    assertThat(context.lines()).containsExactlyInAnyOrder("out-1", "out-2", "out-3", "err-1", "err-2", "err-3");
    assertThat(context.lines().stream().filter(line -> line.startsWith("out-"))).containsExactly("out-1", "out-2", "out-3");
    assertThat(context.lines().stream().filter(line -> line.startsWith("err-"))).containsExactly("err-1", "err-2", "err-3");
  }

  @Test
  void outputLinesReachTheRolloutListenerWithTheHost() {
    RecordingListener listener = new RecordingListener();
    Rollout.builder().service("app").hosts(List.of("web-1", "web-2")).store(StatusStore.inMemory())
        .steps(List.of(CommandStep.builder().name("restart").command("sh", "-c", "echo restarting {host}; echo warn >&2").build()))
        .listener(listener).build().run();

    assertThat(listener.logs()).containsExactlyInAnyOrder(
        "web-1 restarting web-1", "web-1 warn", "web-2 restarting web-2", "web-2 warn");
  }

  @Test
  void successfulCommandReportsExitStatusZero() throws Exception {
    shell("true").run(context);

    assertThat(context.outcome()).isEqualTo("exit status 0");
  }

  @Test
  void nonZeroExitFailsWithTheStatusAndTheLastStderrLine() {
    String script = "echo starting; for i in 1 2 3 4 5 6 7; do echo problem-$i >&2; done; echo 'disk full' >&2; exit 3";

    assertThatThrownBy(() -> shell(script).run(context))
        .isExactlyInstanceOf(StepFailedException.class)
        .hasMessageContaining("exited with status 3")
        .hasMessageEndingWith("disk full");
  }

  @Test
  void runsInTheGivenDirectory() throws Exception {
    CommandStep.builder().command("pwd").directory(dir).build().run(context);

    assertThat(context.lines()).hasSize(1);
    assertThat(Path.of(context.lines().get(0)).toRealPath()).isEqualTo(dir.toRealPath());
  }

  @Test
  void commandRunningPastTheTimeoutIsKilledAndFails() throws Exception {
    Path pidFile = dir.resolve("command.pid");
    // A second, so that even a loaded machine writes the PID file before the timeout.
    CommandStep step = CommandStep.builder().command("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 30")
        .timeout(Duration.ofSeconds(1)).build();
    long start = System.nanoTime();

    assertThatThrownBy(() -> step.run(context))
        .isInstanceOfSatisfying(ShuntTimeoutException.class,
            e -> assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(1)))
        .hasMessageContaining("did not finish within PT1S");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("killed, not waited for (the command sleeps 30 s)")
        .isLessThan(Duration.ofSeconds(10));
    assertThat(goneSoon(pidIn(pidFile))).as("command process killed").isTrue();
  }

  @Test
  void timeoutAlsoKillsTheCommandsChildren() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    // A second, so that even a loaded machine writes the PID file before the timeout.
    CommandStep step = CommandStep.builder().command("sh", "-c", "sleep 30 & echo $! > " + pidFile + "; wait")
        .timeout(Duration.ofSeconds(1)).build();

    assertThatThrownBy(() -> step.run(context)).isInstanceOf(ShuntTimeoutException.class);

    assertThat(goneSoon(pidIn(pidFile))).as("child process killed").isTrue();
  }

  @Test
  void backgroundChildWithRedirectedOutputDoesNotHoldTheStep() throws Exception {
    Path pidFile = dir.resolve("daemon.pid");
    long start = System.nanoTime();

    shell("sleep 30 > /dev/null 2>&1 & echo $! > " + pidFile).run(context);

    // Held by its child, the step would take the child's 30 s; the bound leaves a starved CPU room.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(context.outcome()).isEqualTo("exit status 0");
    assertThat(ProcessHandle.of(pidIn(pidFile))).as("the background child is left running")
        .hasValueSatisfying(handle -> assertThat(handle.isAlive()).isTrue());
  }

  @Test
  void backgroundChildThatKeepsTheOutputOpenDoesNotHoldTheStepForLong() throws Exception {
    Path pidFile = dir.resolve("daemon.pid");
    long start = System.nanoTime();

    shell("sleep 30 & echo $! > " + pidFile).run(context);

    pidIn(pidFile);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(context.outcome()).isEqualTo("exit status 0");
  }

  @Test
  void missingExecutableFailsWithCannotStart() {
    assertThatThrownBy(() -> CommandStep.builder().command("/nonexistent/restart-app", "{host}").build().run(context))
        .isExactlyInstanceOf(StepFailedException.class)
        .hasMessageStartingWith("cannot start")
        .hasMessageContaining("/nonexistent/restart-app")
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void interruptedCommandIsKilled() throws Exception {
    Path pidFile = dir.resolve("command.pid");
    CommandStep step = CommandStep.builder().command("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 30")
        .timeout(Duration.ofSeconds(20)).build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread runner = new Thread(() -> {
      try {
        step.run(context);
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    runner.start();
    long pid = pidIn(pidFile);

    runner.interrupt();
    runner.join(2000);

    assertThat(runner.isAlive()).as("step returned after the interrupt").isFalse();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(goneSoon(pid)).as("command process killed after the interrupt").isTrue();
  }
}
