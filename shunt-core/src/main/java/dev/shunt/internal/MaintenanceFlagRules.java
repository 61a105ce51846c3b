package dev.shunt.internal;

import dev.shunt.MaintenanceFlag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a {@link MaintenanceFlag}'s parts must be, and how a store makes a flag out of parts it
 * read that someone may have written wrong: an operator editing a file, another client of a
 * cluster. The flag's existence is what its writer meant; a malformed part is dropped and
 * reported, never allowed to turn maintenance off nor to fail a request.
 */
public final class MaintenanceFlagRules {
  private MaintenanceFlagRules() {}

  /** Why {@code regex} cannot be an allowed path, or {@code null} when it can. */
  public static String regexProblem(String regex) {
    try {
      Pattern.compile(regex);
      return null;
    } catch (PatternSyntaxException e) {
      return e.getDescription() + " near index " + e.getIndex();
    }
  }

  /** Why {@code client} cannot be an allowed client, or {@code null} when it can. */
  public static String clientProblem(String client) {
    try {
      Cidr.parse(client);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /**
   * A flag of the parts that are well formed. A null reason or owner is empty; an allowed path
   * or client that breaks its rule is left out; an {@code until} that is not after {@code since}
   * is kept (it says when maintenance ends, which matters more) and {@code since} is taken as
   * just before it. Each part left out or changed is described to {@code problems}.
   *
   * @param since when maintenance began: what was stored, else the caller's best guess
   */
  public static MaintenanceFlag lenient(String reason, String owner, Instant since, Instant until,
      List<String> allowedPaths, List<String> allowedClients, Consumer<String> problems) {
    Objects.requireNonNull(since, "since");
    Instant start = since;
    if (until != null && !until.isAfter(since)) {
      problems.accept("its until (" + until + ") is not after its since (" + since
          + "), taking since as just before until");
      start = until.minusNanos(1);
    }
    List<String> paths = new ArrayList<>();
    for (String path : allowedPaths) {
      String problem = path == null ? "it is null" : regexProblem(path);
      if (problem == null) {
        paths.add(path);
      } else {
        problems.accept("its allowed path '" + path + "' is no regular expression (" + problem + "), ignoring it");
      }
    }
    List<String> clients = new ArrayList<>();
    for (String client : allowedClients) {
      String problem = client == null ? "it is null" : clientProblem(client);
      if (problem == null) {
        clients.add(client);
      } else {
        problems.accept("its allowed client '" + client + "' is no IP address or CIDR block (" + problem
            + "), ignoring it");
      }
    }
    return new MaintenanceFlag(Objects.requireNonNullElse(reason, ""), Objects.requireNonNullElse(owner, ""),
        start, until, paths, clients);
  }
}
