package dev.shunt.workflow.cli;

import dev.shunt.DisruptionBudget;
import dev.shunt.InstanceKey;
import dev.shunt.LockGrant;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The words and the JSON the command line prints for statuses, maintenance flags and deploy locks. Stable:
 * scripts read them.
 */
final class StatusText {
  private StatusText() {}

  /** {@code checkout/web-1: in rotation}, or {@code checkout/web-1: shunted since … (reason) by owner until …}. */
  static String line(InstanceKey key, ShuntStatus status) {
    return key + ": " + status;
  }

  /** {@code checkout: maintenance off}, or {@code checkout: maintenance on since … (reason) by owner until …; allowed …}. */
  static String maintenance(String service, Optional<MaintenanceFlag> flag) {
    return service + ": " + maintenance(flag);
  }

  /** {@code checkout: 2 shunted of 4 known host(s); budget 25% = 1; maintenance off}. */
  static String summary(String service, int shunted, int knownHosts, Optional<DisruptionBudget> budget,
      Optional<MaintenanceFlag> flag) {
    return service + ": " + shunted + " shunted of " + knownHosts + " known host(s); " + budget(budget, knownHosts)
        + "; " + maintenance(flag);
  }

  /**
   * {@code checkout: budget 2; 1 of 4 known host(s) out: [web-1]}, or
   * {@code checkout: no budget; 0 of 4 known host(s) out}.
   */
  static String budget(String service, Optional<DisruptionBudget> budget, int knownHosts, Set<String> out) {
    return service + ": " + budget(budget, knownHosts) + "; " + out.size() + " of " + knownHosts + " known host(s) out"
        + (out.isEmpty() ? "" : ": " + out.stream().sorted().toList());
  }

  /** {@code no budget}, {@code budget 2}, or {@code budget 25% = 1} (of the known hosts, as the store counts). */
  private static String budget(Optional<DisruptionBudget> budget, int knownHosts) {
    return budget.map(b -> "budget " + b + (b.percent() ? " = " + b.allowed(knownHosts) : "")).orElse("no budget");
  }

  private static String maintenance(Optional<MaintenanceFlag> flag) {
    if (flag.isEmpty()) {
      return "maintenance off";
    }
    MaintenanceFlag on = flag.get();
    return "maintenance on since " + on.since()
        + (on.reason().isEmpty() ? "" : " (" + on.reason() + ")")
        + (on.owner().isEmpty() ? "" : " by " + on.owner())
        + (on.until() == null ? "" : " until " + on.until())
        + (on.allowedPaths().isEmpty() ? "" : "; allowed paths " + on.allowedPaths())
        + (on.allowedClients().isEmpty() ? "" : "; allowed clients " + on.allowedClients());
  }

  /**
   * {@code checkout: deploy lock free}, {@code checkout: deploy lock held by 'ops' (reason) until …,
   * token 3}, or {@code checkout: no deploy lock in this store} when the store offers none.
   */
  static String lock(String service, boolean offered, Optional<LockGrant> holder) {
    if (!offered) {
      return service + ": no deploy lock in this store";
    }
    return service + ": deploy lock " + holder.map(StatusText::held).orElse("free");
  }

  /** {@code held by 'ops' (database migration) until 2026-11-23T10:10:00Z, token 3}. */
  static String held(LockGrant holder) {
    return "held by '" + holder.owner() + "' (" + holder.reason() + ") until " + holder.expiresAt()
        + ", token " + holder.token();
  }

  /** A span to wait for a person: {@code 9m59s}, {@code 1h0m5s}, {@code 0s}; whole seconds, rounded up. */
  static String span(Duration span) {
    long seconds = span.isNegative() ? 0 : span.plusNanos(999_999_999).getSeconds();
    long hours = seconds / 3600;
    long minutes = seconds % 3600 / 60;
    return (hours > 0 ? hours + "h" : "") + (hours > 0 || minutes > 0 ? minutes + "m" : "") + seconds % 60 + "s";
  }

