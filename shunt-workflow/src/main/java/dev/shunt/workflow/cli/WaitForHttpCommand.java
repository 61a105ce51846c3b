package dev.shunt.workflow.cli;

import dev.shunt.StatusStore;
import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.Secrets;
import dev.shunt.workflow.StepReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import okhttp3.HttpUrl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code shunt wait-for-http URL}: the gem's {@code wait_for_http}, on {@link AwaitHttpStep}. */
@Command(name = "wait-for-http", sortOptions = false,
    description = {"Waits until URL answers with an expected status (redirects are not followed); connection"
        + " errors and timeouts are retried. Check the application, not the shunted health path.",
        "Prints 'HTTP 200 from URL after N attempt(s), T ms'; on failure prints 'error checking: URL - never"
            + " returned with status within 200..399' to standard error and exits 1."})
final class WaitForHttpCommand implements Callable<Integer> {
  @ParentCommand
  private ShuntCli cli;

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "URL", description = "The http or https URL to poll.")
  private String url;

  @Option(names = "--expect", paramLabel = "STATUSES", defaultValue = "200-399",
      description = "The statuses that count as up. Default: ${DEFAULT-VALUE}.")
  private StatusRange expect;

  @Option(names = "--tries", paramLabel = "N", defaultValue = "10", description = "Requests before giving up."
      + " Default: ${DEFAULT-VALUE}.")
  private int tries;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "6s",
      description = "The pause between two requests. Default: ${DEFAULT-VALUE}.")
  private Duration interval;

  @Option(names = "--read-timeout", paramLabel = "DURATION", defaultValue = "10s",
      description = "How long one request may take. Default: ${DEFAULT-VALUE}.")
  private Duration readTimeout;

  @Option(names = "--host-header", paramLabel = "HOST", description = "The Host header to send instead of URL's.")
  private String hostHeader;

  @Override
  public Integer call() {
    if (tries < 1) {
      throw new ParameterException(spec.commandLine(), "--tries must be >= 1, was " + tries);
    }
    // The tries bound the wait; the total only keeps the last try from being cut short.
    Duration total = readTimeout.plus(interval).multipliedBy(tries);
    AwaitHttpStep step = AwaitHttpStep.builder()
        .url(url)
        .expectStatus(expect.min(), expect.max())
        .maxAttempts(tries)
        .interval(interval)
        .requestTimeout(readTimeout)
        .timeout(total)
        .hostHeader(hostHeader)
        .build();
    // A rollout of one step over the URL's host: the engine gives the step its context and report.
    RolloutReport report = Rollout.builder()
        .service("wait-for-http")
        .hosts(List.of(HttpUrl.get(url).host()))
        .store(StatusStore.inMemory())
        .steps(List.of(step))
        .listener(RolloutListener.silent())
        .clock(cli.clock())
        .build()
        .run();
    StepReport result = report.hosts().get(0).steps().get(0);
    if (!result.succeeded()) {
      cli.err().println("error checking: " + Secrets.maskUrlCredentials(url) + " - never returned with status within " + expect);
      cli.err().println("shunt: " + result.outcome());
      return ShuntCli.FAILED;
    }
    cli.out().println(result.outcome());
    return ShuntCli.OK;
  }
}
