package dev.shunt.workflow.cli;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntException;
import dev.shunt.StatusStore;
import dev.shunt.StepContext;
import dev.shunt.workflow.AwaitHttpStep;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import okhttp3.HttpUrl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code shunt wait-for-http URL}: the gem's {@code wait_for_http}, on {@link AwaitHttpStep}. */
@Command(name = "wait-for-http", sortOptions = false,
    description = {"Waits until URL answers with an expected status (redirects are not followed); connection"
        + " errors and timeouts are retried. Check the application, not the shunted health path.",
        "Prints 'HTTP 200 from URL after N attempt(s), T ms'; on failure prints 'error checking: URL - never"
            + " returned with status within 200..399' to standard error and exits 1."})
final class WaitForHttpCommand implements Callable<Integer> {
  @ParentCommand
  private ShuntCli cli;

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
    // The tries bound the wait; the total only keeps the last try from being cut short.
    Duration total = readTimeout.plus(interval).multipliedBy(Math.max(1, tries));
    AwaitHttpStep step = AwaitHttpStep.builder()
        .url(url)
        .expectStatus(expect.min(), expect.max())
        .maxAttempts(tries)
        .interval(interval)
        .requestTimeout(readTimeout)
        .timeout(total)
        .hostHeader(hostHeader)
        .build();
    StandaloneContext context = new StandaloneContext(InstanceKey.of("wait-for-http", HttpUrl.get(url).host()),
        cli.clock(), cli.err());
    try {
      step.run(context);
    } catch (ShuntException e) {
      cli.err().println("error checking: " + url + " - never returned with status within " + expect);
      cli.err().println("shunt: " + e.getMessage());
      return ShuntCli.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cli.err().println("shunt: interrupted while checking " + url);
      return ShuntCli.FAILED;
    }
    cli.out().println(context.outcome);
    return ShuntCli.OK;
  }

  /** The context of a step run on its own, outside a rollout: it needs no store; it logs to {@code log}. */
  private static final class StandaloneContext implements StepContext {
    private final InstanceKey key;
    private final Clock clock;
    private final PrintWriter log;
    private final StatusStore store = StatusStore.inMemory();
    private String outcome = "";

    StandaloneContext(InstanceKey key, Clock clock, PrintWriter log) {
      this.key = key;
      this.clock = clock;
      this.log = log;
    }

    @Override
    public InstanceKey key() {
      return key;
    }

    @Override
    public StatusStore store() {
      return store;
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public void log(String line) {
      log.println(line);
    }

    @Override
    public void outcome(String description) {
      this.outcome = description;
    }
  }
}