  /** {@code word} as one word for a POSIX shell: as it is when that is safe, else in single quotes. */
  static String shellWord(String word) {
    if (!word.isEmpty() && word.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c)
        || "@%+=:,./_-".indexOf(c) >= 0))) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** The shunted keys, sorted by host. */
  static List<Map.Entry<InstanceKey, ShuntStatus>> byHost(Map<InstanceKey, ShuntStatus> shunted) {
    return shunted.entrySet().stream()
        .sorted(Comparator.comparing(entry -> entry.getKey().host()))
        .toList();
  }

  /**
   * {@code {"service":"checkout","host":"web-1","shunted":true,"reason":"deploy","owner":"ci",
   * "since":"2026-11-23T10:00:00Z","expiresAt":null}}.
   */
  static String json(InstanceKey key, ShuntStatus status) {
    return "{\"service\":" + quote(key.service()) + ",\"host\":" + quote(key.host())
        + ",\"shunted\":" + status.shunted() + ",\"reason\":" + quote(status.reason())
        + ",\"owner\":" + quote(status.owner()) + ",\"since\":" + instant(status.since())
        + ",\"expiresAt\":" + instant(status.expiresAt()) + "}";
  }

  /**
   * {@code {"service":"checkout","maintenance":null,"shunted":[…],"knownHosts":4,"budget":"25%",
   * "budgetAllows":1,"deployLock":null}}: the maintenance flag as an object when on, every shunted
   * host as {@link #json(InstanceKey, ShuntStatus)} sorted by host, the disruption budget
   * ({@code null} for none) with how many hosts it lets out now, and the deploy lock's holder as
   * {@code {"owner":…,"reason":…,"until":…,"token":3}} ({@code null} when the lock is free, or the
   * store offers none).
   */
  static String json(String service, Map<InstanceKey, ShuntStatus> shunted, int knownHosts,
      Optional<DisruptionBudget> budget, Optional<MaintenanceFlag> flag, Optional<LockGrant> lockHolder) {
    String hosts = byHost(shunted).stream().map(entry -> json(entry.getKey(), entry.getValue()))
        .collect(Collectors.joining(",", "[", "]"));
    return "{\"service\":" + quote(service) + ",\"maintenance\":" + flag.map(StatusText::json).orElse("null")
        + ",\"shunted\":" + hosts + ",\"knownHosts\":" + knownHosts
        + ",\"budget\":" + budget.map(b -> quote(b.toString())).orElse("null")
        + ",\"budgetAllows\":" + budget.map(b -> Integer.toString(b.allowed(knownHosts))).orElse("null")
        + ",\"deployLock\":" + lockHolder.map(StatusText::json).orElse("null") + "}";
  }

  private static String json(LockGrant holder) {
    return "{\"owner\":" + quote(holder.owner()) + ",\"reason\":" + quote(holder.reason())
        + ",\"until\":" + instant(holder.expiresAt()) + ",\"token\":" + holder.token() + "}";
  }

  private static String json(MaintenanceFlag flag) {
    return "{\"reason\":" + quote(flag.reason()) + ",\"owner\":" + quote(flag.owner())
        + ",\"since\":" + instant(flag.since()) + ",\"until\":" + instant(flag.until())
        + ",\"allowedPaths\":" + strings(flag.allowedPaths())
        + ",\"allowedClients\":" + strings(flag.allowedClients()) + "}";
  }

  private static String strings(List<String> values) {
    return values.stream().map(StatusText::quote).collect(Collectors.joining(",", "[", "]"));
  }

  private static String instant(Instant instant) {
    return instant == null ? "null" : quote(instant.toString());
  }

  /** A JSON string: quotes and backslashes escaped, every other character below a space as \\uXXXX. */
  private static String quote(String value) {
    StringBuilder json = new StringBuilder("\"");
    value.chars().forEach(c -> {
      if (c == '"' || c == '\\') {
        json.append('\\').append((char) c);
      } else if (c < ' ') {
        json.append(String.format("\\u%04x", c));
      } else {
        json.append((char) c);
      }
    });
    return json.append('"').toString();
  }
}
