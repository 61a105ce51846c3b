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

  /**
   * Checks that the components fit together.
   *
   * @param shunted whether the instance is shunted
   * @param reason why; not null, empty when in rotation
   * @param owner who or what shunted it; not null, empty when in rotation
   * @param since when it was shunted; required when shunted, null when in rotation
   * @param expiresAt when the shunt lapses, or null; null when in rotation
   * @throws IllegalArgumentException naming the component and its value when they do not fit
   */
  public ShuntStatus {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(owner, "owner");
    if (shunted) {
      Objects.requireNonNull(since, "since must be set for a shunted status");
    } else {
      requireAbsent("reason", reason.isEmpty() ? null : "'" + reason + "'");
      requireAbsent("owner", owner.isEmpty() ? null : "'" + owner + "'");
      requireAbsent("since", since);
      requireAbsent("expiresAt", expiresAt);
    }
  }

  private static void requireAbsent(String field, Object value) {
    if (value != null) {
      throw new IllegalArgumentException(field + " must be empty for a status in rotation, was " + value);
    }
  }

  /**
   * The status of an instance nobody has shunted: also what a store answers for an unknown key.
   *
   * @return the status "in rotation"
   */
  public static ShuntStatus inRotation() {
    return IN_ROTATION;
  }

  /**
   * A shunt made at {@code now} for {@code request}: shunted since {@code now}, with the request's
   * reason and owner; its expiry, if any, counts from {@code now}.
   *
   * @param request the shunt's reason, owner and time to live; not null
   * @param now when the shunt is made; not null
   * @return the shunted status
   */
  public static ShuntStatus of(ShuntRequest request, Instant now) {
    return new ShuntStatus(true, request.reason(), request.owner(), now, request.ttl().map(now::plus).orElse(null));
  }

  /**
   * This shunt renewed at {@code now} by {@code request}: the same {@code since}, the request's
   * reason and owner, and an expiry counted from {@code now} (so renewing extends the lease).
   *
   * @param request the renewing request; not null
   * @param now when it is renewed; not null
   * @return the renewed status
   */
  public ShuntStatus renewedBy(ShuntRequest request, Instant now) {
    if (!shunted) {
      throw new IllegalStateException("only a shunt can be renewed, this status is in rotation");
    }
    return new ShuntStatus(true, request.reason(), request.owner(), since, request.ttl().map(now::plus).orElse(null));
  }

  /**
   * Whether the instance is out of rotation at {@code now}, taking the expiry into account.
   *
   * @param now the time to judge at
   * @return true when shunted and not expired at {@code now}
   */
  public boolean isShuntedAt(Instant now) {
    return shunted && (expiresAt == null || now.isBefore(expiresAt));
  }

  /**
   * The expiry, if this shunt has one.
   *
   * @return {@code expiresAt}, or empty when it never lapses
   */
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
