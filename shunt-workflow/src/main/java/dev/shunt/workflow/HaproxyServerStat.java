package dev.shunt.workflow;

import java.util.Objects;

/**
 * One server of one HAProxy backend, as the runtime API's {@code show stat} reported it. Immutable.
 *
 * @param backend the backend (proxy) name, {@code pxname}
 * @param server the server name, {@code svname}
 * @param status HAProxy's status text, e.g. {@code UP}, {@code UP 1/3} (failing checks, still
 *     up), {@code DOWN}, {@code DOWN (agent)}, {@code NOLB}, {@code MAINT}, {@code MAINT (via be/srv)},
 *     {@code DRAIN}, {@code DRAIN (agent)}, {@code no check}
 * @param sessions the sessions (requests being served) it has now, {@code scur}
 * @param weight its effective weight, {@code weight}
 */
public record HaproxyServerStat(String backend, String server, String status, int sessions, int weight) {
  /**
   * Checks that the names and status are not null.
   *
   * @param backend the backend's name
   * @param server the server's name
   * @param status HAProxy's status text
   * @param sessions the sessions it has now
   * @param weight its effective weight
   */
  public HaproxyServerStat {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(status, "status");
  }

  /**
   * Whether HAProxy sends it no new load-balanced traffic: {@code DOWN}, {@code MAINT},
   * {@code DRAIN} or {@code NOLB}, in any variant ({@code DOWN 1/2} is down and rising;
   * {@code UP 1/3} is still up). Requests it is already serving go on; see {@link #sessions()}.
   *
   * @return true when the server gets no new traffic
   */
  public boolean outOfRotation() {
    return status.startsWith("DOWN") || status.startsWith("MAINT") || status.startsWith("DRAIN")
        || status.startsWith("NOLB");
  }

  /**
   * {@code backend/server}, as the runtime API's commands name it.
   *
   * @return {@code backend/server}
   */
  public String name() {
    return backend + "/" + server;
  }
}
