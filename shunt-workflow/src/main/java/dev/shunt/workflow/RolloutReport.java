package dev.shunt.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a rollout did: every host with its outcome, in the order the rollout took them.
 *
 * @param service the service rolled
 * @param hosts one report per host of the rollout, including untouched ones
 * @param elapsed how long the rollout ran
 */
public record RolloutReport(String service, List<HostReport> hosts, Duration elapsed) {
  public RolloutReport {
    Objects.requireNonNull(service, "service");
    hosts = List.copyOf(hosts);
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** Whether every host is done. */
  public boolean succeeded() {
    return hosts.stream().allMatch(host -> host.outcome() == HostReport.Outcome.DONE);
  }

  /** The hosts with the given outcome, in rollout order. */
  public List<String> hosts(HostReport.Outcome outcome) {
    return hosts.stream().filter(host -> host.outcome() == outcome).map(HostReport::host).toList();
  }

  /** A few lines for a person: what was done, what failed and where each host was left. */
  public String summary() {
    StringBuilder text = new StringBuilder();
    text.append(service).append(": ").append(succeeded() ? "rollout completed" : "rollout HALTED")
        .append(" in ").append(elapsed.toMillis()).append(" ms; ")
        .append(hosts(HostReport.Outcome.DONE).size()).append(" done, ")
        .append(hosts(HostReport.Outcome.FAILED).size()).append(" failed, ")
        .append(hosts(HostReport.Outcome.UNTOUCHED).size()).append(" untouched\n");
    for (HostReport host : hosts) {
      text.append("  ").append(host.host()).append(": ").append(host.outcome());
      host.failedStep().ifPresent(step -> text.append(" at ").append(step.step()).append(" (")
          .append(step.outcome()).append(")"));
      if (host.outcome() != HostReport.Outcome.UNTOUCHED) {
        text.append(" in ").append(host.elapsed().toMillis()).append(" ms");
      }
      text.append("; ").append(host.statusAfter().shunted() ? "left SHUNTED" : "in rotation").append('\n');
    }
    return text.toString();
  }
}
