package dev.shunt.examples.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a benchmark prints: its title, figures, and each goal with PASS or MISS. Remembers the
 * goals missed, so that a run of several benchmarks can list them at the end. Used by one thread.
 */
final class Report {
  private final PrintStream out;
  private final List<String> missed = new ArrayList<>();

  Report(PrintStream out) {
    this.out = out;
  }

  void title(String name, String what) {
    out.println();
    out.println("== " + name + ": " + what);
  }

  void line(String format, Object... args) {
    out.println("   " + String.format(Locale.ROOT, format, args));
  }

  /** One goal: what was measured, the measured figure, the goal, and whether it was met. */
  void goal(String figure, String measured, String goal, boolean met) {
    out.println(String.format(Locale.ROOT, "   %-4s %s: %s (goal: %s)", met ? "PASS" : "MISS", figure, measured, goal));
    if (!met) {
      missed.add(figure + ": " + measured + ", goal " + goal);
    }
  }

  List<String> missed() {
    return List.copyOf(missed);
  }

  static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }

  static String ratio(double ratio) {
    return String.format(Locale.ROOT, "%.3f", ratio);
  }
}
