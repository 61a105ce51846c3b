package dev.shunt;

import dev.shunt.internal.MaintenanceFlagRules;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Site-wide maintenance mode of one service: while it is on, a {@link MaintenanceResponder}
 * answers every request that is not allow-listed with {@code 503} and a maintenance page. The
 * health path is always exempt, so maintenance never makes the load balancer take hosts out.
 *
 * <p>Unlike a shunt, which takes one instance out of the load balancer's rotation, maintenance
 * keeps every instance in rotation and tells the clients.
 *
 * <pre>{@code
 * store.startMaintenance("checkout", MaintenanceFlag.of("database upgrade", "ops", clock.instant())
 *     .withUntil(clock.instant().plus(Duration.ofHours(1)))
 *     .withAllowedPaths("/assets/.*")
 *     .withAllowedClients("10.1.0.0/16"));
 * }</pre>
 *
 * <p>Every allowed path must be a valid regular expression and every allowed client a literal
 * IP address or CIDR block; the constructor refuses anything else, so a flag is always usable.
 * A store that reads a flag someone else wrote drops the malformed parts instead.
 *
 * @param reason what clients are told, e.g. {@code database upgrade}; may be empty
 * @param owner who or what turned it on; may be empty
 * @param since when it was turned on
 * @param until when it ends by itself, or {@code null} for never: a flag left on by mistake then
 *     does not keep a site down forever; also the basis of {@code Retry-After}
 * @param allowedPaths regular expressions of request paths served as usual (the page's own
 *     assets, {@code robots.txt}…), matched against the whole path, decoded and with dot
 *     segments resolved (see {@link MaintenanceResponder.Builder#allowedPaths})
 * @param allowedClients client IP addresses or CIDR blocks served as usual (e.g. the office),
 *     IPv4 ({@code 10.0.0.0/8}) or IPv6 ({@code 2001:db8::/32})
 */
public record MaintenanceFlag(String reason, String owner, Instant since, Instant until,
    List<String> allowedPaths, List<String> allowedClients) {

  /**
   * Checks the components and copies the lists.
   *
   * @param reason what clients are told; not null, may be empty
   * @param owner who or what turned it on; not null, may be empty
   * @param since when it was turned on; not null
   * @param until when it ends by itself, after {@code since}; null for never
   * @param allowedPaths regular expressions of paths served as usual; not null, no null element
   * @param allowedClients IP addresses or CIDR blocks served as usual; not null, no null element
   * @throws IllegalArgumentException naming the component, its value and the rule it breaks
   */
  public MaintenanceFlag {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(since, "since");
    allowedPaths = copyWithoutNulls("allowedPaths", allowedPaths);
    allowedClients = copyWithoutNulls("allowedClients", allowedClients);
    if (until != null && !until.isAfter(since)) {
      throw new IllegalArgumentException("until must be after since (" + since + "), was " + until);
    }
    for (String path : allowedPaths) {
      String problem = MaintenanceFlagRules.regexProblem(path);
      if (problem != null) {
        throw new IllegalArgumentException("allowedPaths must hold regular expressions, was '" + path
            + "': " + problem);
      }
    }
    for (String client : allowedClients) {
      String problem = MaintenanceFlagRules.clientProblem(client);
      if (problem != null) {
        throw new IllegalArgumentException("allowedClients must hold IP addresses or CIDR blocks, was '"
            + client + "': " + problem);
      }
    }
  }

  /**
   * Maintenance with no end and nothing allowed.
   *
   * @param reason what clients are told; may be empty
   * @param owner who or what turned it on; may be empty
   * @param since when it was turned on
   * @return a flag on from {@code since}, with no end and nothing allowed
   */
  public static MaintenanceFlag of(String reason, String owner, Instant since) {
    return new MaintenanceFlag(reason, owner, since, null, List.of(), List.of());
  }

  /**
   * This flag ending by itself at {@code until}, or never when {@code null}.
   *
   * @param until the end, after {@code since}, or null for never
   * @return a copy with the new end
   */
  public MaintenanceFlag withUntil(Instant until) {
    return new MaintenanceFlag(reason, owner, since, until, allowedPaths, allowedClients);
  }

  /**
   * This flag with {@code regexes} as its allowed paths, replacing the ones it had.
   *
   * @param regexes regular expressions matched against the whole path
   * @return a copy with the new allowed paths
   */
  public MaintenanceFlag withAllowedPaths(String... regexes) {
    return new MaintenanceFlag(reason, owner, since, until, List.of(regexes), allowedClients);
  }

  /**
   * This flag with {@code addressesOrBlocks} as its allowed clients, replacing the ones it had.
   *
   * @param addressesOrBlocks IP addresses or CIDR blocks
   * @return a copy with the new allowed clients
   */
  public MaintenanceFlag withAllowedClients(String... addressesOrBlocks) {
    return new MaintenanceFlag(reason, owner, since, until, allowedPaths, List.of(addressesOrBlocks));
  }

  /**
   * Whether the flag is on at {@code now}: it is, unless {@code until} has passed.
   *
   * @param now the time to judge at
   * @return true when the flag is on at {@code now}
   */
  public boolean isOnAt(Instant now) {
    return until == null || now.isBefore(until);
  }

  /**
   * When maintenance ends by itself, if it does.
   *
   * @return {@code until}, or empty when it never ends by itself
   */
  public Optional<Instant> end() {
    return Optional.ofNullable(until);
  }

  private static List<String> copyWithoutNulls(String field, List<String> values) {
    if (values == null) {
      throw new IllegalArgumentException(field + " must be a list (empty for none), was null");
    }
    if (values.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException(field + " must not hold null, was " + values);
    }
    return List.copyOf(values);
  }
}
