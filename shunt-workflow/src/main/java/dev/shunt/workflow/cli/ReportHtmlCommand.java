package dev.shunt.workflow.cli;

import dev.shunt.workflow.RolloutReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code shunt report-html REPORT.json -o FILE}: {@link RolloutReport#toHtml()} of a report {@code roll --report} wrote. */
@Command(name = "report-html", sortOptions = false,
    description = {"Turns the JSON report of a rollout (roll --report FILE) into one HTML page: the summary and"
        + " warnings, a timeline with a row per host and a bar per step coloured by how it ended (its outcome on"
        + " hover), batches and pauses, and the load balancer's readings. The page needs no network.",
        "Exits 0 once the page is written, 2 when the report cannot be read or is not a rollout report, 1 when the"
            + " page cannot be written."})
final class ReportHtmlCommand implements Callable<Integer> {
  /** A report larger than this is not one shunt wrote: refused before it is read into memory. */
  private static final long MAX_REPORT_BYTES = 256L * 1024 * 1024;

  @ParentCommand
  private ShuntCli cli;

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "REPORT.json", description = "The JSON report, as roll --report wrote it.")
  private Path json;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
      description = "The page to write: created or truncated, readable by its owner only (0600), never through a"
          + " symbolic link (a link is refused).")
  private Path output;

  @Override
  public Integer call() {
    ReportFile.problem("--output", output).ifPresent(problem -> {
      throw new ParameterException(spec.commandLine(), problem);
    });
    RolloutReport report;
    try {
      if (Files.size(json) > MAX_REPORT_BYTES) {
        throw new ParameterException(spec.commandLine(), json + " is larger than " + MAX_REPORT_BYTES
            + " bytes: not a rollout report");
      }
      report = RolloutReport.fromJson(Files.readString(json, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "cannot read " + json + ": " + e);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), json + " is not a rollout report: " + e.getMessage());
    }
    try {
      ReportFile.write(output, report.toHtml());
    } catch (IOException e) {
      cli.err().println("shunt: cannot write the HTML report to " + output + ": " + e);
      return ShuntCli.FAILED;
    }
    cli.out().println(output);
    return ShuntCli.OK;
  }
}
