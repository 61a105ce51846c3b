package dev.shunt.workflow.cli;

import dev.shunt.ShuntRequest;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --reason}, {@code --owner} and {@code --ttl}: what a shunt made from the command line carries. */
final class ShuntRequestOptions {
  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for operators. Default: none; roll says 'rolling restart'.")
  private String reason;

  @Option(names = "--owner", paramLabel = "NAME", description = "Who or what shunts (and, for roll, holds the deploy"
      + " lock). Default: user@host of this process.")
  private String owner;

  @Option(names = "--ttl", paramLabel = "DURATION", description = "A shunt nobody lifts ends by itself after this"
      + " long, e.g. 15m. Default: never.")
  private Duration ttl;

  /** The request these options describe; {@code defaultReason} when {@code --reason} is not given. */
  ShuntRequest request(String defaultReason) {
    ShuntRequest request = ShuntRequest.of(reason != null ? reason : defaultReason, owner());
    return ttl == null ? request : request.withTtl(ttl);
  }

  /** {@code --owner}, else user@host of this process. */
  String owner() {
    return owner != null ? owner : ShuntCli.defaultOwner();
  }
}
