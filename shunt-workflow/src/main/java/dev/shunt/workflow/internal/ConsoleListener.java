package dev.shunt.workflow.internal;

import dev.shunt.workflow.Batch;
import dev.shunt.workflow.ConsoleProgress;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RollbackReport;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutPlan;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.gate.GateVerdict;
import dev.shunt.workflow.StepReport;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link RolloutListener#console(PrintStream, ConsoleProgress)}: one line per event, prefixed by time
 * and host, with the progress shown as {@link ConsoleProgress} says. Thread-safe: the rollout's
 * events and the status line's own thread take turns on this object's lock.
 */
public final class ConsoleListener implements RolloutListener {
  /** ANSI: back to the start of the line, erase it. */
  static final String ERASE = "\r\u001b[2K";
  /** At most this often the status line is drawn: 10 times a second. */
  private static final long MIN_REDRAW_NANOS = 100_000_000L;
  /** At least this often it is drawn, so that the time elapsed moves on while nothing happens. */
  private static final long MAX_REDRAW_NANOS = 1_000_000_000L;

  private final PrintWriter out;
  private final ConsoleProgress progress;
  private final long start = System.nanoTime();
  private final int width;
  private String service = "rollout";
  private int batches;
  private int hosts;
  private int batch;
  private int done;
  private int failed;
  private int skipped;
  private final Set<String> running = new HashSet<>();
  /** When the first host started; the time left is estimated from the hosts finished since. */
  private long firstHostNanos = -1;
  /** Whether the status line is on the screen now. */
  private boolean shown;
  /** Whether the status line is to be drawn again: something changed, or a line pushed it off. */
  private boolean dirty;
  private long drawnNanos;
  private ScheduledExecutorService ticker;

  /** Writes to {@code out}, flushing after every line (the command-line tool's standard output). */
  public ConsoleListener(PrintWriter out, ConsoleProgress progress) {
    this.out = Objects.requireNonNull(out, "out");
    this.progress = Objects.requireNonNull(progress, "progress");
    this.width = terminalWidth();
    this.drawnNanos = System.nanoTime() - MAX_REDRAW_NANOS;
  }

