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
 * <p>The reason and the owner may be empty but not {@code null}, and are single lines; a time to
 * live is positive. Immutable and thread-safe; two requests are equal when their reason, owner and
 * time to live are.
 */
public final class ShuntRequest {
  private final String reason;
  private final String owner;
  private final Duration ttl;

  private ShuntRequest(String reason, String owner, Duration ttl) {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(owner, "owner");
    if (reason.indexOf('\n') >= 0 || owner.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("reason and owner must be single lines, were '"
          + reason + "' and '" + owner + "'");
    }
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    this.reason = reason;
    this.owner = owner;
    this.ttl = ttl;
  }

  /**
   * A shunt with no expiry.
   *
   * @param reason why, shown to operators; may be empty
   * @param owner who or what (a user, a deploy tool, a rollout id); may be empty
   * @return a request with no time to live
   * @throws IllegalArgumentException if either spans several lines
   */
  public static ShuntRequest of(String reason, String owner) {
    return new ShuntRequest(reason, owner, null);
  }

  /**
   * This request with a time to live: the shunt lasts {@code ttl} unless renewed.
   *
   * @param ttl how long the shunt lasts unless renewed; positive
   * @return a copy with the time to live
   * @throws IllegalArgumentException if {@code ttl} is not positive
   */
  public ShuntRequest withTtl(Duration ttl) {
    return new ShuntRequest(reason, owner, Objects.requireNonNull(ttl, "ttl"));
  }

  /**
   * Why, shown to operators; may be empty.
   *
   * @return the reason; not null
   */
  public String reason() {
    return reason;
  }

  /**
   * Who or what asks; may be empty.
   *
   * @return the owner; not null
   */
  public String owner() {
    return owner;
  }

  /**
   * The time to live, if any; empty for a shunt that never lapses by itself.
   *
   * @return the time to live, or empty
   */
  public Optional<Duration> ttl() {
    return Optional.ofNullable(ttl);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ShuntRequest that
        && reason.equals(that.reason) && owner.equals(that.owner) && Objects.equals(ttl, that.ttl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, owner, ttl);
  }

  /** {@code ShuntRequest{reason=…, owner=…, ttl=…}}, {@code ttl=none} when it has none. */
  @Override
  public String toString() {
    return "ShuntRequest{reason=" + reason + ", owner=" + owner + ", ttl=" + (ttl == null ? "none" : ttl) + "}";
  }
}
