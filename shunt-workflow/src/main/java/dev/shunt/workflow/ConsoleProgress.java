package dev.shunt.workflow;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * How {@link RolloutListener#console(java.io.PrintStream, ConsoleProgress)} shows how far a rollout
 * is: hosts done, in progress, failed and left, the current batch, the time elapsed, and an
 * estimate of the time left from the hosts done so far.
 */
public enum ConsoleProgress {
  /**
   * For a terminal: the event lines, and a status line kept below them with ANSI escape codes
   * (carriage return, erase line), redrawn at most 10 times a second and at least once a second.
   * Its thread, {@code shunt-progress}, runs from the rollout's start to its end.
   */
  STATUS_LINE,
  /** For logs and pipes: the event lines and, after each host, a line with the counts; never an escape code. */
  PLAIN,
  /** The event lines only, without counts. */
  NONE,
  /** Only the warnings, a halt and the summary at the end: no line per event. */
  QUIET;

  /**
   * {@link #STATUS_LINE} when this process's standard output is a terminal (it has a
   * {@link System#console()}, which on Java 22 and later must also say it is a terminal) and
   * {@code TERM} is not {@code dumb}; else {@link #PLAIN}.
   *
   * @return the progress style for this process's standard output
   */
  public static ConsoleProgress detect() {
    Console console = System.console();
    if (console == null || "dumb".equals(System.getenv("TERM"))) {
      return PLAIN;
    }
    try {
      // Java 22 made System.console() non-null for a redirected process too; isTerminal() tells.
      Method isTerminal = Console.class.getMethod("isTerminal");
      return Boolean.TRUE.equals(isTerminal.invoke(console)) ? STATUS_LINE : PLAIN;
    } catch (NoSuchMethodException javaBefore22) {
      return STATUS_LINE;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return PLAIN;
    }
  }
}