  @Override
  public synchronized void rolloutStarted(String rolloutId, RolloutPlan plan) {
    service = plan.service();
    batches = plan.batches().size();
    hosts = plan.hostCount() + plan.skippedHosts().size();
    line(service, "rollout " + rolloutId + ": " + plan.hostCount() + " host(s) in " + batches + " batch(es)"
        + (plan.skippedHosts().isEmpty() ? "" : ", " + plan.skippedHosts().size() + " skipped as done before"));
    plan.warnings().forEach(warning -> always(service, "WARNING: " + warning));
    plan.preflight().forEach(problem -> always(problem.host(), "PRE-FLIGHT " + problem.severity() + " ["
        + problem.step() + "]: " + problem.message()));
    if (progress == ConsoleProgress.STATUS_LINE && ticker == null) {
      ticker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "shunt-progress");
        thread.setDaemon(true);
        return thread;
      });
      ticker.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
    }
    changed();
  }

  @Override
  public synchronized void batchStarted(Batch batch) {
    this.batch = batch.number();
    line(service, (batch.canary() ? "canary batch " : "batch ") + batch.number() + "/" + batches + ": "
        + String.join(", ", batch.hosts()));
    changed();
  }

  @Override
  public synchronized void hostStarted(String host) {
    if (firstHostNanos < 0) {
      firstHostNanos = System.nanoTime();
    }
    running.add(host);
    line(host, "starting");
    changed();
  }

  @Override
  public synchronized void stepStarted(String host, String step) {
    line(host, step + " ...");
  }

  @Override
  public synchronized void stepRetrying(String host, String step, int failedAttempt, Throwable error, Duration wait) {
    line(host, step + " attempt " + failedAttempt + " failed (" + (error.getMessage() == null
        ? error.getClass().getName() : error.getMessage()) + "); retrying in " + wait.toMillis() + " ms");
  }

  @Override
  public synchronized void log(String host, String line) {
    line(host, "  " + line);
  }

  @Override
  public synchronized void stepFinished(String host, StepReport step) {
    line(host, step.step() + (step.succeeded() ? " ok" : " " + step.result()) + " in " + step.elapsed().toMillis()
        + " ms" + (step.attempts() > 1 ? " after " + step.attempts() + " attempts" : "")
        + (step.outcome().isEmpty() ? "" : ": " + step.outcome()));
  }

  @Override
  public synchronized void hostFinished(HostReport host) {
    if (host.outcome() == HostReport.Outcome.UNTOUCHED) {
      return;
    }
    running.remove(host.host());
    switch (host.outcome()) {
      case DONE -> done++;
      case SKIPPED -> skipped++;
      default -> failed++;
    }
    line(host.host(), host.outcome() + " in " + host.elapsed().toMillis() + " ms"
        + (host.statusAfter().shunted() ? ", left shunted " + ShuntLeft.until(host.statusAfter())
            : ", " + ShuntLeft.unshunted(host)) + ShuntLeft.outOf(host)
        + (host.note().isEmpty() ? "" : " (" + host.note() + ")"));
    if (progress == ConsoleProgress.PLAIN && host.outcome() != HostReport.Outcome.SKIPPED) {
      line(service, "progress: " + status());
    }
    changed();
  }

  @Override
  public synchronized void gateStarted(Batch batch, Duration bake) {
    line(service, "gate: watching " + batch + " for " + bake);
  }

  @Override
  public synchronized void gateFinished(GateVerdict verdict) {
    String text = "gate: " + verdict.result() + " after " + verdict.batch() + " in " + verdict.baked().toMillis()
        + " ms: " + verdict.reason();
    if (verdict.halted()) {
      always(service, text);
    } else {
      line(service, text);
    }
  }

  @Override
  public synchronized void halting(String reason) {
    always(service, "HALTING: " + reason);
  }

  @Override
  public synchronized void rollbackStarted(String reason, List<String> hosts) {
    always(service, "ROLLING BACK " + hosts.size() + " host(s), newest first" + (hosts.isEmpty() ? "" : ": "
        + String.join(", ", hosts)));
  }

  @Override
  public synchronized void rollbackHostStarted(String host) {
    line(host, "rolling back");
  }

  @Override
  public synchronized void rollbackHostFinished(HostReport host) {
    line(host.host(), (host.outcome() == HostReport.Outcome.DONE ? "ROLLED BACK" : "ROLLBACK " + host.outcome())
        + " in " + host.elapsed().toMillis() + " ms"
        + (host.statusAfter().shunted() ? ", left shunted " + ShuntLeft.until(host.statusAfter())
            : ", " + ShuntLeft.unshunted(host)) + ShuntLeft.outOf(host)
        + (host.note().isEmpty() ? "" : " (" + host.note() + ")"));
  }

  @Override
  public synchronized void rollbackFinished(RollbackReport rollback) {
    always(service, rollback.toString());
  }

  @Override
  public void rolloutFinished(RolloutReport report) {
    ScheduledExecutorService stopping;
    synchronized (this) {
      stopping = ticker;
      ticker = null;
    }
    if (stopping != null) {
      // Outside the lock: a tick waiting for it would otherwise hold up the shutdown.
      stopping.shutdownNow();
    }
    synchronized (this) {
      eraseStatus();
      out.print(report.summary());
      out.flush();
    }
  }

  /** Hosts done, in progress, failed and left, the batch, the time elapsed and left. */
  synchronized String status() {
    int finished = done + failed + skipped;
    int left = Math.max(0, hosts - finished - running.size());
    long now = System.nanoTime();
    StringBuilder text = new StringBuilder();
    text.append(done + skipped).append('/').append(hosts).append(" done, ").append(running.size())
        .append(" in progress, ").append(failed).append(" failed, ").append(left).append(" left");
    if (batch > 0) {
      text.append("; batch ").append(batch).append('/').append(batches);
    }
    text.append("; ").append(seconds((now - start) / 1_000_000)).append(" elapsed");
    int ran = done + failed;
    if (ran > 0 && firstHostNanos >= 0 && left + running.size() > 0) {
      double perHost = (double) (now - firstHostNanos) / ran;
      long remaining = (long) (perHost * (left + running.size()) / 1_000_000);
      text.append(", about ").append(seconds(Math.max(1000, remaining))).append(" left");
    }
    return text.toString();
  }

  /** {@code 0 s}, {@code 42 s}, {@code 3 min 20 s}: whole seconds. */
  private static String seconds(long millis) {
    return millis < 1000 ? "0 s" : ReportHtml.span(millis / 1000 * 1000);
  }

  /** Lines every mode prints: warnings and a halt. */
  private void always(String who, String text) {
    write(who, text);
  }

  private void line(String who, String text) {
    if (progress != ConsoleProgress.QUIET) {
      write(who, text);
    }
  }

  private void write(String who, String text) {
    eraseStatus();
    long millis = (System.nanoTime() - start) / 1_000_000;
    out.printf("%7.3fs [%s] %s%n", millis / 1000.0, who, text);
    if (progress == ConsoleProgress.STATUS_LINE) {
      dirty = true;
      drawIfDue(System.nanoTime());
    }
    out.flush();
  }

  private void changed() {
    if (progress == ConsoleProgress.STATUS_LINE) {
      dirty = true;
      drawIfDue(System.nanoTime());
      out.flush();
    }
  }

  private synchronized void tick() {
    if (ticker == null) {
      return;
    }
    long now = System.nanoTime();
    if (dirty || now - drawnNanos >= MAX_REDRAW_NANOS) {
      dirty = true;
      drawIfDue(now);
      out.flush();
    }
  }

  /** Draws the status line when it is dirty and was not drawn in the last tenth of a second. */
  private void drawIfDue(long now) {
    if (!dirty || ticker == null || now - drawnNanos < MIN_REDRAW_NANOS) {
      return;
    }
    String line = "[" + service + "] " + bar() + " " + status();
    if (line.length() > width - 1) {
      line = line.substring(0, Math.max(0, width - 2)) + "…";
    }
    out.print((shown ? ERASE : "\r") + line);
    shown = true;
    dirty = false;
    drawnNanos = now;
  }

  private void eraseStatus() {
    if (shown) {
      out.print(ERASE);
      shown = false;
      dirty = true;
    }
  }

  /** {@code [#####.....]}: the share of hosts finished. */
  private String bar() {
    int finished = done + failed + skipped;
    int filled = hosts == 0 ? 0 : finished * 10 / hosts;
    return "[" + "#".repeat(filled) + ".".repeat(10 - filled) + "]";
  }

  /** The terminal's width as the shell says ({@code COLUMNS}), else 100. */
  private static int terminalWidth() {
    try {
      String columns = System.getenv("COLUMNS");
      int width = columns == null ? 100 : Integer.parseInt(columns.trim());
      return width >= 20 ? width : 100;
    } catch (NumberFormatException e) {
      return 100;
    }
  }
}
