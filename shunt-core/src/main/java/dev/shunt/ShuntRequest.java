package dev.shunt;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller asks for when it shunts an instance: a reason, an owner and optionally a
 * time to live, after which the shunt lapses by itself.
 *
 * <pre>{@code
 * store.shunt(key, ShuntRequest.of("deploy 2026-11-23", "rollout-42").withTtl(Duration.ofMinutes(10)));
 * }</pre>
 *
 * @param reason why, shown to operators; may be empty
 * @param owner who or what; may be empty
 * @param ttlOrNull how long the shunt lasts unless renewed; {@code null} for no expiry
 */
public record ShuntRequest(String reason, String owner, Duration ttlOrNull) {

  public ShuntRequest {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(owner, "owner");
    if (reason.indexOf('\n') >= 0 || owner.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("reason and owner must be single lines, were '"
          + reason + "' and '" + owner + "'");
    }
    if (ttlOrNull != null && (ttlOrNull.isNegative() || ttlOrNull.isZero())) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttlOrNull);
    }
  }

  /** A shunt with no expiry. */
  public static ShuntRequest of(String reason, String owner) {
    return new ShuntRequest(reason, owner, null);
  }

  /** This request with a time to live. */
  public ShuntRequest withTtl(Duration ttl) {
    return new ShuntRequest(reason, owner, Objects.requireNonNull(ttl, "ttl"));
  }

  /** The time to live, if any. */
  public Optional<Duration> ttl() {
    return Optional.ofNullable(ttlOrNull);
  }
}
