package dev.shunt;

import dev.shunt.internal.FlagFileStatusStore;
import dev.shunt.internal.InMemoryStatusStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where shunt status lives: the single source of truth that health responders answer from and
 * deploy tools write to.
 *
 * <p>A key nobody has shunted is in rotation. A shunt whose expiry has passed reads as in
 * rotation. A new shunt and an unshunt clear the key's {@linkplain CheckerReport checker
 * reports}, so the reports a caller reads after a shunt are about that shunt; renewing a shunt
 * keeps them.
 *
 * <p>Besides the status of each instance, a store holds each service's {@link MaintenanceFlag}:
 * site-wide maintenance mode, which a {@link MaintenanceResponder} answers requests from.
 *
 * <p>Implementations are thread-safe, and {@link #status} and {@link #maintenance} are cheap
 * enough to be called on every health check and every request. A status that cannot be read is
 * a {@link ShuntException} ({@link StoreException}), as for a shunt flag this process may not
 * read: it may be a shunt, so it is never answered "in rotation". A maintenance flag that cannot
 * be read may be reported as "no maintenance" and logged. The {@link HealthResponder} handles a
 * failed status read by answering "up", logging and naming the problem in its checker reports,
 * the {@link MaintenanceResponder} a failed maintenance read by letting requests through, so a
 * broken store never takes a fleet out of rotation nor a site down.
 *
 * <p>Built-in stores: {@link #inMemory()} for one process, {@link #flagFiles(Path)} for
 * processes on one host; {@code shunt-hazelcast} adds a cluster-wide one.
 */
public interface StatusStore {

  /**
   * The current status of {@code key}; {@link ShuntStatus#inRotation()} when unknown or expired.
   *
   * @param key the instance's service and host
   * @return its status now; never null
   * @throws ShuntException when the status cannot be read (a flag this process may not read), never
   *     answered as "in rotation"
   */
  ShuntStatus status(InstanceKey key);

  /**
   * Takes {@code key} out of rotation. Shunting a shunted key renews it: replaces its reason and
   * owner, counts its time to live again from now (this is how an owner renews a lease), and
   * keeps its {@code since} and its checker reports. A new shunt makes the key's host
   * {@linkplain #hosts known}.
   *
   * <p>When the service has a {@link DisruptionBudget}, a new shunt is admitted atomically only if
   * fewer instances than the budget allows are shunted, whoever shunted them; a renewal is always
   * admitted.
   *
   * @param key the instance to shunt
   * @param request the shunt's reason, owner and time to live
   * @return the status now stored
   * @throws BudgetExceededException if the budget is used up; nothing was changed
   */
  ShuntStatus shunt(InstanceKey key, ShuntRequest request);

  /**
   * Puts {@code key} back in rotation. Unshunting a key in rotation does nothing.
   *
   * @param key the instance to unshunt
   */
  void unshunt(InstanceKey key);

  /**
   * Every key of {@code service} that is currently shunted, with its status.
   *
   * @param service the service's name
   * @return the shunted keys and their statuses; empty when none is shunted
   */
  Map<InstanceKey, ShuntStatus> shuntedInstances(String service);

  /**
   * Records what a health responder last answered one checker; replaces that checker's report.
   *
   * @param key the instance the responder answers for
   * @param report what it answered the checker named in the report
   */
  void report(InstanceKey key, CheckerReport report);

  /**
   * Removes the report of {@code checker} of {@code key}, if there is one, and keeps the others:
   * a {@link HealthResponder} does so for a checker it has forgotten. Removing a report that
   * is not there does nothing.
   *
   * @param key the instance's service and host
   * @param checker the checker's name, as in {@link CheckerReport#checker()}
   */
  void removeReport(InstanceKey key, String checker);

  /**
   * The latest report of every checker of {@code key} since it was last shunted or unshunted.
   *
   * @param key the instance's service and host
   * @return one report per checker; empty when none reported
   */
  List<CheckerReport> reports(InstanceKey key);

  /**
   * The maintenance flag of {@code service}, if maintenance is on: empty when it was never turned
   * on, was turned off, or its {@code until} has passed. A stored flag that is partly malformed is
   * returned without the malformed parts (which are logged), never thrown.
   *
   * @param service the service's name
   * @return the flag, or empty when maintenance is off
   */
  Optional<MaintenanceFlag> maintenance(String service);

  /**
   * Turns maintenance of {@code service} on, replacing any flag it had.
   *
   * @param service the service's name
   * @param flag the maintenance flag to store
   */
  void startMaintenance(String service, MaintenanceFlag flag);

  /**
   * Turns maintenance of {@code service} off. Doing so when it is off does nothing.
   *
   * @param service the service's name
   */
  void endMaintenance(String service);

  /**
   * Sets the disruption budget of {@code service}, replacing any it had: from now on
   * {@link #shunt} admits a new shunt only while fewer instances are shunted than it allows.
   * Shunts already in place stay, even when there are more of them than the new budget allows.
   *
   * @param service the service's name
   * @param budget the budget to enforce from now on
   */
  void setBudget(String service, DisruptionBudget budget);

  /**
   * The disruption budget of {@code service}, if one is set.
   *
   * @param service the service's name
   * @return the budget, or empty for none
   */
  Optional<DisruptionBudget> budget(String service);

  /**
   * Removes the disruption budget of {@code service}: shunts are no longer limited.
   *
   * @param service the service's name
   */
  void clearBudget(String service);

  /**
   * Makes {@code key}'s host known to the store as one of its service's hosts, the base of a
   * {@linkplain DisruptionBudget#ofPercent percentage budget}. Idempotent. A rollout registers its
   * hosts before it starts; a shunt registers its key.
   *
   * @param key the instance whose host is registered
   */
  void register(InstanceKey key);

  /**
   * Removes {@code key}'s host from its service's known hosts. Its status is left as it is.
   *
   * @param key the instance whose host is forgotten
   */
  void forget(InstanceKey key);

  /**
   * The known hosts of {@code service}: registered or ever shunted, and not forgotten.
   *
   * @param service the service's name
   * @return the host names; empty when none is known
   */
  Set<String> hosts(String service);

  /**
   * Writes a line of {@code service}'s rollout journal, replacing the entry of the same host.
   *
   * @param service the service's name
   * @param entry the entry to write
   * @see JournalEntry
   */
  void writeJournal(String service, JournalEntry entry);

  /**
   * The latest journal entry of every host of {@code service}, in no particular order.
   *
   * @param service the service's name
   * @return one entry per host; empty when the journal is
   */
  List<JournalEntry> journal(String service);

  /**
   * Removes every journal entry of {@code service}, e.g. once a rollout has finished.
   *
   * @param service the service's name
   */
  void clearJournal(String service);

  /**
   * A store that lives in this process's memory, on the system clock.
   *
   * @return a new, empty store
   */
  static StatusStore inMemory() {
    return new InMemoryStatusStore(Clock.systemUTC());
  }

  /**
   * A store that lives in this process's memory, on {@code clock}.
   *
   * @param clock the clock expiries are judged on; not null
   * @return a new, empty store
   */
  static StatusStore inMemory(Clock clock) {
    return new InMemoryStatusStore(clock);
  }

  /**
   * A store in flag files under {@code directory}, shared by every process on the host: the
   * {@code tmp/maintenance.txt} idea. A key is shunted while {@code directory/<service>/<host>.shunt}
   * exists (an empty file, e.g. made by {@code touch}, is a shunt with no reason); its content,
   * when there is any, holds reason, owner, since and expiry. A file that cannot be read counts as
   * in rotation and is reported in the log. Writes are atomic (write aside, then rename); two
   * processes shunting the same key at the same moment may both count it as a new shunt.
   *
   * <p>Maintenance of a service is on while {@code directory/<service>/maintenance.txt} exists: an
   * empty file is maintenance with no reason since the file's modification time. Its content, in
   * {@link java.util.Properties} form (backslashes doubled), may hold {@code reason}, {@code owner},
   * {@code since} and {@code until} (ISO-8601 instants such as {@code 2026-11-23T10:00:00Z}), and
   * {@code allowedPath.1}, {@code allowedPath.2}… and {@code allowedClient.1}… (in that order).
   * A malformed entry is logged and ignored: maintenance stays on; an unreadable file counts as
   * maintenance off, and is logged.
   *
   * <p>Shared by users: give the deploy user and the app a group, and create {@code directory}
   * owned by that group with mode {@code 2770}. Directories the store creates are {@code 2770},
   * files {@code 0640} (lock files {@code 0660}), whatever the umask; no link below
   * {@code directory} is followed and only regular files of at most 64 KiB are read (see "Flag
   * files" in {@code docs/HEALTH.md}).
   *
   * @param directory the directory of the flag files; not null
   * @return a store on the system clock
   * @throws StoreException if every user may write {@code directory}
   */
  static StatusStore flagFiles(Path directory) {
    return new FlagFileStatusStore(directory, Clock.systemUTC());
  }

  /**
   * {@link #flagFiles(Path)} on {@code clock}.
   *
   * @param directory the directory of the flag files; not null
   * @param clock the clock expiries are judged on; not null
   * @return a store on {@code clock}
   */
  static StatusStore flagFiles(Path directory, Clock clock) {
    return new FlagFileStatusStore(directory, clock);
  }
}
