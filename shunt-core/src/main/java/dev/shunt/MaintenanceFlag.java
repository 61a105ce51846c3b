package dev.shunt;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Site-wide maintenance mode of one service: while it is on, a {@code MaintenanceResponder}
 * answers every request that is not allow-listed with {@code 503} and a maintenance page. The
 * health path is always exempt, so maintenance never makes the load balancer take hosts out.
 *
 * <p>Unlike a shunt, which takes one instance out of the load balancer's rotation, maintenance
 * keeps every instance in rotation and tells the clients.
 *
 * @param reason what clients are told, e.g. {@code database upgrade}; may be empty
 * @param owner who or what turned it on; may be empty
 * @param since when it was turned on
 * @param until when it ends by itself, or {@code null} for never: a flag left on by mistake then
 *     does not keep a site down forever; also the basis of {@code Retry-After}
 * @param allowedPaths regular expressions of request paths served as usual (the page's own
 *     assets, {@code robots.txt}…), matched against the whole path
 * @param allowedClients client IP addresses or CIDR blocks served as usual (e.g. the office)
 */
public record MaintenanceFlag(String reason, String owner, Instant since, Instant until,
    List<String> allowedPaths, List<String> allowedClients) {

  public MaintenanceFlag {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(since, "since");
    allowedPaths = List.copyOf(allowedPaths);
    allowedClients = List.copyOf(allowedClients);
    if (until != null && !until.isAfter(since)) {
      throw new IllegalArgumentException("until must be after since (" + since + "), was " + until);
    }
  }

  /** Whether the flag is on at {@code now}: it is, unless {@code until} has passed. */
  public boolean isOnAt(Instant now) {
    return until == null || now.isBefore(until);
  }

  /** When maintenance ends by itself, if it does. */
  public Optional<Instant> end() {
    return Optional.ofNullable(until);
  }
}
