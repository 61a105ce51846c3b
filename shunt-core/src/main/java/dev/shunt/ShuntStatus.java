package dev.shunt;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether an instance is in the load balancer's rotation or shunted out of it, and if shunted,
 * why, by whom, since when and until when.
 *
 * <p>A shunt may carry an expiry (a lease): once it has passed, the instance is back in
 * rotation even if nobody unshunts it, so a forgotten or crashed deploy never keeps a host out
 * forever. Stores apply the expiry when they read; {@link #isShuntedAt(Instant)} applies it to a
 * status a caller kept.
 *
 * @param shunted whether the instance is shunted
 * @param reason why it was shunted; empty when in rotation or when nobody said
 * @param owner who or what shunted it (a user, a deploy tool, a rollout id); empty when unknown
 * @param since when it was shunted; {@code null} when in rotation
 * @param expiresAt when the shunt lapses on its own; {@code null} when it never does
 */
public record ShuntStatus(boolean shunted, String reason, String owner, Instant since, Instant expiresAt) {
  private static final ShuntStatus IN_ROTATION = new ShuntStatus(false, "", "", null, null);

  public ShuntStatus {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(owner, "owner");
    if (shunted) {
      Objects.requireNonNull(since, "since must be set for a shunted status");
    } else if (!reason.isEmpty() || !owner.isEmpty() || since != null || expiresAt != null) {
      throw new IllegalArgumentException("a status in rotation carries no reason, owner, since or expiry");
    }
  }

  /** The status of an instance nobody has shunted: also what a store answers for an unknown key. */
  public static ShuntStatus inRotation() {
    return IN_ROTATION;
  }

  /** A shunt made at {@code since} for {@code request}. */
  public static ShuntStatus shunted(ShuntRequest request, Instant since) {
    Instant expiry = request.ttl().map(since::plus).orElse(null);
    return new ShuntStatus(true, request.reason(), request.owner(), since, expiry);
  }

  /** Whether the instance is out of rotation at {@code now}, taking the expiry into account. */
  public boolean isShuntedAt(Instant now) {
    return shunted && (expiresAt == null || now.isBefore(expiresAt));
  }

  /** The expiry, if this shunt has one. */
  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  @Override
  public String toString() {
    if (!shunted) {
      return "in rotation";
    }
    return "shunted since " + since
        + (reason.isEmpty() ? "" : " (" + reason + ")")
        + (owner.isEmpty() ? "" : " by " + owner)
        + (expiresAt == null ? "" : " until " + expiresAt);
  }
}
