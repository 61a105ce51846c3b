package dev.shunt.workflow.internal;

import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.StepReport;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Objects;

/** {@link RolloutListener#console(PrintStream)}: one line per event, prefixed by time and host. */
public final class ConsoleListener implements RolloutListener {
  private final PrintWriter out;
  private final long start = System.nanoTime();

  public ConsoleListener(PrintStream out) {
    this(new PrintWriter(Objects.requireNonNull(out, "out"), true));
  }

  /** Writes to {@code out}, flushing after every line (the command-line tool's standard output). */
  public ConsoleListener(PrintWriter out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  @Override
  public void hostStarted(String host) {
    line(host, "starting");
  }

  @Override
  public void stepStarted(String host, String step) {
    line(host, step + " ...");
  }

  @Override
  public void log(String host, String line) {
    line(host, "  " + line);
  }

  @Override
  public void stepFinished(String host, StepReport step) {
    line(host, step.step() + (step.succeeded() ? " ok" : " FAILED") + " in " + step.elapsed().toMillis()
        + " ms" + (step.outcome().isEmpty() ? "" : ": " + step.outcome()));
  }

  @Override
  public void hostFinished(HostReport host) {
    if (host.outcome() != HostReport.Outcome.UNTOUCHED) {
      line(host.host(), host.outcome() + " in " + host.elapsed().toMillis() + " ms"
          + (host.statusAfter().shunted() ? ", left shunted" : ", in rotation"));
    }
  }

  @Override
  public void rolloutFinished(RolloutReport report) {
    out.print(report.summary());
    out.flush();
  }

  private void line(String host, String text) {
    long millis = (System.nanoTime() - start) / 1_000_000;
    out.printf("%7.3fs [%s] %s%n", millis / 1000.0, host, text);
    out.flush();
  }
}
